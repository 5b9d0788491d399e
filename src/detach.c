// SPDX-License-Identifier: GPL-2.0-or-later
/* Leaving the tracees: stop them, put back every byte, rewind threads that
 * stopped on a trap, let go. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "proc.h"
#include "session.h"
#include "output.h"
#include "trace.h"

/* Is SIG pending for thread TID (its own pending set, /proc's SigPnd)? */
static bool signal_pending(pid_t pid, pid_t tid, int sig)
{
	char path[96], line[128];
	snprintf(path, sizeof(path), "/proc/%d/task/%d/status", (int)pid, (int)tid);
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	bool pending = false;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "SigPnd:", 7)) {
			unsigned long long mask = strtoull(line + 7, NULL, 16);
			pending = mask & (1ULL << (sig - 1));
			break;
		}
	}
	fclose(f);
	return pending;
}

/* If T stopped on one of our traps, move it back onto the breakpoint, so
 * that it runs the original instruction once the byte is back. */
static bool rewind_trap(struct task *t)
{
	if (t->stepping || !t->proc || get_regs(t) != 0)
		return false;
	uint64_t addr = t->regs.rip - ARCH_DECR_PC_AFTER_BREAK;
	struct breakpoint *bp = bp_lookup(&t->proc->bps, addr);
	/* (A return-site trap taken out after this thread executed it: the
	 * thread runs the original byte again, as in on_trap.) */
	if ((!bp || !bp->inserted) && !bp_taken_out(t->proc, addr))
		return false;
	t->regs.rip = addr;
	set_regs(t);
	return true;
}

static void settle_stop(struct task *t, int status)
{
	t->stopped = true;
	t->interrupting = false;
	int sig = WSTOPSIG(status), event = status >> 16;
	if (event == PTRACE_EVENT_CLONE || event == PTRACE_EVENT_FORK ||
	    event == PTRACE_EVENT_VFORK) {
		on_new_child(t, event);
		return;
	}
	if (event == PTRACE_EVENT_EXEC && t->proc) {
		/* A new image: none of our bytes is in it any more. */
		for (size_t i = 0; i < t->proc->bps.cap; i++)
			if (t->proc->bps.slots[i])
				t->proc->bps.slots[i]->inserted = false;
		return;
	}
	if (event || t->new_child) {
		t->new_child = false;
		/* The interrupt can be reported before the SIGTRAP of a trap the
		 * thread has just executed: that signal is still pending and would
		 * kill the thread once we are gone. Let it come, then rewind. */
		if (t->proc && signal_pending(t->proc->pid, t->tid, SIGTRAP) &&
		    ptrace(PTRACE_CONT, t->tid, 0, 0) == 0) {
			int st;
			while (waitpid(t->tid, &st, __WALL) < 0 && errno == EINTR)
				;
			if (WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP && (st >> 16) == 0) {
				if (!rewind_trap(t))
					t->pending_sig = SIGTRAP;
			} else if (WIFSTOPPED(st)) {
				settle_stop(t, st);
			} else {
				t->stopped = false; /* gone */
			}
		}
		return;
	}
	if (sig == SIGTRAP && rewind_trap(t))
		return;
	if (sig != SIGTRAP || !t->stepping)
		t->pending_sig = sig == SIGTRAP && t->stepping ? 0 : sig;
}

/* Is T in a ptrace stop ('t' in /proc/PID/stat)? */
bool task_in_stop(struct task *t)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)t->tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	const char *paren = strrchr(buf, ')');
	return paren && paren[1] == ' ' && paren[2] == 't';
}

/* T is stopped but its stop was reported already: settle it from what
 * ptrace tells of the stop. */
static void settle_silent_stop(struct task *t)
{
	t->stopped = true;
	t->interrupting = false;
	t->new_child = false;
	siginfo_t si;
	if (ptrace(PTRACE_GETSIGINFO, t->tid, 0, &si) != 0)
		return; /* a group-stop or an interrupt: nothing pending */
	if (si.si_signo == SIGTRAP && si.si_code == SI_KERNEL) {
		rewind_trap(t);
		return;
	}
	/* Event stops carry (event << 8) | SIGTRAP; other stops are signals. */
	if (si.si_signo == SIGTRAP && (si.si_code & 0xff) == SIGTRAP)
		return;
	if (si.si_signo != SIGTRAP)
		t->pending_sig = si.si_signo;
}

static bool should_detach(struct task *t, bool all)
{
	return all || (t->proc && t->proc->attached);
}

/* Detach from the tracees (all of them, or only those we attached to with
 * -p). Tasks that cannot stop now (a vfork parent) keep running; the
 * kernel detaches them when we exit, and their bytes are back already. */
void trace_detach(bool all)
{
	detaching = true;
	injection_abort();
	for (size_t i = 0; i < n_all_tasks; i++) {
		struct task *t = all_tasks[i];
		if (!should_detach(t, all) || t->in_vfork)
			continue;
		/* Stopped already: called from a crash handler in the middle of
		 * handling its stop, it may sit just past one of our traps. */
		if (t->stopped) {
			settle_silent_stop(t);
			continue;
		}
		if (ptrace(PTRACE_INTERRUPT, t->tid, 0, 0) == 0)
			t->interrupting = true;
	}
	/* Wait for every interrupted task's stop. Poll, so that a stop whose
	 * report we consumed already (we may be called from a signal handler
	 * that cut the event loop short) cannot make us wait forever: a task
	 * found in a ptrace stop with nothing to report is settled from its
	 * state as it is. */
	unsigned idle = 0;
	for (;;) {
		bool waiting = false;
		for (size_t i = 0; i < n_all_tasks; i++)
			if (should_detach(all_tasks[i], all) &&
			    (all_tasks[i]->interrupting || all_tasks[i]->new_child))
				waiting = true;
		if (!waiting)
			break;
		int status;
		pid_t pid = waitpid(-1, &status, __WALL | WNOHANG);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pid == 0) {
			if (++idle == 20) {
				for (size_t i = 0; i < n_all_tasks; i++) {
					struct task *t = all_tasks[i];
					if (should_detach(t, all) &&
					    (t->interrupting || t->new_child) && task_in_stop(t))
						settle_silent_stop(t);
				}
			}
			if (idle > 5000)
				break; /* 5 s: give up on the rest */
			usleep(1000);
			continue;
		}
		idle = 0;
		struct task *t = task_find(pid);
		if (!t) {
			if (WIFSTOPPED(status)) {
				grow_array((void **)&early_pids, &c_early, n_early + 1,
					   sizeof(*early_pids));
				early_pids[n_early++] = pid;
			}
			continue;
		}
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			on_exit_status(t, status);
			continue;
		}
		if (WIFSTOPPED(status))
			settle_stop(t, status);
	}
	/* Put back the bytes of every address space we leave. */
	for (size_t i = 0; i < n_all_tasks; i++) {
		struct task *t = all_tasks[i];
		if (should_detach(t, all) && t->proc)
			proc_uninsert_all(t->proc);
	}
	for (size_t i = 0; i < n_all_tasks;) {
		struct task *t = all_tasks[i];
		if (!should_detach(t, all)) {
			i++;
			continue;
		}
		if (t->stopped)
			ptrace(PTRACE_DETACH, t->tid, 0, (long)t->pending_sig);
		task_free(t);
	}
	/* New threads whose parent we never heard of again: they have not run. */
	if (all) {
		for (size_t i = 0; i < n_early; i++)
			ptrace(PTRACE_DETACH, early_pids[i], 0, 0);
		n_early = 0;
	}
	detaching = false;
}
