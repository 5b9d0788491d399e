/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Processes (address spaces) and tasks (threads). */
#ifndef LTRACE_PROC_H
#define LTRACE_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <time.h>

#include "breakpoint.h"
#include "library.h"

struct call_values;
struct held_call;

struct frame {
	struct call_site *cs;
	uint64_t call;  /* address of the call's breakpoint (0 for system calls) */
	uint64_t ret;   /* return address */
	uint64_t sp;    /* stack pointer at entry (points at the return address) */
	struct timespec start;
	struct call_values *cv;
	struct held_call *held; /* --min-duration: the left part, printed at the return */
	bool silent;    /* not printed (filtered out or ignored task) */
};

struct process;

struct task {
	pid_t tid;
	pid_t tgid;              /* its thread group (its own for a clone(CLONE_VM) child) */
	struct process *proc;
	struct frame *frames;
	size_t depth, cap;
	bool ignored;            /* traced silently (threads/children without -f) */
	bool stopped;            /* in a ptrace stop we have not resumed yet */
	struct user_regs_struct regs;
	bool new_child;          /* waiting for its first stop after being auto-attached */
	bool launching;          /* its first exec is the start of the program, not news */
	bool interrupting;       /* PTRACE_INTERRUPT sent, stop not seen yet */
	bool in_vfork;           /* a vfork parent: blocked until its child execs or exits */
	int pending_sig;         /* a signal to deliver when we let it go */
	pid_t vfork_of;          /* a vfork child: its parent, until exec or exit */
};

/* A page run of the tracee's memory for out-of-line instructions. */
struct scratch {
	uint64_t base, used, size;
};

/* A namespace's list as last walked (see sync_link_map). */
struct lm_ns_state {
	uint64_t ns;    /* its r_debug */
	uint64_t tail;  /* the last node of its last walk */
	bool adding;    /* an RT_ADD report came since: nodes only get appended */
};

struct process {
	pid_t pid;              /* thread group id */
	int memfd;              /* /proc/PID/mem, for writes */
	int mem_errno;          /* why it could not be opened */
	bool write_refused;     /* said already that no write path works */
	struct library **libs;
	size_t nlibs, clibs;
	struct bptable bps;
	struct task **tasks;
	size_t ntasks, ctasks;
	uint64_t r_debug;       /* address of r_debug, 0 until known */
	bool libs_read;         /* the link map was read at the entry point */
	bool static_exe;        /* no dynamic linker, no link map */
	bool static_started;    /* ... and it has reached main */
	bool ifunc_deferred;    /* IFUNCs wait for that */
	bool rtld_exe;          /* the dynamic linker run as the program ("ld.so PROG") */
	bool rtld_wait;         /* ... which has not published r_brk yet: system call stops */
	bool vfork_child;       /* shares its parent's memory until exec/exit */
	bool attached;          /* -p: detach on exit */
	struct call_site **dead_sites; /* of unloaded libraries; frames may still point there */
	size_t ndead, cdead;
	struct scratch *pools;  /* executable memory we mapped in the tracee */
	size_t npools, cpools;
	bool ignored;
	bool no_inject_told;    /* warned that seccomp keeps us from injecting */
	bool linkmap_told;      /* warned that its link map is corrupt */
	struct lm_ns_state *lmns; /* per namespace: where its list ended, whether it grows */
	size_t nlmns, clmns;
};

struct process *proc_new(pid_t pid);
void proc_free(struct process *p);
struct task *task_new(struct process *p, pid_t tid);
void task_free(struct task *t);
struct task *task_find(pid_t tid);
/* After a task left P: if no task of the thread group P->pid names is left, name
 * one that is (a clone(CLONE_VM) child sharing the memory), for reads. */
void proc_rehome(struct process *p);
/* All tasks, for the event loop. */
extern struct task **all_tasks;
extern size_t n_all_tasks;

/* Memory of the tracee: reads through process_vm_readv (falling back to
 * /proc/PID/mem), writes through /proc/PID/mem; where those are refused (a
 * non-dumpable process), PTRACE_PEEKDATA/POKEDATA through a stopped task.
 * A write that nothing can do is reported once per process. 0 on success. */
int proc_read(struct process *p, uint64_t addr, void *buf, size_t len);
ssize_t proc_read_partial(struct process *p, uint64_t addr, void *buf, size_t len);
int proc_write(struct process *p, uint64_t addr, const void *buf, size_t len);

/* Read N ranges at once, REMOTE[i] into LOCAL[i] (of the same length), in as
 * few system calls as process_vm_readv allows; OK[i] tells which were read
 * whole (an unreadable range does not stop the others). */
void proc_read_many(struct process *p, const struct iovec *local, const struct iovec *remote,
		    size_t n, bool *ok);

/* The seccomp mode of thread TID (0 none, 1 strict, 2 filter), -1 if unknown. */
int task_seccomp_mode(pid_t tid);

/* Entry TYPE of PID's auxiliary vector (AT_ENTRY, AT_BASE), 0 if none. */
uint64_t proc_auxv(pid_t pid, uint64_t type);

void proc_add_library(struct process *p, struct library *lib);
/* Take LIB out of P's list (the caller drops its reference). */
void proc_remove_library(struct process *p, struct library *lib);
struct library *proc_library_at(struct process *p, uint64_t addr);
struct library *proc_main_library(struct process *p);

/* Breakpoint insertion: save original bytes, write the trap. */
int bp_insert(struct process *p, struct breakpoint *bp);
/* The same with the original bytes read already (INSN, ARCH_INSN_MAX of them). */
int bp_insert_with(struct process *p, struct breakpoint *bp, const unsigned char *insn);
/* Put the original byte back, unless the program wrote over our trap. */
int bp_uninsert(struct process *p, struct breakpoint *bp);
/* The same when a task has just hit the trap: it is there, no need to look. */
int bp_uninsert_hit(struct process *p, struct breakpoint *bp);
/* The program may have rewritten the instruction under our trap (hot
 * patching, text relocations): FRESH holds the N bytes now at BP->addr + 1.
 * Takes them as the original bytes (byte 0 stays as saved: our trap is
 * there) and drops what was derived from the old ones. True if they changed. */
bool bp_refresh(struct breakpoint *bp, const unsigned char *fresh, size_t n);
/* Read those bytes from the tracee and bp_refresh with them. */
void bp_reread(struct process *p, struct breakpoint *bp);
/* Was there a trap of ours at ADDR, taken out since, with the program's
 * byte back? (A thread that executed it just before must run it again.) */
bool bp_taken_out(struct process *p, uint64_t addr);
/* Remove every trap byte from the tracee's memory (detach, fork child). */
void proc_uninsert_all(struct process *p);

#endif
