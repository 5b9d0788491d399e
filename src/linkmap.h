/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The dynamic linker's r_debug and link_map list, read from the tracee. */
#ifndef LTRACE_LINKMAP_H
#define LTRACE_LINKMAP_H

#include <stdbool.h>
#include <stdint.h>

struct process;

struct r_debug_info {
	int version;
	uint64_t map;   /* first link_map node */
	uint64_t brk;   /* r_brk: called around every change */
	int state;      /* RT_CONSISTENT, RT_ADD, RT_DELETE */
	uint64_t next;  /* r_next (version 2): the next namespace's r_debug */
};

/* Find r_debug through DT_DEBUG of the main program's dynamic section in
 * memory (DYNAMIC is its run-time address). 0 if not (yet) published. */
uint64_t linkmap_find_r_debug(struct process *p, uint64_t dynamic);
int linkmap_read_r_debug(struct process *p, uint64_t addr, struct r_debug_info *out);

/* Call FN for every object of the list but the vDSO (the main program's
 * name is empty), with its l_addr and l_ld (the address of its
 * dynamic section, inside one of its mappings). Returns 0 when the whole
 * list was walked, -1 if it could not be read, -2 when it is cyclic or
 * longer than LINKMAP_MAX_NODES (the tracee's memory is not to be trusted:
 * the walk is bounded, and what it saw is only part of the list). */
#define LINKMAP_MAX_NODES 65536
/* Namespaces (r_debug_extended's r_next chain) walked at most. */
#define LINKMAP_MAX_NS 64
typedef void (*linkmap_fn)(struct process *p, uint64_t node, uint64_t l_addr, uint64_t l_ld,
			   const char *name, void *arg);
/* Nodes KNOWN says it knows are passed with their name unread (NULL, and
 * the vDSO not told apart): a name costs a read of up to 4 KiB. */
typedef bool (*linkmap_known_fn)(uint64_t node, void *arg);
int linkmap_walk(struct process *p, uint64_t first, linkmap_known_fn known, linkmap_fn fn,
		 void *arg);

#endif
