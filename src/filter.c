// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Filter rule chains (spec 1.4).
 *
 * A chain is a list of rules "[+-][SYMPAT][@LIBPAT]". A candidate (symbol, library) starts
 * unmarked; every '+' rule that matches marks it, every '-' rule that matches unmarks it; it is
 * accepted when it ends up marked. A filter is a set of chains OR-ed together.
 *
 * Patterns are globs (translated to POSIX basic regular expressions) or /regexes/, both
 * implicitly anchored at both ends, and compiled once when the chain is added.
 */
#include "config.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "filter.h"
#include "strbuf.h"

enum pat_kind {
	PAT_ANY,  /* "*": matches everything without running a regex */
	PAT_MAIN, /* LIBPAT "MAIN": the main executable */
	PAT_RE,   /* compiled regular expression */
};

struct pattern {
	enum pat_kind kind;
	bool by_path; /* library pattern compared with the path instead of the name */
	regex_t re;
	char *literal; /* a symbol pattern that is a plain name: the name (else NULL) */
};

struct rule {
	bool plus;
	struct pattern sym;
	struct pattern lib;
};

struct chain {
	enum filter_kind kind;
	struct rule *rules;
	size_t nrules;
	size_t cap;
};

struct filter {
	struct chain *chains;
	size_t nchains;
	size_t cap;
	const char **literals; /* filter_literal_syms, made on first use */
	size_t nliterals, cliterals;
	int literal_state;     /* 0 not looked at, 1 all plain names, -1 not */
};

struct filter *filter_new(void)
{
	return xcalloc(1, sizeof(struct filter));
}

static void pattern_free(struct pattern *p)
{
	if (p->kind == PAT_RE)
		regfree(&p->re);
	free(p->literal);
	p->literal = NULL;
	p->kind = PAT_ANY;
}

static void chain_free(struct chain *c)
{
	for (size_t i = 0; i < c->nrules; i++) {
		pattern_free(&c->rules[i].sym);
		pattern_free(&c->rules[i].lib);
	}
	free(c->rules);
	c->rules = NULL;
	c->nrules = c->cap = 0;
}

void filter_free(struct filter *f)
{
	if (f == NULL)
		return;
	for (size_t i = 0; i < f->nchains; i++)
		chain_free(&f->chains[i]);
	free(f->chains);
	free(f->literals);
	free(f);
}

bool filter_empty(const struct filter *f)
{
	return f == NULL || f->nchains == 0;
}

/*
 * Append the basic-regex form of glob text [s, s+n) to sb. Bracket expressions are copied
 * (with "[!" turned into "[^"), "\x" stands for a literal x, '*' and '?' become ".*" and ".",
 * and '.' is escaped. Other characters are copied as they are, so an unusual glob may still
 * use BRE syntax; regcomp() reports what does not make sense.
 */
static void glob_to_bre(struct strbuf *sb, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		char c = s[i];

		if (c == '*') {
			sb_puts(sb, ".*");
			i++;
		} else if (c == '?') {
			sb_putc(sb, '.');
			i++;
		} else if (c == '.') {
			sb_puts(sb, "\\.");
			i++;
		} else if (c == '\\') {
			if (i + 1 >= n) {
				/* A trailing backslash stands for itself. */
				sb_puts(sb, "\\\\");
				i++;
				continue;
			}
			c = s[i + 1];
			/* Only BRE metacharacters need the backslash; for the others "\c" could be
			 * a GNU operator (\+, \?, \|, \<, ...) rather than the character. */
			if (strchr(".[]*^$\\", c) != NULL)
				sb_putc(sb, '\\');
			sb_putc(sb, c);
			i += 2;
		} else if (c == '[') {
			size_t j = i + 1;

			sb_putc(sb, '[');
			if (j < n && (s[j] == '!' || s[j] == '^')) {
				sb_putc(sb, '^');
				j++;
			}
			/* A ']' right after the opening (and negation) is a member. */
			if (j < n && s[j] == ']') {
				sb_putc(sb, ']');
				j++;
			}
			while (j < n && s[j] != ']') {
				/* Copy "[:class:]", "[.x.]" and "[=x=]" whole: they contain ']'. */
				if (s[j] == '[' && j + 1 < n && strchr(":.=", s[j + 1]) != NULL) {
					char kind = s[j + 1];
					size_t k = j + 2;

					while (k + 1 < n && !(s[k] == kind && s[k + 1] == ']'))
						k++;
					if (k + 1 < n) {
						sb_putn(sb, s + j, k + 2 - j);
						j = k + 2;
						continue;
					}
				}
				sb_putc(sb, s[j]);
				j++;
			}
			if (j < n) {
				sb_putc(sb, ']');
				j++;
			}
			/* Without a closing ']' the copy is left unbalanced on purpose: regcomp()
			 * then names the problem ("Unmatched [ ..."). */
			i = j;
		} else {
			sb_putc(sb, c);
			i++;
		}
	}
}

