// SPDX-License-Identifier: GPL-2.0-or-later
/* Open-addressing hash table of breakpoints (linear probing, tombstones
 * avoided by backward-shift deletion). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "breakpoint.h"
#include "common.h"

static size_t hash_addr(uint64_t a, size_t cap)
{
	a ^= a >> 33;
	a *= 0xff51afd7ed558ccdULL;
	a ^= a >> 33;
	return (size_t)a & (cap - 1);
}

struct breakpoint *bp_lookup(const struct bptable *t, uint64_t addr)
{
	if (!t->cap)
		return NULL;
	for (size_t i = hash_addr(addr, t->cap);; i = (i + 1) & (t->cap - 1)) {
		struct breakpoint *bp = t->slots[i];
		if (!bp)
			return NULL;
		if (bp->addr == addr)
			return bp;
	}
}

static void insert_slot(struct breakpoint **slots, size_t cap, struct breakpoint *bp)
{
	size_t i = hash_addr(bp->addr, cap);
	while (slots[i])
		i = (i + 1) & (cap - 1);
	slots[i] = bp;
}

struct breakpoint *bp_get(struct bptable *t, uint64_t addr)
{
	struct breakpoint *bp = bp_lookup(t, addr);
	if (bp)
		return bp;
	if ((t->count + 1) * 2 > t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 64;
		struct breakpoint **ns = xcalloc(ncap, sizeof(*ns));
		for (size_t i = 0; i < t->cap; i++)
			if (t->slots[i])
				insert_slot(ns, ncap, t->slots[i]);
		free(t->slots);
		t->slots = ns;
		t->cap = ncap;
	}
	bp = xcalloc(1, sizeof(*bp));
	bp->addr = addr;
	insert_slot(t->slots, t->cap, bp);
	t->count++;
	return bp;
}

void call_site_free(struct call_site *cs)
{
	if (!cs)
		return;
	free(cs->name);
	free(cs);
}

static void bp_free(struct breakpoint *bp)
{
	call_site_free(bp->call);
	free(bp->ifunc_name);
	free(bp);
}

void bp_remove(struct bptable *t, uint64_t addr)
{
	if (!t->cap)
		return;
	size_t mask = t->cap - 1, i = hash_addr(addr, t->cap);
	while (t->slots[i] && t->slots[i]->addr != addr)
		i = (i + 1) & mask;
	struct breakpoint *bp = t->slots[i];
	if (!bp)
		return;
	bp_free(bp);
	t->slots[i] = NULL;
	t->count--;
	/* Shift back the entries of the cluster that follows. */
	for (size_t j = (i + 1) & mask; t->slots[j]; j = (j + 1) & mask) {
		struct breakpoint *e = t->slots[j];
		t->slots[j] = NULL;
		insert_slot(t->slots, t->cap, e);
	}
}

void bp_foreach(struct bptable *t, void (*fn)(struct breakpoint *bp, void *arg), void *arg)
{
	for (size_t i = 0; i < t->cap; i++)
		if (t->slots[i])
			fn(t->slots[i], arg);
}

void bptable_free(struct bptable *t)
{
	for (size_t i = 0; i < t->cap; i++) {
		if (t->slots[i])
			bp_free(t->slots[i]);
	}
	free(t->slots);
	memset(t, 0, sizeof(*t));
}
