/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Filter rule chains of -e, -x and -l (spec 1.4). */
#ifndef LTRACE_FILTER_H
#define LTRACE_FILTER_H

#include <stdbool.h>

enum filter_kind {
	FILTER_PLT, /* -e: LIBPAT is compared with the caller (object holding the PLT slot) */
	FILTER_SYM, /* -x: LIBPAT is compared with the defining object */
	FILTER_LIB, /* -l: LIBPAT only, split at '@' only, compared with the callee */
};

/* How a library is named for matching. */
struct filter_lib {
	const char *name; /* SONAME, or basename of the path when there is none */
	const char *path; /* full path name ("" if unknown) */
	bool is_main;     /* the main executable: matches LIBPAT "MAIN" */
	const char *real_path; /* the path with symbolic links resolved, or NULL */
};

/* A set of independent rule chains, OR-ed together. Empty set matches nothing. */
struct filter;

struct filter *filter_new(void);
void filter_free(struct filter *f);
/* Parse EXPR as one more chain of the set. On a bad expression prints
 * "ltrace: ..." messages and returns -1 (the chain is ignored), else 0. */
int filter_add(struct filter *f, enum filter_kind kind, const char *expr);
/* True if the set has no chains at all. */
bool filter_empty(const struct filter *f);
/* Does some chain accept SYM in LIB? */
bool filter_matches(const struct filter *f, const char *sym, const struct filter_lib *lib);
/* When every '+' rule of F names one plain symbol (no glob, no regex, no -l chain), the
 * names (N of them, maybe repeated): only symbols of those names can be accepted, and they
 * can be looked up instead of matching every symbol. False otherwise. */
bool filter_literal_syms(struct filter *f, const char *const **names, size_t *n);
/* Library pre-check: could any symbol of LIB be accepted (some '+' rule matches LIB)? */
bool filter_lib_precheck(const struct filter *f, const struct filter_lib *lib);

/* Like filter_matches(), but -e/-x chains compare their LIBPAT with CALLER and -l chains with
 * CALLEE (NULL when unknown: -l chains then match nothing). */
bool filter_matches_call(const struct filter *f, const char *sym, const struct filter_lib *caller,
			 const struct filter_lib *callee);

#endif
