// SPDX-License-Identifier: GPL-2.0-or-later
/* The tracing session: launch, breakpoints per object, and the event loop
 * that turns ptrace stops into call lines.
 *
 * Costs per traced call are kept to two stops of the tracee: the entry
 * breakpoint (whose instruction is emulated, so no single-step) and the
 * return breakpoint at the real return address (removed when nobody else
 * waits there, so the tracee resumes right on its own code). */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "demangle.h"
#include "elf_file.h"
#include "events.h"
#include "filter.h"
#include "linkmap.h"
#include "options.h"
#include "output.h"
#include "proc.h"
#include "proto.h"
#include "strbuf.h"
#include "trace.h"

static const struct options *O;
static struct proto_db *DB;
static pid_t main_pid;
static int main_status;
static bool main_done;
volatile sig_atomic_t trace_interrupted;

/* Pids that stopped before we learnt (from their parent's event) who they are. */
static pid_t *early_pids;
static size_t n_early, c_early;

#define PTRACE_OPTIONS \
	(PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC)

/* ---------------------------------------------------------------------- */
/* Small helpers. */

static int get_regs(struct task *t)
{
	return ptrace(PTRACE_GETREGS, t->tid, 0, &t->regs) == 0 ? 0 : -1;
}

static int set_regs(struct task *t)
{
	return ptrace(PTRACE_SETREGS, t->tid, 0, &t->regs) == 0 ? 0 : -1;
}

static void resume(struct task *t, int sig)
{
	t->stopped = false;
	if (ptrace(PTRACE_CONT, t->tid, 0, (long)sig) != 0 && errno != ESRCH)
		debug(DEBUG_PROCESS, "PTRACE_CONT %d: %s", (int)t->tid, strerror(errno));
}

/* One word prefetched with the return address, so that emulating a PLT
 * stub's jump through the GOT needs no read of its own. */
static struct {
	uint64_t addr, value;
	bool valid;
} prefetch;

static int emu_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	if (prefetch.valid && prefetch.addr == addr && len == 8) {
		memcpy(buf, &prefetch.value, 8);
		return 0;
	}
	return proc_read(ctx, addr, buf, len);
}

static int emu_write(void *ctx, uint64_t addr, const void *buf, size_t len)
{
	return proc_write(ctx, addr, buf, len);
}

static ssize_t tm_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	struct task *t = ctx;
	return proc_read_partial(t->proc, addr, buf, len);
}

static int tm_fpregs(void *ctx, struct user_fpregs_struct *fp)
{
	struct task *t = ctx;
	return ptrace(PTRACE_GETFPREGS, t->tid, 0, fp) == 0 ? 0 : -1;
}

static void now(struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
}

static const struct render_opts *render_opts(void)
{
	static struct render_opts ro;
	ro.strlen_max = O->strlen_max;
	ro.arraylen = O->arraylen;
	return &ro;
}

static char *read_link(const char *path)
{
	char buf[PATH_MAX];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return xstrdup(buf);
}

static uint64_t read_auxv_entry(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/auxv", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	uint64_t aux[2], entry = 0;
	while (read(fd, aux, sizeof(aux)) == (ssize_t)sizeof(aux)) {
		if (aux[0] == AT_NULL)
			break;
		if (aux[0] == AT_ENTRY) {
			entry = aux[1];
			break;
		}
	}
	close(fd);
	return entry;
}

/* ---------------------------------------------------------------------- */
/* Libraries and their breakpoints. */

/* Calls made by the C start-up code, not by the program. */
static bool startup_symbol(const char *name)
{
	return !strcmp(name, "__libc_start_main") || !strcmp(name, "__cxa_finalize") ||
	       !strcmp(name, "__gmon_start__") || !strncmp(name, "_ITM_", 5);
}

static struct library *exporter_of(struct process *p, const char *name, const struct library *not)
{
	for (size_t i = 0; i < p->nlibs; i++) {
		struct library *lib = p->libs[i];
		if (lib == not)
			continue;
		const struct elf_sym *s = elf_sym_named(lib->elf, name);
		if (s && s->exported)
			return lib;
	}
	return NULL;
}

static struct call_site *call_site_new(const char *name)
{
	struct call_site *cs = xcalloc(1, sizeof(*cs));
	cs->name = xstrdup(name);
	return cs;
}

