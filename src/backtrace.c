// SPDX-License-Identifier: GPL-2.0-or-later
/* Backtraces for -w. libdwfl knows the process's modules from /proc/PID/maps
 * and unwinds with CFI; the threads are stopped by us already, so it is told
 * not to attach (assume_ptrace_stopped). One Dwfl per process, made again
 * when the process's mappings change. */
#include "config.h"

#include <elfutils/libdwfl.h>
#include <stdlib.h>
#include <string.h>

#include "backtrace.h"
#include "common.h"
#include "escape.h"
#include "proc.h"

/* NULL: libdwfl's standard search path (":.debug:/usr/lib/debug", which
 * includes the build-id tree). LTRACE_DEBUGINFO_PATH replaces it, as for the
 * DWARF prototypes (proto/dwarf.c); the tests use it to see what a system
 * without debug packages shows. */
static char *debuginfo_path;

static const Dwfl_Callbacks callbacks = {
	.find_elf = dwfl_linux_proc_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.debuginfo_path = &debuginfo_path,
};

/* The process the Dwfl is for (a process at a time is enough: -w is for
 * reading, not for speed). */
static struct {
	Dwfl *dwfl;
	struct process *p;
	pid_t pid;
} cur;

void backtrace_forget(struct process *p)
{
	if (cur.dwfl && (!p || cur.p == p)) {
		dwfl_end(cur.dwfl);
		cur.dwfl = NULL;
		cur.p = NULL;
	}
}

static Dwfl *dwfl_for(struct process *p)
{
	if (cur.dwfl && cur.p == p && cur.pid == p->pid)
		return cur.dwfl;
	backtrace_forget(NULL);
	char *dipath = getenv("LTRACE_DEBUGINFO_PATH");
	debuginfo_path = dipath && *dipath ? dipath : NULL;
	Dwfl *dwfl = dwfl_begin(&callbacks);
	if (!dwfl)
		return NULL;
	if (dwfl_linux_proc_report(dwfl, p->pid) != 0 ||
	    dwfl_report_end(dwfl, NULL, NULL) != 0 ||
	    dwfl_linux_proc_attach(dwfl, p->pid, true) != 0) {
		debug(DEBUG_GENERAL, "libdwfl cannot follow %d: %s", (int)p->pid, dwfl_errmsg(-1));
		dwfl_end(dwfl);
		return NULL;
	}
	cur.dwfl = dwfl;
	cur.p = p;
	cur.pid = p->pid;
	return dwfl;
}

struct walk {
	Dwfl *dwfl;
	int left;
	struct strbuf *out;
};

/* The function symbol of MOD nearest below AT, from whichever table libdwfl
 * has for it (.symtab of the object or of its debug file, else .dynsym): a
 * local function of a library without debug information is named after the
 * exported one before it, as with gdb and strace -k, rather than not at all.
 * OFF gets AT minus the symbol's address. */
static const char *nearest_below(Dwfl_Module *mod, Dwarf_Addr at, GElf_Off *off)
{
	int n = dwfl_module_getsymtab(mod);
	const char *best = NULL;
	GElf_Addr best_addr = 0;
	for (int i = 1; i < n; i++) {
		GElf_Sym sym;
		GElf_Addr addr;
		const char *name = dwfl_module_getsym_info(mod, i, &sym, &addr, NULL, NULL, NULL);
		int type = GELF_ST_TYPE(sym.st_info);
		if (!name || !*name || sym.st_shndx == SHN_UNDEF ||
		    (type != STT_FUNC && type != STT_GNU_IFUNC))
			continue;
		if (addr <= at && (!best || addr > best_addr)) {
			best = name;
			best_addr = addr;
		}
	}
	if (best)
		*off = at - best_addr;
	return best;
}

static int on_frame(Dwfl_Frame *state, void *arg)
{
	struct walk *w = arg;
	Dwarf_Addr pc;
	bool activation;
	if (w->left-- <= 0 || !dwfl_frame_pc(state, &pc, &activation))
		return DWARF_CB_ABORT;
	/* A return address points after the call: look the caller up inside it. */
	Dwarf_Addr at = activation ? pc : pc - 1;
	Dwfl_Module *mod = dwfl_addrmodule(w->dwfl, at);
	if (!mod) {
		sb_printf(w->out, " > unmapped_area(?\?\?) [%#llx]\n", (unsigned long long)pc);
		return DWARF_CB_OK;
	}
	const char *file = NULL, *name;
	GElf_Off off = 0;
	GElf_Sym sym;
	dwfl_module_info(mod, NULL, NULL, NULL, NULL, NULL, &file, NULL);
	name = dwfl_module_addrinfo(mod, at, &off, &sym, NULL, NULL, NULL);
	if (!name)
		name = nearest_below(mod, at, &off);
	if (!file)
		file = dwfl_module_info(mod, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
	/* The object's path and its symbols are the tracee's: escaped (escape.h). */
	sb_puts(w->out, " > ");
	sb_puts_escaped(w->out, file ? file : "unmapped_area");
	sb_putc(w->out, '(');
	if (name) {
		/* Symbol versions (__libc_start_main@@GLIBC_2.34) are noise here. */
		sb_put_escaped(w->out, name, strcspn(name, "@"));
		sb_printf(w->out, "+%#llx", (unsigned long long)(off + (pc - at)));
	} else {
		/* No symbol at all below it: the offset in the object, as
		 * addr2line -e OBJECT takes it. */
		Dwarf_Addr bias = 0;
		if (!dwfl_module_getelf(mod, &bias))
			dwfl_module_info(mod, NULL, &bias, NULL, NULL, NULL, NULL, NULL);
		sb_printf(w->out, "+%#llx", (unsigned long long)(pc - bias));
	}
	sb_printf(w->out, ") [%#llx]\n", (unsigned long long)pc);
	return DWARF_CB_OK;
}

void backtrace_task(struct task *t, int max, struct strbuf *out)
{
	Dwfl *dwfl = dwfl_for(t->proc);
	if (!dwfl)
		return;
	struct walk w = { dwfl, max, out };
	if (dwfl_getthread_frames(dwfl, t->tid, on_frame, &w) != 0 && w.left == max)
		debug(DEBUG_GENERAL, "no backtrace of %d: %s", (int)t->tid, dwfl_errmsg(-1));
}
