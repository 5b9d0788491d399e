/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Prototypes derived from DWARF debug information (spec 3.6), for functions that no
 * prototype file describes. The object's debug information is found by libdwfl: in the file
 * itself, or through .gnu_debuglink / build-id under the standard debug directories
 * (/usr/lib/debug/.build-id/xx/yyyy.debug). Every external function definition of every
 * compile unit becomes a prototype. Without libdw (HAVE_LIBDW undefined) nothing is found. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "proto/hash.h"
#include "proto/types.h"

#ifdef HAVE_LIBDW
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>

/* Type nesting deeper than this (only possible in corrupt DWARF) becomes void. */
#define DWARF_DEPTH_MAX 64

struct dctx {
	const struct parse_scope *sc;
	struct shash cache; /* DIE offset (as text) -> struct type * */
};

static struct type t_dvoid = { .kind = T_VOID };

static struct type *new_type(struct dctx *c, enum tkind kind)
{
	struct type *t = xcalloc(1, sizeof(*t));

	t->kind = kind;
	c->sc->own(c->sc->ctx, t);
	return t;
}

/* The DIE referenced by ATTR of DIE (following abstract origins and specifications). */
static bool ref_die(Dwarf_Die *die, int attr, Dwarf_Die *out)
{
	Dwarf_Attribute a;

	return dwarf_attr_integrate(die, attr, &a) && dwarf_formref_die(&a, out);
}

/* Strip typedefs and qualifiers; false for void. */
static bool strip(Dwarf_Die *die, Dwarf_Die *out, int depth)
{
	*out = *die;
	for (int i = 0; i < DWARF_DEPTH_MAX; i++) {
		switch (dwarf_tag(out)) {
		case DW_TAG_typedef: case DW_TAG_const_type: case DW_TAG_volatile_type:
		case DW_TAG_restrict_type: case DW_TAG_atomic_type:
			if (!ref_die(out, DW_AT_type, out))
				return false;
			break;
		default:
			return true;
		}
	}
	return false;
}

static struct type *map_type(struct dctx *c, Dwarf_Die *die, int depth);

/* A type of the prototype files (-F, ~/.ltrace.conf) named like DIE or like
 * a typedef, structure, union or enumeration it goes through (qualifiers
 * skipped): "typedef FILE = addr;" keeps glibc's struct _IO_FILE from being
 * expanded. NULL when none is. */
static struct type *conf_type(struct dctx *c, Dwarf_Die *die)
{
	Dwarf_Die d = *die;

	for (int i = 0; i < DWARF_DEPTH_MAX; i++) {
		int tag = dwarf_tag(&d);
		const char *name;

		switch (tag) {
		case DW_TAG_typedef: case DW_TAG_structure_type: case DW_TAG_class_type:
		case DW_TAG_union_type: case DW_TAG_enumeration_type:
			name = dwarf_diename(&d);
			if (name) {
				struct type *t = c->sc->lookup_type(c->sc->ctx, name);

				if (t)
					return t;
			}
			if (tag != DW_TAG_typedef)
				return NULL;
			break;
		case DW_TAG_const_type: case DW_TAG_volatile_type:
		case DW_TAG_restrict_type: case DW_TAG_atomic_type:
			break;
		default:
			return NULL;
		}
		if (!ref_die(&d, DW_AT_type, &d))
			return NULL;
	}
	return NULL;
}

static struct type *map_base(struct dctx *c, Dwarf_Die *die)
{
	Dwarf_Word enc = 0;
	Dwarf_Attribute a;
	int size = dwarf_bytesize(die);
	struct type *t;

