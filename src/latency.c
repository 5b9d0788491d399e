// SPDX-License-Identifier: GPL-2.0-or-later
/* Latency statistics: exact samples first, then log-linear buckets (see latency.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "latency.h"

#define SUB (1u << LATENCY_SUB_BITS)

void latency_init(struct latency *l)
{
	memset(l, 0, sizeof(*l));
}

/* Which chunk and sub-bucket V falls into. Below 2^SUB_BITS every value has a bucket of its
 * own (chunk 0); above, chunk C covers [2^(C+SUB_BITS-1), 2^(C+SUB_BITS)) in SUB equal parts. */
static void bucket_of(uint64_t v, unsigned *c, unsigned *s)
{
	if (v < SUB) {
		*c = 0;
		*s = (unsigned)v;
		return;
	}
	unsigned e = 63 - (unsigned)__builtin_clzll(v);
	*c = e - LATENCY_SUB_BITS + 1;
	*s = (unsigned)(v >> (e - LATENCY_SUB_BITS)) - SUB;
}

/* The value a bucket stands for: its middle (its only value in chunk 0). */
static uint64_t bucket_value(unsigned c, unsigned s)
{
	if (c == 0)
		return s;
	unsigned shift = c - 1;
	uint64_t lo = ((uint64_t)SUB + s) << shift;
	return lo + ((1ULL << shift) >> 1);
}

static void bucket_add(struct latency *l, uint64_t v, uint64_t n)
{
	unsigned c, s;
	bucket_of(v, &c, &s);
	if (!l->chunk[c])
		l->chunk[c] = xcalloc(SUB, sizeof(**l->chunk));
	l->chunk[c][s] += n;
}

void latency_add(struct latency *l, uint64_t ns)
{
	if (l->count == 0 || ns < l->min)
		l->min = ns;
	if (ns > l->max)
		l->max = ns;
	l->total += ns;
	uint64_t us = ns / 1000;
	l->log2[us ? 64 - __builtin_clzll(us) : 0]++;
	if (l->count < LATENCY_EXACT) {
		if (!l->exact)
			l->exact = xmalloc(LATENCY_EXACT * sizeof(*l->exact));
		l->exact[l->count++] = ns;
		return;
	}
	if (l->exact) {
		/* One past the exact limit: the kept samples move into the buckets. */
		for (size_t i = 0; i < LATENCY_EXACT; i++)
			bucket_add(l, l->exact[i], 1);
		free(l->exact);
		l->exact = NULL;
	}
	l->count++;
	bucket_add(l, ns, 1);
}

bool latency_is_exact(const struct latency *l)
{
	return l->count <= LATENCY_EXACT;
}

static int cmp_u64(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
	return a < b ? -1 : a > b;
}

uint64_t latency_quantile(struct latency *l, double q)
{
	if (l->count == 0)
		return 0;
	uint64_t rank = (uint64_t)(q * (double)l->count);
	if ((double)rank < q * (double)l->count)
		rank++;
	if (rank < 1)
		rank = 1;
	if (rank > l->count)
		rank = l->count;
	if (l->exact) {
		qsort(l->exact, l->count, sizeof(*l->exact), cmp_u64);
		return l->exact[rank - 1];
	}
	uint64_t seen = 0;
	for (unsigned c = 0; c < LATENCY_CHUNKS; c++) {
		if (!l->chunk[c])
			continue;
		for (unsigned s = 0; s < SUB; s++) {
			seen += l->chunk[c][s];
			if (seen >= rank) {
				/* The extremes are known exactly: never beyond them. */
				uint64_t v = bucket_value(c, s);
				return v < l->min ? l->min : v > l->max ? l->max : v;
			}
		}
	}
	return l->max;
}

void latency_free(struct latency *l)
{
	free(l->exact);
	for (unsigned c = 0; c < LATENCY_CHUNKS; c++)
		free(l->chunk[c]);
	latency_init(l);
}

void latency_log2_bounds(unsigned k, uint64_t *lo, uint64_t *hi)
{
	*lo = k ? 1ULL << (k - 1) : 0;
	*hi = k < 64 ? 1ULL << k : UINT64_MAX;
}

void latency_format(char *buf, size_t size, uint64_t ns)
{
	static const struct {
		const char *name;
		double ns;
	} units[] = { { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 } };
	if (ns < 1000) {
		snprintf(buf, size, "%lluns", (unsigned long long)ns);
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
		double v = (double)ns / units[i].ns;
		/* Rounded to three digits it must stay below 1000, else the next unit. */
		if (v >= 999.5 && i + 1 < ARRAY_SIZE(units))
			continue;
		if (v < 9.995)
			snprintf(buf, size, "%.2f%s", v, units[i].name);
		else if (v < 99.95)
			snprintf(buf, size, "%.1f%s", v, units[i].name);
		else
			snprintf(buf, size, "%.0f%s", v, units[i].name);
		return;
	}
}
