/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a program started by ltrace -u inherits (user-state.test): one "key value" line each.
 *   session  leader|member    whether it leads its own session
 *   tty_nr   N                its controlling terminal (field 7 of /proc/self/stat), 0: none
 *   tiocsti  ok|ERRNO-NAME    pushing a byte into the input of the terminal on fd 0 (the
 *                             byte is a newline, harmless if it ever lands)
 *   fd       N -> TARGET      each open descriptor above 2
 *   CapInh/CapAmb/CapBnd HEX  from /proc/self/status
 *   HOME/USER/LOGNAME/SHELL   the environment ("-" when unset)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(void)
{
	printf("session %s\n", getsid(0) == getpid() ? "leader" : "member");

	char buf[4096];
	FILE *f = fopen("/proc/self/stat", "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	buf[n] = 0;
	if (f)
		fclose(f);
	/* Fields after the command name's closing parenthesis: state ppid pgrp session tty_nr */
	char *p = strrchr(buf, ')');
	int pgrp = 0, sid = 0, tty = -1, ppid = 0;
	char state;
	if (!p || sscanf(p + 1, " %c %d %d %d %d", &state, &ppid, &pgrp, &sid, &tty) != 5)
		tty = -1;
	printf("tty_nr %d\n", tty);

	char c = '\n';
	if (isatty(0))
		printf("tiocsti %s\n", ioctl(0, TIOCSTI, &c) == 0 ? "ok" : strerrorname_np(errno));
	else
		printf("tiocsti notty\n");

	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	while (d && (e = readdir(d))) {
		int fd = atoi(e->d_name);
		if (e->d_name[0] == '.' || fd <= 2 || fd == dirfd(d))
			continue;
		char link[64], target[PATH_MAX];
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		ssize_t len = readlink(link, target, sizeof(target) - 1);
		target[len > 0 ? len : 0] = 0;
		printf("fd %d -> %s\n", fd, target);
	}
	if (d)
		closedir(d);

	f = fopen("/proc/self/status", "r");
	while (f && fgets(buf, sizeof(buf), f))
		if (!strncmp(buf, "CapInh:", 7) || !strncmp(buf, "CapAmb:", 7) ||
		    !strncmp(buf, "CapBnd:", 7)) {
			char key[16], val[32];
			if (sscanf(buf, "%15s %31s", key, val) == 2)
				printf("%s %s\n", key, val);
		}
	if (f)
		fclose(f);

	const char *vars[] = { "HOME", "USER", "LOGNAME", "SHELL" };
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);
		printf("%s %s\n", vars[i], v ? v : "-");
	}
	return 0;
}