static void arm(struct process *p, struct breakpoint *bp)
{
	if (bp_insert(p, bp) != 0)
		debug(DEBUG_PROCESS, "cannot insert breakpoint at %#llx: %s",
		      (unsigned long long)bp->addr, strerror(errno));
}

static void add_plt_breakpoints(struct process *p, struct library *lib)
{
	if (O->no_plt || !filter_lib_precheck(O->plt_filter, &lib->flib))
		return;
	for (size_t i = 0; i < lib->elf->nplts; i++) {
		const struct elf_plt *plt = &lib->elf->plts[i];
		if (startup_symbol(plt->name))
			continue;
		struct library *callee = exporter_of(p, plt->name, lib);
		if (!filter_matches_call(O->plt_filter, plt->name, &lib->flib,
					 callee ? &callee->flib : NULL))
			continue;
		uint64_t addr;
		bool got_call = false;
		if (plt->stub) {
			addr = plt->stub + lib->bias;
		} else {
			/* -fno-plt: the GOT slot holds the callee, bound at load time. */
			if (proc_read(p, plt->got + lib->bias, &addr, sizeof(addr)) != 0 || !addr)
				continue;
			struct library *where = proc_library_at(p, addr);
			if (where)
				callee = where;
			got_call = true;
		}
		struct breakpoint *bp = bp_get(&p->bps, addr);
		if (bp->call)
			continue;
		bp->call = call_site_new(plt->name);
		bp->call->caller = lib;
		bp->call->callee = callee;
		bp->call->plt = !got_call;
		if (!got_call)
			bp->call->got_slot = plt->got + lib->bias;
		bp->call->got_call = got_call;
		arm(p, bp);
	}
}

static void add_symbol_breakpoints(struct process *p, struct library *lib)
{
	if (filter_empty(O->sym_filter) || !filter_lib_precheck(O->sym_filter, &lib->flib))
		return;
	for (size_t i = 0; i < lib->elf->nsyms; i++) {
		const struct elf_sym *s = &lib->elf->syms[i];
		if (s->ifunc || !filter_matches(O->sym_filter, s->name, &lib->flib))
			continue;
		struct breakpoint *bp = bp_get(&p->bps, s->addr + lib->bias);
		/* An entry breakpoint sees every call; it replaces a GOT-call one. */
		if (bp->call && bp->call->entry)
			continue;
		call_site_free(bp->call);
		bp->call = call_site_new(s->name);
		bp->call->callee = lib;
		bp->call->entry = true;
		arm(p, bp);
	}
}

static void add_library_breakpoints(struct process *p, struct library *lib)
{
	add_symbol_breakpoints(p, lib);
	add_plt_breakpoints(p, lib);
}

static struct library *load_library(struct process *p, const char *path, const char *read_from,
				    uint64_t bias, bool is_main, uint64_t node)
{
	char *why;
	struct elf_file *ef = elf_read(read_from ? read_from : path, &why);
	if (!ef) {
		debug(DEBUG_PROCESS, "cannot read %s: %s", path, why);
		free(why);
		return NULL;
	}
	struct library *lib = library_new(ef, path, bias, is_main);
	lib->lm_node = node;
	proc_add_library(p, lib);
	return lib;
}

static bool library_known(struct process *p, uint64_t node)
{
	for (size_t i = 0; i < p->nlibs; i++)
		if (p->libs[i]->lm_node == node)
			return true;
	return false;
}

struct new_libs {
	struct library **v;
	size_t n, cap;
};

static void on_linkmap_node(struct process *p, uint64_t node, uint64_t l_addr, const char *name,
			    void *arg)
{
	struct new_libs *nl = arg;
	if (library_known(p, node))
		return;
	struct library *lib = load_library(p, name, NULL, l_addr, false, node);
	if (!lib)
		return;
	grow_array((void **)&nl->v, &nl->cap, nl->n + 1, sizeof(*nl->v));
	nl->v[nl->n++] = lib;
}

/* Read the link map and put breakpoints into every object it names that
 * we do not know yet. The main program is done the first time too: its PLT
 * filters need to know which library defines each symbol. */
