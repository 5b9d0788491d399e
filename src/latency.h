/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Latency statistics of one function (-c --latency, --histogram): count, total, min, max,
 * quantiles and log2 histogram rows, in nanoseconds. The first LATENCY_EXACT samples are kept
 * as they are, so quantiles of small counts are exact; beyond that they go into log-linear
 * buckets (HdrHistogram's layout: every power of two split into 128 equal sub-buckets), whose
 * representative value is within 0.4 % of any value in the bucket. Memory is bounded: at most
 * one 1 KiB block per power of two that a value fell into, however many calls.
 */
#ifndef LTRACE_LATENCY_H
#define LTRACE_LATENCY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LATENCY_EXACT 512
#define LATENCY_SUB_BITS 7
#define LATENCY_CHUNKS (64 - LATENCY_SUB_BITS + 1)
/* log2 histogram rows: row 0 holds [0, 1) us, row k [2^(k-1), 2^k) us. */
#define LATENCY_LOG2_ROWS 65

struct latency {
	uint64_t count, total, min, max;
	uint64_t *exact;           /* the first samples, while count <= LATENCY_EXACT */
	uint64_t *chunk[LATENCY_CHUNKS]; /* then: bucket counts, one block per power of two */
	uint64_t log2[LATENCY_LOG2_ROWS]; /* whole-microsecond log2 rows, exact */
};

void latency_init(struct latency *l);
void latency_add(struct latency *l, uint64_t ns);
/* The Q-quantile (0 < Q <= 1) by nearest rank: the value of rank ceil(Q * count) in sorted
 * order; exact while the samples are kept, else within 0.4 %. 0 when empty. */
uint64_t latency_quantile(struct latency *l, double q);
/* Are the samples still kept exactly? */
bool latency_is_exact(const struct latency *l);
void latency_free(struct latency *l);

/* Bounds of log2 row K in microseconds: [*lo, *hi). */
void latency_log2_bounds(unsigned k, uint64_t *lo, uint64_t *hi);



/* NS for a table cell: three significant digits and a unit, "812ns", "53.2us", "1.50s". */
void latency_format(char *buf, size_t size, uint64_t ns);

#endif
