// SPDX-License-Identifier: GPL-2.0-or-later
/* The last way past a breakpoint: the original byte put back and one
 * single-step, with every other task of the address space held in a stop
 * meanwhile, so that none can run through the missing trap or put one of
 * ours back under the stepping task's feet.
 *
 * Used only for what can be neither emulated nor run out of line (an
 * instruction the decoder does not know, or a RIP-relative one where no
 * scratch page can be had: a seccomp sandbox, a refused mmap). Everything
 * happens here, synchronously: stops of other tasks that come while we
 * hold them, and their deaths, are kept for the event loop (events_defer)
 * in the order they came. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#include "common.h"
#include "events.h"
#include "proc.h"
#include "session.h"

/* How a held task goes on afterwards. */
enum held { NOT_HELD, HELD_RESUME, HELD_LISTEN };

static int wait_task(pid_t tid, int *status)
{
	pid_t r;
	while ((r = waitpid(tid, status, __WALL)) < 0 && errno == EINTR)
		;
	return r == tid ? 0 : -1;
}

/* Stop U (not stopped as far as we know) and say how to let it go again. */
static enum held hold(struct task *u)
{
	if (u->stopped || u->new_child || u->in_vfork || events_deferred(u->tid))
		return NOT_HELD; /* cannot run our code now anyway */
	if (ptrace(PTRACE_INTERRUPT, u->tid, 0, 0) != 0)
		return NOT_HELD; /* gone */
	int status;
	if (wait_task(u->tid, &status) != 0)
		return NOT_HELD;
	if (WIFSTOPPED(status) && (status >> 16) == PTRACE_EVENT_STOP) {
		int sig = WSTOPSIG(status);
		/* A group-stopped task (PTRACE_LISTEN) stays in its group-stop. */
		bool group = sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
		return group ? HELD_LISTEN : HELD_RESUME;
	}
	/* Some other stop (a trap, a signal, an event) or its death, which
	 * came first: the event loop handles it once we are done. The
	 * interrupt's own stop follows later and is passed over there. */
	events_defer(u->tid, status);
	return NOT_HELD;
}

static void release(struct task *u, enum held how)
{
	if (how == HELD_LISTEN) {
		ptrace(PTRACE_LISTEN, u->tid, 0, 0);
	} else if (how == HELD_RESUME) {
		u->stopped = true;
		resume(u, 0);
	}
}

/* Is the SIGTRAP stop of T the end of its single-step (not a trap of the
 * program's own instruction)? */
static bool step_trap(struct task *t, uint64_t addr)
{
	siginfo_t si;
	if (ptrace(PTRACE_GETSIGINFO, t->tid, 0, &si) != 0)
		return true;
	/* int3/int1 of the program itself come as SI_KERNEL at the next
	 * instruction; the step as a trace trap. */
	return si.si_code != SI_KERNEL || get_regs(t) != 0 || t->regs.rip != addr + 1;
}

bool step_alone(struct task *t, struct breakpoint *bp, uint64_t addr)
{
	struct process *p = t->proc;
	size_t n = p->ntasks;
	struct task **held_tasks = xcalloc(n ? n : 1, sizeof(*held_tasks));
	enum held *how = xcalloc(n ? n : 1, sizeof(*how));
	size_t nheld = 0;
	for (size_t i = 0; i < n; i++) {
		struct task *u = p->tasks[i];
		if (u == t)
			continue;
		enum held h = hold(u);
		if (h != NOT_HELD) {
			held_tasks[nheld] = u;
			how[nheld++] = h;
		}
	}
	debug(DEBUG_FUNCTION, "single-stepping %d at %#llx, %zu tasks held", (int)t->tid,
	      (unsigned long long)addr, nheld);

	bool rearm = true, stays = false;
	t->regs.rip = addr;
	set_regs(t);
	bp_uninsert(p, bp);
	/* Bounded: a task that cannot make its step (a group-stop pending, a
	 * signal raised again and again) is given back to the event loop at
	 * the breakpoint, where it traps again, rather than held here. */
	for (unsigned tries = 0;; tries++) {
		if (tries == 64) {
			t->regs.rip = addr;
			set_regs(t);
			break;
		}
		int status;
		if (ptrace(PTRACE_SINGLESTEP, t->tid, 0, 0) != 0 || wait_task(t->tid, &status) != 0) {
			stays = true; /* gone: its death is reported to the loop */
			break;
		}
		if (!WIFSTOPPED(status)) {
			events_defer(t->tid, status);
			stays = true;
			break;
		}
		int sig = WSTOPSIG(status), event = status >> 16;
		if (event == 0 && sig == SIGTRAP) {
			if (!step_trap(t, addr))
				t->pending_sig = SIGTRAP;
			break;
		}
		if (event == PTRACE_EVENT_STOP)
			continue;
		if (event) {
			/* The instruction was a system call that forked, cloned or
			 * exec'd: it has run. The loop handles the event; an exec
			 * left none of our bytes to put back. */
			events_defer(t->tid, status);
			rearm = event != PTRACE_EVENT_EXEC;
			stays = true;
			break;
		}
		/* A signal before the instruction ran: delivered when the task
		 * goes on, after it. */
		if (!t->pending_sig)
			t->pending_sig = sig;
	}
	if (rearm && bp_insert(p, bp) != 0)
		debug(DEBUG_PROCESS, "cannot put the breakpoint at %#llx back",
		      (unsigned long long)addr);
	for (size_t i = 0; i < nheld; i++)
		release(held_tasks[i], how[i]);
	free(held_tasks);
	free(how);
	if (stays) {
		t->stopped = false; /* its next report comes from the loop */
		return false;
	}
	t->stopped = true;
	return true;
}