static void update_libraries(struct process *p, bool first)
{
	struct new_libs nl = { NULL, 0, 0 };
	struct r_debug_info rd;
	if (p->r_debug && linkmap_read_r_debug(p, p->r_debug, &rd) == 0) {
		for (uint64_t ns = p->r_debug; ns;) {
			struct r_debug_info cur;
			if (linkmap_read_r_debug(p, ns, &cur) != 0)
				break;
			linkmap_walk(p, cur.map, on_linkmap_node, &nl);
			ns = cur.next;
		}
		if (first && rd.brk) {
			struct breakpoint *bp = bp_get(&p->bps, rd.brk);
			bp->rdebug = true;
			arm(p, bp);
		}
	}
	if (first) {
		struct library *main_lib = proc_main_library(p);
		if (main_lib)
			add_library_breakpoints(p, main_lib);
	}
	for (size_t i = 0; i < nl.n; i++)
		add_library_breakpoints(p, nl.v[i]);
	free(nl.v);
}

/* A fresh image after exec (or the first one after launch). */
static void setup_image(struct task *t)
{
	struct process *p = t->proc;
	char exe[64];
	snprintf(exe, sizeof(exe), "/proc/%d/exe", (int)p->pid);
	char *path = read_link(exe);
	uint64_t at_entry = read_auxv_entry(p->pid);
	char *why = NULL;
	struct elf_file *ef = elf_read(exe, &why);
	if (!ef) {
		error_msg("%s: %s", path ? path : exe, why);
		free(why);
		free(path);
		return;
	}
	uint64_t bias = ef->type == ET_DYN && at_entry ? at_entry - ef->entry : 0;
	struct library *main_lib = library_new(ef, path ? path : exe, bias, true);
	proc_add_library(p, main_lib);
	free(path);
	if (!ef->has_interp) {
		/* Statically linked: there is no dynamic linker to wait for. */
		p->libs_read = true;
		add_library_breakpoints(p, main_lib);
		return;
	}
	/* The libraries are mapped when the program reaches its entry point. */
	struct breakpoint *bp = bp_get(&p->bps, at_entry ? at_entry : ef->entry + bias);
	bp->entry_point = true;
	arm(p, bp);
}

static void on_entry_point(struct task *t)
{
	struct process *p = t->proc;
	struct library *main_lib = proc_main_library(p);
	p->libs_read = true;
	if (main_lib && main_lib->elf->dynamic)
		p->r_debug = linkmap_find_r_debug(p, main_lib->elf->dynamic + main_lib->bias);
	update_libraries(p, true);
}

static void on_rdebug(struct task *t)
{
	struct process *p = t->proc;
	struct r_debug_info rd;
	if (!p->r_debug || linkmap_read_r_debug(p, p->r_debug, &rd) != 0)
		return;
	/* RT_ADD then RT_CONSISTENT: new objects are mapped and relocated. */
	if (rd.state == 0 /* RT_CONSISTENT */ && p->r_state == 1 /* RT_ADD */)
		update_libraries(p, false);
	p->r_state = rd.state;
}

/* ---------------------------------------------------------------------- */
/* Calls and returns. */

static const struct prototype *prototype_of(struct process *p, struct call_site *cs)
{
	if (cs->proto_known)
		return cs->proto;
	cs->proto_known = true;
	if (!cs->callee && !cs->entry)
		cs->callee = exporter_of(p, cs->name, cs->caller);
	const char *names[3];
	size_t n = 0;
	if (cs->callee)
		names[n++] = cs->callee->name;
	if (cs->caller && cs->caller != cs->callee)
		names[n++] = cs->caller->name;
	cs->proto = DB ? proto_db_find(DB, cs->name, names, n) : NULL;
	return cs->proto;
}

static void return_ref(struct process *p, uint64_t addr)
{
	struct breakpoint *bp = bp_lookup(&p->bps, addr);
	if (!bp || !bp->ret_refs)
		return;
	/* An idle return breakpoint whose instruction we can emulate stays:
	 * the next call from the same site saves two writes. */
	if (--bp->ret_refs == 0 && !bp->call && !bp->entry_point && !bp->rdebug &&
	    !bp->emulable) {
		bp_uninsert(p, bp);
		bp_remove(&p->bps, addr);
	}
}

