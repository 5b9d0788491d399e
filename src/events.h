/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Waiting for the next ptrace stop. */
#ifndef LTRACE_EVENTS_H
#define LTRACE_EVENTS_H

#include <stdbool.h>
#include <sys/types.h>

/* waitpid(-1, __WALL) that first polls for a short, adaptive while: the
 * next stop of a busy tracee usually comes within microseconds, and waking
 * a sleeping tracer costs as much as the stop itself. An idle tracee costs
 * nothing: after the spin we block. Returns the pid, or -1 (errno set). */
pid_t wait_next(int *status);

/* The next status kept or waiting, without blocking: 0 when none. */
pid_t wait_poll(int *status);

/* Keep a status reaped elsewhere (waitpid on one task) for wait_next,
 * which returns the kept ones first, in order. */
void events_defer(pid_t pid, int status);
/* Is a status of PID kept? */
bool events_deferred(pid_t pid);

#endif
