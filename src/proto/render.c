/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Rendering of fetched values (spec 2.4) and the entry/return driver of
 * src/proto.h. Nothing here trusts the tracee: every pointer is read
 * through tracee_mem and a failed read prints "?". */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "common.h"
#include "escape.h"
#include "json.h"
#include "proto/types.h"

/* Bytes read per request when the length of a string is not known. */
#define CHUNK 256
/* The largest single read of an array or string (they double up to it). */
#define BIG_CHUNK (1024 * 1024)
/* Upper bound of a format string we parse, and of its conversions. */
#define FORMAT_MAX 4096
#define FORMAT_ARGS_MAX 256
/* Like 0.7.91, -A bounds how many structures of one type are expanded
 * through pointers at once (a linked list, a tree); structures held by
 * value print in full. Nothing nests deeper than this, so that a huge -A
 * over a long list cannot exhaust the tracer's stack. */
#define STRUCT_DEPTH_MAX 256

struct call_values {
	const struct prototype *p;
	struct value *args;
	size_t fmt_index; /* parameter holding the format; nparams if none */
	struct fmt_arg *fmt;
	size_t nfmt;
	struct value ret;
	bool have_ret;
	/* --json: the shown arguments as {"text","value"} objects (no
	 * brackets), and the return value's object. */
	struct strbuf jargs, jret;
};

/* Types used by format packs and the default prototype. */
static struct type t_void = { .kind = T_VOID };
static struct type t_char = { .kind = T_CHAR };
static struct type t_int = { .kind = T_INT };
static struct type t_uint = { .kind = T_UINT };
static struct type t_long = { .kind = T_LONG };
static struct type t_ulong = { .kind = T_ULONG };
static struct type t_double = { .kind = T_DOUBLE };
static struct type t_oct_uint = { .kind = T_UINT, .lens = L_OCT };
static struct type t_oct_ulong = { .kind = T_ULONG, .lens = L_OCT };
static struct type t_hex_uint = { .kind = T_UINT, .lens = L_HEX };
static struct type t_hex_ulong = { .kind = T_ULONG, .lens = L_HEX };
static struct type t_addr = { .kind = T_PTR, .elt = &t_void };
static struct type t_char_zarray = { .kind = T_ARRAY, .elt = &t_char,
				     .len = { E_NONE, true, 0 } };
static struct type t_string = { .kind = T_PTR, .lens = L_STRING, .elt = &t_char_zarray };
static struct type t_wchar = { .kind = T_INT, .lens = L_STRING };
static struct type t_int_zarray = { .kind = T_ARRAY, .elt = &t_int, .len = { E_NONE, true, 0 } };
static struct type t_wstring = { .kind = T_PTR, .lens = L_STRING, .elt = &t_int_zarray };
static struct type t_guess = { .kind = T_LONG, .lens = L_GUESS };
static struct type *default_params[] = { &t_guess, &t_guess, &t_guess, &t_guess };
static struct prototype default_proto = {
	.name = (char *)"", .ret = &t_guess, .params = default_params, .nparams = 4, .split = 4,
};

const struct prototype *proto_default(void)
{
	return &default_proto;
}

/* An IFUNC resolver, NAME.IFUNC: no arguments, the implementation's address. */
static struct prototype resolver_proto = { .name = (char *)"", .ret = &t_addr };

const struct prototype *proto_ifunc_resolver(void)
{
	return &resolver_proto;
}

struct expanding {
	uint64_t addr;
	const struct type *type;
};

/* Where eltN expressions look. */
struct sctx {
	const struct type *st;
	const uint8_t *data;
};

struct rctx {
	const struct tracee_mem *mem;
	const struct render_opts *ro;
	struct call_values *cv;
	/* The structures being expanded through pointers, outermost first. */
	struct expanding *stack;
	size_t depth, cap;
	size_t nest; /* structures being expanded, by value or not */
	/* Write the typed JSON value instead of the text: the same walk over
	 * the same types and fetched bytes, another notation at the leaves. */
	bool json;
};

static void render(struct rctx *c, const struct type *t, const uint8_t *data, struct strbuf *out,
		   const struct sctx *sc);
static void render_pointer(struct rctx *c, const struct type *t, const uint8_t *d,
			   struct strbuf *out, const struct sctx *sc);

static int64_t get_signed(const struct type *t, const uint8_t *d)
{
	switch (type_size(t)) {
	case 1: { int8_t v; memcpy(&v, d, 1); return v; }
	case 2: { int16_t v; memcpy(&v, d, 2); return v; }
	case 4: { int32_t v; memcpy(&v, d, 4); return v; }
	default: { int64_t v; memcpy(&v, d, 8); return v; }
	}
}

static uint64_t get_unsigned(const struct type *t, const uint8_t *d)
{
	switch (type_size(t)) {
	case 1: { uint8_t v; memcpy(&v, d, 1); return v; }
	case 2: { uint16_t v; memcpy(&v, d, 2); return v; }
	case 4: { uint32_t v; memcpy(&v, d, 4); return v; }
	default: { uint64_t v; memcpy(&v, d, 8); return v; }
	}
}