static void filter_ignored(const char *expr)
{
	error_msg("Filter '%s' will be ignored.", expr);
}

/*
 * Compile the pattern text [s, s+n). is_regex: it was written between slashes. is_lib: it is a
 * LIBPAT (where "MAIN" and a leading '/' are special).
 */
static int pattern_compile(struct pattern *p, const char *s, size_t n, bool is_regex, bool is_lib)
{
	struct strbuf sb = STRBUF_INIT;
	const char *text = s;
	size_t textlen = n;
	int err;

	memset(p, 0, sizeof(*p));
	p->kind = PAT_ANY;

	if (!is_regex) {
		if (n == 0 || (n == 1 && s[0] == '*'))
			return 0;
		if (is_lib && n == 4 && memcmp(s, "MAIN", 4) == 0) {
			p->kind = PAT_MAIN;
			return 0;
		}
	}
	if (is_lib && n > 0 && s[0] == '/')
		p->by_path = true;

	sb_putc(&sb, '^');
	if (is_regex) {
		/* Copied verbatim: a user's own '^' thus becomes a literal caret after ours, as
		 * in ltrace 0.7 (spec 1.4, "quirk"). */
		sb_putn(&sb, s, n);
	} else {
		/* Globs are anchored anyway; an explicit '^' or '$' just says so. */
		if (n > 0 && s[0] == '^') {
			s++;
			n--;
		}
		if (n > 0 && s[n - 1] == '$' && !(n > 1 && s[n - 2] == '\\'))
			n--;
		glob_to_bre(&sb, s, n);
	}
	sb_putc(&sb, '$');

	err = regcomp(&p->re, sb_str(&sb), REG_NOSUB);
	sb_free(&sb);
	if (err != 0) {
		char msg[256];
		char *shown = xstrndup(text, textlen);

		regerror(err, &p->re, msg, sizeof(msg));
		regfree(&p->re);
		error_msg("Couldn't compile '%s': %s.", shown, msg);
		free(shown);
		return -1;
	}
	p->kind = PAT_RE;
	if (!is_regex && !is_lib) {
		bool plain = true;
		for (size_t i = 0; i < textlen && plain; i++)
			plain = text[i] == '_' || (text[i] >= 'a' && text[i] <= 'z') ||
				(text[i] >= 'A' && text[i] <= 'Z') || (text[i] >= '0' && text[i] <= '9');
		if (plain)
			p->literal = xstrndup(text, textlen);
	}
	return 0;
}

static struct rule *chain_new_rule(struct chain *c, bool plus)
{
	struct rule *r;

	grow_array((void **)&c->rules, &c->cap, c->nrules + 1, sizeof(*c->rules));
	r = &c->rules[c->nrules++];
	memset(r, 0, sizeof(*r));
	r->plus = plus;
	r->sym.kind = PAT_ANY;
	r->lib.kind = PAT_ANY;
	return r;
}

