/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The functions of libtypes.so (typeslib.c): one per type, lens and ABI case of the
 * ltrace.conf(5) language; their prototypes are in types.conf. */
#ifndef TYPES_H
#define TYPES_H

#include <stdio.h>
#include <wchar.h>

struct s1 { char a; };
struct s2 { short a; };
struct s3 { char a, b, c; };
struct s4 { int a; };
struct s8 { int a, b; };
struct s12 { int a, b, c; };
struct s16 { long a, b; };
struct sff { float a, b; };
struct sfff { float a, b, c; };
struct sdd { double a, b; };
struct sif { int a; float b; };
struct sdl { double a; long b; };
struct sld { long a; double b; };
struct s24 { long a, b, c; };
struct sddd { double a, b, c; };
struct named { char name[6]; float f; };
struct counted { int n; int *v; };
struct inl { int a[3]; char c; };
struct node { int v; struct node *next; };
enum color { RED, GREEN = 5, BLUE };

char t_char(char c);
short t_short(short a, unsigned short b);
int t_int(int a, unsigned int b);
long t_long(long a, unsigned long b);
float t_float(float f);
double t_double(double d);
void t_void(void);
void *t_addr(void *p);
int t_file(FILE *f);
int t_hide(int hidden, int shown);
int t_oct(int mode);
int t_octal(int mode);
unsigned t_hex(unsigned v, double d);
int t_bool(int b);
unsigned t_bitvec(unsigned v);
enum color t_enum(enum color c);
short t_enum_short(short v);
size_t t_string(const char *s);
int t_string_n(const char *s, int n);
int t_string_lit(const char *s);
int t_stringN(const char *s, int n);
const char *t_string_ret(int which);
int t_wstring(const wchar_t *s);
int t_array(const int *v, int n);
int t_array_zero(const int *v);
int t_array_zero_max(const int *v);
int t_array_lit(const long *v);
int t_array_elt(const struct counted *c);
int t_array_inline(struct inl *s);
int t_ptr(int *p);
int t_ptr2(int **pp);
int t_ptr3(int ***ppp);
int t_charp(const char *p);
int t_bad(int *p, const char *s, int **pp);
int t_s1(struct s1 s);
int t_s2(struct s2 s);
int t_s3(struct s3 s);
int t_s4(struct s4 s);
int t_s8(struct s8 s);
int t_s12(struct s12 s);
int t_s16(struct s16 s);
int t_sff(struct sff s);
int t_sfff(struct sfff s);
int t_sdd(struct sdd s);
int t_sif(struct sif s);
int t_sdl(struct sdl s);
int t_sld(struct sld s);
int t_s24(struct s24 s);
int t_sddd(struct sddd s);
int t_named(struct named s);
struct s1 t_ret_s1(int a);
struct s3 t_ret_s3(int a);
struct s8 t_ret_s8(int a);
struct s12 t_ret_s12(int a);
struct s16 t_ret_s16(long a);
struct sff t_ret_sff(float a);
struct sfff t_ret_sfff(float a);
struct sdd t_ret_sdd(double a);
struct sdl t_ret_sdl(double a, long b);
struct sld t_ret_sld(long a, double b);
struct s24 t_ret_s24(long a, long b);
struct sddd t_ret_sddd(double a);
double t_fp_mix(int a, float b, long c, double d, char e, float f);
double t_fp10(double a, double b, double c, double d, double e, double f, double g,
	      double h, double i, double j);
int t_stack_struct(long a, long b, long c, long d, long e, struct s16 s, int after);
int t_sse_stack(double a, double b, double c, double d, double e, double f, double g,
		struct sdd s, double h);
long t_many(int a1, long a2, char a3, short a4, unsigned a5, double a6, int a7, float a8,
	    long a9, int a10, unsigned long a11, double a12, int a13, char a14, int a15,
	    double a16, long a17, int a18, double a19, int a20, double a21, int a22);
int t_printf(const char *fmt, ...);
int t_out(int *out);
long t_read(int fd, char *buf, unsigned long n);
int t_fill(int *v, int n);
int t_list(struct node *n);

#endif
