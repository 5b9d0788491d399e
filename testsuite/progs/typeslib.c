// SPDX-License-Identifier: GPL-2.0-or-later
/* libtypes.so: trivial functions whose only purpose is to be traced with the prototypes of
 * types.conf; each returns something derived from its arguments so that the return value
 * rendering is checked too. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "types.h"

char t_char(char c) { return c; }
short t_short(short a, unsigned short b) { return (short)(a + 1); }
int t_int(int a, unsigned int b) { return a * 2; }
long t_long(long a, unsigned long b) { return a + 1; }
float t_float(float f) { return f * 2; }
double t_double(double d) { return -d; }
void t_void(void) { }
void *t_addr(void *p) { return p; }
int t_file(FILE *f) { return f != NULL; }
int t_hide(int hidden, int shown) { return hidden * shown; }
int t_oct(int mode) { return mode; }
int t_octal(int mode) { return mode & 0700; }
unsigned t_hex(unsigned v, double d) { return v + 1; }
int t_bool(int b) { return !b; }
unsigned t_bitvec(unsigned v) { return v; }
enum color t_enum(enum color c) { return c == RED ? BLUE : (enum color)7; }
short t_enum_short(short v) { return (short)(v + 1); }
size_t t_string(const char *s) { return s ? strlen(s) : 0; }
int t_string_n(const char *s, int n) { return n; }
int t_string_lit(const char *s) { return 3; }
int t_stringN(const char *s, int n) { return n; }
const char *t_string_ret(int which) { return which ? "returned" : NULL; }
int t_wstring(const wchar_t *s) { return (int)wcslen(s); }

int t_array(const int *v, int n)
{
	int s = 0;

	for (int i = 0; i < n; i++)
		s += v[i];
	return s;
}

int t_array_zero(const int *v) { int n = 0; while (v[n]) n++; return n; }
int t_array_zero_max(const int *v) { return v[0]; }
int t_array_lit(const long *v) { return (int)v[0]; }
int t_array_elt(const struct counted *c) { return c->n; }
int t_array_inline(struct inl *s) { return s->a[0] + s->a[1] + s->a[2]; }
int t_ptr(int *p) { return p ? *p : -1; }
int t_ptr2(int **pp) { return **pp; }
int t_ptr3(int ***ppp) { return ***ppp; }
int t_charp(const char *p) { return *p; }
int t_bad(int *p, const char *s, int **pp) { return 0; }

int t_s1(struct s1 s) { return s.a; }
int t_s2(struct s2 s) { return s.a; }
int t_s3(struct s3 s) { return s.a + s.b + s.c; }
int t_s4(struct s4 s) { return s.a; }
int t_s8(struct s8 s) { return s.a + s.b; }
int t_s12(struct s12 s) { return s.a + s.b + s.c; }
int t_s16(struct s16 s) { return (int)(s.a + s.b); }
int t_sff(struct sff s) { return (int)(s.a + s.b); }
int t_sfff(struct sfff s) { return (int)(s.a + s.b + s.c); }
int t_sdd(struct sdd s) { return (int)(s.a + s.b); }
int t_sif(struct sif s) { return (int)(s.a + s.b); }
int t_sdl(struct sdl s) { return (int)(s.a + s.b); }
int t_sld(struct sld s) { return (int)(s.a + s.b); }
int t_s24(struct s24 s) { return (int)(s.a + s.b + s.c); }
int t_sddd(struct sddd s) { return (int)(s.a + s.b + s.c); }
int t_named(struct named s) { return (int)strlen(s.name); }

struct s1 t_ret_s1(int a) { return (struct s1){ (char)a }; }
struct s3 t_ret_s3(int a) { return (struct s3){ (char)a, (char)(a + 1), (char)(a + 2) }; }
struct s8 t_ret_s8(int a) { return (struct s8){ a, -a }; }
struct s12 t_ret_s12(int a) { return (struct s12){ a, a * 2, a * 3 }; }
struct s16 t_ret_s16(long a) { return (struct s16){ a, a << 40 }; }
struct sff t_ret_sff(float a) { return (struct sff){ a, a / 2 }; }
struct sfff t_ret_sfff(float a) { return (struct sfff){ a, a * 2, a * 3 }; }
struct sdd t_ret_sdd(double a) { return (struct sdd){ a, -a }; }
struct sdl t_ret_sdl(double a, long b) { return (struct sdl){ a, b }; }
struct sld t_ret_sld(long a, double b) { return (struct sld){ a, b }; }
struct s24 t_ret_s24(long a, long b) { return (struct s24){ a, b, a + b }; }
struct sddd t_ret_sddd(double a) { return (struct sddd){ a, a + 1, a + 2 }; }

double t_fp_mix(int a, float b, long c, double d, char e, float f)
{
	return a + b + (double)c + d + e + f;
}

double t_fp10(double a, double b, double c, double d, double e, double f, double g,
	      double h, double i, double j)
{
	return a + b + c + d + e + f + g + h + i + j;
}

int t_stack_struct(long a, long b, long c, long d, long e, struct s16 s, int after)
{
	return (int)(s.a + s.b) + after;
}

int t_sse_stack(double a, double b, double c, double d, double e, double f, double g,
		struct sdd s, double h)
{
	return (int)(s.a + s.b + h);
}

long t_many(int a1, long a2, char a3, short a4, unsigned a5, double a6, int a7, float a8,
	    long a9, int a10, unsigned long a11, double a12, int a13, char a14, int a15,
	    double a16, long a17, int a18, double a19, int a20, double a21, int a22)
{
	return a1 + a2 + a3 + a4 + a5 + a7 + a9 + a10 + (long)a11 + a13 + a14 + a15 + a17 +
	       a18 + a20 + a22;
}

int t_printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return n;
}

int t_out(int *out) { *out = 1234; return 0; }

long t_read(int fd, char *buf, unsigned long n)
{
	memcpy(buf, "data", 4);
	return 4;
}

int t_fill(int *v, int n)
{
	for (int i = 0; i < n - 2; i++)
		v[i] = (i + 1) * 10;
	return n - 2;
}

int t_list(struct node *n)
{
	int c = 0;

	for (struct node *p = n; p && c < 100; p = p->next)
		c++;
	return c;
}
