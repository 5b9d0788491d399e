/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internal representation of ltrace.conf(5) types, prototypes and values,
 * shared by the parser, the database, the arch fetch backend and the
 * renderer. Not part of the engine's interface (that is src/proto.h). */
#ifndef LTRACE_PROTO_TYPES_H
#define LTRACE_PROTO_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "proto.h"

enum tkind {
	T_VOID,
	T_CHAR,
	T_SHORT,
	T_USHORT,
	T_INT,
	T_UINT,
	T_LONG,
	T_ULONG,
	T_FLOAT,
	T_DOUBLE,
	T_PTR,
	T_ARRAY,
	T_STRUCT,
	T_FORMAT, /* printf-style parameter pack; only as a parameter */
};

enum lens {
	L_DEFAULT,
	L_HIDE,
	L_OCT,
	L_HEX,
	L_BOOL,
	L_BITVEC,
	L_STRING,
	L_ENUM,
	L_GUESS,
};

enum ekind {
	E_NONE,   /* no bound (plain "zero") */
	E_LIT,
	E_ARG,    /* argN, N >= 1 */
	E_RETVAL, /* retval, arg0 */
	E_ELT,    /* eltN of the enclosing struct */
};

/* An array length: a value, optionally "zero-terminated, at most value". */
struct expr {
	enum ekind kind;
	bool zero;
	long n;
};

struct enumval {
	char *name;
	long value;
};

struct type {
	enum tkind kind;
	enum lens lens;
	bool forward;         /* "typedef X = struct;" not completed yet */
	struct type *elt;     /* T_PTR pointee, T_ARRAY element */
	struct expr len;      /* T_ARRAY */
	struct type **fields; /* T_STRUCT */
	size_t nfields;
	struct enumval *enums; /* L_ENUM */
	size_t nenums;
	unsigned depth;       /* 1 + that of the deepest part held (elt, fields) */
};

/* How deep types may nest (structs, arrays, pointers, lenses, typedefs of
 * them): the parser, the layout and the renderer recurse that deep. */
#define PROTO_DEPTH_MAX 100

struct prototype {
	char *name;
	struct type *ret;
	struct type **params;
	size_t nparams;
	size_t split; /* first parameter printed at return; nparams if none */
};

/* Layout on x86_64 (natural alignment). */
size_t type_size(const struct type *t);
size_t type_align(const struct type *t);
bool type_is_integral(const struct type *t);
bool type_is_float(const struct type *t);
/* Offset of field I of a struct. */
size_t struct_field_offset(const struct type *t, size_t i);

/* The parser (parse.c). A scope resolves typedef names and receives
 * typedefs and prototypes defined by the file being parsed; imports are
 * resolved through the callback. */
struct parse_scope {
	struct type *(*lookup_type)(void *ctx, const char *name);
	/* Return false when NAME is already a typedef (redefinition). The
	 * parser completes forward structs itself before calling this. */
	bool (*add_type)(void *ctx, const char *name, struct type *t);
	void (*add_proto)(void *ctx, struct prototype *p);
	/* Returns false when the import could not be found. */
	bool (*import)(void *ctx, const char *name);
	/* Every node the parser allocates is handed over for freeing. */
	void (*own)(void *ctx, void *ptr);
	void *ctx;
};

/* Parse TEXT (the contents of FILENAME); errors to ERROUT. Returns the
 * number of errors. */
int proto_parse_text(const char *filename, const char *text, const struct parse_scope *sc,
		     FILE *errout);

/* Prototypes of the functions defined in the object at PATH, from its DWARF
 * information (dwarf.c), handed to SC's add_proto (types to its own). False
 * when the object has no debug information or libdw is not available. */
bool proto_dwarf_load(const char *path, const struct parse_scope *sc);

/* Values fetched at a stop: the bytes of the value as passed. */
struct value {
	uint8_t *data;
	size_t size;
	bool ok;
	bool indirect; /* MEMORY-class struct: data holds a stack copy */
};

/* One printf conversion of a format pack. */
struct fmt_arg {
	struct type *type;
	struct value v;
};

/* The x86_64 fetch backend (sysdeps/linux-gnu/x86_64/fetch.c). */
struct fetch_state {
	const struct user_regs_struct *regs;
	const struct tracee_mem *mem;
	struct user_fpregs_struct fp;
	int fp_state; /* 0 not fetched, 1 ok, -1 failed */
	int ngp;      /* integer registers used */
	int nsse;     /* xmm registers used */
	uint64_t stack; /* next stack slot */
};

void fetch_init(struct fetch_state *fs, const struct user_regs_struct *regs,
		const struct tracee_mem *mem, const struct type *ret);
/* Fetch the next argument of type T into V (allocates V->data). */
void fetch_arg(struct fetch_state *fs, const struct type *t, struct value *v);
/* Fetch the return value of type T at the return stop. */
void fetch_retval(const struct type *t, const struct user_regs_struct *regs,
		  const struct tracee_mem *mem, struct value *v);
/* Eightbyte classes of T passed by value; returns the number of
 * eightbytes (0 for MEMORY class). CLS gets 'I' or 'S' per eightbyte. */
int fetch_classify(const struct type *t, char cls[2]);

#endif
