// SPDX-License-Identifier: GPL-2.0-or-later
/* Running our own code inside a stopped tracee: system calls (the mmap of
 * the scratch pages for out-of-line instructions) and function calls (IFUNC
 * resolvers), and the out-of-line copies themselves. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "proc.h"
#include "session.h"

#include "arch.h"

/* Run code in the stopped task T with registers REGS until it traps at
 * STOP_AT, leaving the final registers in T->regs. Breakpoints met on the
 * way are stepped over without tracing; signals are kept for later. The
 * caller restores T's registers. 0, or -1 when the task did not get there. */
static int run_until(struct task *t, const struct user_regs_struct *regs, uint64_t stop_at)
{
	struct process *p = t->proc;
	t->regs = *regs;
	if (set_regs(t) != 0 || ptrace(PTRACE_CONT, t->tid, 0, 0) != 0)
		return -1;
	for (unsigned guard = 0; guard < 100000; guard++) {
		int status;
		pid_t r = waitpid(t->tid, &status, __WALL);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 || !WIFSTOPPED(status)) {
			errno = ESRCH;
			return -1;
		}
		int sig = WSTOPSIG(status);
		if (sig == SIGTRAP && (status >> 16) == 0 && get_regs(t) == 0) {
			if (t->regs.rip == stop_at)
				return 0;
			uint64_t addr = t->regs.rip - ARCH_DECR_PC_AFTER_BREAK;
			struct breakpoint *bp = bp_lookup(&p->bps, addr);
			struct arch_mem mem = { emu_read, emu_write, p };
			if (bp && bp->inserted) {
				struct user_regs_struct here = t->regs;
				if (bp->emulable && arch_emulate(bp->insn, addr, &t->regs, &mem)) {
					/* done */
				} else if (bp->ool) {
					t->regs = here;
					t->regs.rip = bp->ool;
				} else {
					errno = ENOTSUP;
					return -1;
				}
				set_regs(t);
				ptrace(PTRACE_CONT, t->tid, 0, 0);
				continue;
			}
		}
		/* Another signal meanwhile: deliver it later. */
		if ((status >> 16) == 0 && sig != SIGTRAP)
			t->pending_sig = sig;
		ptrace(PTRACE_CONT, t->tid, 0, 0);
	}
	return -1;
}

/* The injection in progress, so that leaving in its middle (a crash
 * handler) can put the task's registers and the overwritten bytes back. */
static struct {
	bool active;
	struct task *t;
	struct user_regs_struct regs;
	uint64_t site;
	unsigned char bytes[16];
	size_t len;
} injection;

static void injection_begin(struct task *t, uint64_t site, const unsigned char *saved,
			    size_t len)
{
	injection.t = t;
	injection.regs = t->regs;
	injection.site = site;
	memcpy(injection.bytes, saved, len);
	injection.len = len;
	injection.active = true;
}

/* Undo an injection cut short: stop the task, give it back its own
 * registers and the program its bytes. */
void injection_abort(void)
{
	if (!injection.active)
		return;
	injection.active = false;
	struct task *t = injection.t;
	if (!task_find(t->tid))
		return;
	ptrace(PTRACE_INTERRUPT, t->tid, 0, 0);
	for (int i = 0; i < 1000; i++) {
		int status;
		pid_t r = waitpid(t->tid, &status, __WALL | WNOHANG);
		if (r == t->tid || (r < 0 && errno != EINTR))
			break;
		if (task_in_stop(t))
			break;
		usleep(1000);
	}
	proc_write(t->proc, injection.site, injection.bytes, injection.len);
	t->regs = injection.regs;
	set_regs(t);
	t->stopped = true;
	t->interrupting = false;
}

/* Where injected code may run: the program's entry point, which never
 * runs again once the program has started. */
static uint64_t injection_site(struct process *p)
{
	struct library *main_lib = proc_main_library(p);
	return main_lib ? main_lib->elf->entry + main_lib->bias : 0;
}

/* Run a system call in the stopped task T ("syscall; int3" over the entry
 * point), then put back its registers and those bytes. Returns the call's
 * result, or -1 with errno set. */
static long inject_syscall(struct task *t, long nr, const uint64_t args[6])
{
	struct process *p = t->proc;
	uint64_t site = injection_site(p);
	unsigned char code[16], saved[16];
	size_t len = arch_syscall_trap(code);
	if (!site || proc_read(p, site, saved, len) != 0 || proc_write(p, site, code, len) != 0)
		return -1;
	struct user_regs_struct orig = t->regs, regs = t->regs;
	injection_begin(t, site, saved, len);
	arch_set_syscall(&regs, site, nr, args);
	long result = run_until(t, &regs, site + len) == 0 ? (long)t->regs.rax : -1;
	proc_write(p, site, saved, len);
	t->regs = orig;
	set_regs(t);
	injection.active = false;
	if (result < 0 && result > -4096) {
		errno = (int)-result;
		result = -1;
	}
	return result;
}

