/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A thread that blocks SIGTRAP, sends itself one (pending from then on, never delivered)
 * and spins without calling anything, beside a main thread calling lib_add about once a
 * millisecond. Prints "ready"; SIGUSR1 ends it: "pending=P calls=N bad=B", exit 0 if the
 * SIGTRAP is still pending for the spinning thread and every result was right. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"

static volatile sig_atomic_t stop;
static volatile int spinning, pending;

static void on_usr1(int sig)
{
	(void)sig;
	stop = 1;
}

static void *spinner(void *arg)
{
	sigset_t set;

	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, SIGTRAP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	pthread_kill(pthread_self(), SIGTRAP);
	spinning = 1;
	while (!stop)
		;
	sigpending(&set);
	pending = sigismember(&set, SIGTRAP);
	return NULL;
}

int main(void)
{
	struct sigaction sa;
	pthread_t t;
	unsigned long n = 0, bad = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	if (pthread_create(&t, NULL, spinner, NULL) != 0)
		return 3;
	while (!spinning)
		usleep(1000);
	printf("ready\n");
	fflush(stdout);
	while (!stop) {
		if (lib_add(5, (int)(n % 1000)) != 5 + (int)(n % 1000))
			bad++;
		n++;
		usleep(1000);
	}
	pthread_join(t, NULL);
	printf("pending=%d calls=%lu bad=%lu\n", pending, n, bad);
	return pending && !bad ? 0 : 2;
}
