/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ticker [LIBRARY...]: loads each LIBRARY with dlopen (large objects make an attaching tracer
 * read much), then wakes every 10 ms and measures how late each wake-up is. Prints "ready";
 * SIGUSR2 starts a measuring window, SIGUSR1 ends it: prints "max_late_us=N" (the worst
 * lateness of a wake-up in the window) and exits.
 */
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>

static volatile sig_atomic_t measuring, done;

static void on_usr2(int sig)
{
	(void)sig;
	measuring = 1;
}

static void on_usr1(int sig)
{
	(void)sig;
	done = 1;
}

static long long ns(const struct timespec *t)
{
	return t->tv_sec * 1000000000LL + t->tv_nsec;
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!dlopen(argv[i], RTLD_NOW | RTLD_LOCAL))
			fprintf(stderr, "ticker: %s\n", dlerror());
	struct sigaction sa = { 0 };
	sa.sa_handler = on_usr2;
	sigaction(SIGUSR2, &sa, NULL);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	printf("ready\n");
	fflush(stdout);
	long long worst = 0;
	struct timespec next;
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!done) {
		next.tv_nsec += 10000000;
		if (next.tv_nsec >= 1000000000) {
			next.tv_nsec -= 1000000000;
			next.tv_sec++;
		}
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) != 0 && !done)
			;
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		long long late = ns(&now) - ns(&next);
		if (measuring && late > worst)
			worst = late;
		if (late > 10000000) /* fell behind: start again from now */
			next = now;
	}
	printf("max_late_us=%lld\n", worst / 1000);
	return 0;
}
