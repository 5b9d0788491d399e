// SPDX-License-Identifier: GPL-2.0-or-later
/* Signal state, shown and set up.
 *   sigstate                 print the blocked, ignored and caught sets (from
 *                            /proc/self/status, so every signal counts, the C
 *                            library's own ones included) and exit 0
 *   sigstate [-i L] [-d L] [-m L] -- CMD ARGS...
 *                            ignore (-i) or default (-d) the signals of L, set
 *                            the blocked mask to exactly L (-m), then exec CMD
 * L is a comma-separated list of signal numbers, "all" or "none"; ^L is all
 * signals but those of L. The kernel
 * calls are made directly: glibc refuses to touch signals 32 and 33. */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

struct ksigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};

static uint64_t parse(const char *list)
{
	if (!strcmp(list, "all"))
		return ~0ULL;
	if (!strcmp(list, "none"))
		return 0;
	if (list[0] == '^')
		return ~parse(list + 1);
	uint64_t set = 0;
	for (char *end; *list; list = *end ? end + 1 : end) {
		long sig = strtol(list, &end, 10);
		if (sig < 1 || sig > 64 || (*end && *end != ',')) {
			fprintf(stderr, "sigstate: bad signal list\n");
			exit(2);
		}
		set |= 1ULL << (sig - 1);
	}
	return set;
}

static void set_all(uint64_t set, void (*handler)(int))
{
	for (int sig = 1; sig <= 64; sig++) {
		if (!(set & (1ULL << (sig - 1))) || sig == SIGKILL || sig == SIGSTOP)
			continue;
		struct ksigaction act;
		memset(&act, 0, sizeof(act));
		act.handler = handler;
		if (syscall(SYS_rt_sigaction, sig, &act, NULL, 8) != 0) {
			perror("sigstate: rt_sigaction");
			exit(2);
		}
	}
}

int main(int argc, char **argv)
{
	int i = 1;
	for (; i + 1 < argc && argv[i][0] == '-' && strcmp(argv[i], "--"); i += 2) {
		uint64_t set = parse(argv[i + 1]);
		if (!strcmp(argv[i], "-i")) {
			set_all(set, SIG_IGN);
		} else if (!strcmp(argv[i], "-d")) {
			set_all(set, SIG_DFL);
		} else if (!strcmp(argv[i], "-m")) {
			if (syscall(SYS_rt_sigprocmask, SIG_SETMASK, &set, NULL, 8) != 0) {
				perror("sigstate: rt_sigprocmask");
				return 2;
			}
		} else {
			fprintf(stderr, "sigstate: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	if (i + 1 < argc && !strcmp(argv[i], "--")) {
		execvp(argv[i + 1], argv + i + 1);
		perror("sigstate: exec");
		return 127;
	}
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	if (!f) {
		perror("sigstate: /proc/self/status");
		return 2;
	}
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "SigBlk:", 7) || !strncmp(line, "SigIgn:", 7) ||
		    !strncmp(line, "SigCgt:", 7) || !strncmp(line, "SigPnd:", 7))
			fputs(line, stdout);
	fclose(f);
	return 0;
}
