/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A signal raised inside a traced call (kill) whose handler makes a traced call. The exit
 * status says whether the handler really received SIGUSR1, i.e. the tracer delivered it.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static volatile sig_atomic_t got;
/* abs is declared const: without a use of its result gcc drops the call, even at -O0. */
static volatile int sink;

static void handler(int sig)
{
	sink = abs(-10);
	got = sig;
}

int main(void)
{
	signal(SIGUSR1, handler);
	kill(getpid(), SIGUSR1);
	if (got != SIGUSR1)
		return 5;
	puts("signal ok");
	return 0;
}