	if (dwarf_attr(die, DW_AT_encoding, &a))
		dwarf_formudata(&a, &enc);
	switch (enc) {
	case DW_ATE_float:
		if (size == 4)
			return new_type(c, T_FLOAT);
		if (size == 8)
			return new_type(c, T_DOUBLE);
		return &t_dvoid;
	case DW_ATE_signed_char: case DW_ATE_unsigned_char: case DW_ATE_UTF:
		if (size == 1)
			return new_type(c, T_CHAR);
		break;
	default:
		break;
	}
	if (enc != DW_ATE_signed && enc != DW_ATE_unsigned && enc != DW_ATE_boolean &&
	    enc != DW_ATE_signed_char && enc != DW_ATE_unsigned_char && enc != DW_ATE_UTF)
		return &t_dvoid;
	switch (size) {
	case 1: t = new_type(c, T_CHAR); break;
	case 2: t = new_type(c, enc == DW_ATE_signed ? T_SHORT : T_USHORT); break;
	case 4: t = new_type(c, enc == DW_ATE_signed ? T_INT : T_UINT); break;
	case 8: t = new_type(c, enc == DW_ATE_signed ? T_LONG : T_ULONG); break;
	default: return &t_dvoid;
	}
	if (enc == DW_ATE_boolean)
		t->lens = L_BOOL;
	else if (size == 1 && (enc == DW_ATE_signed || enc == DW_ATE_unsigned))
		t->lens = L_DEFAULT; /* int8_t: still a char in the 0.7 language */
	return t;
}

static struct type *map_enum(struct dctx *c, Dwarf_Die *die)
{
	int size = dwarf_bytesize(die);
	struct type *t = new_type(c, size == 1 ? T_CHAR : size == 2 ? T_SHORT :
				  size == 8 ? T_LONG : T_INT);
	size_t cap = 0;
	Dwarf_Die ch;

	t->lens = L_ENUM;
	if (dwarf_child(die, &ch) != 0)
		return t;
	do {
		Dwarf_Attribute a;
		Dwarf_Sword v = 0;
		const char *name = dwarf_diename(&ch);

		if (dwarf_tag(&ch) != DW_TAG_enumerator || !name ||
		    !dwarf_attr(&ch, DW_AT_const_value, &a) || dwarf_formsdata(&a, &v) != 0)
			continue;
		grow_array((void **)&t->enums, &cap, t->nenums + 1, sizeof(*t->enums));
		t->enums[t->nenums].name = xstrdup(name);
		c->sc->own(c->sc->ctx, t->enums[t->nenums].name);
		t->enums[t->nenums++].value = (long)v;
	} while (dwarf_siblingof(&ch, &ch) == 0);
	if (t->enums)
		c->sc->own(c->sc->ctx, t->enums);
	return t;
}

static struct type *map_struct(struct dctx *c, Dwarf_Die *die, struct type *t, int depth)
{
	size_t cap = 0;
	Dwarf_Die ch;

	if (dwarf_child(die, &ch) != 0)
		return t;
	do {
		Dwarf_Die ft;
		struct type *f;

		if (dwarf_tag(&ch) != DW_TAG_member)
			continue;
		f = ref_die(&ch, DW_AT_type, &ft) ? map_type(c, &ft, depth + 1) : &t_dvoid;
		grow_array((void **)&t->fields, &cap, t->nfields + 1, sizeof(*t->fields));
		t->fields[t->nfields++] = f;
	} while (dwarf_siblingof(&ch, &ch) == 0);
	if (t->fields)
		c->sc->own(c->sc->ctx, t->fields);
	return t;
}

static struct type *map_array(struct dctx *c, Dwarf_Die *die, int depth)
{
	Dwarf_Die et, ch;
	struct type *elt = ref_die(die, DW_AT_type, &et) ? map_type(c, &et, depth + 1) : &t_dvoid;
	struct type **dims = NULL;
	size_t ndims = 0, cap = 0;
	struct type *t = elt;

