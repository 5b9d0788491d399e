/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Calls of known durations for --min-duration, --max-calls, --duration and the latency
 * statistics (issue #12). Modes:
 *   nested        five 1 ms usleeps; lib_callback whose callback makes three 1 ms usleeps and
 *                 one of 500 ms; one more 1 ms usleep; puts
 *   exit-in-cb    lib_callback whose callback sleeps 500 ms, then exits with status 3
 *   cb-sleep MS   lib_callback whose callback sleeps MS milliseconds
 *   loop N        N calls of lib_add, then prints their sum (exit 0 if it is right)
 *   ticks N MS    N times lib_add and a usleep of MS milliseconds, then prints the sum
 *   fork          a child sleeps 500 ms and exits 5; the parent waits for it
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "testlib.h"

static int nested_cb(int x)
{
	for (int i = 0; i < 3; i++)
		usleep(1000);
	usleep(500000);
	return x;
}

static int exit_cb(int x)
{
	usleep(500000);
	exit(x - 4);
}

static int sleep_cb(int ms)
{
	usleep((useconds_t)ms * 1000);
	return 0;
}

static int sum_of(long n, int ms)
{
	long sum = 0;
	for (long i = 0; i < n; i++) {
		sum = lib_add((int)sum, 1);
		if (ms)
			usleep((useconds_t)ms * 1000);
	}
	printf("sum=%ld\n", sum);
	return sum == n ? 0 : 1;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "nested";
	if (!strcmp(mode, "nested")) {
		for (int i = 0; i < 5; i++)
			usleep(1000);
		int r = lib_callback(nested_cb, 3);
		usleep(1000);
		puts("slow done");
		return r == 4 ? 0 : 1;
	}
	if (!strcmp(mode, "exit-in-cb"))
		return lib_callback(exit_cb, 7);
	if (!strcmp(mode, "cb-sleep") && argc > 2) {
		lib_callback(sleep_cb, atoi(argv[2]));
		puts("slept");
		return 0;
	}
	if (!strcmp(mode, "loop") && argc > 2)
		return sum_of(atol(argv[2]), 0);
	if (!strcmp(mode, "ticks") && argc > 3)
		return sum_of(atol(argv[2]), atoi(argv[3]));
	if (!strcmp(mode, "fork")) {
		pid_t pid = fork();
		if (pid == 0) {
			usleep(500000);
			_exit(5);
		}
		int st = 0;
		if (pid < 0 || waitpid(pid, &st, 0) != pid)
			return 1;
		return WIFEXITED(st) && WEXITSTATUS(st) == 5 ? 0 : 1;
	}
	fprintf(stderr, "usage: slow [nested|exit-in-cb|cb-sleep MS|loop N|ticks N MS|fork]\n");
	return 2;
}