static void pop_frame(struct task *t, bool print)
{
	struct frame *f = &t->frames[t->depth - 1];
	if (print && !f->silent) {
		struct strbuf args = STRBUF_INIT, ret = STRBUF_INIT;
		struct tracee_mem mem = { tm_read, tm_fpregs, t };
		if (f->cv) {
			proto_return(f->cv, &t->regs, &mem, render_opts(), &args, &ret);
		} else {
			long v = (long)t->regs.rax;
			if (v >= -10000 && v <= 10000)
				sb_printf(&ret, "%ld", v);
			else
				sb_printf(&ret, "%#lx", (unsigned long)v);
		}
		struct timespec end, d;
		now(&end);
		d.tv_sec = end.tv_sec - f->start.tv_sec;
		d.tv_nsec = end.tv_nsec - f->start.tv_nsec;
		if (d.tv_nsec < 0) {
			d.tv_sec--;
			d.tv_nsec += 1000000000L;
		}
		out_call_return(t, t->depth, f->sp, f->ret, f->cs->name, sb_str(&args), sb_str(&ret),
				&d);
		sb_free(&args);
		sb_free(&ret);
	}
	proto_call_free(f->cv);
	f->cv = NULL;
	uint64_t ret_addr = f->ret;
	t->depth--;
	return_ref(t->proc, ret_addr);
}

/* Frames entered at or below SP are dead: their calls were left by longjmp
 * or an exception. */
static void drop_dead_frames(struct task *t, uint64_t sp)
{
	while (t->depth && t->frames[t->depth - 1].sp <= sp)
		pop_frame(t, false);
}

static void on_call(struct task *t, struct breakpoint *bp)
{
	struct process *p = t->proc;
	struct call_site *cs = bp->call;
	uint64_t sp = t->regs.rsp, ret;
	if (cs->got_slot) {
		prefetch.addr = cs->got_slot;
		if (proc_read2(p, sp, &ret, sizeof(ret), cs->got_slot, &prefetch.value, 8) != 0)
			return;
		prefetch.valid = true;
	} else if (proc_read(p, sp, &ret, sizeof(ret)) != 0) {
		return;
	}
	if (cs->got_call && (!cs->caller || !library_contains(cs->caller, ret)))
		return; /* a call from elsewhere into the same function */
	drop_dead_frames(t, sp);
	if (t->depth >= 1024) {
		debug(DEBUG_FUNCTION, "call nesting too deep in %d", (int)t->tid);
		return;
	}
	grow_array((void **)&t->frames, &t->cap, t->depth + 1, sizeof(*t->frames));
	struct frame *f = &t->frames[t->depth++];
	memset(f, 0, sizeof(*f));
	f->cs = cs;
	f->ret = ret;
	f->sp = sp;
	f->silent = t->ignored || O->summary;
	struct breakpoint *rbp = bp_get(&p->bps, ret);
	rbp->ret_refs++;
	arm(p, rbp);
	now(&f->start);
	if (f->silent)
		return;
	const struct prototype *proto = prototype_of(p, cs);
	struct strbuf args = STRBUF_INIT;
	struct tracee_mem mem = { tm_read, tm_fpregs, t };
	f->cv = proto_entry(proto ? proto : proto_default(), &t->regs, &mem, render_opts(), &args);
	const char *caller = NULL, *lib = NULL;
	if (O->show_caller && !cs->entry && cs->caller)
		caller = cs->caller->name;
	if (cs->entry && cs->callee && !cs->callee->is_main)
		lib = cs->callee->name;
	out_call_entry(t, t->depth, sp, ret, caller, cs->name, lib, sb_str(&args));
	sb_free(&args);
	/* Timing starts after our own work, so -T shows the callee's time. */
	now(&f->start);
}

/* Is this hit at ADDR the return of one of T's frames? Pops it if so. */
static bool on_return(struct task *t, uint64_t addr)
{
	uint64_t sp = t->regs.rsp;
	for (size_t i = t->depth; i-- > 0;) {
		struct frame *f = &t->frames[i];
		if (f->ret != addr || f->sp + 8 != sp)
			continue;
		while (t->depth > i + 1)
			pop_frame(t, false);
		pop_frame(t, true);
		return true;
	}
	return false;
}

