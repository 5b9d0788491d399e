/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A mapped object: an ELF file at a load bias in one address space. */
#ifndef LTRACE_LIBRARY_H
#define LTRACE_LIBRARY_H

#include <stdbool.h>
#include <stdint.h>

#include "elf_file.h"
#include "filter.h"
#include "mapped.h"

struct library {
	struct elf_file *elf;
	char *path;
	char *real_path;  /* PATH with symbolic links resolved (NULL if it cannot be) */
	char *file;       /* where we read it from, if not PATH (NULL) */
	char *name;       /* SONAME, else the basename of the path */
	uint64_t bias;    /* load bias added to the file's addresses */
	uint64_t lo, hi;  /* mapped extent in the tracee */
	uint64_t lm_node; /* address of its link_map node, 0 for none */
	uint64_t ns;      /* r_debug of its namespace */
	unsigned seen;    /* mark of the last link map walk that listed it */
	bool is_main;
	unsigned refs;    /* address spaces using it (fork children share) */
	struct filter_lib flib; /* how filters see it */
	struct code_ranges code; /* its executable mappings: where its traps may go */
};

struct library *library_new(struct elf_file *ef, const char *path, uint64_t bias, bool is_main);
/* The tracee maps it from FILE (a path of ours), which it sees as SEEN_AS
 * (NULL if unknown): the real path for filters. */
void library_set_file(struct library *lib, const char *file, const char *seen_as);
/* Drop one reference; the last one frees. */
void library_free(struct library *lib);
static inline struct library *library_ref(struct library *lib)
{
	lib->refs++;
	return lib;
}
static inline bool library_contains(const struct library *lib, uint64_t addr)
{
	return addr >= lib->lo && addr < lib->hi;
}

/* May a trap for LIB go at ADDR (an instruction of LEN bytes)? Only in its
 * extent and in an executable mapping of its file, whatever its ELF headers
 * or the tracee's link map say. */
static inline bool library_code_at(const struct library *lib, uint64_t addr, size_t len)
{
	return library_contains(lib, addr) && code_ranges_hold(&lib->code, addr, len);
}

#endif
