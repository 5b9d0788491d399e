// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The -c summary table (spec 2.6). Calls are accumulated per function name in a hash table
 * (open addressing over a growable array of entries), in nanoseconds; the table converts to
 * microseconds only when printing, so that many short calls do not lose their fractions.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "demangle.h"
#include "escape.h"
#include "histogram.h"
#include "latency.h"
#include "strbuf.h"
#include "summary.h"

struct entry {
	char *name;
	uint64_t hash;
	uint64_t ns;       /* total time of all calls */
	unsigned long calls;
	struct latency *lat; /* --latency, --histogram */
};

static bool want_latency, want_histogram;

void summary_enable(bool latency, bool histogram)
{
	want_latency = latency;
	want_histogram = histogram;
}

static struct entry *entries;
static size_t n_entries, cap_entries;
/* Slots hold an index into entries plus one; 0 marks a free slot. Size is a power of two. */
static size_t *slots;
static size_t n_slots;

/* FNV-1a: short names, good enough spread, no dependencies. */
static uint64_t hash_name(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static void slot_insert(size_t idx)
{
	size_t mask = n_slots - 1;
	size_t i = entries[idx].hash & mask;

	while (slots[i])
		i = (i + 1) & mask;
	slots[i] = idx + 1;
}

/* Keep the load factor at or below one half so that probe chains stay short. */
static void maybe_grow_slots(void)
{
	if (n_slots && (n_entries + 1) * 2 <= n_slots)
		return;
	free(slots);
	n_slots = n_slots ? n_slots * 2 : 64;
	slots = xcalloc(n_slots, sizeof(*slots));
	for (size_t i = 0; i < n_entries; i++)
		slot_insert(i);
}

static struct entry *lookup(const char *name)
{
	uint64_t h = hash_name(name);

	if (n_slots) {
		size_t mask = n_slots - 1;
		for (size_t i = h & mask; slots[i]; i = (i + 1) & mask) {
			struct entry *e = &entries[slots[i] - 1];
			if (e->hash == h && strcmp(e->name, name) == 0)
				return e;
		}
	}
	maybe_grow_slots();
	grow_array((void **)&entries, &cap_entries, n_entries + 1, sizeof(*entries));
	struct entry *e = &entries[n_entries];
	e->name = xstrdup(name);
	e->hash = h;
	e->ns = 0;
	e->calls = 0;
	e->lat = NULL;
	if (want_latency || want_histogram) {
		e->lat = xmalloc(sizeof(*e->lat));
		latency_init(e->lat);
	}
	slot_insert(n_entries++);
	return e;
}

void summary_add(const char *name, const struct timespec *duration)
{
	struct entry *e = lookup(name);
	uint64_t ns = 0;

	/* A clock that went backwards must not wrap around to centuries. */
	if (duration && duration->tv_sec >= 0 && duration->tv_nsec >= 0)
		ns = (uint64_t)duration->tv_sec * 1000000000u + (uint64_t)duration->tv_nsec;
	e->ns += ns;
	e->calls++;
	if (e->lat)
		latency_add(e->lat, ns);
}

void summary_clear(void)
{
	for (size_t i = 0; i < n_entries; i++) {
		free(entries[i].name);
		if (entries[i].lat)
			latency_free(entries[i].lat);
		free(entries[i].lat);
	}
	free(entries);
	free(slots);
	entries = NULL;
	slots = NULL;
	n_entries = cap_entries = n_slots = 0;
}

static int by_time_desc(const void *pa, const void *pb)
{
	const struct entry *a = *(const struct entry *const *)pa;
	const struct entry *b = *(const struct entry *const *)pb;

	if (a->ns != b->ns)
		return a->ns > b->ns ? -1 : 1;
	/* Equal times (common with coarse clocks): a stable, reproducible order. */
	if (a->calls != b->calls)
		return a->calls > b->calls ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* The entries by total time, descending; free() the array. */
static struct entry **sorted_entries(void)
{
	struct entry **order = xcalloc(n_entries ? n_entries : 1, sizeof(*order));

	for (size_t i = 0; i < n_entries; i++)
		order[i] = &entries[i];
	qsort(order, n_entries, sizeof(*order), by_time_desc);
	return order;
}

struct summary_row *summary_rows(size_t *n)
{
	struct entry **order = sorted_entries();
	struct summary_row *rows = xcalloc(n_entries ? n_entries : 1, sizeof(*rows));

	for (size_t i = 0; i < n_entries; i++)
		rows[i] = (struct summary_row){ order[i]->name, order[i]->ns, order[i]->calls,
						want_latency ? order[i]->lat : NULL };
	free(order);
	*n = n_entries;
	return rows;
}

/* The tracee's symbol NAME, escaped as in the call lines (escape.h), then END. */
static void put_escaped_line(FILE *out, const char *name, const char *end)
{
	struct strbuf sb = STRBUF_INIT;
	sb_puts_escaped(&sb, name);
	sb_puts(&sb, end);
	fputs(sb_str(&sb), out);
	sb_free(&sb);
}

/* Hundredths of a percent of TOTAL, rounded half up; 128 bits so that long runs cannot
 * overflow the product. All-zero times give 0.00 rather than a division by 0. */
static uint64_t percent_cent(uint64_t ns, uint64_t total_ns)
{
	if (!total_ns)
		return 0;
	return (uint64_t)(((unsigned __int128)ns * 10000 + total_ns / 2) / total_ns);
}

static const char lat_rule[] = "------ ----------- --------- --------- --------- --------- "
			       "--------- --------- --------- --------------------\n";

/* -c --latency: per function calls, total, mean and the distribution. */
static void print_latency_table(FILE *out, struct entry **order, uint64_t total_ns,
				unsigned long total_calls, bool demangle_names)
{
	fputs("% time     seconds     calls       avg       min       p50       p90       p99"
	      "       max function\n", out);
	fputs(lat_rule, out);
	for (size_t i = 0; i < n_entries; i++) {
		struct entry *e = order[i];
		uint64_t cent = percent_cent(e->ns, total_ns), us = e->ns / 1000;
		uint64_t v[6] = { e->ns / e->calls, e->lat->min, latency_quantile(e->lat, 0.5),
				  latency_quantile(e->lat, 0.9), latency_quantile(e->lat, 0.99),
				  e->lat->max };
		fprintf(out, "%3llu.%02llu %4llu.%06llu %9lu", (unsigned long long)(cent / 100),
			(unsigned long long)(cent % 100), (unsigned long long)(us / 1000000),
			(unsigned long long)(us % 1000000), e->calls);
		for (size_t k = 0; k < ARRAY_SIZE(v); k++) {
			char cell[32];
			latency_format(cell, sizeof(cell), v[k]);
			fprintf(out, " %9s", cell);
		}
		fputc(' ', out);
		put_escaped_line(out, demangle_names ? demangle(e->name) : e->name, "\n");
	}
	fputs(lat_rule, out);
	uint64_t total_us = total_ns / 1000;
	fprintf(out, "100.00 %4llu.%06llu %9lu %59s total\n",
		(unsigned long long)(total_us / 1000000), (unsigned long long)(total_us % 1000000),
		total_calls, "");
}

static const char rule[] = "------ ----------- ----------- --------- --------------------\n";

void summary_print(FILE *out, bool demangle_names)
{
	struct entry **order = sorted_entries();
	uint64_t total_ns = 0;
	unsigned long total_calls = 0;

	for (size_t i = 0; i < n_entries; i++) {
		total_ns += entries[i].ns;
		total_calls += entries[i].calls;
	}

	if (want_latency) {
		print_latency_table(out, order, total_ns, total_calls, demangle_names);
		goto histograms;
	}
	fputs("% time     seconds  usecs/call     calls      function\n", out);
	fputs(rule, out);
	for (size_t i = 0; i < n_entries; i++) {
		const struct entry *e = order[i];
		uint64_t us = e->ns / 1000;
		uint64_t cent = percent_cent(e->ns, total_ns);
		const char *name = demangle_names ? demangle(e->name) : e->name;
		fprintf(out, "%3llu.%02llu %4llu.%06llu %11llu %9lu ",
			(unsigned long long)(cent / 100), (unsigned long long)(cent % 100),
			(unsigned long long)(us / 1000000), (unsigned long long)(us % 1000000),
			(unsigned long long)(us / e->calls), e->calls);
		put_escaped_line(out, name, "\n");
	}
	fputs(rule, out);
	uint64_t total_us = total_ns / 1000;
	fprintf(out, "100.00 %4llu.%06llu             %9lu total\n",
		(unsigned long long)(total_us / 1000000), (unsigned long long)(total_us % 1000000),
		total_calls);
histograms:
	if (want_histogram) {
		struct histogram_style style = histogram_style_for(out);
		for (size_t i = 0; i < n_entries; i++) {
			const struct entry *e = order[i];
			fputc('\n', out);
			struct strbuf name = STRBUF_INIT;
			sb_puts_escaped(&name, demangle_names ? demangle(e->name) : e->name);
			histogram_print(out, sb_str(&name), e->lat, &style);
			sb_free(&name);
		}
	}
	free(order);
}
