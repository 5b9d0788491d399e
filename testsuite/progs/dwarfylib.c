// SPDX-License-Identifier: GPL-2.0-or-later
/* libdwarfy.so: see dwarfy.h. */
#include <string.h>

#include "dwarfy.h"

int d_add(int a, int b) { return a + b; }

counter_t d_count(const char *s, unsigned short limit)
{
	size_t n = strlen(s);

	return n < limit ? n : limit;
}

double d_scale(double v, float f) { return v * f; }
void d_void(void) { }
enum shade d_shade(enum shade s) { return s == DARK ? LIGHT : (enum shade)9; }
bool d_flag(bool b) { return !b; }
struct point d_point(struct point p, const struct point *q)
{
	return (struct point){ p.x + q->x, p.y + q->y };
}

int d_list(struct dlist *l)
{
	int n = 0;

	for (; l; l = l->next)
		n++;
	return n;
}

int d_union(union either e) { return e.i != 0; }
int d_rec(struct rec *r) { return (int)r->w; }
void *d_opaque(void *p, int (*cb)(int)) { return cb ? p : NULL; }
char d_char(char c, signed char sc, unsigned char uc) { return (char)(c + 1); }
