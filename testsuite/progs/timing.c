/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Calls separated by known sleeps, for the tests of -r, -ttt and -T (issue #10).
 *   timing gap: lib_add(1, 0), usleep(700000), lib_add(2, 0), usleep(300000), lib_add(3, 0)
 *               (unequal gaps: time since the previous line differs from time since the first);
 *   timing dur: usleep(300000) started at .10 s of CLOCK_MONOTONIC (the clock of -T), then
 *               usleep(300000) and usleep(1200000) started at .85 s, so that they end in a
 *               later second with fewer nanoseconds than they started with.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"

/* Sleep until the fraction of the current second of CLOCK_MONOTONIC is FRAC_NS. */
static void wait_fraction(long frac_ns)
{
	struct timespec now, d;

	clock_gettime(CLOCK_MONOTONIC, &now);
	d.tv_sec = 0;
	d.tv_nsec = (frac_ns - now.tv_nsec + 1000000000L) % 1000000000L;
	nanosleep(&d, NULL);
}

int main(int argc, char **argv)
{
	int r = 0;

	if (argc < 2)
		return 3;
	if (!strcmp(argv[1], "gap")) {
		r += lib_add(1, 0);
		usleep(700000);
		r += lib_add(2, 0);
		usleep(300000);
		r += lib_add(3, 0);
		return r == 6 ? 0 : 2;
	}
	if (!strcmp(argv[1], "dur")) {
		wait_fraction(100000000L);
		r |= usleep(300000);
		wait_fraction(850000000L);
		r |= usleep(300000);
		wait_fraction(850000000L);
		r |= usleep(1200000);
		return r ? 2 : 0;
	}
	return 3;
}
