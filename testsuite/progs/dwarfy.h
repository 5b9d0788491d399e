/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libdwarfy.so: built with -g and described by no prototype file; dwarf.test expects the
 * tracer to derive these prototypes from its DWARF information. */
#ifndef DWARFY_H
#define DWARFY_H

#include <stdbool.h>

enum shade { DARK = 1, LIGHT = 2 };
typedef unsigned long counter_t;
struct point { int x, y; };
struct dlist { int v; struct dlist *next; };
union either { int i; float f; };
struct rec { char tag[4]; double w; };

int d_add(int a, int b);
counter_t d_count(const char *s, unsigned short limit);
double d_scale(double v, float f);
void d_void(void);
enum shade d_shade(enum shade s);
bool d_flag(bool b);
struct point d_point(struct point p, const struct point *q);
int d_list(struct dlist *l);
int d_union(union either e);
int d_rec(struct rec *r);
void *d_opaque(void *p, int (*cb)(int));
char d_char(char c, signed char sc, unsigned char uc);

#endif
