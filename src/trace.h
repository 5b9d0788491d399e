/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The tracing session: launching, attaching, the event loop. */
#ifndef LTRACE_TRACE_H
#define LTRACE_TRACE_H

#include <stdbool.h>
#include <sys/types.h>

struct options;
struct proto_db;

/* Set the session's options and prototypes (before launching/attaching). */
void trace_init(const struct options *opts, struct proto_db *db);
/* Attach to every thread of PID (-p). 0, or -1 after an error message. */
int trace_attach(pid_t pid);
/* Let go of the tracees: every one, or only those attached with -p. */
void trace_detach(bool all);
/* Start COMMAND under ptrace. Returns its pid, or -1 after an error message. */
pid_t trace_launch(const struct options *opts);
/* Trace until every tracee is gone. Returns ltrace's exit status: the
 * launched program's own (128+signal when it was killed), else 0. */
int trace_run(const struct options *opts, struct proto_db *db);
/* After trace_run: when tracing stopped by --max-calls or --duration, wait
 * for the launched program, which runs on untraced, and return its exit
 * status (as trace_run's); else RC. */
int trace_wait_launched(int rc);

#endif
