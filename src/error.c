// SPDX-License-Identifier: GPL-2.0-or-later
/* Error reporting and allocation helpers. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "escape.h"

unsigned debug_mask;
static void (*fatal_hook)(void);

void set_fatal_hook(void (*hook)(void))
{
	fatal_hook = hook;
}

static void vmsg(int err, const char *fmt, va_list ap)
{
	fflush(stdout);
	fputs("ltrace: ", stderr);
	/* Names and paths in messages may come from the tracee or a file. */
	vfprintf_escaped(stderr, fmt, ap);
	if (err)
		fprintf(stderr, ": %s", strerror(err));
	fputc('\n', stderr);
}

void error_msg(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(0, fmt, ap);
	va_end(ap);
}

void perror_msg(const char *fmt, ...)
{
	int err = errno;
	va_list ap;
	va_start(ap, fmt);
	vmsg(err, fmt, ap);
	va_end(ap);
}

static __attribute__((noreturn)) void die(void)
{
	void (*hook)(void) = fatal_hook;
	fatal_hook = NULL;
	if (hook)
		hook();
	exit(1);
}

void error_msg_and_die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(0, fmt, ap);
	va_end(ap);
	die();
}

void perror_msg_and_die(const char *fmt, ...)
{
	int err = errno;
	va_list ap;
	va_start(ap, fmt);
	vmsg(err, fmt, ap);
	va_end(ap);
	die();
}

static void *check_alloc(void *p)
{
	if (!p)
		error_msg_and_die("out of memory");
	return p;
}

void *xmalloc(size_t n)
{
	return check_alloc(malloc(n ? n : 1));
}

void *xcalloc(size_t n, size_t size)
{
	return check_alloc(calloc(n ? n : 1, size ? size : 1));
}

void *xrealloc(void *p, size_t n)
{
	return check_alloc(realloc(p, n ? n : 1));
}

char *xstrdup(const char *s)
{
	return check_alloc(strdup(s));
}

char *xstrndup(const char *s, size_t n)
{
	return check_alloc(strndup(s, n));
}

void grow_array(void **p, size_t *cap, size_t need, size_t elsz)
{
	if (need <= *cap)
		return;
	size_t ncap = *cap ? *cap : 8;
	while (ncap < need)
		ncap *= 2;
	*p = xrealloc(*p, ncap * elsz);
	*cap = ncap;
}

/* Debug lines go to the trace stream, set by the output module. */
FILE *debug_stream;

void debug_print(unsigned mask, const char *file, int line, const char *fmt, ...)
{
	FILE *f = debug_stream ? debug_stream : stderr;
	va_list ap;
	fprintf(f, "DEBUG: %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf_escaped(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
}
