/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A growable, always NUL-terminated string. */
#ifndef LTRACE_STRBUF_H
#define LTRACE_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
};

#define STRBUF_INIT { NULL, 0, 0 }

void sb_putc(struct strbuf *sb, char c);
void sb_puts(struct strbuf *sb, const char *s);
void sb_putn(struct strbuf *sb, const char *s, size_t n);
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap);
void sb_reset(struct strbuf *sb);
void sb_free(struct strbuf *sb);
/* The current text ("" when empty, never NULL). */
const char *sb_str(const struct strbuf *sb);

#endif
