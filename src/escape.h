/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one escaping of text that we did not write ourselves: names and paths from the tracee
 * (symbols, SONAMEs, library and program paths) and from files (prototype files), wherever
 * a trace line or a message shows them. Printable ASCII stays as it is; ESC becomes "\e",
 * newline "\n", carriage return "\r", tab "\t", every other byte below 0x20 or from 0x7f
 * up "\xNN", and in trace lines (the strbuf functions) a backslash "\\". So no name can end
 * a line, forge one, or drive a terminal.
 */
#ifndef LTRACE_ESCAPE_H
#define LTRACE_ESCAPE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include "strbuf.h"

/* Append the N bytes at S to SB, escaped. */
void sb_put_escaped(struct strbuf *sb, const char *s, size_t n);
/* The same for a NUL-terminated S. */
void sb_puts_escaped(struct strbuf *sb, const char *s);
/* Write the N bytes at S to F, escaped; no allocation (for error messages). */
void fput_escaped(FILE *f, const char *s, size_t n);
/* Format like vfprintf and write the result escaped (the format's own text too: messages
 * are single lines). Output beyond 8 KiB is cut. No allocation. */
void vfprintf_escaped(FILE *f, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void fprintf_escaped(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
