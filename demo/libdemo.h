/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A tiny shared library linked into the demo so that its calls go through
 * the PLT and are rendered with the prototypes of demo.conf. */
#ifndef LTRACE_DEMO_LIBDEMO_H
#define LTRACE_DEMO_LIBDEMO_H

enum demo_color { DEMO_RED, DEMO_GREEN, DEMO_BLUE };

struct demo_point {
	int x;
	int y;
};

struct demo_node {
	int value;
	struct demo_node *next;
};

int demo_sum(const int *values, int count);
long demo_dist2(const struct demo_point *a, const struct demo_point *b);
const char *demo_color_name(enum demo_color color);
unsigned demo_flags(unsigned mask);
int demo_list_len(const struct demo_node *head);
int demo_fill(char *buf, unsigned long size, int n);

#endif
