// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>

#include "common.h"
#include "events.h"

/* How long to poll before blocking. Waking a blocked tracer costs about
 * as much as the tracee's stop itself, so while stops follow each other
 * closely we poll; when they do not (an idle or slow tracee) we block
 * almost at once and burn no CPU. The choice follows a running average of
 * how long the recent waits really took, blocked or not. */
#define SPIN_LONG_NS 300000L
#define SPIN_SHORT_NS 5000L
static long avg_wait_ns;
static long spin_override = -2;

static long elapsed_ns(const struct timespec *a)
{
	struct timespec b;
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (b.tv_sec - a->tv_sec) * 1000000000L + (b.tv_nsec - a->tv_nsec);
}

static void account(long waited)
{
	if (waited > 10 * SPIN_LONG_NS)
		waited = 10 * SPIN_LONG_NS;
	avg_wait_ns += (waited - avg_wait_ns) / 8;
}

/* Stops and deaths reaped outside the event loop (while one task ran code
 * of ours, or was stepped alone), to be handled by it in order. */
static struct deferred {
	pid_t pid;
	int status;
} *deferred;
static size_t n_deferred, c_deferred, first_deferred;

void events_defer(pid_t pid, int status)
{
	if (first_deferred == n_deferred)
		first_deferred = n_deferred = 0;
	grow_array((void **)&deferred, &c_deferred, n_deferred + 1, sizeof(*deferred));
	deferred[n_deferred++] = (struct deferred){ pid, status };
}

bool events_deferred(pid_t pid)
{
	for (size_t i = first_deferred; i < n_deferred; i++)
		if (deferred[i].pid == pid)
			return true;
	return false;
}

static bool take_deferred(pid_t *pid, int *status)
{
	if (first_deferred == n_deferred)
		return false;
	*status = deferred[first_deferred].status;
	*pid = deferred[first_deferred++].pid;
	return true;
}

pid_t wait_poll(int *status)
{
	pid_t pid;
	if (take_deferred(&pid, status))
		return pid;
	return waitpid(-1, status, __WALL | WNOHANG);
}

pid_t wait_next(int *status)
{
	pid_t pid = wait_poll(status);
	if (pid != 0) {
		account(0);
		return pid;
	}
	if (spin_override == -2) {
		/* For measurements: LTRACE_SPIN_NS fixes the polling time. */
		const char *e = getenv("LTRACE_SPIN_NS");
		spin_override = e ? atol(e) : -1;
	}
	long spin = avg_wait_ns < SPIN_LONG_NS ? SPIN_LONG_NS : SPIN_SHORT_NS;
	if (spin_override >= 0)
		spin = spin_override;
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		pid = waitpid(-1, status, __WALL | WNOHANG);
		if (pid != 0) {
			account(elapsed_ns(&start));
			return pid;
		}
		if (elapsed_ns(&start) > spin)
			break;
	}
	/* Blocking; EINTR goes back to the caller, which checks for signals. */
	pid = waitpid(-1, status, __WALL);
	account(elapsed_ns(&start));
	return pid;
}
