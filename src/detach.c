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
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "events.h"
#include "nodump.h"
#include "proc.h"
#include "session.h"
#include "slowcall.h"
#include "output.h"
#include "trace.h"

/* Leaving takes at most this long, however many events the tracees make
 * meanwhile (a program creating threads as fast as it can): then we let go
 * of what we have. */
#define DETACH_LIMIT_NS (5 * 1000000000LL)
/* How often tasks that stopped without a report are looked for. */
#define SILENT_SCAN_NS (20 * 1000000LL)

static struct timespec detach_start;

static long long ns_since(const struct timespec *a)
{
	struct timespec b;
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (b.tv_sec - a->tv_sec) * 1000000000LL + (b.tv_nsec - a->tv_nsec);
}

static bool past_deadline(void)
{
	return ns_since(&detach_start) > DETACH_LIMIT_NS;
}

/* waitpid for TID alone, polling, until the deadline. */
static pid_t wait_task_bounded(pid_t tid, int *status)
{
	for (;;) {
		pid_t r = waitpid(tid, status, __WALL | WNOHANG);
		if (r != 0 && !(r < 0 && errno == EINTR))
			return r;
		if (past_deadline())
			return 0;
		usleep(100);
	}
}

/* Is SIG pending for thread TID (its own pending set, /proc's SigPnd) and
 * not blocked (SigBlk), so that it comes as soon as the thread runs? A trap
 * unblocks its SIGTRAP; one the program sent itself and blocks is its own
 * business and would never come. */
static bool signal_pending(pid_t pid, pid_t tid, int sig)
{
	char path[96], line[128];
	snprintf(path, sizeof(path), "/proc/%d/task/%d/status", (int)pid, (int)tid);
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	bool pending = false, blocked = false;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long bit = 1ULL << (sig - 1);
		if (!strncmp(line, "SigPnd:", 7))
			pending = strtoull(line + 7, NULL, 16) & bit;
		else if (!strncmp(line, "SigBlk:", 7))
			blocked = strtoull(line + 7, NULL, 16) & bit;
	}
	fclose(f);
	return pending && !blocked;
}

/* If T stopped on one of our traps, move it back onto the breakpoint, so
 * that it runs the original instruction once the byte is back. */
static bool rewind_trap(struct task *t)
{
	if (!t->proc || get_regs(t) != 0)
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

static void settle_stop(struct task *t, int status);

/* T is in an event or interrupt stop. The interrupt can come before the
 * SIGTRAP of a trap the thread has just executed: that signal is still
 * pending and would kill the thread once we are gone. Let it come, then
 * rewind. */
static void take_pending_trap(struct task *t)
{
	if (!t->proc || !signal_pending(t->tgid, t->tid, SIGTRAP) ||
	    ptrace(PTRACE_CONT, t->tid, 0, 0) != 0)
		return;
	int st = 0;
	if (wait_task_bounded(t->tid, &st) != t->tid) {
		t->stopped = false; /* running, or gone */
	} else if (WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP && (st >> 16) == 0) {
		if (!rewind_trap(t))
			t->pending_sig = SIGTRAP;
	} else if (WIFSTOPPED(st)) {
		settle_stop(t, st);
	} else {
		t->stopped = false; /* gone */
	}
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
		/* A fork child of a non-dumpable process: its memory, to clean. */
		if (t->new_child && nodump_open_mem(t) != 0)
			return; /* it died meanwhile */
		t->new_child = false;
		take_pending_trap(t);
		return;
	}
	if (sig == SIGTRAP && rewind_trap(t))
		return;
	t->pending_sig = sig;
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
	if (ptrace(PTRACE_GETSIGINFO, t->tid, 0, &si) != 0) {
		take_pending_trap(t); /* a group-stop */
		return;
	}
	if (si.si_signo == SIGTRAP && si.si_code == SI_KERNEL) {
		rewind_trap(t);
		return;
	}
	/* Event stops carry (event << 8) | SIGTRAP; other stops are signals. A
	 * thread or child it has just created is ours to let go of too. */
	if (si.si_signo == SIGTRAP && (si.si_code & 0xff) == SIGTRAP) {
		int event = si.si_code >> 8;
		if (event == PTRACE_EVENT_CLONE || event == PTRACE_EVENT_FORK ||
		    event == PTRACE_EVENT_VFORK)
			on_new_child(t, event);
		else
			take_pending_trap(t);
		return;
	}
	if (si.si_signo != SIGTRAP)
		t->pending_sig = si.si_signo;
}

static bool should_detach(struct task *t, bool all)
{
	return all || (t->proc && t->proc->attached);
}

/* Tasks we wait for that are in a ptrace stop without a report for us
 * (consumed already): settle them as they are. Done at intervals, events
 * or not, so that a stream of other tasks' events cannot hold it off. */
static void settle_silent_stops(bool all)
{
	for (size_t i = 0; i < n_all_tasks; i++) {
		struct task *t = all_tasks[i];
		if (should_detach(t, all) && (t->interrupting || t->new_child) &&
		    task_in_stop(t))
			settle_silent_stop(t);
	}
}

/* A stop reported by waitpid. The report of a stop settled silently
 * already may still come: only a new child it announces is news then. */
static void settle_reported_stop(struct task *t, int status)
{
	int event = status >> 16;
	if (t->stopped && !t->interrupting && !t->new_child) {
		if (event == PTRACE_EVENT_CLONE || event == PTRACE_EVENT_FORK ||
		    event == PTRACE_EVENT_VFORK)
			on_new_child(t, event);
		return;
	}
	settle_stop(t, status);
}

