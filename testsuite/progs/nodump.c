/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A program that makes itself non-dumpable, then forks: /proc/PID/mem of the child cannot
 * be opened by a tracer without CAP_SYS_PTRACE. The child makes traced calls and exits 7;
 * the parent reports how the child ended, then makes a call itself. Both say whether they
 * are dumpable (they must stay non-dumpable under ltrace). */
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"

int main(void)
{
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		return 3;
	int before = lib_add(1, 2);
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		return 3;
	if (pid == 0) {
		int sum = lib_add(20, 22);
		printf("child %d dumpable %d\n", lib_add(sum, 0), prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
		fflush(stdout);
		_exit(sum == 42 ? 7 : 8);
	}
	int st;
	if (waitpid(pid, &st, 0) != pid)
		return 3;
	if (WIFEXITED(st))
		printf("child exited %d\n", WEXITSTATUS(st));
	else
		printf("child killed by signal %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : -1);
	printf("parent %d %d dumpable %d\n", before, lib_add(2, 2),
	       prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
	return 0;
}
