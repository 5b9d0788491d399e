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
#include "events.h"
#include "proc.h"
#include "session.h"

#include "arch.h"

/* How long code of ours may run in the tracee: resolvers and system calls
 * return at once, but the tracee's code (a resolver) may never return. */
#define INJECT_TIMEOUT_MS 3000

static long ms_since(const struct timespec *t0)
{
	struct timespec t;
	now(&t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* waitpid for TID, at most until LIMIT_MS after T0 and, if LEAVING_STOPS,
 * while no signal asks us to leave: polled, with sleeps growing from 50 us
 * to 5 ms (an injection is rare; its stop comes within microseconds). 0
 * when it timed out or we are leaving. */
static pid_t wait_bounded(pid_t tid, int *status, const struct timespec *t0, long limit_ms,
			  bool leaving_stops)
{
	long sleep_us = 50;
	for (;;) {
		pid_t r = waitpid(tid, status, __WALL | WNOHANG);
		if (r != 0 && !(r < 0 && errno == EINTR))
			return r;
		if ((leaving_stops && leave_pending()) || ms_since(t0) >= limit_ms)
			return 0;
		usleep((useconds_t)sleep_us);
		if (sleep_us < 5000)
			sleep_us *= 2;
	}
}

/* Code of ours in T did not end in time (or we are leaving): stop T where
 * it is, so that the caller can put its registers and bytes back. A
 * signal that stops it meanwhile is kept for it. */
static void stop_injected(struct task *t, const char *what)
{
	if (!leave_pending())
		error_msg("warning: pid %d: %s did not return within %d s: stopped, and the "
			  "task's registers put back", (int)t->tid, what, INJECT_TIMEOUT_MS / 1000);
	ptrace(PTRACE_INTERRUPT, t->tid, 0, 0);
	struct timespec t0;
	now(&t0);
	int status;
	pid_t r = wait_bounded(t->tid, &status, &t0, 1000, false);
	if (r == t->tid && !WIFSTOPPED(status))
		events_defer(r, status);
	else if (r == t->tid && (status >> 16) == 0 && WSTOPSIG(status) != SIGTRAP)
		t->pending_sig = WSTOPSIG(status);
}

/* Run code in the stopped task T with registers REGS until it traps at
 * STOP_AT, leaving the final registers in T->regs. Breakpoints met on the
 * way are stepped over without tracing; signals are kept for later, but a
 * SIGSYS that a seccomp filter raised for code of ours at SITE is not the
 * program's and is dropped. The task's death is left for the event loop to
 * reap. Bounded in time (WHAT says what runs, for the message): T is then
 * stopped where it is. The caller restores T's registers. 0, or -1 when
 * the task did not get there. */
static int run_until(struct task *t, const struct user_regs_struct *regs, uint64_t site,
		     uint64_t stop_at, const char *what)
{
	struct process *p = t->proc;
	t->regs = *regs;
	if (set_regs(t) != 0 || ptrace(PTRACE_CONT, t->tid, 0, 0) != 0)
		return -1;
	struct timespec t0;
	now(&t0);
	for (unsigned guard = 0; guard < 100000; guard++) {
		int status;
		pid_t r = wait_bounded(t->tid, &status, &t0, INJECT_TIMEOUT_MS, true);
		if (r == 0) {
			stop_injected(t, what);
			errno = ETIMEDOUT;
			return -1;
		}
		if (r < 0 || !WIFSTOPPED(status)) {
			if (r == t->tid)
				events_defer(r, status);
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
		if (sig == SIGSYS && (status >> 16) == 0) {
			siginfo_t si;
			if (ptrace(PTRACE_GETSIGINFO, t->tid, 0, &si) == 0 && si.si_code == 1 /* SYS_SECCOMP */ &&
			    (uint64_t)(uintptr_t)si.si_call_addr >= site &&
			    (uint64_t)(uintptr_t)si.si_call_addr <= stop_at) {
				errno = EPERM;
				return -1;
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

/* May we make system calls the program never made in T? Not under a
 * seccomp filter (it may kill the program, send it a SIGSYS, fail the
 * call or hand it to a supervisor) nor in strict mode. Filters belong to
 * threads and are added at any time: asked anew every time. */
static bool syscalls_allowed(struct task *t)
{
	int mode = task_seccomp_mode(t->tid);
	if (mode == 0)
		return true;
	if (mode > 0 && !t->proc->no_inject_told) {
		t->proc->no_inject_told = true;
		error_msg("warning: pid %d runs under a seccomp filter: ltrace makes no system "
			  "call in it; instructions it cannot emulate are stepped with the other "
			  "threads stopped", (int)t->proc->pid);
	}
	return false;
}

/* Run a system call in the stopped task T ("syscall; int3" over the entry
 * point), then put back its registers and those bytes. Returns the call's
 * result, or -1 with errno set. */
static long inject_syscall(struct task *t, long nr, const uint64_t args[6])
{
	struct process *p = t->proc;
	if (!syscalls_allowed(t)) {
		errno = EPERM;
		return -1;
	}
	uint64_t site = injection_site(p);
	unsigned char code[16], saved[16];
	size_t len = arch_syscall_trap(code);
	if (!site || proc_read(p, site, saved, len) != 0 || proc_write(p, site, code, len) != 0)
		return -1;
	struct user_regs_struct orig = t->regs, regs = t->regs;
	injection_begin(t, site, saved, len);
	arch_set_syscall(&regs, site, nr, args);
	long result = run_until(t, &regs, site, site + len, "a system call of ours") == 0 ?
			      (long)t->regs.rax : -1;
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
		char what[64];
		snprintf(what, sizeof(what), "the IFUNC resolver at %#llx", (unsigned long long)fn);
		if (run_until(t, &regs, site, site + 1, what) == 0)
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
/* Kept free around a pool: no neighbour grows into it, nor it into them. */
#define POOL_PAD 0x10000
#define LOWEST_MAP 0x10000ULL        /* vm.mmap_min_addr's default */
#define HIGHEST_MAP 0x7ffffffff000ULL /* the 47-bit user address space */

static bool in_reach(uint64_t at, uint64_t near)
{
	int64_t d = (int64_t)(at - near);
	return !near || (d < REACH - 2 * POOL_SIZE && d > -REACH + 2 * POOL_SIZE);
}

/* A free place for a pool in PID's address space within reach of NEAR:
 * right below the nearest mapping under NEAR that has room (nothing grows
 * up into it there), else as high as reach allows in a gap above (far from
 * a heap that grows up). 0 if there is none. */
static uint64_t free_area_near(pid_t pid, uint64_t near)
{
	char path[64], line[512];
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	uint64_t prev_end = LOWEST_MAP, below = 0, above = 0;
	bool done = false;
	while (!done) {
		unsigned long long start = HIGHEST_MAP, end = HIGHEST_MAP;
		if (!fgets(line, sizeof(line), f) || sscanf(line, "%llx-%llx", &start, &end) != 2) {
			start = end = HIGHEST_MAP;
			done = true;
		}
		/* The gap [prev_end, start). */
		if (start > prev_end && start - prev_end >= POOL_SIZE + 2 * POOL_PAD) {
			uint64_t hi = (start - POOL_PAD - POOL_SIZE) & ~(uint64_t)0xffff;
			uint64_t lo = (prev_end + POOL_PAD + 0xffff) & ~(uint64_t)0xffff;
			if (hi >= lo && hi <= near && in_reach(hi, near))
				below = hi; /* the last one below NEAR is the nearest */
			uint64_t top = near + (uint64_t)REACH - 4 * POOL_SIZE;
			uint64_t at = (hi < top ? hi : top) & ~(uint64_t)0xffff;
			if (!above && at >= lo && at > near && in_reach(at, near))
				above = at;
		}
		if (end > prev_end)
			prev_end = end;
	}
	fclose(f);
	return below ? below : above;
}

/* LEN bytes of executable scratch memory in T's address space, within
 * reach of a RIP-relative displacement from NEAR (when NEAR is not 0). */
static uint64_t scratch_alloc(struct task *t, uint64_t near, size_t len)
{
	struct process *p = t->proc;
	for (size_t i = 0; i < p->npools; i++) {
		struct scratch *s = &p->pools[i];
		if (s->used + len > s->size || !in_reach(s->base + s->used, near))
			continue;
		uint64_t at = s->base + s->used;
		s->used += len;
		return at;
	}
	/* One pool per region of code: where its copies can reach. */
	uint64_t want = near ? free_area_near(p->pid, near) : 0;
	if (near && !want)
		return 0;
	uint64_t args[6] = { want, POOL_SIZE, PROT_READ | PROT_EXEC,
			     MAP_PRIVATE | MAP_ANONYMOUS | (want ? MAP_FIXED_NOREPLACE : 0),
			     (uint64_t)-1, 0 };
	long base = inject_syscall(t, SYS_mmap, args);
	/* Whatever came back must look like a fresh mapping (an old kernel may
	 * take the address as a mere hint), or it is not one of ours. */
	if (base == -1 || base == 0 || (base & 0xfff) || (uint64_t)base >= HIGHEST_MAP) {
		debug(DEBUG_PROCESS, "no scratch pool near %#llx in %d: %s",
		      (unsigned long long)near, (int)p->pid, base == -1 ? strerror(errno) : "bad address");
		return 0;
	}
	grow_array((void **)&p->pools, &p->cpools, p->npools + 1, sizeof(*p->pools));
	p->pools[p->npools++] = (struct scratch){ (uint64_t)base, 0, POOL_SIZE };
	debug(DEBUG_PROCESS, "scratch pool at %#lx in %d", base, (int)p->pid);
	if (!in_reach((uint64_t)base, near))
		return 0;
	p->pools[p->npools - 1].used = len;
	return (uint64_t)base;
}

/* Is ADDR in one of P's pools? */
static bool in_pools(const struct process *p, uint64_t addr)
{
	for (size_t i = 0; i < p->npools; i++)
		if (addr >= p->pools[i].base && addr < p->pools[i].base + p->pools[i].size)
			return true;
	return false;
}

/* Move a task stopped inside an out-of-line copy back to the program's own
 * code, where it does the same. False when it cannot be. */
static bool leave_copy(struct task *u)
{
	struct process *p = u->proc;
	if (!in_pools(p, u->regs.rip))
		return true;
	for (size_t i = 0; i < p->bps.cap; i++) {
		struct breakpoint *bp = p->bps.slots[i];
		if (bp && bp->ool && u->regs.rip >= bp->ool && u->regs.rip < bp->ool + ARCH_DISPLACED_MAX)
			return arch_displaced_rewind(bp->insn, bp->addr, bp->ool, &u->regs) &&
			       set_regs(u) == 0;
	}
	return false;
}

/* Give the stopped process of T back the address space it had: no task
 * may be left inside a pool, then the pools are unmapped. Every task of
 * the process must be stopped, and its registers current. */
void scratch_release(struct task *t)
{
	struct process *p = t->proc;
	if (!p || !p->npools)
		return;
	for (size_t i = 0; i < p->ntasks; i++) {
		struct task *u = p->tasks[i];
		if (!u->stopped || get_regs(u) != 0 || !leave_copy(u)) {
			debug(DEBUG_PROCESS, "pid %d: a task may be in the scratch pages: kept",
			      (int)p->pid);
			return;
		}
	}
	/* The registers of T were just read: keep them for the injection. */
	for (size_t i = 0; i < p->npools; i++) {
		uint64_t args[6] = { p->pools[i].base, p->pools[i].size, 0, 0, 0, 0 };
		if (inject_syscall(t, SYS_munmap, args) != 0)
			debug(DEBUG_PROCESS, "munmap of pool %#llx: %s",
			      (unsigned long long)p->pools[i].base, strerror(errno));
	}
	p->npools = 0;
	for (size_t i = 0; i < p->bps.cap; i++)
		if (p->bps.slots[i]) {
			p->bps.slots[i]->ool = 0;
			p->bps.slots[i]->ool_tried = false;
			p->bps.slots[i]->ool_slot = 0;
		}
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
		uint64_t near = arch_displace_near(bp->insn, bp->addr);
		slot = scratch_alloc(t, near, ARCH_DISPLACED_MAX);
		if (!slot)
			return;
		n = arch_displace(bp->insn, bp->addr, slot, code);
	}
	bp->ool_slot = slot;
	if (n > 0 && proc_write(t->proc, slot, code, (size_t)n) == 0)
		bp->ool = slot;
}