/* Go on from a breakpoint at BP->addr whose trap T has just executed. */
static void step_past(struct task *t, struct breakpoint *bp, uint64_t addr)
{
	struct process *p = t->proc;
	if (!bp || !bp->inserted) {
		t->regs.rip = addr;
		set_regs(t);
		resume(t, 0);
		return;
	}
	struct arch_mem mem = { emu_read, emu_write, p };
	struct user_regs_struct saved = t->regs;
	bool ok = bp->emulable && arch_emulate(bp->insn, addr, &t->regs, &mem);
	prefetch.valid = false;
	if (ok) {
		set_regs(t);
		resume(t, 0);
		return;
	}
	/* Fallback: put the original byte back and single-step. */
	t->regs = saved;
	t->regs.rip = addr;
	set_regs(t);
	bp_uninsert(p, bp);
	t->stepping_addr = addr;
	t->stepping = bp;
	t->stopped = false;
	ptrace(PTRACE_SINGLESTEP, t->tid, 0, 0);
}

static void finish_step(struct task *t)
{
	struct breakpoint *bp = bp_lookup(&t->proc->bps, t->stepping_addr);
	t->stepping = NULL;
	if (bp)
		arm(t->proc, bp);
	resume(t, 0);
}

static void on_breakpoint(struct task *t, struct breakpoint *bp, uint64_t addr)
{
	struct process *p = t->proc;
	bool handled = false;
	if (bp->ret_refs)
		handled = on_return(t, addr);
	/* Lookups again below: the return may have removed the breakpoint. */
	bp = bp_lookup(&p->bps, addr);
	if (bp && bp->entry_point) {
		bp_uninsert(p, bp);
		bp->entry_point = false;
		on_entry_point(t);
		bp = bp_lookup(&p->bps, addr);
	}
	if (bp && bp->rdebug)
		on_rdebug(t);
	if (bp && bp->call && !handled) {
		on_call(t, bp);
		bp = bp_lookup(&p->bps, addr);
	}
	if (bp && !bp->ret_refs && !bp->call && !bp->entry_point && !bp->rdebug && !bp->emulable) {
		bp_uninsert(p, bp);
		bp_remove(&p->bps, addr);
		bp = NULL;
	}
	step_past(t, bp, addr);
}

/* ---------------------------------------------------------------------- */
/* Tasks coming and going. */

static bool early_take(pid_t pid)
{
	for (size_t i = 0; i < n_early; i++) {
		if (early_pids[i] == pid) {
			early_pids[i] = early_pids[--n_early];
			return true;
		}
	}
	return false;
}

static struct process *copy_process(struct process *parent, pid_t pid)
{
	struct process *p = proc_new(pid);
	p->r_debug = parent->r_debug;
	p->r_state = parent->r_state;
	p->libs_read = parent->libs_read;
	for (size_t i = 0; i < parent->nlibs; i++) {
		struct library *l = parent->libs[i];
		struct library *nl = load_library(p, l->path, NULL, l->bias, l->is_main, l->lm_node);
		(void)nl;
	}
	/* Breakpoints are in the child's copy of memory already; rebuild the
	 * table so that they can be handled and removed. */
	for (size_t i = 0; i < parent->bps.cap; i++) {
		struct breakpoint *src = parent->bps.slots[i];
		if (!src || !src->inserted)
			continue;
		struct breakpoint *bp = bp_get(&p->bps, src->addr);
		memcpy(bp->insn, src->insn, sizeof(bp->insn));
		bp->inserted = true;
		bp->emulable = src->emulable;
		bp->entry_point = src->entry_point;
		bp->rdebug = src->rdebug;
		bp->ret_refs = src->ret_refs;
		if (src->call) {
			bp->call = call_site_new(src->call->name);
			struct call_site *c = bp->call;
			*c = *src->call;
			c->name = xstrdup(src->call->name);
			c->caller = src->call->caller ? proc_library_at(p, src->call->caller->lo) : NULL;
			c->callee = src->call->callee ? proc_library_at(p, src->call->callee->lo) : NULL;
		}
	}
	return p;
}