static bool is_signed(const struct type *t)
{
	return t->kind == T_CHAR || t->kind == T_SHORT || t->kind == T_INT || t->kind == T_LONG;
}

/* The integer value of an argument or field, for length expressions. */
static bool value_as_long(const struct type *t, const uint8_t *d, long *out)
{
	if (type_is_integral(t)) {
		*out = is_signed(t) ? (long)get_signed(t, d) : (long)get_unsigned(t, d);
		return true;
	}
	if (t->kind == T_PTR) {
		*out = (long)get_unsigned(t, d);
		return true;
	}
	return false;
}

/* Evaluate a length; false when unknown (then zero termination applies). */
static bool eval_expr(struct rctx *c, const struct expr *e, const struct sctx *sc, long *n)
{
	struct call_values *cv = c->cv;
	size_t i;

	switch (e->kind) {
	case E_NONE:
		return false;
	case E_LIT:
		*n = e->n;
		return true;
	case E_ARG:
		i = (size_t)e->n - 1;
		if (!cv || i >= cv->p->nparams || !cv->args[i].ok)
			return false;
		return value_as_long(cv->p->params[i], cv->args[i].data, n);
	case E_RETVAL:
		if (!cv || !cv->have_ret || !cv->ret.ok)
			return false;
		return value_as_long(cv->p->ret, cv->ret.data, n);
	case E_ELT:
		i = (size_t)e->n - 1;
		if (!sc || i >= sc->st->nfields)
			return false;
		return value_as_long(sc->st->fields[i], sc->data + struct_field_offset(sc->st, i), n);
	}
	return false;
}

static void put_char_escaped(struct strbuf *out, unsigned char ch, char quote)
{
	switch (ch) {
	case 0: sb_puts(out, "\\0"); return;
	case '\a': sb_puts(out, "\\a"); return;
	case '\b': sb_puts(out, "\\b"); return;
	case '\t': sb_puts(out, "\\t"); return;
	case '\n': sb_puts(out, "\\n"); return;
	case '\v': sb_puts(out, "\\v"); return;
	case '\f': sb_puts(out, "\\f"); return;
	case '\r': sb_puts(out, "\\r"); return;
	case '\\': sb_puts(out, "\\\\"); return;
	default: break;
	}
	if (ch == (unsigned char)quote) {
		sb_putc(out, '\\');
		sb_putc(out, quote);
	} else if (ch >= 0x20 && ch < 0x7f) {
		sb_putc(out, ch);
	} else {
		sb_printf(out, "\\%03o", ch);
	}
}

/* A wide character as 0.7.91 prints it: converted to the multibyte form of
 * ltrace's locale (LC_CTYPE, set from the environment at start-up); one byte
 * is escaped like a narrow char, more bytes are written as they are (UTF-8
 * "\xd0\xa4" for U+0424). What the locale cannot represent, or does not
 * call printable, becomes a C99 universal character name (\u00e9), which
 * needs no locale and is unambiguous. */
static void put_wchar_escaped(struct strbuf *out, uint32_t ch, char quote)
{
	char mb[MB_LEN_MAX];
	mbstate_t st;
	size_t n;

	if (ch < 0x80) {
		put_char_escaped(out, (unsigned char)ch, quote);
		return;
	}
	memset(&st, 0, sizeof(st));
	if (ch <= 0x10ffff && iswprint((wint_t)ch) &&
	    (n = wcrtomb(mb, (wchar_t)ch, &st)) != (size_t)-1 && n > 0) {
		if (n == 1) {
			put_char_escaped(out, (unsigned char)mb[0], quote);
		} else {
			for (size_t i = 0; i < n; i++)
				sb_putc(out, mb[i]);
		}
		return;
	}
	if (ch <= 0xffff)
		sb_printf(out, "\\u%04x", (unsigned)ch);
	else
		sb_printf(out, "\\U%08x", (unsigned)ch);
}

/* N wide characters of type ELT (16, 32 or 64 bits) at S. */
static void put_wstring(struct strbuf *out, const struct type *elt, const uint8_t *s, size_t n,
			bool more)
{
	size_t es = type_size(elt);

	sb_putc(out, '"');
	for (size_t i = 0; i < n; i++) {
		uint64_t ch = get_unsigned(elt, s + es * i);

		put_wchar_escaped(out, ch > UINT32_MAX ? UINT32_MAX : (uint32_t)ch, '"');
	}
	sb_putc(out, '"');
	if (more)
		sb_puts(out, "...");
}

