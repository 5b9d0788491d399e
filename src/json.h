/* SPDX-License-Identifier: GPL-2.0-or-later */
/* JSON text composed into a strbuf (for --json). Separators are implicit:
 * every value or key is preceded by a comma unless it opens a container
 * or follows a key. Strings are written from raw bytes: well-formed UTF-8
 * passes through, and every other byte B (0x80-0xff) is written \udcXX,
 * the lone low surrogate U+DC00+B, which no well-formed UTF-8 can produce,
 * so the original bytes can always be recovered (Python: encode('utf-8',
 * 'surrogateescape')). */
#ifndef LTRACE_JSON_H
#define LTRACE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

void json_begin_object(struct strbuf *sb);
void json_end_object(struct strbuf *sb);
void json_begin_array(struct strbuf *sb);
void json_end_array(struct strbuf *sb);
/* "KEY": ready for its value. */
void json_key(struct strbuf *sb, const char *key);
/* A string of N raw bytes, escaped as above. */
void json_bytes(struct strbuf *sb, const void *s, size_t n);
void json_string(struct strbuf *sb, const char *s);
/* A string of N 32-bit code points (wchar_t); values that are not Unicode
 * scalar values become U+FFFD. */
void json_wide(struct strbuf *sb, const uint32_t *s, size_t n);
void json_int(struct strbuf *sb, int64_t v);
void json_uint(struct strbuf *sb, uint64_t v);
/* A number; null when not finite (JSON has no NaN or infinity). */
void json_double(struct strbuf *sb, double v);
void json_bool(struct strbuf *sb, bool v);
void json_null(struct strbuf *sb);
/* A value composed elsewhere (already valid JSON). */
void json_raw(struct strbuf *sb, const char *text);

#endif
