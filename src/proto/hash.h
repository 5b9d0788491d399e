/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A small string-keyed hash table (open addressing) for the prototype
 * database: names are looked up at every traced call. */
#ifndef LTRACE_PROTO_HASH_H
#define LTRACE_PROTO_HASH_H

#include <stddef.h>

struct shash_ent {
	char *key; /* owned copy; NULL for an empty slot */
	void *val;
};

struct shash {
	struct shash_ent *ents;
	size_t cap; /* power of two */
	size_t n;
};

/* Returns the slot's value, or NULL; *FOUND tells a stored NULL apart. */
void *shash_get(const struct shash *h, const char *key, int *found);
/* Insert or replace. */
void shash_put(struct shash *h, const char *key, void *val);
void shash_free(struct shash *h);

#endif
