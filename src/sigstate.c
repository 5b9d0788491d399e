// SPDX-License-Identifier: GPL-2.0-or-later
/* Inherited signal dispositions and mask, kept for the launched program.
 * The kernel's rt_sigaction and rt_sigprocmask are called directly: the C
 * library hides the signals it reserves for itself (32 and 33 with glibc)
 * from its wrappers, and the program must get those back as well. */
#include "config.h"

#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sigstate.h"

#define KSIG_MAX 64

/* The kernel's struct sigaction on x86-64 (and the other 64-bit ports
 * that have sa_restorer). */
struct ksigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};

static uint64_t ignored, blocked;

static int ksigaction(int sig, const struct ksigaction *act, struct ksigaction *old)
{
	return (int)syscall(SYS_rt_sigaction, sig, act, old, sizeof(uint64_t));
}

void sigstate_save(void)
{
	for (int sig = 1; sig <= KSIG_MAX; sig++) {
		struct ksigaction old;
		if (ksigaction(sig, NULL, &old) == 0 && old.handler == SIG_IGN)
			ignored |= 1ULL << (sig - 1);
	}
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &blocked, sizeof(blocked));
	if (ignored & (1ULL << (SIGCHLD - 1))) {
		struct ksigaction dfl;
		memset(&dfl, 0, sizeof(dfl));
		dfl.handler = SIG_DFL;
		ksigaction(SIGCHLD, &dfl, NULL);
	}
}

void sigstate_restore(void)
{
	for (int sig = 1; sig <= KSIG_MAX; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		struct ksigaction act;
		memset(&act, 0, sizeof(act));
		act.handler = ignored & (1ULL << (sig - 1)) ? SIG_IGN : SIG_DFL;
		ksigaction(sig, &act, NULL);
	}
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &blocked, NULL, sizeof(blocked));
}
