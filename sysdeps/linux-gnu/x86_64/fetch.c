/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Argument and return value fetching for the x86_64 System V ABI: each
 * value is classified by eightbytes (INTEGER, SSE or MEMORY), integer
 * eightbytes come from rdi rsi rdx rcx r8 r9, SSE ones from xmm0-7, and the
 * rest from the stack, which at the entry stop starts above the return
 * address. Values are returned as the bytes the callee would see. */
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "proto/types.h"

/* Mark the eightbytes touched by T placed at OFF; false if unclassifiable. */
static bool classify_into(const struct type *t, size_t off, char cls[2], int depth)
{
	size_t sz;

	if (depth > 32)
		return false;
	switch (t->kind) {
	case T_STRUCT:
		for (size_t i = 0; i < t->nfields; i++)
			if (!classify_into(t->fields[i], off + struct_field_offset(t, i), cls,
					   depth + 1))
				return false;
		return true;
	case T_ARRAY:
		sz = type_size(t->elt);
		if (!sz)
			return true;
		for (size_t o = 0; o < type_size(t); o += sz)
			if (!classify_into(t->elt, off + o, cls, depth + 1))
				return false;
		return true;
	case T_VOID: case T_FORMAT:
		return true;
	default:
		break;
	}
	if (off / 8 > 1)
		return false;
	if (type_is_float(t)) {
		if (!cls[off / 8])
			cls[off / 8] = 'S';
	} else {
		/* INTEGER wins over SSE within one eightbyte. */
		cls[off / 8] = 'I';
	}
	return true;
}

int fetch_classify(const struct type *t, char cls[2])
{
	size_t sz = type_size(t);
	int n;

	cls[0] = cls[1] = 0;
	if (sz == 0 || sz > 16)
		return 0;
	if (!classify_into(t, 0, cls, 0))
		return 0;
	n = (int)((sz + 7) / 8);
	/* An eightbyte holding only padding still travels as SSE. */
	for (int i = 0; i < n; i++)
		if (!cls[i])
			cls[i] = 'S';
	return n;
}

static uint64_t gp_reg(const struct user_regs_struct *r, int i)
{
	switch (i) {
	case 0: return r->rdi;
	case 1: return r->rsi;
	case 2: return r->rdx;
	case 3: return r->rcx;
	case 4: return r->r8;
	default: return r->r9;
	}
}

static bool get_fp(const struct tracee_mem *mem, struct user_fpregs_struct *fp, int *state)
{
	if (*state == 0)
		*state = (mem->get_fpregs && mem->get_fpregs(mem->ctx, fp) == 0) ? 1 : -1;
	return *state > 0;
}

static void alloc_value(const struct type *t, struct value *v)
{
	size_t sz = type_size(t);

	v->size = sz;
	/* Room for whole eightbytes so register copies never overflow. */
	v->data = xcalloc(1, (sz + 7) / 8 * 8 + 8);
	v->ok = false;
	v->indirect = false;
}

void fetch_init(struct fetch_state *fs, const struct user_regs_struct *regs,
		const struct tracee_mem *mem, const struct type *ret)
{
	char cls[2];

	memset(fs, 0, sizeof(*fs));
	fs->regs = regs;
	fs->mem = mem;
	fs->stack = regs->rsp + 8;
	/* A MEMORY-class return value takes a hidden pointer in rdi. */
	if (ret && (ret->kind == T_STRUCT || ret->kind == T_ARRAY) && type_size(ret) &&
	    !fetch_classify(ret, cls))
		fs->ngp = 1;
}

void fetch_arg(struct fetch_state *fs, const struct type *t, struct value *v)
{
	char cls[2];
	int n = fetch_classify(t, cls);
	int need_gp = 0, need_sse = 0;
	size_t slot;

	alloc_value(t, v);
	/* An empty struct (GNU C: size 0) takes neither a register nor a slot. */
	if (t->kind == T_VOID || t->kind == T_FORMAT || (t->kind == T_STRUCT && !v->size)) {
		v->ok = true;
		return;
	}
	for (int i = 0; i < n; i++) {
		if (cls[i] == 'I')
			need_gp++;
		else
			need_sse++;
	}
	if (n && fs->ngp + need_gp <= 6 && fs->nsse + need_sse <= 8) {
		v->ok = true;
		for (int i = 0; i < n; i++) {
			if (cls[i] == 'I') {
				uint64_t r = gp_reg(fs->regs, fs->ngp++);

				memcpy(v->data + 8 * i, &r, 8);
			} else if (get_fp(fs->mem, &fs->fp, &fs->fp_state)) {
				memcpy(v->data + 8 * i, &fs->fp.xmm_space[4 * fs->nsse++], 8);
			} else {
				fs->nsse++;
				v->ok = false;
			}
		}
		return;
	}
	/* On the stack, in eightbyte slots; a snapshot, since the callee may
	 * reuse its argument area. */
	slot = (v->size + 7) / 8 * 8;
	if (slot && fs->mem->read(fs->mem->ctx, fs->stack, v->data, slot) == (ssize_t)slot)
		v->ok = true;
	fs->stack += slot;
}

void fetch_retval(const struct type *t, const struct user_regs_struct *regs,
		  const struct tracee_mem *mem, struct value *v)
{
	char cls[2];
	int n;
	int gp = 0, sse = 0, fp_state = 0;
	struct user_fpregs_struct fp;

	alloc_value(t, v);
	if (t->kind == T_VOID || (t->kind == T_STRUCT && !v->size)) {
		v->ok = true;
		return;
	}
	n = fetch_classify(t, cls);
	if (!n) {
		/* MEMORY class: rax holds the address of the caller's buffer. */
		if (v->size &&
		    mem->read(mem->ctx, regs->rax, v->data, v->size) == (ssize_t)v->size)
			v->ok = true;
		return;
	}
	v->ok = true;
	for (int i = 0; i < n; i++) {
		if (cls[i] == 'I') {
			uint64_t r = gp++ ? regs->rdx : regs->rax;

			memcpy(v->data + 8 * i, &r, 8);
		} else if (get_fp(mem, &fp, &fp_state)) {
			memcpy(v->data + 8 * i, &fp.xmm_space[4 * sse++], 8);
		} else {
			v->ok = false;
		}
	}
}
