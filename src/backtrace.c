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
#include "proc.h"

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
	const char *file = NULL, *name = NULL;
	GElf_Off off = 0;
	GElf_Sym sym;
	if (mod) {
		dwfl_module_info(mod, NULL, NULL, NULL, NULL, NULL, &file, NULL);
		name = dwfl_module_addrinfo(mod, at, &off, &sym, NULL, NULL, NULL);
		if (!file)
			dwfl_module_info(mod, NULL, NULL, NULL, NULL, NULL, &file, NULL);
	}
	if (name)
		off += pc - at;
	/* Symbol versions (__libc_start_main@@GLIBC_2.34) are noise here. */
	size_t nlen = name ? strcspn(name, "@") : 3;
	sb_printf(w->out, " > %s(%.*s", file ? file : "unmapped_area", (int)nlen, name ? name : "???");
	if (name)
		sb_printf(w->out, "+%#llx", (unsigned long long)off);
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