/* Thread group and parent of PID from /proc/PID/status (0 when unknown). */
static void ids_of(pid_t pid, pid_t *tgid, pid_t *ppid)
{
	char path[64], line[128];
	*tgid = *ppid = 0;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Tgid:", 5))
			*tgid = (pid_t)atoi(line + 5);
		else if (!strncmp(line, "PPid:", 5))
			*ppid = (pid_t)atoi(line + 5);
	}
	fclose(f);
}

/* A new process whose fork event never came: its memory is a copy of its
 * parent's, trap bytes included. Give it the original bytes. */
static void clean_early_child(pid_t pid, struct process *parent)
{
	struct process *c = proc_new(pid);
	for (size_t i = 0; i < parent->bps.cap; i++) {
		struct breakpoint *bp = parent->bps.slots[i];
		if (bp && bp->inserted)
			proc_write(c, bp->addr, bp->insn, 1);
	}
	proc_free(c);
}

/* Tasks that stopped but whose parent's clone or fork event did not come in
 * time (they have not run yet): those of the processes we leave are taken
 * out of the early list, fork children cleaned of our bytes (threads get
 * them back with their process), and returned (count in *N) to be let go
 * once the bytes are back. Call while the processes are still known. */
static pid_t *take_early(bool all, size_t *n)
{
	*n = 0;
	/* Usually none: then no allocation (we may be in the crash handler). */
	if (!n_early)
		return NULL;
	pid_t *go = xcalloc(n_early + 1, sizeof(*go));
	for (size_t i = 0; i < n_early;) {
		pid_t pid = early_pids[i], tgid, ppid;
		ids_of(pid, &tgid, &ppid);
		struct task *owner = task_find(tgid == pid ? ppid : tgid);
		if (!all && !(owner && should_detach(owner, all))) {
			i++;
			continue;
		}
		if (tgid == pid && owner && owner->proc)
			clean_early_child(pid, owner->proc);
		go[(*n)++] = pid;
		early_pids[i] = early_pids[--n_early];
	}
	return go;
}

/* Detach from the tracees (all of them, or only those we attached to with
 * -p). Tasks that cannot stop now (a vfork parent) keep running; the
 * kernel detaches them when we exit, and their bytes are back already. */
void trace_detach(bool all)
{
	detaching = true;
	clock_gettime(CLOCK_MONOTONIC, &detach_start);
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
	struct timespec last_scan = detach_start;
	/* Statuses of tasks we stay with (launched ones, when only the
	 * attached are left): the event loop handles them afterwards. */
	struct { pid_t pid; int status; } *kept = NULL;
	size_t nkept = 0, ckept = 0;
	for (;;) {
		bool waiting = false;
		for (size_t i = 0; i < n_all_tasks; i++)
			if (should_detach(all_tasks[i], all) &&
			    (all_tasks[i]->interrupting || all_tasks[i]->new_child))
				waiting = true;
		if (!waiting || past_deadline())
			break; /* all stopped, or give up on the rest */
		if (ns_since(&last_scan) > SILENT_SCAN_NS) {
			settle_silent_stops(all);
			clock_gettime(CLOCK_MONOTONIC, &last_scan);
		}
		int status;
		pid_t pid = wait_poll(&status);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pid == 0) {
			usleep(1000);
			continue;
		}
		struct task *t = task_find(pid);
		if (!t) {
			if (WIFSTOPPED(status)) {
				grow_array((void **)&early_pids, &c_early, n_early + 1,
					   sizeof(*early_pids));
				early_pids[n_early++] = pid;
			}
			continue;
		}
		if (!should_detach(t, all)) {
			grow_array((void **)&kept, &ckept, nkept + 1, sizeof(*kept));
			kept[nkept].pid = pid;
			kept[nkept++].status = status;
			continue;
		}
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			on_exit_status(t, status);
			continue;
		}
		if (WIFSTOPPED(status))
			settle_reported_stop(t, status);
	}
	for (size_t i = 0; i < nkept; i++)
		events_defer(kept[i].pid, kept[i].status);
	free(kept);
	size_t n_go;
	pid_t *go = take_early(all, &n_go);
	/* Put back the bytes of every address space we leave, then unmap our
	 * scratch pages there (once per process). */
	for (size_t i = 0; i < n_all_tasks; i++) {
		struct task *t = all_tasks[i];
		if (should_detach(t, all) && t->proc)
			proc_uninsert_all(t->proc);
	}
	/* (Not from the crash handler: the injection reads /proc through stdio,
	 * and the crash may have come inside malloc. The pages stay then.) */
	for (size_t i = 0; i < n_all_tasks && !crashing; i++) {
		struct task *t = all_tasks[i];
		if (should_detach(t, all) && t->proc && t->stopped)
			scratch_release(t);
	}
	for (size_t i = 0; i < n_all_tasks;) {
		struct task *t = all_tasks[i];
		if (!should_detach(t, all)) {
			i++;
			continue;
		}
		/* Its open calls will not be seen to return: held ones (--min-duration,
		 * --json) are written now (not from the crash handler: that allocates),
		 * an open left part ends "<unfinished ...>". */
		if (!crashing)
			slowcall_abandon(t, true);
		if (t->stopped)
			ptrace(PTRACE_DETACH, t->tid, 0, (long)t->pending_sig);
		if (!t->ignored)
			out_detached(t);
		task_free(t);
	}
	for (size_t i = 0; i < n_go; i++)
		ptrace(PTRACE_DETACH, go[i], 0, 0);
	free(go);
	detaching = false;
}
