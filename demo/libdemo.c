/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>

#include "libdemo.h"

int demo_sum(const int *values, int count)
{
	int sum = 0;

	for (int i = 0; i < count; i++)
		sum += values[i];
	return sum;
}

long demo_dist2(const struct demo_point *a, const struct demo_point *b)
{
	long dx = a->x - b->x, dy = a->y - b->y;

	return dx * dx + dy * dy;
}

const char *demo_color_name(enum demo_color color)
{
	static const char *const names[] = { "red", "green", "blue" };

	return (unsigned)color < 3 ? names[color] : "?";
}

unsigned demo_flags(unsigned mask)
{
	return mask | 1u;
}

int demo_list_len(const struct demo_node *head)
{
	int n = 0;

	for (; head; head = head->next)
		n++;
	return n;
}

/* An output argument: the buffer is filled here, so demo.conf marks it with
 * '+' and ltrace prints it only when the call returns. */
int demo_fill(char *buf, unsigned long size, int n)
{
	return snprintf(buf, size, "filled %d", n);
}