	/* One array level per subrange, the outermost first. */
	if (dwarf_child(die, &ch) == 0) {
		do {
			Dwarf_Attribute a;
			Dwarf_Word n = 0;
			struct type *d;

			if (dwarf_tag(&ch) != DW_TAG_subrange_type)
				continue;
			d = new_type(c, T_ARRAY);
			d->len.kind = E_LIT;
			if (dwarf_attr(&ch, DW_AT_count, &a) && dwarf_formudata(&a, &n) == 0)
				d->len.n = (long)n;
			else if (dwarf_attr(&ch, DW_AT_upper_bound, &a) &&
				 dwarf_formudata(&a, &n) == 0)
				d->len.n = (long)n + 1;
			grow_array((void **)&dims, &cap, ndims + 1, sizeof(*dims));
			dims[ndims++] = d;
		} while (dwarf_siblingof(&ch, &ch) == 0);
	}
	while (ndims--) {
		dims[ndims]->elt = t;
		t = dims[ndims];
	}
	free(dims);
	if (t == elt) {
		t = new_type(c, T_ARRAY);
		t->elt = elt;
		t->len.kind = E_LIT;
	}
	/* char arrays read as strings, like the string(array(char, N)) of the files. */
	if (t->elt->kind == T_CHAR && t->elt->lens == L_DEFAULT)
		t->lens = L_STRING;
	return t;
}

static struct type *map_type(struct dctx *c, Dwarf_Die *die, int depth)
{
	char key[32];
	Dwarf_Die d, pt, ps;
	struct type *t;
	int found;

	if (depth > DWARF_DEPTH_MAX)
		return &t_dvoid;
	t = conf_type(c, die);
	if (t)
		return t;
	if (!strip(die, &d, depth))
		return &t_dvoid;
	snprintf(key, sizeof(key), "%llx", (unsigned long long)dwarf_dieoffset(&d));
	t = shash_get(&c->cache, key, &found);
	if (found)
		return t;
	switch (dwarf_tag(&d)) {
	case DW_TAG_base_type:
		t = map_base(c, &d);
		break;
	case DW_TAG_enumeration_type:
		t = map_enum(c, &d);
		break;
	case DW_TAG_pointer_type: case DW_TAG_reference_type: case DW_TAG_rvalue_reference_type:
		t = new_type(c, T_PTR);
		/* Registered before the pointee so that recursive structures terminate. */
		shash_put(&c->cache, key, t);
		if (!ref_die(&d, DW_AT_type, &pt) || !strip(&pt, &ps, depth)) {
			t->elt = &t_dvoid;
		} else if (conf_type(c, &pt)) {
			t->elt = conf_type(c, &pt);
		} else if (dwarf_tag(&ps) == DW_TAG_base_type && dwarf_bytesize(&ps) == 1 &&
			   map_base(c, &ps)->kind == T_CHAR) {
			/* char *: a NUL-terminated string, as C programs mean it. */
			struct type *a = new_type(c, T_ARRAY);

			a->elt = new_type(c, T_CHAR);
			a->len.kind = E_NONE;
			a->len.zero = true;
			t->elt = a;
			t->lens = L_STRING;
		} else if (dwarf_tag(&ps) == DW_TAG_subroutine_type) {
			t->elt = &t_dvoid;
		} else {
			t->elt = map_type(c, &pt, depth + 1);
		}
		return t;
	case DW_TAG_structure_type: case DW_TAG_class_type:
		if (dwarf_hasattr(&d, DW_AT_declaration)) {
			t = &t_dvoid;
			break;
		}
		t = new_type(c, T_STRUCT);
		shash_put(&c->cache, key, t);
		return map_struct(c, &d, t, depth);
	case DW_TAG_union_type: {
		/* No unions in the language: its bytes in hex. */
		struct type *e = new_type(c, T_CHAR);

		e->lens = L_HEX;
		t = new_type(c, T_ARRAY);
		t->elt = e;
		t->len.kind = E_LIT;
		t->len.n = dwarf_bytesize(&d) > 0 ? dwarf_bytesize(&d) : 0;
		break;
	}
	case DW_TAG_array_type:
		t = map_array(c, &d, depth);
		break;
	default:
		t = &t_dvoid;
		break;
	}
	shash_put(&c->cache, key, t);
	return t;
}

