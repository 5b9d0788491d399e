/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Lexer and parser of the ltrace.conf(5) language (0.7.91 dialect, which
 * also accepts the 0.7.3 files). Items are parsed line by line; an error
 * skips the rest of its line and is reported as "FILE:LINE: error: ...". */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "escape.h"
#include "proto/types.h"

enum tok {
	TK_EOL,
	TK_ID,
	TK_NUM,
	TK_STR,
	TK_PUNCT,
	TK_BAD,
};

struct parser {
	const char *file;
	int line;
	FILE *errout;
	const struct parse_scope *sc;
	const char *p; /* current position in the line */
	const char *end;
	/* Current token. */
	enum tok tk;
	const char *tstart;
	size_t tlen;
	long num;
	char punct;
	bool failed;
	bool in_typedef; /* a bare "struct" (forward declaration) is allowed */
	int errors;
};

static void next(struct parser *ps)
{
	const char *p = ps->p;

	while (p < ps->end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\f' || *p == '\v'))
		p++;
	ps->tstart = p;
	if (p >= ps->end) {
		ps->tk = TK_EOL;
		ps->tlen = 0;
		ps->p = p;
		return;
	}
	if (isalpha((unsigned char)*p) || *p == '_') {
		while (p < ps->end && (isalnum((unsigned char)*p) || *p == '_'))
			p++;
		ps->tk = TK_ID;
	} else if (isdigit((unsigned char)*p) ||
		   (*p == '-' && p + 1 < ps->end && isdigit((unsigned char)p[1]))) {
		char *e;

		errno = 0;
		ps->num = strtol(p, &e, 0);
		ps->tk = (errno || e > ps->end) ? TK_BAD : TK_NUM;
		p = e;
		/* "12abc" is not a number followed by a name. */
		if (p < ps->end && (isalnum((unsigned char)*p) || *p == '_'))
			ps->tk = TK_BAD;
	} else if (*p == '"') {
		p++;
		while (p < ps->end && *p != '"')
			p++;
		if (p >= ps->end) {
			ps->tk = TK_BAD;
		} else {
			p++;
			ps->tk = TK_STR;
		}
	} else {
		ps->punct = *p++;
		ps->tk = TK_PUNCT;
	}
	ps->tlen = p - ps->tstart;
	ps->p = p;
}

static bool is_id(const struct parser *ps, const char *kw)
{
	return ps->tk == TK_ID && strlen(kw) == ps->tlen && !memcmp(ps->tstart, kw, ps->tlen);
}

static bool is_punct(const struct parser *ps, char c)
{
	return ps->tk == TK_PUNCT && ps->punct == c;
}

static void fail(struct parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(struct parser *ps, const char *fmt, ...)
{
	va_list ap;

	if (ps->failed)
		return;
	ps->failed = true;
	ps->errors++;
	if (!ps->errout)
		return;
	/* The file's name and text are not ours: escaped, like every message. */
	fprintf_escaped(ps->errout, "%s:%d: error: ", ps->file, ps->line);
	va_start(ap, fmt);
	vfprintf_escaped(ps->errout, fmt, ap);
	va_end(ap);
	fputc('\n', ps->errout);
}

static void warn(struct parser *ps, const char *msg)
{
	if (ps->errout) {
		fprintf_escaped(ps->errout, "%s:%d: warning: %s", ps->file, ps->line, msg);
		fputc('\n', ps->errout);
	}
}

/* Describe the current token for error messages. */
static const char *near(struct parser *ps, char *buf, size_t sz)
{
	size_t n;

	if (ps->tk == TK_EOL)
		return "end of line";
	n = ps->end - ps->tstart;
	if (n > sz - 1)
		n = sz - 1;
	memcpy(buf, ps->tstart, n);
	buf[n] = 0;
	return buf;
}

static bool expect(struct parser *ps, char c)
{
	char b[40];

	if (ps->failed)
		return false;
	if (!is_punct(ps, c)) {
		fail(ps, "expected '%c' near '%s'", c, near(ps, b, sizeof(b)));
		return false;
	}
	next(ps);
	return true;
}

static void *own(struct parser *ps, void *p)
{
	ps->sc->own(ps->sc->ctx, p);
	return p;
}

static struct type *new_type(struct parser *ps, enum tkind k)
{
	struct type *t = own(ps, xcalloc(1, sizeof(*t)));

	t->kind = k;
	return t;
}

static struct type *copy_type(struct parser *ps, const struct type *src)
{
	struct type *t = own(ps, xmalloc(sizeof(*t)));

	*t = *src;
	return t;
}

static struct type *ptr_to(struct parser *ps, struct type *elt)
{
	struct type *t = new_type(ps, T_PTR);

	t->elt = elt;
	return t;
}

static struct type *char_array_ptr(struct parser *ps, struct expr len)
{
	struct type *a = new_type(ps, T_ARRAY);
	struct type *p;

	a->elt = new_type(ps, T_CHAR);
	a->len = len;
	p = ptr_to(ps, a);
	p->lens = L_STRING;
	return p;
}

/* Parse an array length expression. */
static bool parse_expr(struct parser *ps, struct expr *e)
{
	char b[40];

	memset(e, 0, sizeof(*e));
	if (ps->tk == TK_NUM) {
		e->kind = E_LIT;
		e->n = ps->num;
		next(ps);
		return true;
	}
	if (ps->tk == TK_ID) {
		if (is_id(ps, "retval")) {
			e->kind = E_RETVAL;
			next(ps);
			return true;
		}
		if (is_id(ps, "zero")) {
			next(ps);
			if (is_punct(ps, '(')) {
				next(ps);
				if (!parse_expr(ps, e) || !expect(ps, ')'))
					return false;
			} else {
				e->kind = E_NONE;
			}
			e->zero = true;
			return true;
		}
		if ((ps->tlen > 3 && !memcmp(ps->tstart, "arg", 3)) ||
		    (ps->tlen > 3 && !memcmp(ps->tstart, "elt", 3))) {
			bool arg = ps->tstart[0] == 'a';
			long n = 0;
			size_t i;

			/* Stop counting past 1000 (refused below): no overflow. */
			for (i = 3; i < ps->tlen && isdigit((unsigned char)ps->tstart[i]); i++)
				if (n < 1000)
					n = n * 10 + (ps->tstart[i] - '0');
			if (i == ps->tlen && n < 1000) {
				if (arg)
					e->kind = n == 0 ? E_RETVAL : E_ARG;
				else
					e->kind = E_ELT;
				e->n = n;
				if (!arg && n == 0) {
					fail(ps, "elt0 is not a valid field reference");
					return false;
				}
				next(ps);
				return true;
			}
		}
	}
	fail(ps, "expected an expression near '%s'", near(ps, b, sizeof(b)));
	return false;
}

static struct type *parse_type(struct parser *ps);

static struct type *parse_paren_type(struct parser *ps)
{
	struct type *t;

	if (!expect(ps, '('))
		return NULL;
	t = parse_type(ps);
	if (!t || !expect(ps, ')'))
		return NULL;
	return t;
}

static struct type *apply_lens(struct parser *ps, struct type *inner, enum lens l)
{
	struct type *t;

	if (inner->kind == T_VOID || inner->kind == T_FORMAT) {
		fail(ps, "a lens cannot be applied to %s",
		     inner->kind == T_VOID ? "void" : "format");
		return NULL;
	}
	t = copy_type(ps, inner);
	t->lens = l;
	return t;
}

static struct type *parse_enum(struct parser *ps)
{
	struct type *t;
	struct type *under = NULL;
	struct enumval *ev = NULL;
	size_t n = 0, cap = 0;
	long val = 0;
	char b[40];

	if (is_punct(ps, '[')) {
		next(ps);
		under = parse_type(ps);
		if (!under || !expect(ps, ']'))
			return NULL;
		if (!type_is_integral(under)) {
			fail(ps, "integral type required as enum argument");
			return NULL;
		}
	}
	if (!expect(ps, '('))
		return NULL;
	while (!is_punct(ps, ')')) {
		if (n && !expect(ps, ','))
			goto bad;
		if (ps->tk != TK_ID) {
			fail(ps, "expected an enumerator name near '%s'", near(ps, b, sizeof(b)));
			goto bad;
		}
		grow_array((void **)&ev, &cap, n + 1, sizeof(*ev));
		ev[n].name = xstrndup(ps->tstart, ps->tlen);
		next(ps);
		if (is_punct(ps, '=')) {
			next(ps);
			if (ps->tk != TK_NUM) {
				n++;
				fail(ps, "expected a number near '%s'", near(ps, b, sizeof(b)));
				goto bad;
			}
			val = ps->num;
			next(ps);
		}
		ev[n++].value = val++;
	}
	next(ps);
	t = under ? copy_type(ps, under) : new_type(ps, T_INT);
	t->lens = L_ENUM;
	t->enums = own(ps, ev ? ev : xmalloc(1));
	t->nenums = n;
	for (size_t i = 0; i < n; i++)
		own(ps, ev[i].name);
	return t;
bad:
	for (size_t i = 0; i < n; i++)
		free(ev[i].name);
	free(ev);
	return NULL;
}

static struct type *parse_struct(struct parser *ps)
{
	struct type *t;
	struct type **f = NULL;
	size_t n = 0, cap = 0;

	if (!is_punct(ps, '(')) {
		if (!ps->in_typedef) {
			fail(ps, "forward struct declarations are only allowed in a typedef");
			return NULL;
		}
		t = new_type(ps, T_STRUCT);
		t->forward = true;
		return t;
	}
	next(ps);
	while (!is_punct(ps, ')')) {
		struct type *ft;

		if (n && !expect(ps, ','))
			goto bad;
		ft = parse_type(ps);
		if (!ft)
			goto bad;
		if (ft->kind == T_VOID || ft->kind == T_FORMAT) {
			fail(ps, "invalid struct field type");
			goto bad;
		}
		grow_array((void **)&f, &cap, n + 1, sizeof(*f));
		f[n++] = ft;
	}
	next(ps);
	t = new_type(ps, T_STRUCT);
	t->fields = own(ps, f ? f : xmalloc(1));
	t->nfields = n;
	return t;
bad:
	free(f);
	return NULL;
}

static const struct {
	const char *name;
	enum tkind kind;
} prims[] = {
	{ "void", T_VOID },   { "char", T_CHAR },   { "short", T_SHORT }, { "ushort", T_USHORT },
	{ "int", T_INT },     { "itn", T_INT },     { "uint", T_UINT },   { "long", T_LONG },
	{ "ulong", T_ULONG }, { "float", T_FLOAT }, { "double", T_DOUBLE },
};

static const struct {
	const char *name;
	enum lens lens;
} lenses[] = {
	{ "hide", L_HIDE }, { "oct", L_OCT },       { "octal", L_OCT }, { "hex", L_HEX },
	{ "bool", L_BOOL }, { "bitvec", L_BITVEC },
};

/* A pointer to char or to 32-bit integers read as a string:
 * string(array(char, zero)*), string(uint*), wstring_t... */
static bool format_string_type(const struct type *t)
{
	const struct type *e;

	if (t->kind != T_PTR || !t->elt)
		return false;
	e = t->elt->kind == T_ARRAY ? t->elt->elt : t->elt;
	if (t->lens != L_STRING && t->elt->lens != L_STRING)
		return false;
	return type_is_integral(e) && (type_size(e) == 1 || type_size(e) == 4);
}

static struct type *parse_base(struct parser *ps)
{
	char name[128];
	char b[40];
	struct type *t;
	bool typedef_ctx = ps->in_typedef;

	ps->in_typedef = false;
	if (ps->tk != TK_ID) {
		fail(ps, "expected a type near '%s'", near(ps, b, sizeof(b)));
		return NULL;
	}
	for (size_t i = 0; i < ARRAY_SIZE(prims); i++) {
		if (is_id(ps, prims[i].name)) {
			next(ps);
			return new_type(ps, prims[i].kind);
		}
	}
	if (is_id(ps, "addr") || is_id(ps, "file")) {
		next(ps);
		return ptr_to(ps, new_type(ps, T_VOID));
	}
	if (is_id(ps, "format")) {
		struct type *str;

		next(ps);
		t = new_type(ps, T_FORMAT);
		if (!is_punct(ps, '('))
			return t;
		/* format(wstring_t): the format is that string type, a
		 * wide one for wprintf and friends. */
		str = parse_paren_type(ps);
		if (!str)
			return NULL;
		if (!format_string_type(str)) {
			fail(ps, "format requires a string type");
			return NULL;
		}
		t->elt = str;
		return t;
	}
	if (is_id(ps, "octal")) {
		next(ps);
		if (!is_punct(ps, '(')) {
			t = new_type(ps, T_INT);
			t->lens = L_OCT;
			return t;
		}
		t = parse_paren_type(ps);
		return t ? apply_lens(ps, t, L_OCT) : NULL;
	}
	for (size_t i = 0; i < ARRAY_SIZE(lenses); i++) {
		if (is_id(ps, lenses[i].name)) {
			next(ps);
			t = parse_paren_type(ps);
			return t ? apply_lens(ps, t, lenses[i].lens) : NULL;
		}
	}
	if (is_id(ps, "string")) {
		struct expr e = { E_NONE, true, 0 };

		next(ps);
		if (is_punct(ps, '[')) {
			next(ps);
			if (!parse_expr(ps, &e) || !expect(ps, ']'))
				return NULL;
			return char_array_ptr(ps, e);
		}
		if (is_punct(ps, '(')) {
			t = parse_paren_type(ps);
			if (!t)
				return NULL;
			/* string(int), string(uint): a wide character. */
			if (!(t->kind == T_ARRAY || (t->kind == T_PTR && t->elt->kind != T_VOID) ||
			      type_is_integral(t))) {
				fail(ps, "string lens requires a pointer, an array or an integer");
				return NULL;
			}
			return apply_lens(ps, t, L_STRING);
		}
		return char_array_ptr(ps, e);
	}
	if (ps->tlen > 6 && !memcmp(ps->tstart, "string", 6)) {
		struct expr e = { E_ARG, false, 0 };
		size_t i;

		for (i = 6; i < ps->tlen && isdigit((unsigned char)ps->tstart[i]); i++)
			if (e.n < 1000)
				e.n = e.n * 10 + (ps->tstart[i] - '0');
		if (i == ps->tlen && e.n < 1000) {
			if (e.n == 0)
				e.kind = E_RETVAL;
			next(ps);
			return char_array_ptr(ps, e);
		}
	}
	if (is_id(ps, "enum")) {
		next(ps);
		return parse_enum(ps);
	}
	if (is_id(ps, "struct")) {
		next(ps);
		ps->in_typedef = typedef_ctx;
		t = parse_struct(ps);
		ps->in_typedef = false;
		return t;
	}
	if (is_id(ps, "array")) {
		struct type *elt;

		next(ps);
		if (!expect(ps, '('))
			return NULL;
		elt = parse_type(ps);
		if (!elt || !expect(ps, ','))
			return NULL;
		if (elt->kind == T_VOID || elt->kind == T_FORMAT) {
			fail(ps, "invalid array element type");
			return NULL;
		}
		t = new_type(ps, T_ARRAY);
		t->elt = elt;
		if (!parse_expr(ps, &t->len) || !expect(ps, ')'))
			return NULL;
		return t;
	}
	snprintf(name, sizeof(name), "%.*s", (int)ps->tlen, ps->tstart);
	t = ps->sc->lookup_type(ps->sc->ctx, name);
	if (!t) {
		fail(ps, "unknown type '%s'", name);
		return NULL;
	}
	next(ps);
	return t;
}

static struct type *parse_type(struct parser *ps)
{
	struct type *t = parse_base(ps);

	while (t && is_punct(ps, '*')) {
		if (t->kind == T_FORMAT) {
			fail(ps, "pointer to format");
			return NULL;
		}
		next(ps);
		t = ptr_to(ps, t);
	}
	return t;
}

/* Does T hold TARGET by value (not through a pointer)? */
static bool holds_by_value(const struct type *t, const struct type *target, int depth)
{
	if (t == target)
		return true;
	if (depth > 64)
		return true;
	if (t->kind == T_ARRAY)
		return holds_by_value(t->elt, target, depth + 1);
	if (t->kind == T_STRUCT) {
		for (size_t i = 0; i < t->nfields; i++)
			if (holds_by_value(t->fields[i], target, depth + 1))
				return true;
	}
	return false;
}

static void parse_typedef(struct parser *ps)
{
	char name[128];
	char b[40];
	struct type *t, *old;

	if (ps->tk != TK_ID) {
		fail(ps, "expected a typedef name near '%s'", near(ps, b, sizeof(b)));
		return;
	}
	snprintf(name, sizeof(name), "%.*s", (int)ps->tlen, ps->tstart);
	next(ps);
	if (!expect(ps, '='))
		return;
	ps->in_typedef = true;
	t = parse_type(ps);
	ps->in_typedef = false;
	if (!t || !expect(ps, ';'))
		return;
	old = ps->sc->lookup_type(ps->sc->ctx, name);
	if (old && old->kind == T_STRUCT && old->forward && t->kind == T_STRUCT && !t->forward &&
	    old->lens == L_DEFAULT) {
		/* Complete the forward declaration in place so that pointers
		 * taken to it see the fields. */
		for (size_t i = 0; i < t->nfields; i++) {
			if (holds_by_value(t->fields[i], old, 0)) {
				fail(ps, "struct '%s' contains itself", name);
				return;
			}
		}
		old->fields = t->fields;
		old->nfields = t->nfields;
		old->forward = false;
		return;
	}
	if (!ps->sc->add_type(ps->sc->ctx, name, t))
		fail(ps, "Redefinition of typedef '%s'", name);
}

static void parse_import(struct parser *ps)
{
	char name[256];
	char b[40];

	if (ps->tk != TK_STR) {
		fail(ps, "expected a quoted name near '%s'", near(ps, b, sizeof(b)));
		return;
	}
	snprintf(name, sizeof(name), "%.*s", (int)ps->tlen - 2, ps->tstart + 1);
	next(ps);
	if (!expect(ps, ';'))
		return;
	if (!ps->sc->import(ps->sc->ctx, name))
		fail(ps, "\"%s.conf\" not found", name);
}

static void parse_function(struct parser *ps)
{
	struct prototype *p;
	struct type *ret, *t;
	struct type **params = NULL;
	size_t n = 0, cap = 0, split = (size_t)-1;
	char b[40];

	ret = parse_type(ps);
	if (!ret)
		return;
	if (ret->kind == T_FORMAT) {
		fail(ps, "format is not a return type");
		return;
	}
	if (ps->tk != TK_ID) {
		fail(ps, "expected a function name near '%s'", near(ps, b, sizeof(b)));
		return;
	}
	p = xcalloc(1, sizeof(*p));
	p->name = xstrndup(ps->tstart, ps->tlen);
	p->ret = ret;
	next(ps);
	if (!expect(ps, '('))
		goto bad;
	while (!is_punct(ps, ')')) {
		if (n && !expect(ps, ','))
			goto bad;
		if (is_punct(ps, '+')) {
			next(ps);
			if (split == (size_t)-1)
				split = n;
		}
		t = parse_type(ps);
		if (!t)
			goto bad;
		if (t->kind == T_VOID) {
			/* A sole void means "no parameters"; elsewhere the
			 * pre-0.7 meaning of a hidden int. */
			if (n == 0 && is_punct(ps, ')')) {
				next(ps);
				goto params_done;
			}
			warn(ps, "void parameter assumed to be 'hide(int)'");
			t = new_type(ps, T_INT);
			t->lens = L_HIDE;
		} else if (t->kind == T_ARRAY) {
			/* Arrays decay to pointers as parameters. */
			struct type *ptr = ptr_to(ps, t);

			ptr->lens = t->lens;
			t = ptr;
		} else if (t->kind == T_FORMAT) {
			for (size_t i = 0; i < n; i++) {
				if (params[i]->kind == T_FORMAT) {
					fail(ps, "only one format per prototype");
					goto bad;
				}
			}
		}
		grow_array((void **)&params, &cap, n + 1, sizeof(*params));
		params[n++] = t;
	}
	next(ps);
params_done:
	/* Like 0.7.x, the end of the line also ends a complete prototype. */
	if (ps->tk != TK_EOL && !expect(ps, ';'))
		goto bad;
	p->params = params;
	p->nparams = n;
	p->split = split == (size_t)-1 ? n : split;
	own(ps, p->name);
	if (params)
		own(ps, params);
	own(ps, p);
	ps->sc->add_proto(ps->sc->ctx, p);
	return;
bad:
	free(params);
	free(p->name);
	free(p);
}

/* Parse the items of one line. */
static void parse_line(struct parser *ps)
{
	next(ps);
	for (;;) {
		if (ps->tk == TK_EOL || is_punct(ps, ';') || is_punct(ps, '#'))
			return;
		ps->failed = false;
		if (is_id(ps, "typedef")) {
			next(ps);
			parse_typedef(ps);
		} else if (is_id(ps, "import")) {
			next(ps);
			parse_import(ps);
		} else {
			if (is_id(ps, "function"))
				next(ps);
			parse_function(ps);
		}
		if (ps->failed)
			return;
	}
}

int proto_parse_text(const char *filename, const char *text, const struct parse_scope *sc,
		     FILE *errout)
{
	struct parser ps = { .file = filename, .errout = errout, .sc = sc };
	const char *p = text;

	while (*p) {
		const char *nl = strchr(p, '\n');

		if (!nl)
			nl = p + strlen(p);
		ps.line++;
		ps.p = p;
		ps.end = nl;
		ps.failed = false;
		ps.in_typedef = false;
		parse_line(&ps);
		p = *nl ? nl + 1 : nl;
	}
	return ps.errors;
}
