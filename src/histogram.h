/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --histogram: a function's latencies drawn as log2 rows, one per power of two of
 * microseconds, "[lo, hi)  count |@@@@   |". */
#ifndef LTRACE_HISTOGRAM_H
#define LTRACE_HISTOGRAM_H

#include <stdbool.h>
#include <stdio.h>

struct latency;

struct histogram_style {
	int width;    /* columns of a row, bar included */
	bool unicode; /* block characters in eighths; else '@' */
};

/* For output to OUT: a terminal's width and block characters (when the locale says UTF-8);
 * else $COLUMNS or 80 columns, plain ASCII. */
struct histogram_style histogram_style_for(FILE *out);

/* NAME's rows, from the lowest to the highest row that holds a call, after a title line. */
void histogram_print(FILE *out, const char *name, const struct latency *l,
		     const struct histogram_style *style);

#endif
