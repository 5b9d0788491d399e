/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * threadstream NTHREADS: short threads made while a tracer is attached (issue #10).  Until
 * SIGUSR1 the main thread calls lib_add(0, 0) every 10 ms (prints "ready" first).  Then it
 * starts NTHREADS threads, 8 at a time, thread k (1-based) calling lib_add(1000 + k, 0) once
 * and recording that it did; all are waited for 20 s at most.  Prints
 * "threads=N ran=R stuck=S" and exits 0 only if every thread ran its call and ended.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"

#define BATCH 8

static volatile sig_atomic_t go;
static unsigned char *ran;

static void on_usr1(int sig)
{
	(void)sig;
	go = 1;
}

static void *worker(void *arg)
{
	int k = (int)(long)arg;

	if (lib_add(1000 + k, 0) == 1000 + k)
		__atomic_store_n(&ran[k], 1, __ATOMIC_RELEASE);
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 200, k, b, nran = 0, stuck = 0;
	pthread_t tids[BATCH];
	struct timespec until;
	struct sigaction sa = { .sa_handler = on_usr1 };

	ran = calloc((size_t)n + 1, 1);
	if (!ran || n < 1 || sigaction(SIGUSR1, &sa, NULL) != 0)
		return 3;
	printf("ready\n");
	fflush(stdout);
	while (!go) {
		lib_add(0, 0);
		usleep(10000);
	}
	/* One deadline for all: a few stuck threads must not add up to minutes. */
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 20;
	for (k = 1; k <= n; k += BATCH) {
		int m = n - k + 1 < BATCH ? n - k + 1 : BATCH;
		for (b = 0; b < m; b++)
			if (pthread_create(&tids[b], NULL, worker, (void *)(long)(k + b)) != 0)
				return 3;
		for (b = 0; b < m; b++) {
			if (pthread_timedjoin_np(tids[b], NULL, &until) != 0)
				stuck++;
		}
	}
	for (k = 1; k <= n; k++)
		nran += __atomic_load_n(&ran[k], __ATOMIC_ACQUIRE);
	printf("threads=%d ran=%d stuck=%d\n", n, nran, stuck);
	fflush(stdout);
	/* A thread that never ran would keep the process alive in exit: end it here. */
	_exit(nran == n && !stuck ? 0 : 2);
}
