/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Without -f the second thread's calls are traced silently: only main's calls show. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

/* abs is declared const: without a use of its result gcc drops the call, even at -O0. */
static volatile int sink;

static void *worker(void *arg)
{
	int i;

	for (i = 0; i < 20; i++)
		sink = abs(-100);
	puts("thread");
	return arg;
}

int main(void)
{
	pthread_t t;

	sink = abs(-1);
	if (pthread_create(&t, NULL, worker, NULL) != 0)
		return 3;
	if (pthread_join(t, NULL) != 0)
		return 4;
	sink = abs(-2);
	puts("main done");
	return 0;
}
