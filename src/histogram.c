// SPDX-License-Identifier: GPL-2.0-or-later
/* Log2 latency histograms. Rows come from struct latency's exact whole-microsecond counts. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "common.h"
#include "histogram.h"
#include "latency.h"
#include "strbuf.h"

static bool utf8_locale(void)
{
	const char *vars[] = { "LC_ALL", "LC_CTYPE", "LANG" };
	for (size_t i = 0; i < ARRAY_SIZE(vars); i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return strcasestr(v, "utf-8") || strcasestr(v, "utf8");
	}
	return false;
}

struct histogram_style histogram_style_for(FILE *out)
{
	struct histogram_style st = { 80, false };
	int fd = fileno(out);
	struct winsize ws;
	if (fd >= 0 && isatty(fd)) {
		if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
			st.width = ws.ws_col;
		st.unicode = utf8_locale();
		return st;
	}
	const char *cols = getenv("COLUMNS");
	if (cols && *cols) {
		char *end;
		long v = strtol(cols, &end, 10);
		if (*end == '\0' && v > 0 && v < 10000)
			st.width = (int)v;
	}
	return st;
}

/* A bound as bpftrace's hist() writes it: 1024-multiples with K, M, G, T, P, E. */
static void put_bound(struct strbuf *sb, uint64_t v)
{
	static const char suffix[] = " KMGTPE";
	unsigned i = 0;
	while (v >= 1024 && v % 1024 == 0 && i + 1 < sizeof(suffix) - 1) {
		v /= 1024;
		i++;
	}
	sb_printf(sb, "%llu", (unsigned long long)v);
	if (i)
		sb_putc(sb, suffix[i]);
}

static void row_label(struct strbuf *sb, unsigned k)
{
	uint64_t lo, hi;
	latency_log2_bounds(k, &lo, &hi);
	sb_putc(sb, '[');
	put_bound(sb, lo);
	sb_puts(sb, ", ");
	if (hi == UINT64_MAX)
		sb_puts(sb, "...");
	else
		put_bound(sb, hi);
	sb_putc(sb, ')');
}

static void put_bar(struct strbuf *sb, uint64_t count, uint64_t max, int barw, bool unicode)
{
	/* In eighths of a column; a plain bar shows whole columns only. */
	uint64_t eighths = max ? (uint64_t)((unsigned __int128)count * (uint64_t)barw * 8 / max) : 0;
	int full = (int)(eighths / 8), used = 0;
	for (; used < full; used++)
		sb_puts(sb, unicode ? "\u2588" : "@");
	if (unicode && eighths % 8) {
		/* U+2589 (7/8) down to U+258F (1/8). */
		static const char *const part[8] = { "", "\u258f", "\u258e", "\u258d",
						     "\u258c", "\u258b", "\u258a", "\u2589" };
		sb_puts(sb, part[eighths % 8]);
		used++;
	}
	for (; used < barw; used++)
		sb_putc(sb, ' ');
}

void histogram_print(FILE *out, const char *name, const struct latency *l,
		     const struct histogram_style *style)
{
	unsigned first = LATENCY_LOG2_ROWS, last = 0;
	uint64_t max = 0;
	for (unsigned k = 0; k < LATENCY_LOG2_ROWS; k++) {
		if (!l->log2[k])
			continue;
		if (first == LATENCY_LOG2_ROWS)
			first = k;
		last = k;
		if (l->log2[k] > max)
			max = l->log2[k];
	}
	fprintf(out, "%s (latency in us):\n", name);
	if (first == LATENCY_LOG2_ROWS)
		return;
	size_t labelw = 0;
	for (unsigned k = first; k <= last; k++) {
		struct strbuf sb = STRBUF_INIT;
		row_label(&sb, k);
		if (sb.len > labelw)
			labelw = sb.len;
		sb_free(&sb);
	}
	int countw = snprintf(NULL, 0, "%llu", (unsigned long long)max);
	if (countw < 6)
		countw = 6;
	int barw = style->width - (int)labelw - countw - 4;
	if (barw < 10)
		barw = 10;
	for (unsigned k = first; k <= last; k++) {
		struct strbuf sb = STRBUF_INIT;
		row_label(&sb, k);
		while (sb.len < labelw)
			sb_putc(&sb, ' ');
		sb_printf(&sb, " %*llu |", countw, (unsigned long long)l->log2[k]);
		put_bar(&sb, l->log2[k], max, barw, style->unicode);
		sb_puts(&sb, "|\n");
		fputs(sb_str(&sb), out);
		sb_free(&sb);
	}
}
