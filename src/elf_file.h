/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the tracer needs to know of an ELF object, read once with libelf. */
#ifndef LTRACE_ELF_H
#define LTRACE_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A defined function (STT_FUNC or STT_GNU_IFUNC) from .symtab or .dynsym.
 * Sorted by address; aliases at one address follow each other, the
 * shortest name first. */
struct elf_sym {
	char *name;
	uint64_t addr; /* unrelocated st_value */
	bool ifunc;
	bool exported; /* found in .dynsym */
};

/* A call into another object through the GOT: a PLT stub (.plt, .plt.sec,
 * .plt.got) or, when stub is 0, a GOT slot called directly (-fno-plt). */
struct elf_plt {
	char *name;
	uint64_t stub; /* unrelocated address of the stub, 0 if none */
	uint64_t got;  /* unrelocated address of the GOT slot */
};

struct elf_file {
	char *path;
	char *soname;          /* DT_SONAME or NULL */
	int type;              /* ET_EXEC or ET_DYN */
	uint64_t entry;        /* e_entry */
	uint64_t dynamic;      /* vaddr of .dynamic (0 if none) */
	uint64_t lo, hi;       /* extent of the PT_LOAD segments */
	bool has_interp;       /* PT_INTERP present: dynamically linked program */
	char *interp;          /* its dynamic linker (PT_INTERP), or NULL */
	bool no_sections;      /* section headers missing or unreadable */
	struct elf_sym *syms;  /* sorted by address */
	size_t nsyms;
	size_t *by_name;       /* indexes of syms sorted by name */
	struct elf_plt *plts;
	size_t nplts;
	unsigned refs;         /* users of a cached object (elf_get/elf_put) */
};

/* Read PATH. On failure returns NULL and, in *why, a message (to free)
 * saying what is wrong, e.g. "not an ELF file" or "32-bit ELF objects are
 * not supported". */
struct elf_file *elf_read(const char *path, char **why);
void elf_free(struct elf_file *ef);

/* Decode the PLT stubs in the SIZE bytes BUF of a .plt, .plt.sec or .plt.got section at
 * unrelocated address ADDR: at every multiple of 8 bytes, a "jmp *disp32(%rip)", optionally
 * behind endbr64 and with a bnd prefix (entries of 16 bytes in .plt and .plt.sec and in an IBT
 * .plt.got, of 8 in a plain .plt.got), is reported as FOUND(CTX, stub, GOT slot). */
void elf_scan_stubs(const unsigned char *buf, size_t size, uint64_t addr,
		    void (*found)(void *ctx, uint64_t stub, uint64_t got), void *ctx);

/* The value of the defined symbol NAME (of any type) in the file at PATH,
 * 0 if there is none. Reads the file; for rare lookups. */
uint64_t elf_symbol_value(const char *path, const char *name);

/* Shared, read-once objects: elf_get returns the cached object for the
 * file at PATH (reading it the first time); elf_put drops a reference. */
struct elf_file *elf_get(const char *path, char **why);
void elf_put(struct elf_file *ef);
void elf_cache_clear(void);

/* The function containing unrelocated ADDR, or NULL. */
const struct elf_sym *elf_sym_at(const struct elf_file *ef, uint64_t addr);
/* Is S an alias of the symbol just before it (same address)? */
bool elf_sym_is_alias(const struct elf_file *ef, const struct elf_sym *s);
/* The symbol that starts exactly at ADDR, or NULL. */
const struct elf_sym *elf_sym_exact(const struct elf_file *ef, uint64_t addr);
/* The symbols named NAME: their count, from *FIRST on in by_name. */
size_t elf_syms_named(const struct elf_file *ef, const char *name, size_t *first);
/* A defined function called NAME, or NULL. */
const struct elf_sym *elf_sym_named(const struct elf_file *ef, const char *name);

#endif