static bool is_term(char c, const char *terms)
{
	return c == '\0' || strchr(terms, c) != NULL;
}

/*
 * Parse a LIBPAT starting at *pp; TERMS lists the characters that end it (besides NUL).
 * "/re/" followed by a terminator is a regex; anything else is a glob, which is compared with
 * the library's path when it starts with '/'.
 */
static int parse_lib(struct pattern *p, const char **pp, const char *terms)
{
	const char *s = *pp;
	const char *e;

	if (*s == '/') {
		const char *close = strchr(s + 1, '/');

		if (close != NULL && is_term(close[1], terms)) {
			*pp = close + 1;
			return pattern_compile(p, s + 1, close - (s + 1), true, true);
		}
	}
	/* A path glob takes the rest of the expression: paths are full of
	 * '-' and '+' (x86_64-linux-gnu, libstdc++), which must not split it. */
	if (*s == '/')
		terms = "";
	for (e = s; !is_term(*e, terms); e++)
		;
	*pp = e;
	return pattern_compile(p, s, e - s, false, true);
}

/* Parse one rule at *pp (sign already consumed). */
static int parse_rule(struct rule *r, const char **pp, const char *expr)
{
	const char *s = *pp;
	const char *e;

	if (*s == '/') {
		/* "/re/" or the shorthand "/re1@re2/" for "/re1/@/re2/". */
		for (e = s + 1; *e != '\0' && *e != '/' && *e != '@'; e++)
			;
		if (*e == '\0') {
			error_msg("Unmatched '/' in symbol name.");
			return -1;
		}
		if (pattern_compile(&r->sym, s + 1, e - (s + 1), true, false) < 0)
			return -1;
		if (*e == '@') {
			const char *l = e + 1;
			const char *close = strchr(l, '/');

			if (close == NULL) {
				error_msg("Unmatched '/' in library name.");
				return -1;
			}
			if (pattern_compile(&r->lib, l, close - l, true, true) < 0)
				return -1;
			s = close + 1;
		} else {
			s = e + 1;
			if (*s == '@') {
				s++;
				if (parse_lib(&r->lib, &s, "+-") < 0)
					return -1;
			}
		}
		if (!is_term(*s, "+-")) {
			error_msg("Unexpected '%c' after '/' in '%s'.", *s, expr);
			return -1;
		}
		*pp = s;
		return 0;
	}

	for (e = s; !is_term(*e, "@+-"); e++)
		;
	if (pattern_compile(&r->sym, s, e - s, false, false) < 0)
		return -1;
	s = e;
	if (*s == '@') {
		s++;
		if (parse_lib(&r->lib, &s, "+-") < 0)
			return -1;
	}
	*pp = s;
	return 0;
}

static int parse_chain(struct chain *c, const char *expr)
{
	const char *s = expr;
	bool plus = true;

	/* An empty expression is an empty chain, which matches nothing (spec 1.3). */
	if (*s == '\0')
		return 0;
	/* '!' at the start is the pre-0.7 spelling of '-'. */
	if (*s == '!' || *s == '-') {
		/* "-foo" means "everything except foo": an implicit first rule "*@*". */
		chain_new_rule(c, true);
		plus = false;
		s++;
	}
	for (;;) {
		struct rule *r = chain_new_rule(c, plus);

		if (parse_rule(r, &s, expr) < 0)
			return -1;
		if (*s == '\0')
			return 0;
		plus = *s == '+';
		s++;
	}
}

int filter_add(struct filter *f, enum filter_kind kind, const char *expr)
{
	struct chain c = { .kind = kind };
	int rc;

	if (kind == FILTER_LIB) {
		/* -l PAT is the single rule "*@PAT"; '+' and '-' are literal in it. */
		const char *s = expr;
		struct rule *r = chain_new_rule(&c, true);

		rc = parse_lib(&r->lib, &s, "");
	} else {
		rc = parse_chain(&c, expr);
	}
	if (rc < 0) {
		chain_free(&c);
		filter_ignored(expr);
		return -1;
	}
	grow_array((void **)&f->chains, &f->cap, f->nchains + 1, sizeof(*f->chains));
	f->chains[f->nchains++] = c;
	return 0;
}

