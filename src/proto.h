/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Prototypes (ltrace.conf(5)), argument fetching and value rendering.
 *
 * The engine sees only this interface: it looks a function up, and at the
 * entry and return stops hands over the registers and a way to read the
 * tracee's memory; it gets back rendered text. */
#ifndef LTRACE_PROTO_H
#define LTRACE_PROTO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/user.h>

#include "strbuf.h"

struct options;
struct prototype;
struct proto_db;
struct call_values;

/* Access to the stopped tracee. */
struct tracee_mem {
	/* Read up to LEN bytes at ADDR into BUF with as few system calls as
	 * possible. Returns the number of bytes read (short at an unmapped
	 * page), or -1 when nothing could be read. */
	ssize_t (*read)(void *ctx, uint64_t addr, void *buf, size_t len);
	/* Fetch the floating point registers; 0 or -1. Called only when a
	 * prototype needs them (it costs a system call). */
	int (*get_fpregs)(void *ctx, struct user_fpregs_struct *fp);
	void *ctx;
};

struct render_opts {
	int strlen_max; /* -s */
	int arraylen;   /* -A */
	bool json;      /* --json: keep each value's text and typed value (proto_json) */
};

/* Load prototype sources per the options (-F lists, XDG/HOME dirs,
 * PKGDATADIR). Errors in files are reported to ERROUT as
 * "FILE:LINE: error: ..." and the line is skipped. Returns NULL and prints
 * "ltrace: ..." on a fatal error (for example a missing -F path). */
struct proto_db *proto_db_load(const struct options *opts, FILE *errout);
void proto_db_free(struct proto_db *db);

/* Find NAME's prototype. SONAMES lists the objects whose prototype
 * libraries are consulted, in order (the callee's first). NULL if unknown. */
const struct prototype *proto_db_find(struct proto_db *db, const char *name,
				      const char *const *sonames, size_t nsonames);
/* NAME's prototype derived from the DWARF debug information of the object
 * at OBJECT_PATH (in the file, or found through build-id / debuglink under
 * the standard debug directories). NULL when there is no debug information
 * or no such function. Loaded once per object and cached. Call it only after
 * proto_db_find failed: prototype files win over DWARF. */
const struct prototype *proto_db_find_dwarf(struct proto_db *db, const char *name,
					    const char *object_path);
/* The default prototype: long f(long, long, long, long), "guess" lens. */
const struct prototype *proto_default(void);
/* How the resolver of an IFUNC is traced (0.7.91's notation, NAME.IFUNC):
 * the suffix of its call site's name, and its prototype "addr NAME.IFUNC()",
 * which proto_db_find gives every name with that suffix. */
#define PROTO_IFUNC_SUFFIX ".IFUNC"
const struct prototype *proto_ifunc_resolver(void);

/* At a function's entry: fetch every parameter (x86_64 System V ABI) and
 * render those before the split point ('+') into OUT, separated by ", ",
 * with a trailing ", " when parameters remain to be printed at return. */
struct call_values *proto_entry(const struct prototype *p, const struct user_regs_struct *regs,
				const struct tracee_mem *mem, const struct render_opts *ro,
				struct strbuf *out);
/* At its return: render the remaining parameters into ARGS (no parenthesis)
 * and the return value into RET ("<void>" for void). */
void proto_return(struct call_values *cv, const struct user_regs_struct *regs,
		  const struct tracee_mem *mem, const struct render_opts *ro,
		  struct strbuf *args, struct strbuf *ret);
/* With render_opts.json, after proto_return: the shown arguments as a JSON
 * array of {"text": TEXT, "value": TYPED} objects into ARGS, and the return
 * value's object into RET (null before a return). TYPED is what the type
 * says: a number, a string (bytes escaped as json.h says), a boolean, an
 * array, an object {"eltN": ...} for a structure, or null where the text
 * shows nil, ?, ..., recurse or <void>. */
void proto_json(const struct call_values *cv, struct strbuf *args, struct strbuf *ret);
void proto_call_free(struct call_values *cv);

#endif
