// SPDX-License-Identifier: GPL-2.0-or-later
/* Reading r_debug and link_map (glibc's <link.h> layout for LP64). */
#include "config.h"

#include <elf.h>
#include <string.h>

#include "common.h"
#include "linkmap.h"
#include "proc.h"

/* struct r_debug: int r_version; link_map *r_map; Elf64_Addr r_brk;
 * enum r_state; Elf64_Addr r_ldbase; and for version 2, r_debug_extended's
 * r_next after it. */
struct r_debug64 {
	int32_t version;
	int32_t pad;
	uint64_t map;
	uint64_t brk;
	int32_t state;
	int32_t pad2;
	uint64_t ldbase;
	uint64_t next;
};

/* struct link_map: l_addr, l_name, l_ld, l_next, l_prev. */
struct link_map64 {
	uint64_t addr;
	uint64_t name;
	uint64_t ld;
	uint64_t next;
	uint64_t prev;
};

uint64_t linkmap_find_r_debug(struct process *p, uint64_t dynamic)
{
	Elf64_Dyn dyn[32];
	/* The dynamic section is short; read it in a few chunks. */
	for (uint64_t at = dynamic; at < dynamic + 64 * sizeof(dyn); at += sizeof(dyn)) {
		ssize_t n = proc_read_partial(p, at, dyn, sizeof(dyn));
		if (n < (ssize_t)sizeof(Elf64_Dyn))
			return 0;
		for (size_t i = 0; i < (size_t)n / sizeof(Elf64_Dyn); i++) {
			if (dyn[i].d_tag == DT_NULL)
				return 0;
			if (dyn[i].d_tag == DT_DEBUG)
				return dyn[i].d_un.d_ptr;
		}
	}
	return 0;
}

int linkmap_read_r_debug(struct process *p, uint64_t addr, struct r_debug_info *out)
{
	struct r_debug64 rd;
	memset(&rd, 0, sizeof(rd));
	if (proc_read(p, addr, &rd, offsetof(struct r_debug64, next)) != 0)
		return -1;
	if (rd.version >= 2 && proc_read(p, addr + offsetof(struct r_debug64, next), &rd.next, 8))
		rd.next = 0;
	*out = (struct r_debug_info){ rd.version, rd.map, rd.brk, rd.state,
				      rd.version >= 2 ? rd.next : 0 };
	return 0;
}

static bool is_vdso(const char *name)
{
	return !strcmp(name, "linux-vdso.so.1") || !strcmp(name, "linux-gate.so.1") ||
	       !strcmp(name, "linux-vdso64.so.1") || !strcmp(name, "linux-vdso32.so.1");
}

int linkmap_walk(struct process *p, uint64_t first, linkmap_known_fn known, linkmap_fn fn,
		 void *arg)
{
	/* A corrupt list must not loop: cycles are caught at once (Brent's
	 * algorithm: compare with a node saved at every power of two), and
	 * the length is bounded. */
	uint64_t saved = 0;
	size_t power = 1, since = 0, count = 0;
	for (uint64_t node = first; node; since++) {
		if (node == saved || count++ >= LINKMAP_MAX_NODES)
			return -2;
		if (since == power) {
			saved = node;
			power *= 2;
			since = 0;
		}
		struct link_map64 lm;
		if (proc_read(p, node, &lm, sizeof(lm)) != 0)
			return -1;
		if (known && known(node, arg)) {
			fn(p, node, lm.addr, lm.ld, NULL, arg);
			node = lm.next;
			continue;
		}
		char name[4096];
		name[0] = '\0';
		if (lm.name) {
			ssize_t n = proc_read_partial(p, lm.name, name, sizeof(name) - 1);
			name[n > 0 ? n : 0] = '\0';
			name[sizeof(name) - 1] = '\0';
		}
		if (!is_vdso(name))
			fn(p, node, lm.addr, lm.ld, name, arg);
		node = lm.next;
	}
	return 0;
}
