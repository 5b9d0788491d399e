// SPDX-License-Identifier: GPL-2.0-or-later
/* A process that made itself non-dumpable (prctl(PR_SET_DUMPABLE, 0)) keeps
 * its memory closed to a tracer without CAP_SYS_PTRACE: /proc/PID/mem does
 * not open, and process_vm_readv and PTRACE_PEEKDATA/POKEDATA fail as well
 * (the kernel checks dumpability for all of them). Its fork children inherit
 * the flag, and our trap bytes: they could be neither handled nor removed.
 *
 * A /proc/PID/mem descriptor opened while the process is dumpable stays
 * usable, and registers are open to any tracer. So at the first stop of such
 * a child, which is still right after its fork system call, the child runs
 * prctl(PR_SET_DUMPABLE, 1) on the `syscall` instruction it has just
 * returned from (a single-step, no byte written), the file is opened, and
 * prctl(PR_SET_DUMPABLE, 0) puts the flag back; then its registers. The
 * child runs nothing of its own meanwhile. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "nodump.h"
#include "proc.h"
#include "session.h"

/* System call NR(A1, A2) in T, on the syscall instruction at SITE, by one
 * single-step from registers BASE. 0 with its result in *RET; -1 if it
 * could not be run; -2 if T died (*STATUS). Signals that come first are
 * kept for later. */
static int step_syscall(struct task *t, const struct user_regs_struct *base, uint64_t site,
			long nr, long a1, long a2, long *ret, int *status)
{
	t->regs = *base;
	t->regs.rip = site;
	t->regs.rax = (unsigned long long)nr;
	t->regs.orig_rax = ~0ULL; /* no system call to restart */
	t->regs.rdi = (unsigned long long)a1;
	t->regs.rsi = (unsigned long long)a2;
	if (set_regs(t) != 0)
		return -1;
	for (int tries = 0; tries < 16; tries++) {
		if (ptrace(PTRACE_SINGLESTEP, t->tid, 0, 0) != 0)
			return -1;
		pid_t w;
		while ((w = waitpid(t->tid, status, __WALL)) < 0 && errno == EINTR)
			;
		if (w != t->tid)
			return -1;
		if (!WIFSTOPPED(*status))
			return -2;
		int sig = WSTOPSIG(*status);
		if (sig == SIGTRAP && (*status >> 16) == 0) {
			if (get_regs(t) != 0 || t->regs.rip != site + 2)
				return -1;
			*ret = (long)t->regs.rax;
			return 0;
		}
		if ((*status >> 16) == 0)
			t->pending_sig = sig;
	}
	return -1;
}

int nodump_open_mem(struct task *t)
{
	struct process *p = t->proc;
	if (!p || p->memfd >= 0 || (p->mem_errno != EACCES && p->mem_errno != EPERM) ||
	    get_regs(t) != 0)
		return 0;
	struct user_regs_struct saved = t->regs;
	long nr = (long)saved.orig_rax;
	if (nr != SYS_fork && nr != SYS_clone && nr != SYS_vfork && nr != SYS_clone3)
		return 0;
	/* The 2-byte syscall it returned from; not if our trap covers it. */
	uint64_t site = saved.rip - 2;
	struct breakpoint *bp = bp_lookup(&p->bps, site);
	if ((bp && bp->inserted) || task_seccomp_mode(t->tid) != 0)
		return 0;
	long was = -1, r = -1;
	int status = 0;
	int rc = step_syscall(t, &saved, site, SYS_prctl, PR_GET_DUMPABLE, 0, &was, &status);
	if (rc == 0 && was == 0)
		rc = step_syscall(t, &saved, site, SYS_prctl, PR_SET_DUMPABLE, 1, &r, &status);
	if (rc == 0 && was == 0 && r == 0) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/mem", (int)p->pid);
		p->memfd = open(path, O_RDWR | O_CLOEXEC);
		if (p->memfd < 0)
			p->mem_errno = errno;
		rc = step_syscall(t, &saved, site, SYS_prctl, PR_SET_DUMPABLE, 0, &r, &status);
		if (rc == 0 && r != 0)
			rc = -1;
		if (rc == -1)
			error_msg("pid %d: could not make it non-dumpable again", (int)p->pid);
	}
	if (rc == -2) {
		on_exit_status(t, status);
		return -1;
	}
	t->regs = saved;
	set_regs(t);
	return 0;
}
