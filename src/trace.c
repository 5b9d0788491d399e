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
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backtrace.h"
#include "common.h"
#include "crashstack.h"
#include "demangle.h"
#include "elf_file.h"
#include "events.h"
#include "filter.h"
#include "linkmap.h"
#include "mapped.h"
#include "options.h"
#include "jsonout.h"
#include "output.h"
#include "proc.h"
#include "proto.h"
#include "rbrk.h"
#include "session.h"
#include "slowcall.h"
#include "stoprule.h"
#include "strbuf.h"
#include "summary.h"
#include "nodump.h"
#include "syscalls.h"
#include "trace.h"
#include "user.h"

const struct options *O;
struct proto_db *DB;
pid_t main_pid;
static int main_status;
static bool main_done;

/* Pids that stopped before we learnt (from their parent's event) who they are. */
pid_t *early_pids;
size_t n_early, c_early;


/* ---------------------------------------------------------------------- */
/* Small helpers. */

int get_regs(struct task *t)
{
	return ptrace(PTRACE_GETREGS, t->tid, 0, &t->regs) == 0 ? 0 : -1;
}

int set_regs(struct task *t)
{
	return ptrace(PTRACE_SETREGS, t->tid, 0, &t->regs) == 0 ? 0 : -1;
}

void resume(struct task *t, int sig)
{
	if (!sig && t->pending_sig) {
		sig = t->pending_sig;
		t->pending_sig = 0;
	}
	t->stopped = false;
	/* With -S every system call stops the tracee twice; without, none. */
	bool sys = O->syscalls || (t->proc && t->proc->rtld_wait);
	if (ptrace(sys ? PTRACE_SYSCALL : PTRACE_CONT, t->tid, 0, (long)sig) != 0 &&
	    errno != ESRCH)
		debug(DEBUG_PROCESS, "PTRACE_CONT %d: %s", (int)t->tid, strerror(errno));
}

/* One word prefetched with the return address, so that emulating a PLT
 * stub's jump through the GOT needs no read of its own. */
static struct {
	uint64_t addr, value;
	bool valid;
} prefetch;

int emu_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	if (prefetch.valid && prefetch.addr == addr && len == 8) {
		memcpy(buf, &prefetch.value, 8);
		return 0;
	}
	return proc_read(ctx, addr, buf, len);
}

int emu_write(void *ctx, uint64_t addr, const void *buf, size_t len)
{
	return proc_write(ctx, addr, buf, len);
}

/* For emulation that costs no system call: reads only from what was
 * prefetched, no writes. */
static int cheap_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	if (prefetch.valid && prefetch.addr == addr && len == 8) {
		memcpy(buf, &prefetch.value, 8);
		return 0;
	}
	return -1;
}