static void add_function(struct dctx *c, Dwarf_Die *fn)
{
	Dwarf_Attribute a;
	Dwarf_Die ch, rt;
	const char *name = NULL, *linkage = NULL;
	struct prototype *p;
	size_t cap = 0;
	bool external = false;

	if (dwarf_hasattr(fn, DW_AT_declaration))
		return;
	/* Only definitions with code; external ones are the only ones a PLT or -x can hit. */
	if (!dwarf_hasattr(fn, DW_AT_low_pc) && !dwarf_hasattr(fn, DW_AT_ranges))
		return;
	if (dwarf_attr_integrate(fn, DW_AT_external, &a))
		dwarf_formflag(&a, &external);
	if (dwarf_attr_integrate(fn, DW_AT_name, &a))
		name = dwarf_formstring(&a);
	if (dwarf_attr_integrate(fn, DW_AT_linkage_name, &a))
		linkage = dwarf_formstring(&a);
	if (!name && !linkage)
		return;
	p = xcalloc(1, sizeof(*p));
	c->sc->own(c->sc->ctx, p);
	p->name = xstrdup(linkage ? linkage : name);
	c->sc->own(c->sc->ctx, p->name);
	p->ret = ref_die(fn, DW_AT_type, &rt) ? map_type(c, &rt, 0) : &t_dvoid;
	if (dwarf_child(fn, &ch) == 0) {
		do {
			Dwarf_Die pt;

			if (dwarf_tag(&ch) != DW_TAG_formal_parameter)
				continue;
			grow_array((void **)&p->params, &cap, p->nparams + 1, sizeof(*p->params));
			p->params[p->nparams++] =
				ref_die(&ch, DW_AT_type, &pt) ? map_type(c, &pt, 0) : &t_dvoid;
		} while (dwarf_siblingof(&ch, &ch) == 0);
	}
	if (p->params)
		c->sc->own(c->sc->ctx, p->params);
	p->split = p->nparams;
	c->sc->add_proto(c->sc->ctx, p);
	/* Both the linkage name and the plain name find it. */
	if (linkage && name && strcmp(linkage, name) && external) {
		struct prototype *q = xmalloc(sizeof(*q));

		*q = *p;
		q->name = xstrdup(name);
		c->sc->own(c->sc->ctx, q);
		c->sc->own(c->sc->ctx, q->name);
		c->sc->add_proto(c->sc->ctx, q);
	}
}

static int find_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname,
			  Dwarf_Addr base, const char *file_name, const char *debuglink_file,
			  GElf_Word debuglink_crc, char **debuginfo_file_name)
{
	return dwfl_standard_find_debuginfo(mod, userdata, modname, base, file_name,
					    debuglink_file, debuglink_crc, debuginfo_file_name);
}

bool proto_dwarf_load(const char *path, const struct parse_scope *sc)
{
	/* LTRACE_DEBUGINFO_PATH replaces the standard search path (":.debug:/usr/lib/debug"),
	 * in elfutils' syntax; the tests use it for the build-id lookup. */
	char *dipath = getenv("LTRACE_DEBUGINFO_PATH");
	Dwfl_Callbacks cb = {
		.find_elf = dwfl_build_id_find_elf,
		.find_debuginfo = find_debuginfo,
		.section_address = dwfl_offline_section_address,
		.debuginfo_path = dipath && *dipath ? &dipath : NULL,
	};
	struct dctx c = { .sc = sc };
	Dwfl *dwfl = dwfl_begin(&cb);
	Dwfl_Module *mod;
	Dwarf_Die *cu = NULL;
	Dwarf_Addr bias;
	bool any = false;

	if (!dwfl)
		return false;
	mod = dwfl_report_offline(dwfl, path, path, -1);
	dwfl_report_end(dwfl, NULL, NULL);
	while (mod && (cu = dwfl_module_nextcu(mod, cu, &bias)) != NULL) {
		Dwarf_Die ch;

		any = true;
		if (dwarf_child(cu, &ch) != 0)
			continue;
		do {
			if (dwarf_tag(&ch) == DW_TAG_subprogram)
				add_function(&c, &ch);
		} while (dwarf_siblingof(&ch, &ch) == 0);
	}
	shash_free(&c.cache);
	dwfl_end(dwfl);
	return any;
}

#else

bool proto_dwarf_load(const char *path, const struct parse_scope *sc)
{
	return false;
}

#endif
