/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * --min-duration: a call's left part is not printed at its entry but held (rendered, with its
 * entry time) in its frame; at the return the call is printed whole if it took at least the
 * threshold, and forgotten otherwise, so that fast calls, nested ones included, leave nothing
 * behind. A held call that never returns is printed when its task exits or execs
 * ("<no return ...>") or when ltrace detaches ("<unfinished ...>"), if it had been running for
 * the threshold by then.
 */
#ifndef LTRACE_SLOWCALL_H
#define LTRACE_SLOWCALL_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct options;
struct task;
struct held_call;

void slowcall_init(const struct options *opts);
/* Are calls held (--min-duration given)? */
bool slowcall_active(void);
/* Did a call that took D pass the threshold? (Always, without --min-duration.) */
bool slowcall_enough(const struct timespec *d);
/* Hold the left part of a call entered now: IP for -i, CALLER (or NULL), NAME, LIB (or NULL)
 * and the ARGS rendered at entry. Strings are copied. */
struct held_call *slowcall_hold(uint64_t ip, const char *caller, const char *name,
				const char *lib, const char *args);
/* Print held call H of T, at stack depth DEPTH, with what its return rendered. */
void slowcall_print(struct task *t, size_t depth, const struct held_call *h, const char *args,
		    const char *ret, const struct timespec *d);
/* T's held calls that will never return (the task exits, execs, or we DETACHED): those
 * running for the threshold are printed. The frames stay as they are. */
void slowcall_abandon(struct task *t, bool detached);
struct held_call *slowcall_dup(const struct held_call *h);
void slowcall_free(struct held_call *h);

#endif