/* A new task announced by its parent's clone/fork/vfork event. */
static void on_new_child(struct task *parent, int event)
{
	unsigned long msg = 0;
	ptrace(PTRACE_GETEVENTMSG, parent->tid, 0, &msg);
	pid_t pid = (pid_t)msg;
	struct task *t;
	if (event == PTRACE_EVENT_CLONE || event == PTRACE_EVENT_VFORK) {
		/* Threads share the address space; so does a vfork child until it
		 * execs or exits. */
		t = task_new(parent->proc, pid);
		t->ignored = parent->ignored || !O->follow;
		if (event == PTRACE_EVENT_CLONE && t->ignored == false)
			t->ignored = false;
	} else {
		struct process *p = copy_process(parent->proc, pid);
		t = task_new(p, pid);
		t->ignored = parent->ignored || !O->follow;
		if (!t->ignored) {
			/* The child returns from the same call as its parent. */
			grow_array((void **)&t->frames, &t->cap, parent->depth, sizeof(*t->frames));
			for (size_t i = 0; i < parent->depth; i++) {
				t->frames[i] = parent->frames[i];
				t->frames[i].cv = NULL;
				struct breakpoint *bp = bp_lookup(&p->bps, t->frames[i].ret);
				t->frames[i].cs = bp && bp->call ? bp->call : parent->frames[i].cs;
			}
			t->depth = parent->depth;
			/* Call sites of the parent are referenced; keep names valid. */
			for (size_t i = 0; i < t->depth; i++) {
				struct breakpoint *cbp = NULL;
				(void)cbp;
			}
		}
	}
	debug(DEBUG_PROCESS, "new task %d (event %d) of %d", (int)pid, event, (int)parent->tid);
	t->stopped = false;
	if (early_take(pid))
		t->stopped = true;
	else
		t->expect_exec_stop = true; /* its first stop is the SIGSTOP of attaching */
	if (t->stopped) {
		t->expect_exec_stop = false;
		if (t->proc != parent->proc && t->ignored) {
			proc_uninsert_all(t->proc);
			ptrace(PTRACE_DETACH, pid, 0, 0);
			task_free(t);
			return;
		}
		resume(t, 0);
	}
}

static void report_exit(struct task *t, int status)
{
	bool shown = !t->ignored && !O->summary;
	if (shown) {
		if (WIFEXITED(status))
			out_event(t, UINT64_MAX, "+++ exited (status %d) +++", WEXITSTATUS(status));
		else if (sigabbrev_np(WTERMSIG(status)))
			out_event(t, UINT64_MAX, "+++ killed by SIG%s +++",
				  sigabbrev_np(WTERMSIG(status)));
		else
			out_event(t, UINT64_MAX, "+++ killed by UNKNOWN_SIGNAL +++");
	}
}

static void on_exit_status(struct task *t, int status)
{
	if (t->tid == main_pid) {
		main_done = true;
		main_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	}
	/* Threads other than the leader are not reported without -f. */
	if (t->tid == t->proc->pid || O->follow)
		report_exit(t, status);
	task_free(t);
}

static void on_exec(struct task *t)
{
	struct process *old = t->proc;
	bool first = t->expect_exec_stop;
	t->expect_exec_stop = false;
	if (!first && !t->ignored && !O->summary)
		out_event(t, UINT64_MAX, "--- Called exec() ---");
	/* After exec the task is alone in a new address space. */
	for (size_t i = 0; i < t->depth; i++)
		proto_call_free(t->frames[i].cv);
	t->depth = 0;
	if (t->ignored && !first) {
		/* A child we only followed to get past its vfork: let it go. */
		ptrace(PTRACE_DETACH, t->tid, 0, 0);
		struct process *p = old;
		for (size_t i = 0; i < p->ntasks; i++) {
			if (p->tasks[i] == t) {
				p->tasks[i] = p->tasks[--p->ntasks];
				break;
			}
		}
		t->proc = NULL;
		task_free(t);
		return;
	}
	struct process *p = proc_new(t->tid);
	for (size_t i = 0; i < old->ntasks; i++) {
		if (old->tasks[i] == t) {
			old->tasks[i] = old->tasks[--old->ntasks];
			break;
		}
	}
	if (!old->ntasks)
		proc_free(old);
	t->proc = p;
	grow_array((void **)&p->tasks, &p->ctasks, 1, sizeof(*p->tasks));
	p->tasks[p->ntasks++] = t;
	setup_image(t);
	resume(t, 0);
}