static void put_string(struct strbuf *out, const uint8_t *s, size_t n, bool more)
{
	sb_putc(out, '"');
	for (size_t i = 0; i < n; i++) {
		/* Octal escapes are fixed-width, so a following digit is safe. */
		if (s[i] == 0 && i + 1 < n && isdigit(s[i + 1]))
			sb_puts(out, "\\000");
		else
			put_char_escaped(out, s[i], '"');
	}
	sb_putc(out, '"');
	if (more)
		sb_puts(out, "...");
}

static bool bit_at(const uint8_t *b, size_t i)
{
	return (b[i / 8] >> (i % 8)) & 1;
}

/* The set bits of N bytes, numbered from bit 0 of the first byte (an
 * integer's bytes in little-endian order): <3-5,7>, the complement ~<0>
 * when more bits are set than clear. */
static void put_bitvec_bytes(struct strbuf *out, const uint8_t *b, size_t n)
{
	size_t bits = n * 8, set = 0;
	bool first = true, inv;

	for (size_t i = 0; i < bits; i++)
		set += bit_at(b, i);
	inv = set > bits - set;
	if (inv)
		sb_putc(out, '~');
	sb_putc(out, '<');
	for (size_t i = 0; i < bits; i++) {
		size_t j;

		if (bit_at(b, i) == inv)
			continue;
		for (j = i; j + 1 < bits && bit_at(b, j + 1) != inv; j++)
			;
		sb_printf(out, first ? "%zu" : ",%zu", i);
		if (j > i)
			sb_printf(out, "-%zu", j);
		first = false;
		i = j;
	}
	sb_putc(out, '>');
}

