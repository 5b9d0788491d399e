// SPDX-License-Identifier: GPL-2.0-or-later
/* The JSON writer of json.h. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

static void sep(struct strbuf *sb)
{
	if (!sb->len)
		return;
	char last = sb->buf[sb->len - 1];
	if (last != '{' && last != '[' && last != ':')
		sb_putc(sb, ',');
}

void json_begin_object(struct strbuf *sb)
{
	sep(sb);
	sb_putc(sb, '{');
}

void json_end_object(struct strbuf *sb)
{
	sb_putc(sb, '}');
}

void json_begin_array(struct strbuf *sb)
{
	sep(sb);
	sb_putc(sb, '[');
}

void json_end_array(struct strbuf *sb)
{
	sb_putc(sb, ']');
}

void json_key(struct strbuf *sb, const char *key)
{
	json_string(sb, key);
	sb_putc(sb, ':');
}

/* The length of the well-formed UTF-8 sequence at S (N bytes available),
 * 0 when S does not start one (Unicode's table of well-formed sequences:
 * no overlong forms, no surrogates, nothing above U+10FFFF). */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	unsigned char lo = 0x80, hi = 0xbf;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

static void put_ascii(struct strbuf *sb, unsigned char c)
{
	switch (c) {
	case '"': sb_puts(sb, "\\\""); return;
	case '\\': sb_puts(sb, "\\\\"); return;
	case '\b': sb_puts(sb, "\\b"); return;
	case '\f': sb_puts(sb, "\\f"); return;
	case '\n': sb_puts(sb, "\\n"); return;
	case '\r': sb_puts(sb, "\\r"); return;
	case '\t': sb_puts(sb, "\\t"); return;
	default: break;
	}
	if (c < 0x20 || c == 0x7f)
		sb_printf(sb, "\\u%04x", c);
	else
		sb_putc(sb, (char)c);
}

void json_bytes(struct strbuf *sb, const void *data, size_t n)
{
	const unsigned char *s = data;

	sep(sb);
	sb_putc(sb, '"');
	for (size_t i = 0; i < n;) {
		size_t len = utf8_len(s + i, n - i);

		if (len == 1) {
			put_ascii(sb, s[i]);
		} else if (len) {
			sb_putn(sb, (const char *)s + i, len);
		} else {
			sb_printf(sb, "\\udc%02x", s[i]);
			len = 1;
		}
		i += len;
	}
	sb_putc(sb, '"');
}

void json_string(struct strbuf *sb, const char *s)
{
	json_bytes(sb, s, strlen(s));
}

void json_wide(struct strbuf *sb, const uint32_t *s, size_t n)
{
	sep(sb);
	sb_putc(sb, '"');
	for (size_t i = 0; i < n; i++) {
		uint32_t c = s[i];
		char u[4];

		if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			c = 0xfffd;
		if (c < 0x80) {
			put_ascii(sb, (unsigned char)c);
		} else if (c < 0x800) {
			u[0] = (char)(0xc0 | c >> 6);
			u[1] = (char)(0x80 | (c & 0x3f));
			sb_putn(sb, u, 2);
		} else if (c < 0x10000) {
			u[0] = (char)(0xe0 | c >> 12);
			u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
			u[2] = (char)(0x80 | (c & 0x3f));
			sb_putn(sb, u, 3);
		} else {
			u[0] = (char)(0xf0 | c >> 18);
			u[1] = (char)(0x80 | ((c >> 12) & 0x3f));
			u[2] = (char)(0x80 | ((c >> 6) & 0x3f));
			u[3] = (char)(0x80 | (c & 0x3f));
			sb_putn(sb, u, 4);
		}
	}
	sb_putc(sb, '"');
}

void json_int(struct strbuf *sb, int64_t v)
{
	sep(sb);
	sb_printf(sb, "%lld", (long long)v);
}

void json_uint(struct strbuf *sb, uint64_t v)
{
	sep(sb);
	sb_printf(sb, "%llu", (unsigned long long)v);
}

void json_double(struct strbuf *sb, double v)
{
	sep(sb);
	char buf[32];

	if (!isfinite(v)) {
		sb_puts(sb, "null");
		return;
	}
	/* The shortest of the two that reads back as the same double. */
	snprintf(buf, sizeof(buf), "%.15g", v);
	if (strtod(buf, NULL) != v)
		snprintf(buf, sizeof(buf), "%.17g", v);
	sb_puts(sb, buf);
}

void json_bool(struct strbuf *sb, bool v)
{
	sep(sb);
	sb_puts(sb, v ? "true" : "false");
}

void json_null(struct strbuf *sb)
{
	sep(sb);
	sb_puts(sb, "null");
}

void json_raw(struct strbuf *sb, const char *text)
{
	sep(sb);
	sb_puts(sb, text);
}
