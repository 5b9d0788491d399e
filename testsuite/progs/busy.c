/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A long-running "server" for the attach/detach tests: NTHREADS workers call lib_add and abs in
 * a tight loop, the main thread calls lib_add(0, n) and usleep about once a millisecond, and
 * everybody checks every result.
 *
 *   busy NTHREADS [PLUGIN|-] [churn|storm]
 *
 * With "churn" the main thread also starts and joins a short-lived thread calling
 * lib_add(7, k) at every turn, so that threads come and go while a tracer attaches and
 * detaches. With "storm" every worker does so at every turn of its loop, as fast as it can.  Prints "ready" once every thread has made a call.  SIGUSR2 makes the main thread
 * dlopen PLUGIN and call its plug_mul from then on ("plugin loaded").  SIGUSR1 stops the
 * program: it prints "calls=N bad=B" and exits 0 if every result was right, 2 otherwise.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"

static volatile sig_atomic_t stop, want_plugin;
static unsigned long bad, total, started;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		stop = 1;
	else
		want_plugin = 1;
}

static void check(int got, int want)
{
	if (got != want)
		__atomic_fetch_add(&bad, 1, __ATOMIC_RELAXED);
}

static int storm;

static void *short_lived(void *arg);

/* Start a short-lived thread and join it. */
static void churn_once(int k)
{
	pthread_t t;

	if (pthread_create(&t, NULL, short_lived, (void *)(long)k) != 0 ||
	    pthread_join(t, NULL) != 0)
		check(0, 1);
}

static void *worker(void *arg)
{
	int id = (int)(long)arg;
	unsigned long n = 0;

	while (!stop) {
		int k = (int)(n % 100000);

		check(lib_add(id, k), id + k);
		check(abs(-k), k);
		if (storm)
			churn_once(k);
		if (n++ == 0)
			__atomic_fetch_add(&started, 1, __ATOMIC_SEQ_CST);
	}
	__atomic_fetch_add(&total, n, __ATOMIC_RELAXED);
	return NULL;
}

static void *short_lived(void *arg)
{
	int k = (int)(long)arg;

	check(lib_add(7, k), 7 + k);
	return NULL;
}

int main(int argc, char **argv)
{
	int churn = argc > 3 && strcmp(argv[3], "churn") == 0;
	int (*plug_mul)(int, int) = NULL;
	int i, nthreads = argc > 1 ? atoi(argv[1]) : 0;
	pthread_t *tids = calloc(nthreads > 0 ? nthreads : 1, sizeof(*tids));
	struct sigaction sa;
	unsigned long n = 0;
	int said_ready = 0;

	storm = argc > 3 && strcmp(argv[3], "storm") == 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&tids[i], NULL, worker, (void *)(long)(i + 1)) != 0)
			return 3;

	while (!stop) {
		int k = (int)(n % 100000);

		check(lib_add(0, k), k);
		if (plug_mul)
			check(plug_mul(k, 3), k * 3);
		if (churn)
			churn_once(k);
		n++;
		if (!said_ready &&
		    __atomic_load_n(&started, __ATOMIC_SEQ_CST) == (unsigned)nthreads) {
			printf("ready\n");
			fflush(stdout);
			said_ready = 1;
		}
		if (want_plugin && !plug_mul && argc > 2 && strcmp(argv[2], "-") != 0) {
			void *h = dlopen(argv[2], RTLD_NOW);

			if (!h || !(plug_mul = (int (*)(int, int))dlsym(h, "plug_mul"))) {
				printf("dlopen failed: %s\n", dlerror());
				return 4;
			}
			printf("plugin loaded\n");
			fflush(stdout);
		}
		usleep(1000);
	}
	for (i = 0; i < nthreads; i++)
		pthread_join(tids[i], NULL);
	total += n;
	printf("calls=%lu bad=%lu\n", total, bad);
	return bad ? 2 : 0;
}
