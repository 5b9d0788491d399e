// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <sys/wait.h>
#include <time.h>

#include "events.h"

/* Spin budget in nanoseconds: grows while spinning pays off, shrinks when
 * it does not, within these bounds. */
#define SPIN_MIN_NS 2000L
#define SPIN_MAX_NS 200000L
static long spin_ns = 50000L;

static long elapsed_ns(const struct timespec *a)
{
	struct timespec b;
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (b.tv_sec - a->tv_sec) * 1000000000L + (b.tv_nsec - a->tv_nsec);
}

pid_t wait_next(int *status)
{
	pid_t pid = waitpid(-1, status, __WALL | WNOHANG);
	if (pid != 0)
		return pid;
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		pid = waitpid(-1, status, __WALL | WNOHANG);
		if (pid != 0) {
			if (spin_ns < SPIN_MAX_NS)
				spin_ns += spin_ns / 4;
			return pid;
		}
		if (elapsed_ns(&start) > spin_ns)
			break;
	}
	if (spin_ns > SPIN_MIN_NS)
		spin_ns -= spin_ns / 2;
	/* Blocking; EINTR goes back to the caller, which checks for signals. */
	return waitpid(-1, status, __WALL);
}
