/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every way of making a new task, each doing traced calls with its own pattern:
 *   main      lib_add(1, 1) first and lib_add(9, 9) last
 *   thread    lib_add(2, 2)                         (pthread_create: clone)
 *   fork #1   lib_add(3, 3) after the fork, exits 0 (no exec)
 *   fork #2   exec of this program with "exec": lib_add(5, 5), exits 7
 *   vfork1    exec of this program with "exec" (vfork, no other thread)
 *   vfork     the same while a worker thread calls lib_add(6, k) in a loop (vfork from a
 *             multithreaded program)
 * Prints "ROLE PID" for every task and "parent ok" when every call gave the right result and
 * every child ended as expected (exit status 0), else "FAIL ..." (exit status 1).
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"

static volatile int stop_worker, worker_calls;
static int failed;

static void expect(int cond, const char *what)
{
	if (!cond) {
		printf("FAIL %s\n", what);
		failed = 1;
	}
}

static void *thread_main(void *arg)
{
	printf("thread %ld\n", (long)syscall(SYS_gettid));
	expect(lib_add(2, 2) == 4, "thread lib_add");
	return arg;
}

static void *worker_main(void *arg)
{
	int k = 0;

	printf("worker %ld\n", (long)syscall(SYS_gettid));
	while (!stop_worker) {
		expect(lib_add(6, k) == 6 + k, "worker lib_add");
		k = (k + 1) % 1000;
		worker_calls++;
	}
	return arg;
}

/* Wait for child PID, which must exit with status WANT. */
static void reap(pid_t pid, int want, const char *what)
{
	int status;

	if (waitpid(pid, &status, 0) != pid) {
		printf("FAIL waitpid %s\n", what);
		failed = 1;
	} else if (!WIFEXITED(status) || WEXITSTATUS(status) != want) {
		printf("FAIL %s: status %#x\n", what, status);
		failed = 1;
	}
}

int main(int argc, char **argv)
{
	pthread_t t;
	pid_t pid;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1) {
		/* The exec'd image. */
		printf("exec %d\n", (int)getpid());
		return lib_add(5, 5) == 10 ? 7 : 1;
	}
	printf("main %d\n", (int)getpid());
	expect(lib_add(1, 1) == 2, "main lib_add");

	if (pthread_create(&t, NULL, thread_main, NULL) != 0 || pthread_join(t, NULL) != 0)
		expect(0, "pthread");

	pid = fork();
	if (pid == 0) {
		printf("fork1 %d\n", (int)getpid());
		_exit(lib_add(3, 3) == 6 ? 0 : 1);
	}
	expect(pid > 0, "fork 1");
	reap(pid, 0, "fork child 1");

	pid = fork();
	if (pid == 0) {
		printf("fork2 %d\n", (int)getpid());
		execl(argv[0], argv[0], "exec", (char *)NULL);
		_exit(127);
	}
	expect(pid > 0, "fork 2");
	reap(pid, 7, "fork child 2 (exec)");

	pid = vfork();
	if (pid == 0) {
		execl(argv[0], argv[0], "exec", (char *)NULL);
		_exit(127);
	}
	expect(pid > 0, "vfork 1");
	printf("vfork1 %d\n", (int)pid);
	reap(pid, 7, "vfork child 1 (exec)");

	if (pthread_create(&t, NULL, worker_main, NULL) != 0)
		expect(0, "pthread worker");
	/* vfork while the worker is busy making traced calls. */
	while (worker_calls < 50)
		sched_yield();
	pid = vfork();
	if (pid == 0) {
		execl(argv[0], argv[0], "exec", (char *)NULL);
		_exit(127);
	}
	expect(pid > 0, "vfork");
	printf("vfork %d\n", (int)pid);
	reap(pid, 7, "vfork child (exec)");
	stop_worker = 1;
	pthread_join(t, NULL);

	expect(lib_add(9, 9) == 18, "main lib_add at the end");
	if (!failed)
		printf("parent ok\n");
	return failed;
}
