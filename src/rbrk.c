// SPDX-License-Identifier: GPL-2.0-or-later
/* Checking the dynamic linker's r_brk before a trap goes on it.
 *
 * r_debug lives in the tracee's writable memory: a program (or a bug) may
 * point r_brk anywhere, into the middle of an instruction too, where our
 * trap byte would change what the instruction means. A trap goes only on
 * an instruction boundary, found by decoding from the start of the
 * function that holds the address. */
#include "config.h"

#include <elf.h>
#include <limits.h>
#include <stdlib.h>

#include "arch.h"
#include "breakpoint.h"
#include "common.h"
#include "elf_file.h"
#include "library.h"
#include "mapped.h"
#include "proc.h"
#include "rbrk.h"

/* Functions longer than this are not decoded through. */
#define DECODE_MAX 65536

/* Is ADDR the start of an instruction of LIB, decoded from the start of the
 * function holding it? The bytes are the tracee's, with our own traps
 * seen through. */
static bool insn_boundary(struct process *p, const struct library *lib, uint64_t addr)
{
	if (!library_code_at(lib, addr, 1))
		return false;
	const struct elf_sym *s = elf_sym_at(lib->elf, addr - lib->bias);
	if (!s)
		return false;
	uint64_t at = s->addr + lib->bias;
	if (addr - at > DECODE_MAX || !library_code_at(lib, at, 1))
		return false;
	while (at < addr) {
		unsigned char insn[ARCH_INSN_MAX];
		ssize_t n = proc_read_partial(p, at, insn, sizeof(insn));
		if (n <= 0)
			return false;
		for (ssize_t i = n; i < (ssize_t)sizeof(insn); i++)
			insn[i] = 0;
		const struct breakpoint *bp = bp_lookup(&p->bps, at);
		if (bp && bp->inserted)
			insn[0] = bp->insn[0];
		size_t len = arch_insn_len(insn);
		if (len >= ARCH_INSN_MAX || (ssize_t)len > n)
			return false;
		at += len;
	}
	return at == addr;
}

/* The dynamic linker as an object of its own, when the link map has not
 * listed it yet ("ld.so PROG"): the file mapped at its base (AT_BASE), or
 * the program itself. NULL if it cannot be read. */
static struct library *rtld_library(struct process *p)
{
	uint64_t base = proc_auxv(p->pid, AT_BASE);
	uint64_t anchor = base ? base : proc_auxv(p->pid, AT_ENTRY);
	char from[PATH_MAX + 64], *seen_as = NULL, *why = NULL;
	if (!anchor || mapped_file(p->pid, anchor, "", from, sizeof(from), &seen_as) != 0)
		return NULL;
	free(seen_as);
	struct elf_file *ef = elf_get(from, &why);
	free(why);
	if (!ef)
		return NULL;
	uint64_t bias = base ? base - ef->lo : anchor - ef->entry;
	struct library *lib = library_new(ef, from, bias, false);
	code_ranges_read(p->pid, anchor, lib->lo, lib->hi, &lib->code);
	return lib;
}

/* The dynamic linker's own hook function, as its symbols say. */
static uint64_t debug_state_of(const struct library *lib)
{
	const struct elf_sym *s = lib ? elf_sym_named(lib->elf, "_dl_debug_state") : NULL;
	uint64_t at = s ? s->addr + lib->bias : 0;
	return at && library_code_at(lib, at, 1) ? at : 0;
}

uint64_t rbrk_site(struct process *p, uint64_t brk)
{
	struct library *own = NULL, *lib = proc_library_at(p, brk);
	debug(DEBUG_PROCESS, "r_brk %#llx in %s", (unsigned long long)brk, lib ? lib->name : "?");
	if (lib && insn_boundary(p, lib, brk))
		return brk;
	if (!lib) {
		lib = own = rtld_library(p);
		if (lib && insn_boundary(p, lib, brk)) {
			library_free(own);
			return brk;
		}
	}
	/* Not an instruction: the dynamic linker calls _dl_debug_state itself. */
	uint64_t known = debug_state_of(lib);
	for (size_t i = 0; !known && i < p->nlibs; i++)
		known = debug_state_of(p->libs[i]);
	if (!known && !own) {
		own = rtld_library(p);
		known = debug_state_of(own);
	}
	library_free(own);
	if (known) {
		error_msg("warning: pid %d: r_debug.r_brk (%#llx) is not an instruction of the "
			  "dynamic linker: watching _dl_debug_state instead",
			  (int)p->pid, (unsigned long long)brk);
		return known;
	}
	error_msg("warning: pid %d: r_debug.r_brk (%#llx) is not an instruction of the dynamic "
		  "linker: libraries loaded from now on are not traced",
		  (int)p->pid, (unsigned long long)brk);
	return 0;
}