static void on_signal(struct task *t, int sig)
{
	siginfo_t si;
	if (ptrace(PTRACE_GETSIGINFO, t->tid, 0, &si) != 0 && errno == EINVAL) {
		/* A group-stop: let it go on. */
		resume(t, 0);
		return;
	}
	if (!t->ignored && !O->no_signals && !O->summary) {
		const char *abbr = sigabbrev_np(sig);
		uint64_t ip = 0;
		if (O->show_ip && get_regs(t) == 0)
			ip = t->regs.rip;
		if (abbr)
			out_event(t, ip, "--- SIG%s (%s) ---", abbr, strsignal(sig));
		else
			out_event(t, ip, "--- UNKNOWN_SIGNAL (%d) ---", sig);
	}
	resume(t, sig);
}

static void on_trap(struct task *t)
{
	if (get_regs(t) != 0) {
		resume(t, 0);
		return;
	}
	if (t->stepping) {
		finish_step(t);
		return;
	}
	uint64_t addr = t->regs.rip - ARCH_DECR_PC_AFTER_BREAK;
	struct breakpoint *bp = bp_lookup(&t->proc->bps, addr);
	if (!bp || !bp->inserted) {
		/* Not ours: the program's own SIGTRAP. */
		on_signal(t, SIGTRAP);
		return;
	}
	on_breakpoint(t, bp, addr);
}

static void dispatch(pid_t pid, int status)
{
	struct task *t = task_find(pid);
	if (!t) {
		/* A new task's first stop before its parent's event. */
		if (WIFSTOPPED(status)) {
			grow_array((void **)&early_pids, &c_early, n_early + 1, sizeof(*early_pids));
			early_pids[n_early++] = pid;
		}
		return;
	}
	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		on_exit_status(t, status);
		return;
	}
	if (!WIFSTOPPED(status))
		return;
	t->stopped = true;
	int sig = WSTOPSIG(status);
	int event = status >> 16;
	if (sig == SIGTRAP && event) {
		switch (event) {
		case PTRACE_EVENT_EXEC:
			on_exec(t);
			return;
		case PTRACE_EVENT_CLONE:
		case PTRACE_EVENT_FORK:
		case PTRACE_EVENT_VFORK:
			on_new_child(t, event);
			resume(t, 0);
			return;
		default:
			resume(t, 0);
			return;
		}
	}
	if (t->expect_exec_stop && sig == SIGSTOP && t->tid != main_pid) {
		/* The stop every auto-attached child starts with. */
		t->expect_exec_stop = false;
		if (t->proc->pid == t->tid && t->ignored && t->proc->ntasks == 1 &&
		    t->proc->libs_read) {
			proc_uninsert_all(t->proc);
			ptrace(PTRACE_DETACH, t->tid, 0, 0);
			task_free(t);
			return;
		}
		resume(t, 0);
		return;
	}
	if (sig == SIGTRAP) {
		on_trap(t);
		return;
	}
	if (t->stepping) {
		/* A signal arrived instead of the step's end: deliver it and
		 * keep stepping; the step ends in the handler. */
		t->stopped = false;
		ptrace(PTRACE_SINGLESTEP, t->tid, 0, (long)sig);
		return;
	}
	on_signal(t, sig);
}

/* ---------------------------------------------------------------------- */
/* Launching. */

static char *find_in_path(const char *cmd)
{
	if (strchr(cmd, '/'))
		return xstrdup(cmd);
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		const char *colon = strchr(path, ':');
		size_t len = colon ? (size_t)(colon - path) : strlen(path);
		char *cand;
		if (asprintf(&cand, "%.*s%s%s", (int)len, path, len ? "/" : "", cmd) < 0)
			error_msg_and_die("out of memory");
		struct stat st;
		if (access(cand, X_OK) == 0 && stat(cand, &st) == 0 && S_ISREG(st.st_mode))
			return cand;
		free(cand);
		if (!colon)
			break;
		path = colon + 1;
	}
	return NULL;
}

