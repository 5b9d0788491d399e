/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Sizes and alignment of prototype types under the x86_64 C ABI. */
#include "proto/types.h"

bool type_is_integral(const struct type *t)
{
	switch (t->kind) {
	case T_CHAR: case T_SHORT: case T_USHORT: case T_INT: case T_UINT: case T_LONG:
	case T_ULONG:
		return true;
	default:
		return false;
	}
}

bool type_is_float(const struct type *t)
{
	return t->kind == T_FLOAT || t->kind == T_DOUBLE;
}

size_t type_align(const struct type *t)
{
	size_t a = 1;

	switch (t->kind) {
	case T_VOID: case T_FORMAT: case T_CHAR:
		return 1;
	case T_SHORT: case T_USHORT:
		return 2;
	case T_INT: case T_UINT: case T_FLOAT:
		return 4;
	case T_LONG: case T_ULONG: case T_DOUBLE: case T_PTR:
		return 8;
	case T_ARRAY:
		return type_align(t->elt);
	case T_STRUCT:
		for (size_t i = 0; i < t->nfields; i++) {
			size_t fa = type_align(t->fields[i]);

			if (fa > a)
				a = fa;
		}
		return a;
	}
	return 1;
}

static size_t align_up(size_t v, size_t a)
{
	return (v + a - 1) / a * a;
}

size_t struct_field_offset(const struct type *t, size_t idx)
{
	size_t off = 0;

	for (size_t i = 0; i < t->nfields; i++) {
		off = align_up(off, type_align(t->fields[i]));
		if (i == idx)
			return off;
		off += type_size(t->fields[i]);
	}
	return off;
}

size_t type_size(const struct type *t)
{
	size_t s;

	switch (t->kind) {
	case T_VOID: case T_FORMAT:
		return 0;
	case T_ARRAY:
		/* Only a literal length gives an inline array a size. */
		if (t->len.kind != E_LIT || t->len.n < 0)
			return 0;
		s = type_size(t->elt);
		/* Guard against absurd sizes from bad configuration. */
		if (s && (size_t)t->len.n > (1u << 24) / s)
			return 1u << 24;
		return s * (size_t)t->len.n;
	case T_STRUCT:
		if (!t->nfields)
			return 0;
		s = struct_field_offset(t, t->nfields - 1) + type_size(t->fields[t->nfields - 1]);
		return align_up(s, type_align(t));
	default:
		return type_align(t);
	}
}
