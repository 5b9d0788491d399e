/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Catches SIGINT: prints "ready", calls lib_add(0, k) and usleep in a loop until SIGINT
 * arrives, then calls lib_add(42, 0), prints "got SIGINT" and exits with status 42.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"

static volatile sig_atomic_t got;

static void on_int(int sig)
{
	got = sig;
}

int main(void)
{
	struct sigaction sa;
	int k = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_int;
	sigaction(SIGINT, &sa, NULL);
	printf("ready\n");
	fflush(stdout);
	while (!got) {
		if (lib_add(0, k) != k)
			return 2;
		k = (k + 1) % 1000;
		usleep(2000);
	}
	if (lib_add(42, 0) != 42)
		return 2;
	puts("got SIGINT");
	return 42;
}
