/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The tracing session: launching, attaching, the event loop. */
#ifndef LTRACE_TRACE_H
#define LTRACE_TRACE_H

#include <sys/types.h>

struct options;
struct proto_db;

/* Start COMMAND under ptrace. Returns its pid, or -1 after an error message. */
pid_t trace_launch(const struct options *opts);
/* Trace until every tracee is gone. Returns ltrace's exit status: the
 * launched program's own (128+signal when it was killed), else 0. */
int trace_run(const struct options *opts, struct proto_db *db);

#endif