/* Refuse what we cannot trace before forking, with a clear message. */
static int check_program(const char *cmd, char **resolved)
{
	char *path = find_in_path(cmd);
	if (!path) {
		error_msg("can't execute '%s': No such file or directory", cmd);
		return -1;
	}
	struct stat st;
	if (stat(path, &st) != 0) {
		error_msg("can't execute '%s': %s", path, strerror(errno));
		free(path);
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		error_msg("can't execute '%s': Is a directory", path);
		free(path);
		return -1;
	}
	if (access(path, X_OK) != 0) {
		error_msg("can't execute '%s': %s", path, strerror(errno));
		free(path);
		return -1;
	}
	unsigned char magic[4] = { 0 };
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		error_msg("can't open '%s': %s", path, strerror(errno));
		free(path);
		return -1;
	}
	ssize_t n = read(fd, magic, sizeof(magic));
	close(fd);
	if (n == 4 && !memcmp(magic, ELFMAG, SELFMAG)) {
		char *why;
		struct elf_file *ef = elf_read(path, &why);
		if (!ef) {
			error_msg("%s: %s", path, why);
			free(why);
			free(path);
			return -1;
		}
		elf_free(ef);
	} else if (!(n >= 2 && magic[0] == '#' && magic[1] == '!')) {
		error_msg("%s: not an ELF executable nor a script", path);
		free(path);
		return -1;
	}
	*resolved = path;
	return 0;
}

pid_t trace_launch(const struct options *opts)
{
	char *path;
	if (check_program(opts->command[0], &path) != 0)
		return -1;
	int pipefd[2];
	if (pipe2(pipefd, O_CLOEXEC) != 0) {
		perror_msg("pipe");
		free(path);
		return -1;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		perror_msg("fork");
		free(path);
		return -1;
	}
	if (pid == 0) {
		close(pipefd[0]);
		if (ptrace(PTRACE_TRACEME, 0, 0, 0) != 0) {
			int e = errno;
			(void)!write(pipefd[1], &e, sizeof(e));
			_exit(127);
		}
		raise(SIGSTOP);
		execv(path, opts->command);
		int e = errno;
		(void)!write(pipefd[1], &e, sizeof(e));
		_exit(127);
	}
	close(pipefd[1]);
	int status;
	if (waitpid(pid, &status, __WALL) != pid || !WIFSTOPPED(status)) {
		int e = 0;
		if (read(pipefd[0], &e, sizeof(e)) == (ssize_t)sizeof(e))
			error_msg("can't trace '%s': %s", path, strerror(e));
		else
			error_msg("can't trace '%s'", path);
		close(pipefd[0]);
		free(path);
		return -1;
	}
	if (ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_OPTIONS) != 0) {
		perror_msg("PTRACE_SETOPTIONS");
		kill(pid, SIGKILL);
		close(pipefd[0]);
		free(path);
		return -1;
	}
	ptrace(PTRACE_CONT, pid, 0, 0);
	int e = 0;
	/* Returns 0 bytes once exec succeeded and closed the pipe. */
	if (read(pipefd[0], &e, sizeof(e)) == (ssize_t)sizeof(e)) {
		error_msg("can't execute '%s': %s", path, strerror(e));
		waitpid(pid, &status, __WALL);
		close(pipefd[0]);
		free(path);
		return -1;
	}
	close(pipefd[0]);
	free(path);
	struct process *p = proc_new(pid);
	struct task *t = task_new(p, pid);
	t->expect_exec_stop = true;
	main_pid = pid;
	return pid;
}

/* ---------------------------------------------------------------------- */

static void restore_all(void)
{
	for (size_t i = 0; i < n_all_tasks; i++) {
		struct process *p = all_tasks[i]->proc;
		if (p)
			proc_uninsert_all(p);
	}
	out_finish();
}

int trace_run(const struct options *opts, struct proto_db *db)
{
	O = opts;
	DB = db;
	set_fatal_hook(restore_all);
	while (n_all_tasks) {
		int status;
		pid_t pid = wait_next(&status);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD)
				break;
			perror_msg("waitpid");
			break;
		}
		debug(DEBUG_EVENT, "event from %d: %#x", (int)pid, status);
		dispatch(pid, status);
	}
	out_finish();
	free(early_pids);
	return main_done ? main_status : 0;
}