/* Call FN() in the stopped task T and return what it returns (an IFUNC
 * resolver: it picks the implementation for this CPU). 0 on failure. */
uint64_t inject_call(struct task *t, uint64_t fn)
{
	struct process *p = t->proc;
	uint64_t site = injection_site(p);
	unsigned char trap = ARCH_TRAP_BYTE, saved;
	if (!site || proc_read(p, site, &saved, 1) != 0 || proc_write(p, site, &trap, 1) != 0)
		return 0;
	struct user_regs_struct orig = t->regs, regs = t->regs;
	injection_begin(t, site, &saved, 1);
	/* Below the red zone, aligned as at a call, returning onto the trap. */
	regs.rsp = ((orig.rsp - 1024) & ~(uint64_t)15) - 8;
	uint64_t result = 0;
	if (proc_write(p, regs.rsp, &site, 8) == 0) {
		regs.rip = fn;
		regs.rdi = 0;
		regs.rsi = 0;
		regs.rax = 0;
		regs.orig_rax = (uint64_t)-1;
		if (run_until(t, &regs, site + 1) == 0)
			result = t->regs.rax;
	}
	proc_write(p, site, &saved, 1);
	t->regs = orig;
	set_regs(t);
	injection.active = false;
	return result;
}

#define POOL_SIZE 65536
#define REACH ((int64_t)1 << 31)

/* LEN bytes of executable scratch memory in T's address space, within
 * reach of a RIP-relative displacement from NEAR (when NEAR is not 0). */
static uint64_t scratch_alloc(struct task *t, uint64_t near, size_t len)
{
	struct process *p = t->proc;
	for (size_t i = 0; i < p->npools; i++) {
		struct scratch *s = &p->pools[i];
		if (s->used + len > s->size)
			continue;
		int64_t d = (int64_t)(s->base + s->used) - (int64_t)near;
		if (near && (d > REACH - POOL_SIZE || d < -REACH + POOL_SIZE))
			continue;
		uint64_t at = s->base + s->used;
		s->used += len;
		return at;
	}
	uint64_t hint = near > 0x20000000 ? (near - 0x10000000) & ~(uint64_t)0xffff : 0;
	uint64_t args[6] = { hint, POOL_SIZE, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS,
			     (uint64_t)-1, 0 };
	long base = inject_syscall(t, SYS_mmap, args);
	if (base == -1 || base == 0)
		return 0;
	grow_array((void **)&p->pools, &p->cpools, p->npools + 1, sizeof(*p->pools));
	p->pools[p->npools++] = (struct scratch){ (uint64_t)base, 0, POOL_SIZE };
	debug(DEBUG_PROCESS, "scratch pool at %#lx in %d", base, (int)p->pid);
	int64_t d = base - (int64_t)near;
	if (near && (d > REACH - POOL_SIZE || d < -REACH + POOL_SIZE))
		return 0;
	p->pools[p->npools - 1].used = len;
	return (uint64_t)base;
}

/* Give BP an out-of-line copy of its instruction, so that threads step
 * past it without the trap byte ever being taken out. */
void prepare_out_of_line(struct task *t, struct breakpoint *bp)
{
	bp->ool_tried = true;
	unsigned char code[ARCH_DISPLACED_MAX];
	if (arch_displace(bp->insn, bp->addr, 0, code) == 0)
		return; /* cannot be moved at all */
	/* The bytes changed since a copy was made (bp_refresh): rewrite it in
	 * its slot when no other thread can be running the old one, and when
	 * the slot is within reach of the new instruction's operand. */
	uint64_t slot = t->proc->ntasks == 1 ? bp->ool_slot : 0;
	int n = slot ? arch_displace(bp->insn, bp->addr, slot, code) : -1;
	if (n < 0) {
		uint64_t near = arch_displace_needs_near(bp->insn) ? bp->addr : 0;
		slot = scratch_alloc(t, near, ARCH_DISPLACED_MAX);
		if (!slot)
			return;
		n = arch_displace(bp->insn, bp->addr, slot, code);
	}
	bp->ool_slot = slot;
	if (n > 0 && proc_write(t->proc, slot, code, (size_t)n) == 0)
		bp->ool = slot;
}
