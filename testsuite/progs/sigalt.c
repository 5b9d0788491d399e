/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A signal handler running on an alternate signal stack (sigaltstack, SA_ONSTACK) calls a
 * traced function while traced calls (lib_callback, kill) wait for it to return.
 *
 *   sigalt above   the alternate stack is an array in main's frame: above (at higher
 *                  addresses than) every frame main calls, the interrupted ones included
 *   sigalt below   the alternate stack is malloc'd: below the main stack
 *
 * Exit status 0 only if every result was right.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "testlib.h"

#define ALT_SIZE (1 << 16)

static volatile int in_handler;

static void handler(int sig)
{
	(void)sig;
	in_handler = lib_add(3, 4);
}

static int raise_usr1(int x)
{
	kill(getpid(), SIGUSR1);
	return x * 2;
}

int main(int argc, char **argv)
{
	char here[ALT_SIZE];
	stack_t ss;
	struct sigaction sa;
	int r;

	memset(&ss, 0, sizeof(ss));
	ss.ss_size = ALT_SIZE;
	ss.ss_sp = argc > 1 && !strcmp(argv[1], "below") ? malloc(ALT_SIZE) : here;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sa.sa_flags = SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	if (!ss.ss_sp || sigaltstack(&ss, NULL) != 0 || sigaction(SIGUSR1, &sa, NULL) != 0) {
		perror("sigalt");
		return 99;
	}
	r = lib_callback(raise_usr1, 5);
	printf("sigalt: %d %d\n", r, in_handler);
	return r == 11 && in_handler == 7 ? 0 : 1;
}