static void put_bitvec(struct strbuf *out, uint64_t v, unsigned bytes)
{
	uint8_t b[8];

	for (unsigned i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	put_bitvec_bytes(out, b, bytes);
}

/* An enumerator's value cut to the width of T, as the value read is:
 * A=-1 of an enum[ushort] is 65535. */
static uint64_t narrow_enum(const struct type *t, long value)
{
	size_t bits = type_size(t) * 8;
	uint64_t v = (uint64_t)value;

	if (bits && bits < 64)
		v &= (1ULL << bits) - 1;
	return v;
}

/* The name of the enumerator of T whose value is U, NULL if none. */
static const char *enum_name(const struct type *t, uint64_t u)
{
	for (size_t i = 0; i < t->nenums; i++)
		if (narrow_enum(t, t->enums[i].value) == u)
			return t->enums[i].name;
	return NULL;
}

static void render_integer(const struct type *t, const uint8_t *d, struct strbuf *out)
{
	int64_t s = get_signed(t, d);
	uint64_t u = get_unsigned(t, d);

	switch (t->lens) {
	case L_OCT:
		if (u)
			sb_printf(out, "0%lo", (unsigned long)u);
		else
			sb_putc(out, '0');
		return;
	case L_HEX:
		/* Like 0.7.x: zero prints without a prefix. */
		sb_printf(out, "%#lx", (unsigned long)u);
		return;
	case L_BOOL:
		sb_puts(out, u ? "true" : "false");
		return;
	case L_BITVEC:
		put_bitvec(out, u, (unsigned)type_size(t));
		return;
	case L_ENUM:
		if (enum_name(t, u)) {
			/* From a prototype file or the tracee's DWARF. */
			sb_puts_escaped(out, enum_name(t, u));
			return;
		}
		break;
	case L_GUESS:
		if (s >= -10000 && s <= 10000)
			sb_printf(out, "%ld", (long)s);
		else
			sb_printf(out, "0x%lx", (unsigned long)u);
		return;
	case L_STRING:
		/* string(int) as a scalar: a wide character; wint_t's WEOF
		 * by name, like a char's EOF. */
		if (type_size(t) == 4 && u == 0xffffffff) {
			sb_puts(out, "WEOF");
			return;
		}
		if (type_size(t) > 1) {
			sb_putc(out, '\'');
			put_wchar_escaped(out, u > UINT32_MAX ? UINT32_MAX : (uint32_t)u, '\'');
			sb_putc(out, '\'');
			return;
		}
		/* Fall through. */
	default:
		if (t->kind == T_CHAR) {
			if (s == -1) {
				sb_puts(out, "EOF");
			} else {
				sb_putc(out, '\'');
				put_char_escaped(out, (unsigned char)u, '\'');
				sb_putc(out, '\'');
			}
			return;
		}
		break;
	}
	if (is_signed(t))
		sb_printf(out, "%ld", (long)s);
	else
		sb_printf(out, "%lu", (unsigned long)u);
}

/* The typed value of an integer: a number, except what its lens makes
 * something else (bool, the enumerator's name, a character as a string). */
static void json_integer(const struct type *t, const uint8_t *d, struct strbuf *out)
{
	int64_t s = get_signed(t, d);
	uint64_t u = get_unsigned(t, d);

	switch (t->lens) {
	case L_BOOL:
		json_bool(out, u != 0);
		return;
	case L_ENUM:
		if (enum_name(t, u)) {
			json_string(out, enum_name(t, u));
			return;
		}
		break;
	case L_STRING:
		/* A wide character (WEOF stays a number). */
		if (type_size(t) > 1 && !(type_size(t) == 4 && u == 0xffffffff)) {
			uint32_t w = u > UINT32_MAX ? UINT32_MAX : (uint32_t)u;

			json_wide(out, &w, 1);
			return;
		}
		if (type_size(t) > 1)
			break;
		/* Fall through. */
	case L_DEFAULT:
		if (t->kind == T_CHAR && s != -1) {
			unsigned char ch = (unsigned char)u;

			json_bytes(out, &ch, 1);
			return;
		}
		break;
	default:
		break;
	}
	if (is_signed(t) || t->lens == L_GUESS)
		json_int(out, s);
	else
		json_uint(out, u);
}

/* What the text shows as "?", "nil", "..." or "recurse": no value. */
static void put_unknown(struct rctx *c, struct strbuf *out, const char *text)
{
	if (c->json)
		json_null(out);
	else
		sb_puts(out, text);
}

static void render_leaf(struct rctx *c, const struct type *t, const uint8_t *d,
			struct strbuf *out)
{
	if (c->json)
		json_integer(t, d, out);
	else
		render_integer(t, d, out);
}

/* bitvec() over the N bytes at B: the text's <3-5,7>, or with --json the
 * array of the numbers of the set bits, [3,4,5,7]. */
static void render_bits(struct rctx *c, const uint8_t *b, size_t n, struct strbuf *out)
{
	if (!c->json) {
		put_bitvec_bytes(out, b, n);
		return;
	}
	json_begin_array(out);
	for (size_t i = 0; i < n * 8; i++)
		if (bit_at(b, i))
			json_uint(out, i);
	json_end_array(out);
}

static void render_float(struct rctx *c, const struct type *t, const uint8_t *d, struct strbuf *out)
{
	double v;

	if (t->kind == T_FLOAT) {
		float f;

		memcpy(&f, d, 4);
		v = f;
	} else {
		memcpy(&v, d, 8);
	}
	if (c->json)
		json_double(out, v);
	else
		sb_printf(out, t->lens == L_HEX ? "%a" : "%f", v);
}

/* Read up to WANT elements of size ES at ADDR, stopping after a zero
 * element when ZERO. Returns the number of whole elements read (not
 * counting the terminator), or -1 when nothing at all was readable.
 * *HIT_ZERO tells whether the terminator was seen. */
static long read_elements(struct rctx *c, uint64_t addr, size_t es, long want, bool zero,
			  uint8_t **bufp, bool *hit_zero)
{
	size_t total = (size_t)want * es;
	size_t have = 0, cap = 0;
	uint8_t *buf = NULL;

	*hit_zero = false;
	/* The buffer grows with what is read: -s or -A may be huge (up to
	 * INT_MAX) while the string or array is short, or unreadable. */
	grow_array((void **)&buf, &cap, 1, 1);
	*bufp = buf;
	while (have < total) {
		/* Without a terminator the size is known: requests of BIG_CHUNK. */
		size_t len = zero ? (have < CHUNK ? CHUNK : have < BIG_CHUNK ? have : BIG_CHUNK) / es * es
				  : BIG_CHUNK / es * es;
		ssize_t r;

		if (!len)
			len = es;
		if (len > total - have)
			len = total - have;
		grow_array((void **)&buf, &cap, have + len, 1);
		*bufp = buf;
		r = c->mem->read(c->mem->ctx, addr + have, buf + have, len);
		if (r <= 0)
			break;
		if (zero) {
			size_t from = have / es, to = (have + (size_t)r) / es;

			for (size_t i = from; i < to; i++) {
				bool allz = true;

				for (size_t b = 0; b < es && allz; b++)
					allz = buf[i * es + b] == 0;
				if (allz) {
					*hit_zero = true;
					return (long)i;
				}
			}
		}
		have += (size_t)r;
		if ((size_t)r < len)
			break;
	}
	if (!have && total)
		return -1;
	return (long)(have / es);
}

/* Render an array of ELT at ADDR (in memory) or DATA (inline, when
 * non-NULL), with the length expression LEN, as a string when STRING. */
static void render_array(struct rctx *c, const struct type *elt, const struct expr *len,
			 uint64_t addr, const uint8_t *data, bool string, struct strbuf *out,
			 const struct sctx *sc)
{
	size_t es = type_size(elt);
	long n = 0, show, got;
	bool known = eval_expr(c, len, sc, &n);
	bool zero = len->zero || !known;
	long limit = string ? c->ro->strlen_max : c->ro->arraylen;
	uint8_t *buf = NULL;
	bool hit_zero = false, more;

	if (!es) {
		put_unknown(c, out, "?");
		return;
	}
	if (known && n < 0)
		n = 0;
	if (limit < 0)
		limit = 0;
	/* One element more than shown tells whether to print an ellipsis. */
	show = known ? (n < limit + 1 ? n : limit + 1) : limit + 1;
	if (data) {
		/* Inline arrays have a literal length; nothing else is there. */
		long avail = len->kind == E_LIT && len->n > 0 ? len->n : 0;

		got = show < avail ? show : avail;
		if (zero) {
			long end = got;

			for (got = 0; got < end; got++) {
				bool allz = true;

				for (size_t b = 0; b < es && allz; b++)
					allz = data[got * es + b] == 0;
				if (allz) {
					hit_zero = true;
					break;
				}
			}
		}
		buf = xmalloc(got * es + 1);
		memcpy(buf, data, got * es);
	} else {
		got = read_elements(c, addr, es, show, zero, &buf, &hit_zero);
		if (got < 0) {
			free(buf);
			put_unknown(c, out, "?");
			return;
		}
	}
	more = got > limit;
	if (more)
		got = limit;
	if (string && es == 1) {
		/* A string ends at its NUL, except a fixed-length array held
		 * by value: string(array(char,6)) is all its bytes, "ABCDE\0". */
		long l = data && !zero ? got : 0;

		while (l < got && buf[l])
			l++;
		if (l < got)
			more = false;
		if (c->json)
			json_bytes(out, buf, (size_t)l);
		else
			put_string(out, buf, (size_t)l, more);
	} else if (string && es > 1 && type_is_integral(elt)) {
		/* Wide string (wchar_t is a 32-bit int on Linux; char16_t
		 * and wider integers read the same way, as in 0.7.91). */
		long l = 0;

		while (l < got && get_unsigned(elt, buf + es * l))
			l++;
		if (l < got)
			more = false;
		if (c->json) {
			uint32_t *w = xcalloc(l ? (size_t)l : 1, sizeof(*w));

			for (long i = 0; i < l; i++) {
				uint64_t ch = get_unsigned(elt, buf + es * i);

				w[i] = ch > UINT32_MAX ? UINT32_MAX : (uint32_t)ch;
			}
			json_wide(out, w, (size_t)l);
			free(w);
		} else {
			put_wstring(out, elt, buf, (size_t)l, more);
		}
	} else if (c->json) {
		json_begin_array(out);
		for (long i = 0; i < got; i++)
			render(c, elt, buf + i * es, out, sc);
		json_end_array(out);
	} else {
		sb_putc(out, '[');
		for (long i = 0; i < got; i++) {
			sb_puts(out, i ? ", " : " ");
			render(c, elt, buf + i * es, out, sc);
		}
		if (more)
			sb_puts(out, got ? "... ]" : " ... ]");
		else
			sb_puts(out, " ]");
	}
	free(buf);
}

static void render_struct(struct rctx *c, const struct type *t, const uint8_t *data,
			  struct strbuf *out)
{
	struct sctx sc = { t, data };
	bool first = true;

	if (c->nest >= STRUCT_DEPTH_MAX) {
		put_unknown(c, out, "...");
		return;
	}
	c->nest++;
	if (c->json) {
		/* Fields are named as ltrace.conf(5) names them: eltN. */
		json_begin_object(out);
		for (size_t i = 0; i < t->nfields; i++) {
			char key[32];

			if (t->fields[i]->lens == L_HIDE)
				continue;
			snprintf(key, sizeof(key), "elt%zu", i + 1);
			json_key(out, key);
			render(c, t->fields[i], data + struct_field_offset(t, i), out, &sc);
		}
		json_end_object(out);
		c->nest--;
		return;
	}
	sb_putc(out, '{');
	for (size_t i = 0; i < t->nfields; i++) {
		if (t->fields[i]->lens == L_HIDE)
			continue;
		sb_puts(out, first ? " " : ", ");
		first = false;
		render(c, t->fields[i], data + struct_field_offset(t, i), out, &sc);
	}
	/* Like 0.7.91, no fields still leave both spaces: "{  }". */
	sb_puts(out, first && !t->nfields ? "  }" : first ? "}" : " }");
	c->nest--;
}

/* Before the structure T at ADDR is expanded through a pointer: "recurse"
 * (with a '^' per level up) when it is being expanded already, "..." when
 * -A structures of its type are; true when it may be expanded. */
static bool may_expand(struct rctx *c, const struct type *t, uint64_t addr, struct strbuf *out)
{
	size_t same = 0;

	for (size_t i = c->depth; i-- > 0;) {
		if (c->stack[i].addr == addr) {
			if (c->json) {
				json_null(out);
				return false;
			}
			sb_puts(out, "recurse");
			for (size_t k = i + 1; k < c->depth; k++)
				sb_putc(out, '^');
			return false;
		}
	}
	for (size_t i = 0; i < c->depth; i++)
		same += c->stack[i].type == t;
	if (c->ro->arraylen <= 0 || same >= (size_t)c->ro->arraylen || c->nest >= STRUCT_DEPTH_MAX) {
		put_unknown(c, out, "...");
		return false;
	}
	return true;
}

/* Largest object whose bits bitvec() prints through a pointer. */
#define BITVEC_MAX 4096

/* A lens over a pointer applies to what it points to: hex(uint*) prints
 * the uint in hex, bitvec(array(char, 32)*) the bits of the 32 bytes. The
 * pointee's own lens, if it has one, wins. */
static void render_lensed(struct rctx *c, enum lens l, const struct type *elt, uint64_t addr,
			  struct strbuf *out, const struct sctx *sc)
{
	struct type lensed = *elt, lensed_elt;
	size_t sz = type_size(elt);
	uint8_t *buf;

	if (!addr) {
		put_unknown(c, out, "nil");
		return;
	}
	if (l == L_BITVEC && (elt->kind == T_ARRAY || elt->kind == T_STRUCT)) {
		long n;

		if (elt->kind == T_ARRAY && eval_expr(c, &elt->len, sc, &n))
			sz = n > 0 ? (size_t)n * type_size(elt->elt) : 0;
		if (sz > BITVEC_MAX)
			sz = BITVEC_MAX;
		buf = xmalloc(sz ? sz : 1);
		if (sz && c->mem->read(c->mem->ctx, addr, buf, sz) != (ssize_t)sz)
			put_unknown(c, out, "?");
		else
			render_bits(c, buf, sz, out);
		free(buf);
		return;
	}
	if (elt->kind == T_ARRAY) {
		/* hex(array(int, 3)*): every element in hex. */
		lensed_elt = *elt->elt;
		if (lensed_elt.lens == L_DEFAULT)
			lensed_elt.lens = l;
		render_array(c, &lensed_elt, &elt->len, addr, NULL, false, out, sc);
		return;
	}
	if (elt->kind == T_PTR || type_is_integral(elt) || type_is_float(elt)) {
		if (lensed.lens == L_DEFAULT)
			lensed.lens = l;
	}
	if (elt->kind == T_STRUCT) {
		render_pointer(c, &(struct type){ .kind = T_PTR, .elt = (struct type *)elt },
			       (const uint8_t *)&addr, out, sc);
		return;
	}
	buf = xcalloc(1, sz + 8);
	if (c->mem->read(c->mem->ctx, addr, buf, sz) != (ssize_t)sz)
		put_unknown(c, out, "?");
	else
		render(c, &lensed, buf, out, sc);
	free(buf);
}

static void render_pointer(struct rctx *c, const struct type *t, const uint8_t *d,
			   struct strbuf *out, const struct sctx *sc)
{
	uint64_t addr = get_unsigned(t, d);
	const struct type *elt = t->elt;
	uint8_t *buf;
	size_t sz;

	switch (t->lens) {
	case L_HEX: case L_OCT: case L_BOOL: case L_BITVEC:
		if (elt->kind != T_VOID && elt->kind != T_FORMAT) {
			render_lensed(c, t->lens, elt, addr, out, sc);
			return;
		}
		/* hex(addr): the address itself. */
		/* fall through */
	case L_GUESS:
		render_leaf(c, &(struct type){ .kind = T_ULONG, .lens = t->lens }, d, out);
		return;
	default:
		break;
	}
	if (!addr) {
		put_unknown(c, out, "nil");
		return;
	}
	if (elt->kind == T_VOID || elt->kind == T_FORMAT) {
		if (c->json)
			json_uint(out, addr);
		else
			sb_printf(out, "0x%lx", (unsigned long)addr);
		return;
	}
	if (t->lens == L_STRING || elt->lens == L_STRING) {
		if (elt->kind == T_ARRAY) {
			render_array(c, elt->elt, &elt->len, addr, NULL, true, out, sc);
			return;
		}
		if (type_is_integral(elt)) {
			static const struct expr zero = { E_NONE, true, 0 };

			render_array(c, elt, &zero, addr, NULL, true, out, sc);
			return;
		}
	}
	if (elt->kind == T_ARRAY) {
		render_array(c, elt->elt, &elt->len, addr, NULL, false, out, sc);
		return;
	}
	if (elt->kind == T_STRUCT && !may_expand(c, elt, addr, out))
		return;
	sz = type_size(elt);
	buf = xcalloc(1, sz + 8);
	if (c->mem->read(c->mem->ctx, addr, buf, sz) != (ssize_t)sz) {
		put_unknown(c, out, "?");
	} else if (elt->kind == T_STRUCT) {
		grow_array((void **)&c->stack, &c->cap, c->depth + 1, sizeof(*c->stack));
		c->stack[c->depth++] = (struct expanding){ addr, elt };
		render_struct(c, elt, buf, out);
		c->depth--;
	} else {
		render(c, elt, buf, out, sc);
	}
	free(buf);
}

/* The string type of a format parameter: format(wstring_t) names it,
 * plain format is a narrow string. */
static const struct type *format_type(const struct type *t)
{
	return t->elt ? t->elt : &t_string;
}

static void render(struct rctx *c, const struct type *t, const uint8_t *data, struct strbuf *out,
		   const struct sctx *sc)
{
	switch (t->kind) {
	case T_VOID:
		put_unknown(c, out, "<void>");
		return;
	case T_FORMAT:
		render_pointer(c, format_type(t), data, out, sc);
		return;
	case T_FLOAT: case T_DOUBLE:
		render_float(c, t, data, out);
		return;
	case T_PTR:
		render_pointer(c, t, data, out, sc);
		return;
	case T_ARRAY:
		if (t->lens == L_BITVEC)
			render_bits(c, data, type_size(t), out);
		else
			render_array(c, t->elt, &t->len, 0, data, t->lens == L_STRING, out, sc);
		return;
	case T_STRUCT:
		if (t->lens == L_BITVEC)
			render_bits(c, data, type_size(t), out);
		else
			render_struct(c, t, data, out);
		return;
	default:
		render_leaf(c, t, data, out);
		return;
	}
}

static void render_value(struct rctx *c, const struct type *t, const struct value *v,
			 struct strbuf *out)
{
	if (!v->ok)
		put_unknown(c, out, "?");
	else
		render(c, t, v->data, out, NULL);
}

/* Split a printf format into the types of the arguments it consumes. */
static size_t parse_format(const char *f, struct type **types, size_t max)
{
	size_t n = 0;

	while (*f && n < max) {
		int lng = 0;
		bool ldbl = false;

		if (*f++ != '%')
			continue;
		if (*f == '%') {
			f++;
			continue;
		}
		while (*f && strchr("#0- +'I", *f))
			f++;
		if (*f == '*') {
			types[n++] = &t_int;
			f++;
		}
		while (isdigit((unsigned char)*f))
			f++;
		if (*f == '.') {
			f++;
			if (*f == '*') {
				if (n < max)
					types[n++] = &t_int;
				f++;
			}
			while (isdigit((unsigned char)*f))
				f++;
		}
		if (n >= max)
			break;
		for (;;) {
			if (*f == 'h') {
				f++;
			} else if (strchr("lqLjtzZ", *f) && *f) {
				ldbl |= *f == 'L';
				lng++;
				f++;
			} else {
				break;
			}
		}
		switch (*f) {
		case 'd': case 'i':
			types[n++] = lng ? &t_long : &t_int;
			break;
		case 'u':
			types[n++] = lng ? &t_ulong : &t_uint;
			break;
		case 'o':
			types[n++] = lng ? &t_oct_ulong : &t_oct_uint;
			break;
		case 'x': case 'X':
			types[n++] = lng ? &t_hex_ulong : &t_hex_uint;
			break;
		case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'a': case 'A':
			/* long double travels in memory as 16 bytes; not
			 * representable, and guessing would misalign the rest. */
			if (ldbl)
				return n;
			types[n++] = &t_double;
			break;
		case 'c':
			types[n++] = lng ? &t_wchar : &t_char;
			break;
		case 'C':
			types[n++] = &t_wchar;
			break;
		case 's':
			types[n++] = lng ? &t_wstring : &t_string;
			break;
		case 'S':
			types[n++] = &t_wstring;
			break;
		case 'p': case 'n':
			types[n++] = &t_addr;
			break;
		case 'm':
			break;
		default:
			/* Unknown conversion: stop rather than misalign. */
			return n;
		}
		if (*f)
			f++;
	}
	return n;
}

static void fetch_format(struct call_values *cv, struct fetch_state *fs,
			 const struct tracee_mem *mem, const struct type *ft, const struct value *fv)
{
	uint64_t addr;
	uint8_t *raw;
	char *text;
	bool hit;
	long got;
	struct rctx c = { .mem = mem };
	struct type *types[FORMAT_ARGS_MAX];
	const struct type *et = ft->elt->kind == T_ARRAY ? ft->elt->elt : ft->elt;
	size_t n, es = type_size(et);

	if (!fv->ok)
		return;
	memcpy(&addr, fv->data, 8);
	if (!addr)
		return;
	got = read_elements(&c, addr, es, FORMAT_MAX, true, &raw, &hit);
	if (got < 0) {
		free(raw);
		return;
	}
	/* Conversions are ASCII; a wide format's other characters only
	 * need to stay out of their way. */
	text = xmalloc((size_t)got + 1);
	for (long i = 0; i < got; i++) {
		uint32_t ch = raw[i * es];

		if (es == 4)
			memcpy(&ch, raw + i * es, 4);
		text[i] = ch < 0x80 ? (char)ch : '?';
	}
	free(raw);
	text[got] = 0;
	n = parse_format(text, types, FORMAT_ARGS_MAX);
	free(text);
	cv->fmt = xcalloc(n ? n : 1, sizeof(*cv->fmt));
	cv->nfmt = n;
	for (size_t i = 0; i < n; i++) {
		cv->fmt[i].type = types[i];
		fetch_arg(fs, types[i], &cv->fmt[i].v);
	}
}

/* The {"text","value"} object of a value whose text is TEXT, into JSON. */
static void json_pair(struct rctx *c, const struct type *t, const struct value *v,
		      const char *text, struct strbuf *json)
{
	json_begin_object(json);
	json_key(json, "text");
	json_string(json, text);
	json_key(json, "value");
	c->json = true;
	render_value(c, t, v, json);
	c->json = false;
	json_end_object(json);
}

/* One shown value: its text into OUT after a separator and, with --json,
 * its object into JSON. */
static void show_value(struct rctx *c, const struct type *t, const struct value *v,
		       struct strbuf *out, bool *printed, struct strbuf *json)
{
	size_t from;

	if (*printed)
		sb_puts(out, ", ");
	*printed = true;
	from = out->len;
	render_value(c, t, v, out);
	if (json)
		json_pair(c, t, v, sb_str(out) + from, json);
}

/* Parameters FROM..TO-1 of the call, each followed by the format's pack
 * when it holds the format. True when something was shown. */
static bool show_params(struct rctx *c, size_t from, size_t to, struct strbuf *out,
			struct strbuf *json)
{
	struct call_values *cv = c->cv;
	const struct prototype *p = cv->p;
	bool printed = false;

	for (size_t i = from; i < to && i < p->nparams; i++) {
		if (p->params[i]->lens != L_HIDE)
			show_value(c, p->params[i], &cv->args[i], out, &printed, json);
		if (i == cv->fmt_index)
			for (size_t k = 0; k < cv->nfmt; k++)
				show_value(c, cv->fmt[k].type, &cv->fmt[k].v, out, &printed, json);
	}
	return printed;
}

struct call_values *proto_entry(const struct prototype *p, const struct user_regs_struct *regs,
				const struct tracee_mem *mem, const struct render_opts *ro,
				struct strbuf *out)
{
	struct call_values *cv = xcalloc(1, sizeof(*cv));
	struct fetch_state fs;
	struct rctx c = { .mem = mem, .ro = ro, .cv = cv };
	bool printed, rest = false;

	cv->p = p;
	cv->fmt_index = p->nparams;
	cv->args = xcalloc(p->nparams ? p->nparams : 1, sizeof(*cv->args));
	fetch_init(&fs, regs, mem, p->ret);
	for (size_t i = 0; i < p->nparams; i++) {
		if (p->params[i]->kind == T_FORMAT) {
			fetch_arg(&fs, format_type(p->params[i]), &cv->args[i]);
			cv->fmt_index = i;
		} else {
			fetch_arg(&fs, p->params[i], &cv->args[i]);
		}
	}
	if (cv->fmt_index < p->nparams)
		fetch_format(cv, &fs, mem, format_type(p->params[cv->fmt_index]),
			     &cv->args[cv->fmt_index]);

	printed = show_params(&c, 0, p->split, out, ro->json ? &cv->jargs : NULL);
	for (size_t i = p->split; i < p->nparams; i++)
		if (p->params[i]->lens != L_HIDE || (i == cv->fmt_index && cv->nfmt))
			rest = true;
	if (printed && rest)
		sb_puts(out, ", ");
	free(c.stack);
	return cv;
}

void proto_return(struct call_values *cv, const struct user_regs_struct *regs,
		  const struct tracee_mem *mem, const struct render_opts *ro,
		  struct strbuf *args, struct strbuf *ret)
{
	const struct prototype *p = cv->p;
	struct rctx c = { .mem = mem, .ro = ro, .cv = cv };
	size_t from = ret->len;

	if (!cv->have_ret) {
		fetch_retval(p->ret, regs, mem, &cv->ret);
		cv->have_ret = true;
	}
	show_params(&c, p->split, p->nparams, args, ro->json ? &cv->jargs : NULL);
	if (p->ret->kind == T_VOID)
		sb_puts(ret, "<void>");
	else
		render_value(&c, p->ret, &cv->ret, ret);
	if (ro->json) {
		sb_reset(&cv->jret);
		json_pair(&c, p->ret, &cv->ret, sb_str(ret) + from, &cv->jret);
	}
	free(c.stack);
}

void proto_json(const struct call_values *cv, struct strbuf *args, struct strbuf *ret)
{
	json_begin_array(args);
	json_raw(args, sb_str(&cv->jargs));
	json_end_array(args);
	json_raw(ret, cv->jret.len ? sb_str(&cv->jret) : "null");
}

void proto_call_free(struct call_values *cv)
{
	if (!cv)
		return;
	for (size_t i = 0; i < cv->p->nparams; i++)
		free(cv->args[i].data);
	free(cv->args);
	for (size_t i = 0; i < cv->nfmt; i++)
		free(cv->fmt[i].v.data);
	free(cv->fmt);
	free(cv->ret.data);
	sb_free(&cv->jargs);
	sb_free(&cv->jret);
	free(cv);
}