static bool pattern_match(const struct pattern *p, const char *s)
{
	switch (p->kind) {
	case PAT_ANY:
		return true;
	case PAT_MAIN:
		return false; /* handled by lib_match() */
	case PAT_RE:
		return s != NULL && regexec(&p->re, s, 0, NULL, 0) == 0;
	}
	return false;
}

static bool lib_match(const struct pattern *p, const struct filter_lib *lib)
{
	if (p->kind == PAT_ANY)
		return true;
	if (lib == NULL)
		return false;
	if (p->kind == PAT_MAIN)
		return lib->is_main;
	if (!p->by_path)
		return pattern_match(p, lib->name);
	/* The path as the dynamic linker has it, or with symbolic links
	 * resolved (/lib is /usr/lib on merged-/usr systems). */
	return pattern_match(p, lib->path) || (lib->real_path && pattern_match(p, lib->real_path));
}

static bool chain_matches(const struct chain *c, const char *sym, const struct filter_lib *lib)
{
	bool marked = false;

	for (size_t i = 0; i < c->nrules; i++) {
		const struct rule *r = &c->rules[i];

		/* A rule that agrees with the current state cannot change it. */
		if (r->plus == marked)
			continue;
		if (lib_match(&r->lib, lib) && pattern_match(&r->sym, sym))
			marked = r->plus;
	}
	return marked;
}

bool filter_matches(const struct filter *f, const char *sym, const struct filter_lib *lib)
{
	if (f == NULL)
		return false;
	for (size_t i = 0; i < f->nchains; i++)
		if (chain_matches(&f->chains[i], sym, lib))
			return true;
	return false;
}

bool filter_matches_call(const struct filter *f, const char *sym, const struct filter_lib *caller,
			 const struct filter_lib *callee)
{
	if (f == NULL)
		return false;
	for (size_t i = 0; i < f->nchains; i++) {
		const struct chain *c = &f->chains[i];

		if (c->kind == FILTER_LIB) {
			if (callee != NULL && chain_matches(c, sym, callee))
				return true;
		} else if (chain_matches(c, sym, caller)) {
			return true;
		}
	}
	return false;
}

bool filter_literal_syms(struct filter *f, const char *const **names, size_t *n)
{
	if (f == NULL)
		return false;
	if (f->literal_state == 0) {
		f->literal_state = 1;
		for (size_t i = 0; i < f->nchains && f->literal_state == 1; i++) {
			const struct chain *c = &f->chains[i];
			for (size_t j = 0; j < c->nrules; j++) {
				const struct rule *r = &c->rules[j];
				if (!r->plus)
					continue;
				if (c->kind == FILTER_LIB || !r->sym.literal) {
					f->literal_state = -1;
					break;
				}
				grow_array((void **)&f->literals, &f->cliterals, f->nliterals + 1,
					   sizeof(*f->literals));
				f->literals[f->nliterals++] = r->sym.literal;
			}
		}
	}
	if (f->literal_state != 1)
		return false;
	*names = f->literals;
	*n = f->nliterals;
	return true;
}

bool filter_lib_precheck(const struct filter *f, const struct filter_lib *lib)
{
	if (f == NULL)
		return false;
	for (size_t i = 0; i < f->nchains; i++) {
		const struct chain *c = &f->chains[i];

		/* An -l chain names the callee, which is unknown while the caller's PLT is
		 * scanned: any library may hold a slot that leads into a matching one. */
		if (c->kind == FILTER_LIB) {
			if (c->nrules > 0)
				return true;
			continue;
		}
		for (size_t j = 0; j < c->nrules; j++)
			if (c->rules[j].plus && lib_match(&c->rules[j].lib, lib))
				return true;
	}
	return false;
}
