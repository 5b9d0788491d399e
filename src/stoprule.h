/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * --max-calls=N and --duration=TIME: when to stop tracing by ourselves. The event loop asks
 * after every event; then every tracee is detached, attached ones run on as they were, and a
 * launched program runs on untraced while ltrace waits for its end and exits with its status.
 */
#ifndef LTRACE_STOPRULE_H
#define LTRACE_STOPRULE_H

#include <stdbool.h>

struct options;

/* Start the --duration clock (now: the tracees are ours). */
void stoprule_start(const struct options *opts);
/* The event loop is over: the --duration helper goes. */
void stoprule_finish(void);
/* One call was shown (printed, or counted by -c). */
void stoprule_count_call(void);
/* Is it time to stop? */
bool stoprule_reached(void);
/* Did tracing stop because of a rule (not because the tracees were gone)? */
bool stoprule_stopped(void);
void stoprule_note_stopped(void);

#endif
