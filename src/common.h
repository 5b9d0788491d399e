/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared helpers: error reporting, allocation wrappers that die cleanly. */
#ifndef LTRACE_COMMON_H
#define LTRACE_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Messages go to stderr as "ltrace: ...". The _and_die variants run the
 * registered fatal hook (which restores tracees) and exit with status 1. */
void error_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void perror_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void error_msg_and_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void perror_msg_and_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* Called once before dying so that tracees get their bytes back. */
void set_fatal_hook(void (*hook)(void));

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Grow *p (holding *cap elements of size elsz) so that it can hold need elements. */
void grow_array(void **p, size_t *cap, size_t need, size_t elsz);

/* Debug output by subsystem (-D mask, octal). */
enum {
	DEBUG_GENERAL = 01,
	DEBUG_EVENT = 010,
	DEBUG_PROCESS = 020,
	DEBUG_FUNCTION = 040,
};
extern unsigned debug_mask;
#include <stdio.h>
extern FILE *debug_stream;
void debug_print(unsigned mask, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
#define debug(mask, ...) \
	do { \
		if (debug_mask & (mask)) \
			debug_print((mask), __FILE__, __LINE__, __VA_ARGS__); \
	} while (0)

#endif