static int cheap_write(void *ctx, uint64_t addr, const void *buf, size_t len)
{
	return -1;
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

void now(struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
}

static const struct render_opts *render_opts(void)
{
	static struct render_opts ro;
	ro.strlen_max = O->strlen_max;
	ro.arraylen = O->arraylen;
	ro.json = O->json;
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

/* ---------------------------------------------------------------------- */
/* Libraries and their breakpoints. */

/* Calls made by the C start-up code, not by the program. */
static bool startup_symbol(const char *name)
{
	return !strcmp(name, "__libc_start_main") || !strcmp(name, "__cxa_finalize") ||
	       !strcmp(name, "__gmon_start__") || !strncmp(name, "_ITM_", 5);
}

/* The object a symbol binds to: the first in search order that exports it. */
static struct library *exporter_of(struct process *p, const char *name)
{
	for (size_t i = 0; i < p->nlibs; i++) {
		const struct elf_sym *s = elf_sym_named(p->libs[i]->elf, name);
		if (s && s->exported)
			return p->libs[i];
	}
	return NULL;
}

static struct call_site *call_site_new(const char *name)
{
	struct call_site *cs = xcalloc(1, sizeof(*cs));
	cs->name = xstrdup(name);
	return cs;
}

/* Insert BP, with its original bytes INSN when they were read already. */
static void arm_with(struct process *p, struct breakpoint *bp, const unsigned char *insn)
{
	if (bp_insert_with(p, bp, insn) != 0)
		debug(DEBUG_PROCESS, "cannot insert breakpoint at %#llx: %s",
		      (unsigned long long)bp->addr, strerror(errno));
}

static void arm(struct process *p, struct breakpoint *bp)
{
	arm_with(p, bp, NULL);
}

/* The function a -fno-plt call of LIB through PLT's GOT slot goes to, 0 if
 * unknown; *CALLEE becomes its object. The slot is bound when LIB is
 * relocated, which for a dlopened library (and for the program run as
 * "ld.so PROG") is after the RT_CONSISTENT report we act on, and before its
 * constructors run: an unrelocated slot (still 0) is bound here as the
 * dynamic linker will bind it, to the first exporter. */
static uint64_t got_callee(struct process *p, struct library *lib, const struct elf_plt *plt,
			   struct library **callee)
{
	uint64_t addr;
	if (proc_read(p, plt->got + lib->bias, &addr, sizeof(addr)) != 0)
		return 0;
	struct library *where = addr ? proc_library_at(p, addr) : NULL;
	if (where) {
		*callee = where;
		return addr;
	}
	if (addr)
		return 0; /* bound into something we do not know */
	const struct elf_sym *s = *callee ? elf_sym_named((*callee)->elf, plt->name) : NULL;
	if (!s || s->ifunc)
		return 0;
	return s->addr + (*callee)->bias;
}

/* Is the stub at ADDR of LIB, in the tracee's memory, the jump through
 * SLOT that its file's sections promise? A mutated or lying section header
 * would otherwise have us trap the middle of an instruction. */
static bool plt_stub_ok(struct process *p, const struct library *lib, uint64_t addr, uint64_t slot)
{
	unsigned char code[ELF_GOT_JUMP_MAX];
	const struct breakpoint *bp = bp_lookup(&p->bps, addr);
	if (!library_code_at(lib, addr, sizeof(code)))
		return false;
	if (bp && bp->inserted)
		memcpy(code, bp->insn, sizeof(code));
	else if (proc_read(p, addr, code, sizeof(code)) != 0)
		return false;
	uint64_t got;
	return elf_got_jump_at(code, sizeof(code), addr, &got) && got == slot;
}

static void add_plt_breakpoints(struct process *p, struct library *lib)
{
	if (O->no_plt || !filter_lib_precheck(O->plt_filter, &lib->flib))
		return;
	for (size_t i = 0; i < lib->elf->nplts; i++) {
		const struct elf_plt *plt = &lib->elf->plts[i];
		if (startup_symbol(plt->name))
			continue;
		/* The object the dynamic linker binds the symbol to, in search
		 * order: possibly LIB itself (its PLT call to its own export). */
		struct library *callee = exporter_of(p, plt->name);
		if (!filter_matches_call(O->plt_filter, plt->name, &lib->flib,
					 callee ? &callee->flib : NULL))
			continue;
		uint64_t addr;
		bool got_call = false;
		if (plt->stub) {
			addr = plt->stub + lib->bias;
			if (!plt_stub_ok(p, lib, addr, plt->got + lib->bias)) {
				debug(DEBUG_PROCESS, "%s: no PLT stub for %s at %#llx, not traced",
				      lib->name, plt->name, (unsigned long long)addr);
				continue;
			}
		} else {
			/* -fno-plt: the GOT slot holds the callee, bound at load time. */
			addr = got_callee(p, lib, plt, &callee);
			if (!addr || !library_code_at(callee, addr, 1))
				continue;
			got_call = true;
		}
		struct breakpoint *bp = bp_get(&p->bps, addr);
		if (bp->call)
			continue;
		bp->owner = got_call ? callee : lib;
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

static void add_symbol_breakpoint(struct process *p, struct library *lib, uint64_t addr,
				  const char *name)
{
	if (!library_code_at(lib, addr, 1)) {
		debug(DEBUG_PROCESS, "%s: %s at %#llx is not in its code, not traced", lib->name,
		      name, (unsigned long long)addr);
		return;
	}
	struct breakpoint *bp = bp_get(&p->bps, addr);
	/* An entry breakpoint sees every call; it replaces a GOT-call one. */
	if (bp->call && bp->call->entry)
		return;
	call_site_free(bp->call);
	bp->owner = lib;
	bp->call = call_site_new(name);
	bp->call->callee = lib;
	bp->call->entry = true;
	arm(p, bp);
}

static int cmp_index(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

/* The symbols of EF that -x may accept, in EF's order (which decides the
 * name aliases are shown with): when the filter names plain symbols only,
 * those looked up by name (*N of them, an array to free), so that
 * attaching to a process with huge libraries does not hold it while every
 * symbol is matched; else NULL: all *N = nsyms of them. */
static size_t *symbol_candidates(const struct elf_file *ef, size_t *n)
{
	const char *const *names;
	size_t nnames;
	*n = ef->nsyms;
	if (!filter_literal_syms(O->sym_filter, &names, &nnames))
		return NULL;
	size_t *which = NULL, cap = 0;
	*n = 0;
	for (size_t i = 0; i < nnames; i++) {
		size_t first, count = elf_syms_named(ef, names[i], &first);
		grow_array((void **)&which, &cap, *n + count + 1, sizeof(*which));
		for (size_t j = 0; j < count; j++)
			which[(*n)++] = ef->by_name[first + j];
	}
	if (!which)
		return xcalloc(1, sizeof(*which));
	qsort(which, *n, sizeof(*which), cmp_index);
	/* A name given twice: once. */
	size_t m = 0;
	for (size_t i = 0; i < *n; i++)
		if (!m || which[m - 1] != which[i])
			which[m++] = which[i];
	*n = m;
	return which;
}

/* IFUNC NAME of LIB, whose resolver is at RESOLVER: trace the
 * implementation the resolver picks, running it in the stopped task T. */
static void add_ifunc_breakpoint(struct task *t, struct library *lib, uint64_t resolver,
				 const char *name)
{
	struct process *p = t->proc;
	uint64_t impl = inject_call(t, resolver);
	struct library *where = impl ? proc_library_at(p, impl) : NULL;
	debug(DEBUG_PROCESS, "IFUNC %s of %s resolves to %#llx", name, lib->name,
	      (unsigned long long)impl);
	if (where)
		add_symbol_breakpoint(p, where, impl, name);
	/* The resolver's own runs (the dynamic linker binding a lazy slot, a
	 * dlopen) show as NAME.IFUNC(); ours above are hidden. */
	size_t rlen = strlen(name) + sizeof(PROTO_IFUNC_SUFFIX);
	char *rname = xmalloc(rlen);
	snprintf(rname, rlen, "%s%s", name, PROTO_IFUNC_SUFFIX);
	add_symbol_breakpoint(p, lib, resolver, rname);
	free(rname);
}

/* The resolver of an IFUNC at RESOLVER of an object not relocated yet (a
 * dlopened one at its RT_CONSISTENT report): run then, it would read GOT
 * slots that still hold garbage and crash the program. So a one-shot trap
 * waits on the resolver itself: the dynamic linker (or dlsym) runs it only
 * once the object is relocated, and at that hit we run it ourselves. */
static void defer_ifunc(struct process *p, struct library *lib, uint64_t resolver,
			const char *name)
{
	if (!library_code_at(lib, resolver, 1))
		return;
	struct breakpoint *bp = bp_get(&p->bps, resolver);
	if (bp->ifunc_name)
		return;
	bp->ifunc_name = xstrdup(name);
	bp->ifunc_lib = lib;
	if (!bp->owner)
		bp->owner = lib;
	arm(p, bp);
}

/* A deferred resolver was called: the object is relocated. */
static void on_ifunc_resolver(struct task *t, struct breakpoint *bp)
{
	char *name = bp->ifunc_name;
	struct library *lib = bp->ifunc_lib;
	uint64_t addr = bp->addr;
	bp->ifunc_name = NULL;
	bp->ifunc_lib = NULL;
	/* Out of the way of the call (the resolver starts on it). */
	if (!bp->ret_refs && !bp_has_purpose(bp))
		bp_uninsert_hit(t->proc, bp);
	/* Registers as at the hit: the call runs from the resolver's entry. */
	struct user_regs_struct at_hit = t->regs;
	t->regs.rip = addr;
	add_ifunc_breakpoint(t, lib, addr, name);
	t->regs = at_hit;
	set_regs(t);
	free(name);
}

/* T, when given, is a stopped task in which IFUNC resolvers may be run;
 * RELOCATED says whether LIB is relocated already (else resolvers wait). */
static void add_symbol_breakpoints(struct task *t, struct process *p, struct library *lib,
				   bool relocated)
{
	if (filter_empty(O->sym_filter) || !filter_lib_precheck(O->sym_filter, &lib->flib))
		return;
	const struct elf_file *ef = lib->elf;
	size_t n;
	size_t *which = symbol_candidates(ef, &n);
	for (size_t k = 0; k < n; k++) {
		const struct elf_sym *s = &ef->syms[which ? which[k] : k];
		/* Aliases share one breakpoint, named after the first alias
		 * (the shortest name) that the filter accepts. */
		if (!filter_matches(O->sym_filter, s->name, &lib->flib))
			continue;
		if (!s->ifunc) {
			add_symbol_breakpoint(p, lib, s->addr + lib->bias, s->name);
			continue;
		}
		/* IFUNC: trace the implementation its resolver picks here. A
		 * static program's resolvers can run only once its own start-up
		 * has set up the CPU features: at main (see setup_image). */
		if (p->static_exe && !p->static_started) {
			p->ifunc_deferred = true;
			continue;
		}
		uint64_t resolver = s->addr + lib->bias;
		if (!relocated)
			defer_ifunc(p, lib, resolver, s->name);
		else if (t && library_code_at(lib, resolver, 1))
			add_ifunc_breakpoint(t, lib, resolver, s->name);
	}
	free(which);
}

static void add_library_breakpoints(struct task *t, struct process *p, struct library *lib,
				    bool relocated)
{
	add_symbol_breakpoints(t, p, lib, relocated);
	add_plt_breakpoints(p, lib);
}

/* LIB, just added to P by load_library and nothing made of it yet, goes. */
static void forget_new_library(struct process *p, struct library *lib)
{
	proc_remove_library(p, lib);
	library_free(lib);
}

static struct library *load_library(struct process *p, const char *path, const char *read_from,
				    uint64_t bias, bool is_main, uint64_t node)
{
	char *why;
	struct elf_file *ef = elf_get(read_from ? read_from : path, &why);
	if (!ef) {
		debug(DEBUG_PROCESS, "cannot read %s: %s", path, why);
		free(why);
		return NULL;
	}
	struct library *lib = library_new(ef, path, bias, is_main);
	lib->lm_node = node;
	debug(DEBUG_PROCESS, "library %s at bias %#llx", lib->name, (unsigned long long)bias);
	proc_add_library(p, lib);
	return lib;
}

struct lm_walk {
	struct library **added;
	size_t n, cap;
	/* The libraries with a node, by node address (open addressing). */
	struct library **by_node;
	size_t nslots;
	uint64_t ns;  /* r_debug of the namespace being walked */
	uint64_t last; /* the last node seen */
	unsigned gen; /* this walk's mark */
	size_t nodes; /* nodes of the namespace seen so far */
};

/* The object of link_map NODE, read from the file the tracee maps (found
 * through L_LD, an address inside it), not from NAME in our view: a
 * relative path, a memfd, a file renamed over since, another mount
 * namespace. A mapped file we cannot reach is not traced at all, rather
 * than with another file's addresses. */
static struct library *load_mapped_library(struct process *p, uint64_t node, uint64_t l_addr,
					   uint64_t l_ld, const char *name, bool is_main)
{
	char from[PATH_MAX + 64];
	char *seen_as = NULL;
	int found = mapped_file(p->pid, l_ld, name, from, sizeof(from), &seen_as);
	if (found > 0) {
		debug(DEBUG_PROCESS, "%s: the mapped file cannot be reached, not traced", name);
		return NULL;
	}
	const char *path = name[0] ? name : seen_as ? seen_as : from;
	struct library *lib = load_library(p, path, found == 0 ? from : NULL, l_addr, is_main, node);
	if (lib && found == 0)
		library_set_file(lib, from, seen_as);
	/* The node's l_addr and l_ld are the tracee's word: they must agree with
	 * the file, else its traps would go wherever the node says. */
	if (lib && lib->elf->dynamic && lib->elf->dynamic + l_addr != l_ld) {
		debug(DEBUG_PROCESS, "%s: link map node %#llx does not match the file, not traced",
		      name, (unsigned long long)node);
		forget_new_library(p, lib);
		lib = NULL;
	}
	if (lib)
		code_ranges_read(p->pid, l_ld, lib->lo, lib->hi, &lib->code);
	free(seen_as);
	return lib;
}

/* A walk looks nodes up by address: linear work per node, not per node
 * and library (5,000 dlopened libraries). */
static size_t node_slot(const struct lm_walk *w, uint64_t node)
{
	size_t i = (size_t)((node >> 3) * 0x9e3779b97f4a7c15ULL) & (w->nslots - 1);
	while (w->by_node[i] && w->by_node[i]->lm_node != node)
		i = (i + 1) & (w->nslots - 1);
	return i;
}

static void index_nodes(struct process *p, struct lm_walk *w)
{
	w->nslots = 64;
	while (w->nslots < 2 * p->nlibs + 2)
		w->nslots *= 2;
	w->by_node = xcalloc(w->nslots, sizeof(*w->by_node));
	for (size_t i = 0; i < p->nlibs; i++)
		if (p->libs[i]->lm_node)
			w->by_node[node_slot(w, p->libs[i]->lm_node)] = p->libs[i];
}

static struct library *node_library(const struct lm_walk *w, uint64_t node)
{
	return w->by_node[node_slot(w, node)];
}

static bool linkmap_node_known(uint64_t node, void *arg)
{
	return node_library(arg, node) != NULL;
}

static void on_linkmap_node(struct process *p, uint64_t node, uint64_t l_addr, uint64_t l_ld,
			    const char *name, void *arg)
{
	struct lm_walk *w = arg;
	/* "ld.so PROG": the program is the first object of the base namespace,
	 * named like any other. */
	bool is_main = p->rtld_exe && w->ns == p->r_debug && w->nodes++ == 0;
	struct library *known = node_library(w, node);
	w->last = node;
	if (known) {
		known->seen = w->gen;
		return;
	}
	if (!name[0] && !is_main)
		return; /* the program, read from /proc/PID/exe */
	struct library *lib = load_mapped_library(p, node, l_addr, l_ld, name, is_main);
	if (!lib)
		return;
	lib->ns = w->ns;
	lib->seen = w->gen;
	grow_array((void **)&w->added, &w->cap, w->n + 1, sizeof(*w->added));
	w->added[w->n++] = lib;
	if (2 * (p->nlibs + 1) > w->nslots) {
		free(w->by_node);
		index_nodes(p, w);
	} else {
		w->by_node[node_slot(w, node)] = lib;
	}
}

static void forget_library(struct process *p, struct library *lib);

/* What we know of namespace NS's list (bounded: LINKMAP_MAX_NS of them are
 * walked, older records are reused). */
static struct lm_ns_state *ns_state(struct process *p, uint64_t ns)
{
	for (size_t i = 0; i < p->nlmns; i++)
		if (p->lmns[i].ns == ns)
			return &p->lmns[i];
	if (p->nlmns >= 4 * LINKMAP_MAX_NS)
		p->nlmns = 0;
	grow_array((void **)&p->lmns, &p->clmns, p->nlmns + 1, sizeof(*p->lmns));
	p->lmns[p->nlmns] = (struct lm_ns_state){ .ns = ns };
	return &p->lmns[p->nlmns++];
}

/* Bring our libraries in line with the dynamic linker's lists: every
 * namespace (dlmopen) has its own r_debug, chained through r_next, and its
 * own state. A namespace in RT_CONSISTENT state is walked: objects new to
 * us get breakpoints, objects of ours it no longer lists were unloaded.
 * One in the middle of a change is left alone until its next r_brk call. */
static void sync_link_map(struct task *t, bool first, bool relocated)
{
	struct process *p = t->proc;
	/* One counter for all processes: fork children share library objects. */
	static unsigned walks;
	struct lm_walk w = { .gen = ++walks };
	bool forgot = false;
	uint64_t walked[LINKMAP_MAX_NS];
	size_t nwalked = 0, nvisited = 0;
	uint64_t brk = 0;
	bool bad = false;
	/* The namespace chain is the tracee's memory too: bounded, whatever
	 * the state of each namespace (r_next pointing at itself). */
	for (uint64_t ns = p->r_debug; ns; nvisited++) {
		struct r_debug_info cur;
		if (nvisited >= LINKMAP_MAX_NS) {
			bad = true;
			break;
		}
		if (linkmap_read_r_debug(p, ns, &cur) != 0)
			break;
		if (first && ns == p->r_debug)
			brk = cur.brk;
		struct lm_ns_state *st = ns_state(p, ns);
		if (cur.state == 1 /* RT_ADD */)
			st->adding = true;
		if (cur.state == 0 /* RT_CONSISTENT */) {
			w.ns = ns;
			w.nodes = 0;
			w.last = 0;
			if (!w.by_node)
				index_nodes(p, &w);
			/* After an RT_ADD, the dynamic linker only appended nodes:
			 * walk from where the list ended (still one of ours), so
			 * that N dlopens cost N, not N squared, node reads. Any
			 * other change (RT_DELETE) walks the whole list. */
			uint64_t from = cur.map;
			bool partial = st->adding && st->tail && node_library(&w, st->tail);
			if (partial) {
				from = st->tail;
				w.nodes = 1;
			}
			st->adding = false;
			int r = linkmap_walk(p, from, linkmap_node_known, on_linkmap_node, &w);
			if (r == 0 && !partial)
				walked[nwalked++] = ns;
			st->tail = r == 0 ? w.last : 0;
			bad |= r == -2;
		}
		ns = cur.next;
	}
	for (size_t i = 0; nwalked && i < p->nlibs;) {
		struct library *lib = p->libs[i];
		bool in_walked = false;
		for (size_t j = 0; j < nwalked; j++)
			if (lib->ns == walked[j])
				in_walked = true;
		if (lib->lm_node && in_walked && lib->seen != w.gen) {
			forget_library(p, lib);
			forgot = true;
			continue;
		}
		i++;
	}
	if (bad && !p->linkmap_told) {
		p->linkmap_told = true;
		error_msg("warning: pid %d: the dynamic linker's lists of objects are corrupt "
			  "(cyclic, or over %d objects or %d namespaces): only part of them is "
			  "traced", (int)p->pid, LINKMAP_MAX_NODES, LINKMAP_MAX_NS);
	}
	/* Checked once the objects, the dynamic linker among them, are known. */
	brk = brk ? rbrk_site(p, brk) : 0;
	if (brk) {
		struct breakpoint *bp = bp_get(&p->bps, brk);
		bp->rdebug = true;
		arm(p, bp);
	}
	if (first) {
		struct library *main_lib = proc_main_library(p);
		if (main_lib)
			add_library_breakpoints(t, p, main_lib, relocated);
	}
	for (size_t i = 0; i < w.n; i++)
		add_library_breakpoints(t, p, w.added[i], relocated);
	if (w.n || forgot)
		backtrace_forget(p);
	free(w.added);
	free(w.by_node);
}

static void on_entry_point(struct task *t);

/* Is EF the dynamic linker itself (run as "ld.so PROG")? It has no
 * interpreter, but a SONAME and the r_debug of the program it will load. */
static uint64_t rtld_r_debug(const struct elf_file *ef)
{
	if (ef->has_interp || ef->type != ET_DYN || !ef->soname)
		return 0;
	return elf_symbol_value(ef->path, "_r_debug");
}

/* "ld.so PROG": the program is mapped by the dynamic linker, and all that
 * is known at exec is the linker's own r_debug, whose r_brk it fills in
 * only once it has mapped the program. Until then (no symbol of ld.so names
 * the function, and nothing else of ours can stop it), the task stops at
 * every system call to look; after, every object, the program included,
 * comes from the link map. */
static void setup_rtld_program(struct task *t, uint64_t r_debug, bool attached)
{
	struct process *p = t->proc;
	p->rtld_exe = true;
	p->libs_read = true;
	p->r_debug = r_debug;
	debug(DEBUG_PROCESS, "pid %d: the dynamic linker is the program, r_debug at %#llx",
	      (int)p->pid, (unsigned long long)r_debug);
	if (attached)
		sync_link_map(t, true, true);
	else
		p->rtld_wait = true;
}

/* A system call stop while waiting for the dynamic linker run as the
 * program to publish r_brk (see setup_rtld_program). */
static void on_rtld_syscall(struct task *t)
{
	struct process *p = t->proc;
	struct r_debug_info cur;
	if (linkmap_read_r_debug(p, p->r_debug, &cur) != 0 || !cur.brk)
		return;
	p->rtld_wait = false;
	sync_link_map(t, true, false);
}

/* A fresh image after exec (or the first one after launch). */
void setup_image(struct task *t, bool attached)
{
	struct process *p = t->proc;
	char exe[64];
	snprintf(exe, sizeof(exe), "/proc/%d/exe", (int)p->pid);
	char *path = read_link(exe);
	uint64_t at_entry = proc_auxv(p->pid, AT_ENTRY);
	char *why = NULL;
	struct elf_file *ef = elf_get(exe, &why);
	if (!ef) {
		error_msg("%s: %s", path ? path : exe, why);
		free(why);
		free(path);
		return;
	}
	if (ef->no_sections)
		error_msg("warning: %s has no readable section headers: its calls cannot be traced",
			  path ? path : exe);
	uint64_t bias = ef->type == ET_DYN && at_entry ? at_entry - ef->entry : 0;
	uint64_t rtld = rtld_r_debug(ef);
	if (rtld) {
		elf_put(ef);
		free(path);
		setup_rtld_program(t, rtld + bias, attached);
		return;
	}
	struct library *main_lib = library_new(ef, path ? path : exe, bias, true);
	code_ranges_read(p->pid, at_entry ? at_entry : ef->entry + bias, main_lib->lo, main_lib->hi,
			 &main_lib->code);
	proc_add_library(p, main_lib);
	free(path);
	if (!ef->has_interp) {
		/* Statically linked: there is no dynamic linker to wait for. */
		p->libs_read = true;
		p->static_exe = true;
		p->static_started = attached;
		add_library_breakpoints(t, p, main_lib, true);
		const struct elf_sym *m = elf_sym_named(ef, "main");
		if (p->ifunc_deferred && m) {
			struct breakpoint *bp = bp_get(&p->bps, m->addr + bias);
			bp->static_main = true;
			arm(p, bp);
		}
		return;
	}
	if (attached) {
		/* Past its entry point: the link map is there to read. */
		on_entry_point(t);
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
	/* No DT_DEBUG: the dynamic linker's own _r_debug, at its load base. */
	if (!p->r_debug && main_lib && main_lib->elf->interp) {
		uint64_t base = proc_auxv(p->pid, AT_BASE);
		uint64_t off = base ? elf_symbol_value(main_lib->elf->interp, "_r_debug") : 0;
		if (off)
			p->r_debug = base + off;
	}
	debug(DEBUG_PROCESS, "pid %d: r_debug at %#llx", (int)p->pid, (unsigned long long)p->r_debug);
	/* At the entry point (or attached) every object listed is relocated. */
	sync_link_map(t, true, true);
}

/* Another link map node of LIB's mapping: the dynamic linker is one object
 * with a node in every dlmopen namespace. */
static struct library *twin_of(struct process *p, const struct library *lib)
{
	for (size_t i = 0; i < p->nlibs; i++) {
		const struct library *l = p->libs[i];
		if (l != lib && l->elf == lib->elf && l->bias == lib->bias && l->lo == lib->lo)
			return p->libs[i];
	}
	return NULL;
}

static void hand_over_site(struct call_site *cs, const struct library *from, struct library *to)
{
	if (!cs)
		return;
	if (cs->caller == from)
		cs->caller = to;
	if (cs->callee == from)
		cs->callee = to;
}

static void hand_over_bp(struct breakpoint *bp, const struct library *from, struct library *to)
{
	if (bp->owner == from)
		bp->owner = to;
	if (bp->ifunc_lib == from)
		bp->ifunc_lib = to;
	hand_over_site(bp->call, from, to);
}

/* Node FROM goes but its mapping stays with TO: what pointed at FROM
 * points at TO. */
static void hand_over(struct process *p, const struct library *from, struct library *to)
{
	for (size_t i = 0; i < p->bps.cap; i++)
		if (p->bps.slots[i])
			hand_over_bp(p->bps.slots[i], from, to);
	for (size_t i = 0; i < p->ndead; i++)
		hand_over_site(p->dead_sites[i], from, to);
}

/* Is LIB's code still mapped as when it was loaded? A node the tracee
 * took out of its list does not unmap anything. */
static bool still_mapped(struct process *p, const struct library *lib)
{
	if (!lib->code.known || !lib->code.n)
		return false;
	struct code_ranges now;
	if (code_ranges_read(p->pid, lib->code.r[0].lo, lib->lo, lib->hi, &now) != 0)
		return false;
	bool same = now.n == lib->code.n &&
		    !memcmp(now.r, lib->code.r, now.n * sizeof(*now.r));
	code_ranges_free(&now);
	return same;
}

/* Forget LIB, unmapped by dlclose: its breakpoints go, and so do call
 * sites that point into it. Its breakpoints are those made for it (their
 * owner), never those in an address range, which the tracee describes: a
 * node laid over the dynamic linker must not take its r_brk hook. They go
 * without a write when the memory is gone, with their bytes put back when
 * it is still there (a node taken out of the list, not unloaded). The
 * memory stays while another node maps it: then only the node goes. */
static void forget_library(struct process *p, struct library *lib)
{
	debug(DEBUG_PROCESS, "library %s unloaded", lib->name);
	struct library *twin = twin_of(p, lib);
	if (twin)
		hand_over(p, lib, twin);
	bool mapped = !twin && still_mapped(p, lib);
	uint64_t *gone = NULL;
	size_t ngone = 0, cgone = 0;
	for (size_t i = 0; !twin && i < p->bps.cap; i++) {
		struct breakpoint *bp = p->bps.slots[i];
		if (!bp)
			continue;
		struct call_site *cs = bp->call;
		if (cs && cs->callee == lib && bp->owner != lib) {
			/* A PLT slot elsewhere calling into it: find the callee anew. */
			cs->callee = NULL;
			cs->proto_known = false;
		}
		if (cs && cs->caller == lib && bp->owner != lib)
			cs->caller = NULL;
		if (bp->ifunc_lib == lib) {
			free(bp->ifunc_name);
			bp->ifunc_name = NULL;
			bp->ifunc_lib = NULL;
		}
		if (bp->owner != lib)
			continue;
		bp->owner = NULL;
		if (cs) {
			grow_array((void **)&p->dead_sites, &p->cdead, p->ndead + 1,
				   sizeof(*p->dead_sites));
			p->dead_sites[p->ndead++] = cs;
			bp->call = NULL;
		}
		/* The session's own hooks stay whatever the tracee says. */
		if (bp->entry_point || bp->rdebug || bp->static_main)
			continue;
		if (mapped)
			bp_uninsert(p, bp);
		bp->inserted = false;
		grow_array((void **)&gone, &cgone, ngone + 1, sizeof(*gone));
		gone[ngone++] = bp->addr;
	}
	/* Removed after the walk: removal moves entries of the table around. */
	for (size_t i = 0; i < ngone; i++)
		bp_remove(&p->bps, gone[i]);
	free(gone);
	proc_remove_library(p, lib);
	library_free(lib);
}

static void on_rdebug(struct task *t)
{
	sync_link_map(t, false, false);
}

/* ---------------------------------------------------------------------- */
/* Calls and returns. */

static const struct prototype *prototype_of(struct process *p, struct call_site *cs)
{
	if (cs->proto_known)
		return cs->proto;
	cs->proto_known = true;
	if (cs->syscall) {
		/* syscalls.conf alone, without imports (spec 3.1). */
		const char *sys = "SYS";
		cs->proto = DB ? proto_db_find(DB, cs->name, &sys, 1) : NULL;
		return cs->proto;
	}
	if (!cs->callee && !cs->entry)
		cs->callee = exporter_of(p, cs->name);
	const char *names[3];
	size_t n = 0;
	if (cs->callee)
		names[n++] = cs->callee->name;
	if (cs->caller && cs->caller != cs->callee)
		names[n++] = cs->caller->name;
	/* A static program carries libc inside: libc's prototypes apply. */
	if (p->static_exe)
		names[n++] = "libc.so.6";
	cs->proto = DB ? proto_db_find(DB, cs->name, names, n) : NULL;
	/* Files win; debug information is the fallback. */
	if (!cs->proto && DB && cs->callee)
		cs->proto = proto_db_find_dwarf(DB, cs->name,
					       cs->callee->file ? cs->callee->file : cs->callee->path);
	return cs->proto;
}

/* The breakpoint whose trap the task being handled has just hit (0: none). */
static uint64_t trap_hit;

static void return_ref(struct process *p, uint64_t addr)
{
	struct breakpoint *bp = bp_lookup(&p->bps, addr);
	if (!bp || !bp->ret_refs)
		return;
	/* No frame waits here any more: the trap goes, even if it could be
	 * stepped past cheaply, since the program may read or copy its own code
	 * (checksums, JIT-style copies) and must never see our byte between
	 * calls. The next call from this site inserts it again, reading the
	 * bytes afresh. (A breakpoint taken out stays in the table, uninserted:
	 * a thread that hit it just before still finds it was ours.) */
	if (--bp->ret_refs == 0 && !bp_has_purpose(bp)) {
		if (addr == trap_hit)
			bp_uninsert_hit(p, bp);
		else
			bp_uninsert(p, bp);
	}
}

void elapsed_since(const struct timespec *start, struct timespec *d)
{
	struct timespec end;
	now(&end);
	d->tv_sec = end.tv_sec - start->tv_sec;
	d->tv_nsec = end.tv_nsec - start->tv_nsec;
	if (d->tv_nsec < 0) {
		d->tv_sec--;
		d->tv_nsec += 1000000000L;
	}
}

/* -c: account frame F of T, a call that returned or that the program
 * left without returning (exit, exec, longjmp), with the time until then.
 * System calls get rows of their own: write@SYS is not the libc write. */
static void account_call(const struct task *t, const struct frame *f)
{
	struct timespec d;
	if (!O->summary || t->ignored)
		return;
	elapsed_since(&f->start, &d);
	/* --min-duration: the slow calls only. */
	if (!slowcall_enough(&d))
		return;
	stoprule_count_call();
	if (f->cs->syscall) {
		char name[64];
		snprintf(name, sizeof(name), "%s@SYS", f->cs->name);
		summary_add(name, &d);
	} else {
		summary_add(f->cs->name, &d);
	}
}

/* The program left every frame of T without returning (T exited or
 * replaced its image). */
static void account_left_frames(const struct task *t)
{
	for (size_t i = 0; i < t->depth; i++)
		account_call(t, &t->frames[i]);
}

static void pop_frame(struct task *t, bool print)
{
	struct frame *f = &t->frames[t->depth - 1];
	struct timespec d;
	bool left = !print;
	elapsed_since(&f->start, &d);
	/* --min-duration: a fast call is forgotten before anything is rendered. */
	if (print && !slowcall_enough(&d))
		print = false;
	if (print)
		account_call(t, f);
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
		if (f->held)
			slowcall_print(t, t->depth, f, sb_str(&args), sb_str(&ret), &d);
		else
			out_call_return(t, t->depth, f->sp, f->ret, f->cs->name, sb_str(&args),
					sb_str(&ret), &d);
		stoprule_count_call();
		if (O->where && f->ret) {
			/* The unwinder reads the registers: show it the return address,
			 * not the byte past our trap. */
			struct strbuf bt = STRBUF_INIT;
			t->regs.rip = f->ret;
			set_regs(t);
			backtrace_task(t, O->where, &bt);
			sb_putc(&bt, '\n');
			out_text(sb_str(&bt));
			sb_free(&bt);
		}
		sb_free(&args);
		sb_free(&ret);
	} else if (left && f->held && !f->silent) {
		slowcall_left(t, t->depth, f); /* by longjmp or an exception */
	}
	proto_call_free(f->cv);
	f->cv = NULL;
	slowcall_free(f->held);
	f->held = NULL;
	uint64_t ret_addr = f->ret;
	t->depth--;
	return_ref(t->proc, ret_addr);
}

/* Move frame I of T to the top of its stack, the others keeping their order. */
static void frame_to_top(struct task *t, size_t i)
{
	struct frame f = t->frames[i];
	memmove(&t->frames[i], &t->frames[i + 1], (t->depth - i - 1) * sizeof(f));
	t->frames[t->depth - 1] = f;
}

/* Take frame I of T away without printing its return: the program left
 * it (longjmp, an exception), which -c still counts. */
static void discard_frame(struct task *t, size_t i)
{
	frame_to_top(t, i);
	account_call(t, &t->frames[t->depth - 1]);
	pop_frame(t, false);
}

/* Which frames are dead (left by longjmp or an exception) and which wait
 * on another stack (a signal handler's alternate stack, a coroutine's
 * stack, which may lie anywhere relative to the interrupted or paused
 * one): a frame below the stack pointer is dead only on the same stack,
 * and the stack pointer alone cannot tell. What can: a frame waits for its
 * return only while its return address is still in its slot. A stack that
 * is not running is not written, so the frames of a paused stack keep
 * theirs; the frames of a stack that was unwound lose theirs as soon as
 * the stack is used again over them (at once for a new call at the same
 * stack pointer). So a frame below SP is dropped when its slot holds
 * something else; until then it is kept, silent, and costs one read per
 * call that finds it below. It never makes a waiting frame lose its
 * return. */
static bool frame_waits(struct task *t, const struct frame *f)
{
	uint64_t slot;
	return proc_read(t->proc, f->sp, &slot, sizeof(slot)) == 0 && slot == f->ret;
}

/* Is there, under frame I of T, a frame of the call at breakpoint CALL
 * entered at SP for RET (frames at that SP and RET only)? */
static bool same_call_under(const struct task *t, size_t i, uint64_t sp, uint64_t ret,
			    uint64_t call)
{
	while (i-- > 0 && t->frames[i].sp == sp && t->frames[i].ret == ret)
		if (t->frames[i].call == call)
			return true;
	return false;
}

/* Before the call of breakpoint CALL at SP returning to RET: drop the
 * frames it shows dead. A frame at SP is dead (its slot is this call's),
 * except one of another breakpoint for the same RET: the PLT stub's call
 * going on into a function traced with -x, or a tail call; both are alive,
 * unless this very call is under them (an older, dead instance). */
static void drop_dead_frames(struct task *t, uint64_t sp, uint64_t ret, uint64_t call)
{
	for (size_t i = t->depth; i-- > 0;) {
		const struct frame *f = &t->frames[i];
		if (f->sp > sp)
			break;
		if (f->sp == sp && f->ret == ret && f->call != call &&
		    !same_call_under(t, i, sp, ret, call))
			break;
		if (f->sp == sp || !frame_waits(t, f))
			discard_frame(t, i);
	}
}

/* A new frame for a call of CS on T's stack. */
static struct frame *push_frame(struct task *t, struct call_site *cs, uint64_t sp, uint64_t ret)
{
	grow_array((void **)&t->frames, &t->cap, t->depth + 1, sizeof(*t->frames));
	struct frame *f = &t->frames[t->depth++];
	memset(f, 0, sizeof(*f));
	f->cs = cs;
	f->ret = ret;
	f->sp = sp;
	f->silent = t->ignored || O->summary;
	now(&f->start);
	return f;
}

/* Fetch the arguments of F's call from REGS and print its left part. */
static void print_entry(struct task *t, struct frame *f, const struct user_regs_struct *regs,
			uint64_t ip, const char *caller, const char *lib)
{
	const struct prototype *proto = prototype_of(t->proc, f->cs);
	struct strbuf args = STRBUF_INIT;
	struct tracee_mem mem = { tm_read, tm_fpregs, t };
	f->cv = proto_entry(proto ? proto : proto_default(), regs, &mem, render_opts(), &args);
	/* --min-duration, --json: the call is written whole at its return. */
	if (slowcall_active())
		f->held = slowcall_hold(ip, caller, f->cs->name, lib, sb_str(&args));
	else
		out_call_entry(t, t->depth, f->sp, ip, caller, f->cs->name, lib, sb_str(&args));
	sb_free(&args);
	/* Timing starts after our own work, so -T shows the callee's time. */
	now(&f->start);
}

/* The bytes at the return address of a site's previous call, read on the
 * guess that this call returns to the same place (a loop): the return trap
 * then goes in without a read of its own. */
struct ret_guess {
	uint64_t addr;
	unsigned char insn[ARCH_INSN_MAX];
	bool ok;
};

/* At an entry hit, one system call reads the return address at SP, the
 * PLT stub's GOT slot (into the prefetch), the bytes under the trap past
 * its first, and those at the guessed return address (GUESS). The bytes
 * under the trap: the program may have rewritten them since we saved them
 * (hot patching; text relocations that ld.so applies after the r_brk call
 * announcing the object, with our traps already in). Checking them costs
 * a few bytes more of a read that happens anyway. */
static int read_call_state(struct process *p, struct breakpoint *bp, uint64_t sp, uint64_t *ret,
			   struct ret_guess *guess)
{
	struct call_site *cs = bp->call;
	unsigned char fresh[ARCH_INSN_MAX - 1];
	/* Not past the trap's page: the next one may be unmapped. */
	size_t nfresh = 4096 - ((bp->addr + 1) & 4095);
	if (nfresh > sizeof(fresh))
		nfresh = sizeof(fresh);
	struct iovec local[4] = { { ret, 8 } }, remote[4] = { { (void *)(uintptr_t)sp, 8 } };
	size_t n = 1;
	if (cs->got_slot) {
		prefetch.addr = cs->got_slot;
		local[n] = (struct iovec){ &prefetch.value, 8 };
		remote[n++] = (struct iovec){ (void *)(uintptr_t)cs->got_slot, 8 };
	}
	size_t want = 8 * n;
	local[n] = (struct iovec){ fresh, nfresh };
	remote[n++] = (struct iovec){ (void *)(uintptr_t)(bp->addr + 1), nfresh };
	/* A whole instruction's worth, within its page (or no guess). */
	guess->addr = cs->last_ret;
	size_t nguess = guess->addr && 4096 - (guess->addr & 4095) >= sizeof(guess->insn) ?
				sizeof(guess->insn) : 0;
	if (nguess) {
		local[n] = (struct iovec){ guess->insn, nguess };
		remote[n++] = (struct iovec){ (void *)(uintptr_t)guess->addr, nguess };
	}
	ssize_t got = process_vm_readv(p->pid, local, n, remote, n, 0);
	guess->ok = nguess && got == (ssize_t)(want + nfresh + nguess);
	if (got >= (ssize_t)(want + nfresh))
		bp_refresh(bp, fresh, nfresh);
	else if (got < (ssize_t)want &&
		 (proc_read(p, sp, ret, 8) != 0 ||
		  (cs->got_slot && proc_read(p, cs->got_slot, &prefetch.value, 8) != 0)))
		return -1;
	prefetch.valid = cs->got_slot != 0;
	return 0;
}

static void on_call(struct task *t, struct breakpoint *bp)
{
	struct process *p = t->proc;
	struct call_site *cs = bp->call;
	uint64_t sp = t->regs.rsp, ret;
	struct ret_guess guess;
	if (read_call_state(p, bp, sp, &ret, &guess) != 0)
		return;
	cs->last_ret = ret;
	if (cs->got_call && (!cs->caller || !library_contains(cs->caller, ret)))
		return; /* a call from elsewhere into the same function */
	drop_dead_frames(t, sp, ret, bp->addr);
	if (t->depth >= 1024) {
		debug(DEBUG_FUNCTION, "call nesting too deep in %d", (int)t->tid);
		return;
	}
	struct frame *f = push_frame(t, cs, sp, ret);
	f->call = bp->addr;
	struct breakpoint *rbp = bp_get(&p->bps, ret);
	if (!rbp->owner && !rbp->ret_refs && !bp_has_purpose(rbp))
		rbp->owner = proc_library_at(p, ret);
	rbp->ret_refs++;
	arm_with(p, rbp, guess.ok && guess.addr == ret ? guess.insn : NULL);
	if (f->silent)
		return;
	const char *caller = NULL, *lib = NULL;
	if (O->show_caller && !cs->entry && cs->caller)
		caller = cs->caller->name;
	if (cs->entry && cs->callee && !cs->callee->is_main)
		lib = cs->callee->name;
	print_entry(t, f, &t->regs, ret, caller, lib);
}

/* The topmost frame of T that returns to ADDR with stack pointer SP. */
static bool returning_frame(const struct task *t, uint64_t addr, uint64_t sp, size_t *at)
{
	for (size_t i = t->depth; i-- > 0;) {
		if (t->frames[i].ret == addr && t->frames[i].sp + 8 == sp) {
			*at = i;
			return true;
		}
	}
	return false;
}

/* Is this hit at ADDR the return of one of T's frames? Pops it if so.
 * Frames pushed after it and below it were left without returning if
 * they are on its stack, and wait if they are on another (see
 * frame_waits); frames above it are on another stack. */
static bool on_return(struct task *t, uint64_t addr)
{
	uint64_t sp = t->regs.rsp;
	size_t i;
	if (!returning_frame(t, addr, sp, &i))
		return false;
	for (size_t j = t->depth; j-- > i + 1;) {
		const struct frame *f = &t->frames[j];
		if (f->sp < sp && !frame_waits(t, f))
			discard_frame(t, j);
	}
	/* The same call seen twice (PLT stub and -x entry) returns once. */
	do {
		frame_to_top(t, i);
		pop_frame(t, true);
	} while (returning_frame(t, addr, sp, &i));
	return true;
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
	/* Cheapest first: an instruction emulated on registers alone; then the
	 * out-of-line copy (the tracee does the work, no system call of ours);
	 * then emulation that reads or writes the tracee's memory. */
	struct arch_mem cheap = { cheap_read, cheap_write, p };
	struct arch_mem mem = { emu_read, emu_write, p };
	struct user_regs_struct saved = t->regs;
	bool ok = bp->emulable && arch_emulate(bp->insn, addr, &t->regs, &cheap);
	prefetch.valid = false;
	if (!ok) {
		t->regs = saved;
		if (!bp->ool_tried)
			prepare_out_of_line(t, bp);
		if (bp->ool) {
			t->regs.rip = bp->ool;
			ok = true;
		} else if (bp->emulable) {
			ok = arch_emulate(bp->insn, addr, &t->regs, &mem);
		}
	}
	if (ok) {
		set_regs(t);
		resume(t, 0);
		return;
	}
	t->regs = saved;
	/* Last resort: the original byte back for one single-step, with every
	 * other task of the address space held meanwhile. */
	if (step_alone(t, bp, addr))
		resume(t, 0);
}

static void on_breakpoint(struct task *t, struct breakpoint *bp, uint64_t addr)
{
	struct process *p = t->proc;
	bool handled = false;
	trap_hit = addr;
	if (bp->ret_refs)
		handled = on_return(t, addr);
	/* Lookups again below: the return may have removed the breakpoint. */
	bp = bp_lookup(&p->bps, addr);
	/* Still armed (for other frames, or for another purpose than a call
	 * entry, whose hit checks them in on_call): we step past it with the
	 * saved bytes, which the program may have rewritten meanwhile. */
	if (bp && bp->inserted && (handled || !bp->call))
		bp_reread(p, bp);
	if (bp && bp->entry_point) {
		bp_uninsert(p, bp);
		bp->entry_point = false;
		on_entry_point(t);
		bp = bp_lookup(&p->bps, addr);
	}
	if (bp && bp->rdebug) {
		/* The link map may have changed anything, this breakpoint too. */
		on_rdebug(t);
		bp = bp_lookup(&p->bps, addr);
	}
	if (bp && bp->static_main) {
		/* A static program reached main: its IFUNCs can be resolved. */
		bp->static_main = false;
		p->static_started = true;
		struct library *main_lib = proc_main_library(p);
		if (main_lib)
			add_symbol_breakpoints(t, p, main_lib, true);
		bp = bp_lookup(&p->bps, addr);
	}
	if (bp && bp->ifunc_name) {
		on_ifunc_resolver(t, bp);
		bp = bp_lookup(&p->bps, addr);
	}
	if (bp && bp->call && !handled) {
		on_call(t, bp);
		bp = bp_lookup(&p->bps, addr);
	}
	if (bp && !bp->ret_refs && !bp_has_purpose(bp))
		bp_uninsert_hit(p, bp);
	trap_hit = 0;
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

/* A fork child starts with a copy of its parent's memory, trap bytes
 * included: it gets the breakpoints that copy holds, so that they can be
 * handled or removed. Libraries are shared, not re-read. */
static struct process *copy_process(struct process *parent, pid_t pid)
{
	struct process *p = proc_new(pid);
	p->r_debug = parent->r_debug;
	p->libs_read = parent->libs_read;
	for (size_t i = 0; i < parent->nlibs; i++)
		proc_add_library(p, library_ref(parent->libs[i]));
	fork_inherit(parent, p);
	return p;
}

static void detach_task(struct task *t, bool remove_traps)
{
	if (remove_traps && t->proc) {
		proc_uninsert_all(t->proc);
		scratch_release(t);
	}
	ptrace(PTRACE_DETACH, t->tid, 0, (long)t->pending_sig);
	task_free(t);
}

/* Set while we leave the tracees: nothing may be resumed then. */
bool detaching;
/* ... from the crash handler: only what is safe in a signal handler. */
bool crashing;

/* The first stop of an auto-attached task. */
static void on_first_stop(struct task *t)
{
	t->new_child = false;
	if (nodump_open_mem(t) != 0)
		return; /* died meanwhile */
	if (detaching) {
		t->stopped = true;
		return;
	}
	struct process *p = t->proc;
	if (t->ignored && p->pid == t->tid && p->ntasks == 1 && !p->vfork_child) {
		/* A fork child we do not follow: give it back clean. */
		detach_task(t, true);
		return;
	}
	resume(t, 0);
}

/* Stands for a call site a fork child's frame cannot be mapped to. */
static struct call_site lost_site = { .name = (char *)"?" };

/* A new task announced by its parent's clone/fork/vfork event. */
void on_new_child(struct task *parent, int event)
{
	unsigned long msg = 0;
	ptrace(PTRACE_GETEVENTMSG, parent->tid, 0, &msg);
	pid_t pid = (pid_t)msg;
	if (task_find(pid))
		return; /* found already by the /proc scan of attaching */
	struct task *t;
	struct child_kind kind = child_kind(parent, event);
	if (kind.shares_vm) {
		/* Threads share the address space; so does a vfork child, or any
		 * clone(CLONE_VM) child, until it execs or exits: one table. */
		t = task_new(parent->proc, pid);
		t->tgid = kind.thread ? parent->tgid : pid;
		if (event == PTRACE_EVENT_VFORK) {
			parent->in_vfork = true;
			t->vfork_of = parent->tid;
		}
	} else {
		t = task_new(copy_process(parent->proc, pid), pid);
	}
	t->ignored = parent->ignored || !O->follow;
	if (!t->ignored && kind.copy_frames) {
		/* The child returns from the same call as its parent. */
		grow_array((void **)&t->frames, &t->cap, parent->depth, sizeof(*t->frames));
		for (size_t i = 0; i < parent->depth; i++) {
			struct frame *f = &t->frames[i];
			*f = parent->frames[i];
			f->cv = NULL;
			f->held = slowcall_dup(f->held);
			/* Point at the child's own copy of the call site. */
			struct breakpoint *cbp = f->call ? bp_lookup(&t->proc->bps, f->call) : NULL;
			if (cbp && cbp->call)
				f->cs = cbp->call;
			else if (f->call)
				f->silent = true, f->cs = &lost_site;
			struct breakpoint *bp = bp_lookup(&t->proc->bps, f->ret);
			if (bp)
				bp->ret_refs++;
		}
		t->depth = parent->depth;
	}
	debug(DEBUG_PROCESS, "new task %d (event %d) of %d", (int)pid, event, (int)parent->tid);
	t->new_child = true;
	if (early_take(pid))
		on_first_stop(t);
}

static void report_exit(struct task *t, int status)
{
	if (t->ignored || O->summary)
		return;
	if (O->json)
		json_out_exit(t, status);
	else if (WIFEXITED(status))
		out_event(t, UINT64_MAX, "+++ exited (status %d) +++", WEXITSTATUS(status));
	else if (sigabbrev_np(WTERMSIG(status)))
		out_event(t, UINT64_MAX, "+++ killed by SIG%s +++", sigabbrev_np(WTERMSIG(status)));
	else
		out_event(t, UINT64_MAX, "+++ killed by UNKNOWN_SIGNAL +++");
}

static void vfork_done(struct task *t)
{
	if (!t->vfork_of)
		return;
	struct task *parent = task_find(t->vfork_of);
	if (parent)
		parent->in_vfork = false;
	t->vfork_of = 0;
}

/* A wait status as the shell shows it: ltrace's exit status for it. */
static int exit_code(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void on_exit_status(struct task *t, int status)
{
	if (t->tid == main_pid) {
		main_done = true;
		main_status = exit_code(status);
	}
	/* Threads other than the leader are not reported without -f. */
	slowcall_abandon(t, false);
	if (t->tid == t->proc->pid || O->follow)
		report_exit(t, status);
	account_left_frames(t);
	vfork_done(t);
	task_free(t);
}

/* Take T out of its process (freeing the process when it was the last). */
static void leave_process(struct task *t)
{
	struct process *old = t->proc;
	for (size_t i = 0; i < old->ntasks; i++) {
		if (old->tasks[i] == t) {
			old->tasks[i] = old->tasks[--old->ntasks];
			break;
		}
	}
	if (!old->ntasks)
		proc_free(old);
	else
		proc_rehome(old);
	t->proc = NULL;
}

static void on_exec(struct task *t)
{
	bool first = t->launching;
	t->launching = false;
	slowcall_abandon(t, false);
	if (!first && !t->ignored && !O->summary && O->json)
		json_out_exec(t);
	else if (!first && !t->ignored && !O->summary)
		out_event(t, UINT64_MAX, "--- Called exec() ---");
	backtrace_forget(t->proc);
	/* After exec the task is alone in a new address space. */
	account_left_frames(t);
	for (size_t i = 0; i < t->depth; i++) {
		proto_call_free(t->frames[i].cv);
		slowcall_free(t->frames[i].held);
	}
	t->depth = 0;
	vfork_done(t);
	/* Other threads of the old image are gone (the kernel reaped them). */
	struct process *old = t->proc;
	for (size_t i = 0; i < old->ntasks;) {
		if (old->tasks[i] != t && !old->vfork_child && old->tasks[i]->vfork_of == 0 &&
		    old->pid == t->tid && old->tasks[i]->tgid == t->tgid) {
			task_free(old->tasks[i]);
			i = 0;
			continue;
		}
		i++;
	}
	leave_process(t);
	if (t->ignored) {
		/* A child we only followed to get past its vfork: let it go. */
		ptrace(PTRACE_DETACH, t->tid, 0, 0);
		task_free(t);
		return;
	}
	struct process *p = proc_new(t->tid);
	t->proc = p;
	t->tgid = t->tid;
	grow_array((void **)&p->tasks, &p->ctasks, 1, sizeof(*p->tasks));
	p->tasks[p->ntasks++] = t;
	setup_image(t, false);
	resume(t, 0);
}

static void print_signal(struct task *t, int sig)
{
	if (t->ignored || O->no_signals || O->summary)
		return;
	if (O->json) {
		json_out_signal(t, sig);
		return;
	}
	const char *abbr = sigabbrev_np(sig);
	uint64_t ip = 0;
	if (O->show_ip && get_regs(t) == 0)
		ip = t->regs.rip;
	if (abbr)
		out_event(t, ip, "--- SIG%s (%s) ---", abbr, strsignal(sig));
	else
		out_event(t, ip, "--- UNKNOWN_SIGNAL (%d) ---", sig);
}

static void on_signal(struct task *t, int sig)
{
	print_signal(t, sig);
	resume(t, sig);
}

static void on_trap(struct task *t)
{
	if (get_regs(t) != 0) {
		resume(t, 0);
		return;
	}
	uint64_t addr = t->regs.rip - ARCH_DECR_PC_AFTER_BREAK;
	struct breakpoint *bp = bp_lookup(&t->proc->bps, addr);
	if (!bp || !bp->inserted) {
		/* A trap of ours taken out after this thread hit it (another
		 * thread's return removed it): the byte is back, run it again. */
		siginfo_t si;
		if (ptrace(PTRACE_GETSIGINFO, t->tid, 0, &si) == 0 && si.si_code == SI_KERNEL &&
		    bp_taken_out(t->proc, addr)) {
			t->regs.rip = addr;
			set_regs(t);
			resume(t, 0);
			return;
		}
		/* Not ours: the program's own SIGTRAP. */
		on_signal(t, SIGTRAP);
		return;
	}
	on_breakpoint(t, bp, addr);
}

/* -S: system calls are frames on the task's stack like calls, so that
 * nesting and unfinished/resumed lines work the same way. */
static struct call_site *syscall_site(long nr)
{
	static struct call_site **sites;
	static size_t nsites;
	if (nr < 0 || nr > 100000)
		nr = 100000;
	if ((size_t)nr >= nsites) {
		size_t n = (size_t)nr + 64;
		sites = xrealloc(sites, n * sizeof(*sites));
		memset(sites + nsites, 0, (n - nsites) * sizeof(*sites));
		nsites = n;
	}
	if (!sites[nr]) {
		const char *name = syscall_name(nr);
		char buf[32];
		if (!name) {
			snprintf(buf, sizeof(buf), "SYS_%ld", nr);
			name = buf;
		}
		sites[nr] = call_site_new(name);
		sites[nr]->syscall = true;
	}
	return sites[nr];
}

static void on_syscall_stop(struct task *t)
{
	struct __ptrace_syscall_info info;
	memset(&info, 0, sizeof(info));
	if (ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, (void *)sizeof(info), &info) <= 0 ||
	    get_regs(t) != 0) {
		resume(t, 0);
		return;
	}
	if (info.op == PTRACE_SYSCALL_INFO_ENTRY) {
		/* No stack pointer: never taken for a frame left by longjmp. */
		struct frame *f = push_frame(t, syscall_site((long)info.entry.nr), UINT64_MAX, 0);
		if (!f->silent) {
			/* The kernel takes the fourth argument in r10, not rcx. */
			struct user_regs_struct regs = t->regs;
			regs.rcx = regs.r10;
			print_entry(t, f, &regs, t->regs.rip, NULL, "SYS");
		}
	} else if (info.op == PTRACE_SYSCALL_INFO_EXIT) {
		/* The exit of the system call on top, if it is one (after exec or
		 * an attach in the middle of one there is none). */
		if (t->depth && t->frames[t->depth - 1].cs->syscall)
			pop_frame(t, true);
	}
	resume(t, 0);
}

static bool is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
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
	if (t->new_child) {
		on_first_stop(t);
		return;
	}
	switch (event) {
	case 0:
		break;
	case PTRACE_EVENT_EXEC:
		on_exec(t);
		return;
	case PTRACE_EVENT_CLONE:
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
		on_new_child(t, event);
		resume(t, 0);
		return;
	case PTRACE_EVENT_VFORK_DONE:
		t->in_vfork = false;
		resume(t, 0);
		return;
	case PTRACE_EVENT_STOP:
		if (is_stop_signal(sig)) {
			/* Group-stop: stay stopped until SIGCONT, as without us. */
			t->stopped = false;
			ptrace(PTRACE_LISTEN, t->tid, 0, 0);
			return;
		}
		resume(t, 0);
		return;
	default:
		resume(t, 0);
		return;
	}
	if (sig == (SIGTRAP | 0x80)) {
		if (t->proc->rtld_wait)
			on_rtld_syscall(t);
		if (O->syscalls)
			on_syscall_stop(t);
		else
			resume(t, 0);
		return;
	}
	if (sig == SIGTRAP) {
		on_trap(t);
		return;
	}
	on_signal(t, sig);
}

/* ---------------------------------------------------------------------- */

static volatile sig_atomic_t leave_signal;

static void on_leave_signal(int sig)
{
	if (own_session && sig != SIGTERM)
		kill(-own_session, sig);
	leave_signal = sig;
}

bool leave_pending(void)
{
	return leave_signal != 0;
}

static void restore_all(void)
{
	out_finish();
	trace_detach(true);
}

/* ltrace itself crashed: before dying as it would, give every tracee its
 * bytes back and let it go, so that a bug of ours does not kill it. */
static void on_crash(int sig)
{
	static volatile sig_atomic_t once;
	if (!once) {
		once = 1;
		static const char msg[] = "ltrace: internal error, detaching from the tracees\n";
		(void)!write(2, msg, sizeof(msg) - 1);
		crashing = true;
		out_finish();
		trace_detach(true);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* The trace cannot be written any more. A reader that went away (EPIPE):
 * detach and end as SIGPIPE would have ended us. Anything else (a full
 * disk) is said once; the launched program, detached, runs on to its end,
 * and its status becomes ours as if it had been traced to the end. */
static int wait_untraced(int rc);

static void leave_on_output_error(void)
{
	int err = output_error();
	if (err != EPIPE)
		error_msg("%s: %s", O->output ? O->output : "standard error", strerror(err));
	trace_detach(true);
	if (err == EPIPE) {
		main_done = true;
		main_status = 128 + SIGPIPE;
		return;
	}
	if (main_done)
		return;
	main_status = wait_untraced(1);
	main_done = true;
}

/* The launched program, detached and running on: its status once it ends
 * (RC if there is none). */
static int wait_untraced(int rc)
{
	if (main_pid <= 0)
		return rc;
	int status;
	pid_t r;
	while ((r = waitpid(main_pid, &status, 0)) < 0 && errno == EINTR)
		;
	return r == main_pid ? exit_code(status) : rc;
}

int trace_wait_launched(int rc)
{
	if (!stoprule_stopped() || main_done)
		return rc;
	/* As system() does: the terminal's ^C and ^\ are the program's now. */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	return wait_untraced(rc);
}

int trace_run(const struct options *opts, struct proto_db *db)
{
	int interrupts = 0;
	stoprule_start(opts);
	while (n_all_tasks) {
		if (stoprule_reached()) {
			stoprule_note_stopped();
			trace_detach(true);
			break;
		}
		if (leave_signal) {
			int sig = leave_signal;
			leave_signal = 0;
			/* Ctrl-C reaches a launched program by itself: keep tracing it
			 * until it goes, unless asked twice. Attached ones we leave. */
			bool all = sig != SIGINT || ++interrupts > 1;
			trace_detach(all);
			if (!n_all_tasks)
				break;
		}
		if (output_broken()) {
			leave_on_output_error();
			break;
		}
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
	stoprule_finish();
	set_fatal_hook(NULL);
	backtrace_forget(NULL);
	out_finish();
	free(early_pids);
	return main_done ? main_status : 0;
}

void trace_init(const struct options *opts, struct proto_db *db)
{
	O = opts;
	DB = db;
	/* Before the first tracee: a signal during attach must find us ready. */
	set_fatal_hook(restore_all);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_leave_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: waitpid must return so that we act at once. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	struct sigaction crash;
	memset(&crash, 0, sizeof(crash));
	crash.sa_handler = on_crash;
	sigemptyset(&crash.sa_mask);
	/* On a stack of its own: a stack overflow of ours must still detach. */
	crash.sa_flags = SA_NODEFER | (crash_stack_install() == 0 ? SA_ONSTACK : 0);
	sigaction(SIGSEGV, &crash, NULL);
	sigaction(SIGBUS, &crash, NULL);
	sigaction(SIGABRT, &crash, NULL);
	sigaction(SIGFPE, &crash, NULL);
	sigaction(SIGILL, &crash, NULL);
}
