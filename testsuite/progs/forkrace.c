/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * New processes made while traced calls are in flight (issue #9, items 2 and 3):
 *
 *   forkrace fork N     three threads call lib_add through one call site in a loop while the
 *                       main thread forks N times; every child makes the same calls through
 *                       the same call site (so it runs over the return sites the threads were
 *                       waiting on at the fork) and exits 0 if the results were right.
 *   forkrace vm N       N children made with clone() on a stack of their own, in turn:
 *                       CLONE_VM with exit signal SIGCHLD (a fork event for ptrace), CLONE_VM
 *                       with exit signal 0 (a clone event), both sharing this program's
 *                       memory, and without CLONE_VM with exit signal 0 (a clone event for a
 *                       copy of the memory); each calls lib_add while the parent and a thread
 *                       call it too.
 *   forkrace vmleave F  a clone(CLONE_VM|SIGCHLD) child calls lib_add and execs this program
 *                       ("forkrace leaf": lib_add(2, 3), prints "leaf 5") while the parent
 *                       calls lib_add; then the parent prints "forkrace ok" and execs "forkrace
 *                       leaf" too, while a second such child goes on calling lib_add(i, 7) 100
 *                       times in the memory they shared and writes "linger ok" or "linger bad"
 *                       to the file F.
 *
 * Prints "forkrace ok" and exits 0 when every call of every task gave the right result and
 * every child exited 0; otherwise prints what went wrong and exits 1.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"

static volatile int stop;
static volatile int bad;

/* The one call site of lib_add shared by threads and children. */
static int work(int k, int rounds)
{
	int i, wrong = 0;

	for (i = 0; i < rounds; i++)
		if (lib_add(k, i) != k + i)
			wrong++;
	return wrong;
}

static void *worker(void *arg)
{
	int k = (int)(long)arg;

	while (!stop)
		if (work(k, 10))
			bad = 1;
	return NULL;
}

/* Wait for PID (with __WALL for clone children whose exit signal is not SIGCHLD). */
static int reap(pid_t pid, const char *what)
{
	int status;

	if (waitpid(pid, &status, __WALL) != pid) {
		printf("%s %d: waitpid failed\n", what, (int)pid);
		return 1;
	}
	if (WIFSIGNALED(status)) {
		printf("%s %d: killed by signal %d\n", what, (int)pid, WTERMSIG(status));
		return 1;
	}
	if (WEXITSTATUS(status) != 0) {
		printf("%s %d: exit status %d\n", what, (int)pid, WEXITSTATUS(status));
		return 1;
	}
	return 0;
}

static int run_forks(int n)
{
	int failed = 0;

	for (int i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			return n;
		}
		if (pid == 0)
			_exit(work(1000 + i, 20) ? 1 : 0);
		failed += reap(pid, "fork child");
	}
	return failed;
}

static int vm_child(void *arg)
{
	int k = (int)(long)arg;

	return work(k, 50) ? 1 : 0;
}

static int run_vm_clones(int n)
{
	int failed = 0;
	size_t size = 256 * 1024;
	char *stack = malloc(size);
	static const struct {
		int flags;
		const char *what;
	} kinds[] = {
		{ CLONE_VM | SIGCHLD, "clone(CLONE_VM|SIGCHLD) child" },
		{ CLONE_VM, "clone(CLONE_VM) child" },
		{ 0, "clone(0) child" },
	};

	if (!stack)
		return n;
	for (int i = 0; i < n; i++) {
		int kind = i % 3;
		pid_t pid = clone(vm_child, stack + size, kinds[kind].flags,
				  (void *)(long)(2000 + i));

		if (pid < 0) {
			perror("clone");
			return n;
		}
		/* The parent calls through the same site while the child runs. */
		if (work(3000 + i, 50))
			bad = 1;
		failed += reap(pid, kinds[kind].what);
	}
	free(stack);
	return failed;
}

static char *self, *mark;

static int execer(void *arg)
{
	if (lib_add(1, 1) != 2)
		return 1;
	execl(self, self, "leaf", (char *)0);
	return 9;
}

static int lingerer(void *arg)
{
	int wrong = 0;
	FILE *f;

	/* Long enough for the parent to be gone. */
	usleep(100000);
	for (int i = 0; i < 100; i++)
		if (lib_add(i, 7) != i + 7)
			wrong++;
	f = fopen(mark, "w");
	if (f) {
		fprintf(f, "linger %s\n", wrong ? "bad" : "ok");
		fclose(f);
	}
	return 0;
}

/* Children sharing the memory that exec or outlive the parent. */
static int run_vm_leave(char *argv0, char *file)
{
	static char stacks[2][256 * 1024];
	pid_t pid;

	self = argv0;
	mark = file;
	pid = clone(execer, stacks[0] + sizeof(stacks[0]), CLONE_VM | SIGCHLD, NULL);
	if (pid < 0)
		return 1;
	if (work(4000, 200))
		bad = 1;
	if (reap(pid, "exec'ing clone(CLONE_VM|SIGCHLD) child") || bad)
		return 1;
	if (clone(lingerer, stacks[1] + sizeof(stacks[1]), CLONE_VM | SIGCHLD, NULL) < 0)
		return 1;
	printf("forkrace ok\n");
	/* The memory stays the child's alone. */
	execl(self, self, "leaf", (char *)0);
	return 1;
}

int main(int argc, char **argv)
{
	pthread_t th[3];
	int nthreads, failed;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc == 2 && !strcmp(argv[1], "leaf")) {
		printf("leaf %d\n", lib_add(2, 3));
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "vmleave"))
		return run_vm_leave(argv[0], argv[2]);
	if (argc != 3 || (strcmp(argv[1], "fork") && strcmp(argv[1], "vm"))) {
		fprintf(stderr, "usage: forkrace fork|vm N, forkrace vmleave FILE\n");
		return 2;
	}
	nthreads = !strcmp(argv[1], "fork") ? 3 : 1;
	for (long t = 0; t < nthreads; t++)
		if (pthread_create(&th[t], NULL, worker, (void *)(t * 100)) != 0)
			return 1;
	if (!strcmp(argv[1], "fork"))
		failed = run_forks(atoi(argv[2]));
	else
		failed = run_vm_clones(atoi(argv[2]));
	stop = 1;
	for (int t = 0; t < nthreads; t++)
		pthread_join(th[t], NULL);
	if (failed || bad) {
		printf("forkrace: %d children failed%s\n", failed, bad ? ", wrong results" : "");
		return 1;
	}
	printf("forkrace ok\n");
	return 0;
}
