/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The one writer of trace lines: prefixes, timestamps, alignment and the
 * unfinished/resumed bookkeeping of spec 2.1-2.3. */
#ifndef LTRACE_OUTPUT_H
#define LTRACE_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

struct options;
struct task;

extern FILE *trace_out;

/* Open the -o file (or use stderr). 0, or -1 after printing an error. */
int output_init(const struct options *opts);
void output_close(void);

/* A call's left part "NAME(ARGS"; it stays open until its return. DEPTH is
 * the task's stack depth with this call; RET_ADDR is shown by -i. */
void out_call_entry(struct task *t, size_t depth, uint64_t key, uint64_t ret_addr,
		    const char *caller, const char *name, const char *lib, const char *args);
/* The matching right part "ARGS) = RET". DURATION for -T (may be NULL). */
void out_call_return(struct task *t, size_t depth, uint64_t key, uint64_t ret_addr,
		     const char *name, const char *args, const char *ret,
		     const struct timespec *duration);
/* A call printed as one line at its return (--min-duration): what its left part would have
 * shown at entry, and when that was (CLOCK_REALTIME). */
struct whole_call {
	struct timespec when;
	uint64_t ip;
	const char *caller, *name, *lib, *args;
};
/* C's line, completed by ARGS, RET and DURATION (-T); RET NULL for a call that never
 * returned: " <unfinished ...>" when DETACHED, else " <no return ...>". */
void out_call_whole(struct task *t, size_t depth, const struct whole_call *c, const char *args,
		    const char *ret, const struct timespec *duration, bool detached);
/* A line that is not a call (signals, exits, exec). IP for -i
 * (UINT64_MAX when unknown). */
void out_event(struct task *t, uint64_t ip, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Lines of text as they are (-w backtraces). */
void out_text(const char *text);
/* The reader of our output went away (EPIPE) or the disk is full. */
bool output_broken(void);
/* The errno of the first failed write (EPIPE, ENOSPC...), 0 if none. */
int output_error(void);
/* Terminate an open left part before ltrace stops writing ("<unfinished ...>"). */
void out_finish(void);
/* T is being detached: its open left part, if any, ends "<unfinished ...>". */
void out_detached(struct task *t);
/* A complete line of --json output for T. */
void out_json(struct task *t, const char *line);

#endif
