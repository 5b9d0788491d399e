/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * manythreads NTHREADS NCALLS: NTHREADS threads released together, thread t making NCALLS
 * calls lib_add(1000 + t, i) for i = 0 .. NCALLS-1 (a distinct pattern per thread, so that a
 * trace accounts for every call of every thread), then the main thread calls
 * lib_add(999, 1).  Prints "total=N bad=B"; exits 0 only if every result was right.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "testlib.h"

static pthread_barrier_t go;
static int ncalls;
static unsigned long bad, total;

static void *worker(void *arg)
{
	int id = (int)(long)arg, i;

	pthread_barrier_wait(&go);
	for (i = 0; i < ncalls; i++)
		if (lib_add(1000 + id, i) != 1000 + id + i)
			__atomic_fetch_add(&bad, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&total, (unsigned long)ncalls, __ATOMIC_RELAXED);
	return NULL;
}

int main(int argc, char **argv)
{
	int i, nthreads = argc > 1 ? atoi(argv[1]) : 8;
	pthread_t *tids = calloc(nthreads, sizeof(*tids));

	ncalls = argc > 2 ? atoi(argv[2]) : 10000;
	if (!tids || nthreads < 1 || pthread_barrier_init(&go, NULL, nthreads) != 0)
		return 3;
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&tids[i], NULL, worker, (void *)(long)(i + 1)) != 0)
			return 3;
	for (i = 0; i < nthreads; i++)
		pthread_join(tids[i], NULL);
	if (lib_add(999, 1) != 1000)
		bad++;
	total++;
	printf("total=%lu bad=%lu\n", total, bad);
	return bad ? 2 : 0;
}
