/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The -c summary (spec 2.6): the time and number of calls of every traced function, printed
 * as one table when ltrace exits. Durations are kept per function name (not per library), like
 * ltrace 0.7.
 */
#ifndef LTRACE_SUMMARY_H
#define LTRACE_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

struct latency;

/* Keep the distribution of every function's times too: LATENCY for the -c --latency columns
 * (calls, total, avg, min, p50, p90, p99, max), HISTOGRAM for a log2 histogram per function
 * after the table. Call before the first summary_add. */
void summary_enable(bool latency, bool histogram);

/* Account one finished (or abandoned) call of NAME that took DURATION. NAME is copied. */
void summary_add(const char *name, const struct timespec *duration);

/*
 * Print the table: header, one row per function sorted by total time descending (ties: more
 * calls first, then by name), the totals line. Names are passed through demangle() when
 * DEMANGLE_NAMES is set. Prints the header and a zero totals line when nothing was recorded.
 */
void summary_print(FILE *out, bool demangle_names);

/* One function's line of the table. */
struct summary_row {
	const char *name;
	uint64_t ns;         /* total time of its calls */
	unsigned long calls;
	struct latency *lat; /* with --latency: the distribution of its times; else NULL */
};
/* The rows in the table's order (NAME valid until summary_clear); free() the array. */
struct summary_row *summary_rows(size_t *n);
/* Forget everything recorded so far (tests; a new session). */
void summary_clear(void);

#endif
