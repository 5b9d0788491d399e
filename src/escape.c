// SPDX-License-Identifier: GPL-2.0-or-later
/* Escaping of foreign names and paths (escape.h). */
#include "config.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"

/* The escaped form of byte C into OUT (at most 4 bytes plus NUL); returns its length.
 * BACKSLASH: double a backslash (names in trace lines, so that they read unambiguously);
 * messages keep it, as they quote the user's own regular expressions. */
static size_t escape_byte(unsigned char c, bool backslash, char out[5])
{
	static const char hex[] = "0123456789abcdef";
	const char *named = NULL;

	switch (c) {
	case '\\': named = backslash ? "\\\\" : NULL; break;
	case 0x1b: named = "\\e"; break;
	case '\n': named = "\\n"; break;
	case '\r': named = "\\r"; break;
	case '\t': named = "\\t"; break;
	default: break;
	}
	if (named) {
		memcpy(out, named, 3);
		return 2;
	}
	if (c >= 0x20 && c < 0x7f) {
		out[0] = (char)c;
		out[1] = 0;
		return 1;
	}
	out[0] = '\\';
	out[1] = 'x';
	out[2] = hex[c >> 4];
	out[3] = hex[c & 15];
	out[4] = 0;
	return 4;
}

void sb_put_escaped(struct strbuf *sb, const char *s, size_t n)
{
	size_t plain = 0;

	for (size_t i = 0; i < n; i++) {
		char e[5];
		size_t len = escape_byte((unsigned char)s[i], true, e);

		if (len == 1 && e[0] == s[i])
			continue;
		sb_putn(sb, s + plain, i - plain);
		sb_putn(sb, e, len);
		plain = i + 1;
	}
	sb_putn(sb, s + plain, n - plain);
}

void sb_puts_escaped(struct strbuf *sb, const char *s)
{
	sb_put_escaped(sb, s, strlen(s));
}

void fput_escaped(FILE *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char e[5];
		size_t len = escape_byte((unsigned char)s[i], false, e);

		fwrite(e, 1, len, f);
	}
}

void vfprintf_escaped(FILE *f, const char *fmt, va_list ap)
{
	char buf[8192];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n < 0)
		return;
	fput_escaped(f, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

void fprintf_escaped(FILE *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf_escaped(f, fmt, ap);
	va_end(ap);
}
