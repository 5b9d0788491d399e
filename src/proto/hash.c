/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "proto/hash.h"

static uint64_t hash_str(const char *s)
{
	/* FNV-1a: short symbol names, no adversary. */
	uint64_t h = 1469598103934665603ULL;

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return h;
}

static struct shash_ent *slot(const struct shash *h, const char *key)
{
	size_t i = hash_str(key) & (h->cap - 1);

	while (h->ents[i].key && strcmp(h->ents[i].key, key))
		i = (i + 1) & (h->cap - 1);
	return &h->ents[i];
}

void *shash_get(const struct shash *h, const char *key, int *found)
{
	struct shash_ent *e;

	if (found)
		*found = 0;
	if (!h->cap)
		return NULL;
	e = slot(h, key);
	if (!e->key)
		return NULL;
	if (found)
		*found = 1;
	return e->val;
}

void shash_put(struct shash *h, const char *key, void *val)
{
	struct shash_ent *e;

	if ((h->n + 1) * 2 > h->cap) {
		struct shash old = *h;

		h->cap = old.cap ? old.cap * 2 : 16;
		h->ents = xcalloc(h->cap, sizeof(*h->ents));
		h->n = 0;
		for (size_t i = 0; i < old.cap; i++) {
			if (old.ents[i].key) {
				*slot(h, old.ents[i].key) = old.ents[i];
				h->n++;
			}
		}
		free(old.ents);
	}
	e = slot(h, key);
	if (!e->key) {
		e->key = xstrdup(key);
		h->n++;
	}
	e->val = val;
}

void shash_free(struct shash *h)
{
	for (size_t i = 0; i < h->cap; i++)
		free(h->ents[i].key);
	free(h->ents);
	h->ents = NULL;
	h->cap = h->n = 0;
}
