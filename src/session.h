/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the parts of the tracing session share (trace.c: breakpoints and the
 * event loop; launch.c: starting; inject.c: code run inside the tracee;
 * detach.c: leaving). Internal to the engine. */
#ifndef LTRACE_SESSION_H
#define LTRACE_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <time.h>

struct breakpoint;
struct options;
struct proto_db;
struct task;

extern const struct options *O; /* the command line */
extern struct proto_db *DB;     /* the prototypes */
extern pid_t main_pid;          /* the launched program, 0 if none */
/* The launched program leads a session of its own (-u): the terminal's signals reach
 * only us, and we pass SIGINT, SIGQUIT and SIGHUP on to its process group. 0 if not. */
extern pid_t own_session;
extern bool detaching;          /* leaving the tracees: resume nothing */
extern bool crashing;           /* ... from ltrace's crash handler */
/* Pids that stopped before we learnt (from their parent's event) who they are. */
extern pid_t *early_pids;
extern size_t n_early, c_early;

/* Every tracee is seized with these options. */
#define PTRACE_OPTIONS \
	(PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC | \
	 PTRACE_O_TRACEVFORKDONE | PTRACE_O_TRACESYSGOOD)

/* trace.c */
int get_regs(struct task *t);
int set_regs(struct task *t);
/* Let T run on (delivering SIG, or a signal kept for it). */
void resume(struct task *t, int sig);
void now(struct timespec *ts);
/* Has a signal asked us to leave (SIGINT, SIGTERM, ...)? */
bool leave_pending(void);
/* The time from START until now into *D. */
void elapsed_since(const struct timespec *start, struct timespec *d);
/* Tracee memory for the emulator. */
int emu_read(void *ctx, uint64_t addr, void *buf, size_t len);
int emu_write(void *ctx, uint64_t addr, const void *buf, size_t len);
/* A fresh image in T's process (after exec, launch or attach). */
void setup_image(struct task *t, bool attached);
void on_new_child(struct task *parent, int event);
void on_exit_status(struct task *t, int status);

/* step.c: single-step T over BP at ADDR with the byte taken out and the
 * other tasks of its address space held; true when T is stopped after it
 * (to be resumed), false when its next stop is left to the event loop. */
bool step_alone(struct task *t, struct breakpoint *bp, uint64_t addr);

/* inject.c */
/* Call FN() in the stopped task T; what it returns, 0 on failure. */
uint64_t inject_call(struct task *t, uint64_t fn);
/* Give BP an out-of-line copy of its instruction (bp->ool), if it can have one. */
void prepare_out_of_line(struct task *t, struct breakpoint *bp);
/* Unmap our scratch pages from T's stopped process (detach). */
void scratch_release(struct task *t);
/* Undo an injection cut short by our leaving. */
void injection_abort(void);

/* children.c */
struct process;
/* Give CHILD, forked from PARENT and not run yet, the breakpoints and
 * scratch pages its copy of the memory holds. */
void fork_inherit(struct process *parent, struct process *child);
/* What the task just made by PARENT's clone, fork or vfork (ptrace EVENT) is. */
struct child_kind {
	bool thread;      /* CLONE_THREAD: a thread of the parent's thread group */
	bool shares_vm;   /* CLONE_VM: the same memory, so the same breakpoint table */
	bool copy_frames; /* on the parent's stack: it returns from the parent's calls */
};
struct child_kind child_kind(struct task *parent, int event);

/* detach.c */
/* Is T in a ptrace stop? */
bool task_in_stop(struct task *t);

#endif
