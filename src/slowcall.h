/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Held calls: a call whose line is written whole at its return rather than in two parts.
 * With --min-duration (only calls that took at least the threshold) and with --json (one
 * object per call, complete), a call's left part is not printed at its entry but held
 * (rendered, with its entry time) in its frame; at the return the call is written whole if it
 * took at least the threshold (always without --min-duration), and forgotten otherwise, so
 * that fast calls, nested ones included, leave nothing behind. A held call that never returns
 * is written when that becomes known, if it had been running for the threshold by then: when
 * its task exits or execs ("<no return ...>"), when ltrace detaches ("<unfinished ...>"), when
 * the program leaves it by longjmp or an exception ("<no return ...>"); with --json as a call
 * with "returned": false.
 */
#ifndef LTRACE_SLOWCALL_H
#define LTRACE_SLOWCALL_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct frame;
struct options;
struct task;
struct held_call;

void slowcall_init(const struct options *opts);
/* Are calls held (--min-duration or --json given)? */
bool slowcall_active(void);
/* Did a call that took D pass the threshold? (Always, without --min-duration.) */
bool slowcall_enough(const struct timespec *d);
/* Hold the left part of a call entered now: IP for -i, CALLER (or NULL), NAME, LIB (or NULL)
 * and the ARGS rendered at entry. Strings are copied. */
struct held_call *slowcall_hold(uint64_t ip, const char *caller, const char *name,
				const char *lib, const char *args);
/* Write the held call of frame F of T, at stack depth DEPTH, with what its return rendered
 * (ARGS and RET for text; --json takes them from F's values) and its duration D. */
void slowcall_print(struct task *t, size_t depth, const struct frame *f, const char *args,
		    const char *ret, const struct timespec *d);
/* The program left held frame F of T (at DEPTH) without returning: written if slow enough. */
void slowcall_left(struct task *t, size_t depth, const struct frame *f);
/* T's held calls that will never return (the task exits, execs, or we DETACHED): those
 * running for the threshold are printed. The frames stay as they are. */
void slowcall_abandon(struct task *t, bool detached);
struct held_call *slowcall_dup(const struct held_call *h);
void slowcall_free(struct held_call *h);

#endif
