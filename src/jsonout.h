/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --json: every event as one JSON object on a line of its own (JSON Lines);
 * the schema is etc/ltrace-json.schema.json and ltrace(1). Lines go out
 * through output.c, the one writer. */
#ifndef LTRACE_JSONOUT_H
#define LTRACE_JSONOUT_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

struct frame;
struct task;

/* F's call, complete: at its return (RETURNED, DURATION), or when it is
 * given up without one (its task exits, execs or is detached; a longjmp
 * left it), with the arguments shown at its entry. The held-call mechanism
 * (slowcall.h) decides when, and whether (--min-duration). */
void json_out_call(struct task *t, const struct frame *f, bool returned,
		   const struct timespec *duration);
void json_out_signal(struct task *t, int sig);
/* T ended with wait STATUS (its unfinished calls are written before: slowcall_abandon). */
void json_out_exit(struct task *t, int status);
void json_out_exec(struct task *t);
/* The -c summary as one JSON object. */
void json_out_summary(FILE *out, bool demangle_names);

#endif
