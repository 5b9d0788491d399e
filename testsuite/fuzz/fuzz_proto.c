// SPDX-License-Identifier: GPL-2.0-or-later
/* libFuzzer target for the prototype parser (src/proto/parse.c) and everything a parsed
 * prototype drives: layout, ABI classification, fetching and rendering. The input is one
 * ltrace.conf text; every prototype it defines is then "called" against fake registers and a
 * fake tracee memory made from the input bytes, so that hostile configuration combined with
 * hostile tracee data is exercised together. Built by fuzz.test with
 *     clang -fsanitize=fuzzer,address -Isrc ... fuzz_proto.c src/libltrace.a -lelf */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "proto/types.h"

struct fz {
	char **names;
	struct type **types;
	size_t ntypes, captypes;
	struct prototype **protos;
	size_t nprotos, capprotos;
	void **owned;
	size_t nowned, capowned;
	const uint8_t *data;
	size_t size;
};

static struct type *fz_lookup(void *ctx, const char *name)
{
	struct fz *f = ctx;

	for (size_t i = 0; i < f->ntypes; i++)
		if (!strcmp(f->names[i], name))
			return f->types[i];
	return NULL;
}

static bool fz_add_type(void *ctx, const char *name, struct type *t)
{
	struct fz *f = ctx;
	size_t cap = f->captypes;

	if (fz_lookup(ctx, name))
		return false;
	grow_array((void **)&f->types, &f->captypes, f->ntypes + 1, sizeof(*f->types));
	grow_array((void **)&f->names, &cap, f->ntypes + 1, sizeof(*f->names));
	f->names[f->ntypes] = xstrdup(name);
	f->types[f->ntypes++] = t;
	return true;
}

static void fz_add_proto(void *ctx, struct prototype *p)
{
	struct fz *f = ctx;

	grow_array((void **)&f->protos, &f->capprotos, f->nprotos + 1, sizeof(*f->protos));
	f->protos[f->nprotos++] = p;
}

static bool fz_import(void *ctx, const char *name)
{
	return name[0] == 'x'; /* both outcomes, without touching the file system */
}

static void fz_own(void *ctx, void *p)
{
	struct fz *f = ctx;

	grow_array((void **)&f->owned, &f->capowned, f->nowned + 1, sizeof(*f->owned));
	f->owned[f->nowned++] = p;
}

/* The fake tracee: address A holds input byte (A mod size); addresses below 4096 and above
 * 2^47 are unmapped, and reads stop at the next 64 KiB boundary (a short read). */
static ssize_t fz_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	struct fz *f = ctx;
	uint8_t *b = buf;
	size_t n;

	if (addr < 4096 || addr >= (1ULL << 47) || !f->size)
		return -1;
	n = 0x10000 - (addr & 0xffff);
	if (n > len)
		n = len;
	for (size_t i = 0; i < n; i++)
		b[i] = f->data[(addr + i) % f->size];
	return (ssize_t)n;
}

static int fz_fpregs(void *ctx, struct user_fpregs_struct *fp)
{
	struct fz *f = ctx;

	memset(fp, 0, sizeof(*fp));
	for (size_t i = 0; i < sizeof(fp->xmm_space) && f->size; i++)
		((uint8_t *)fp->xmm_space)[i] = f->data[i % f->size];
	return 0;
}

static uint64_t word(const struct fz *f, size_t i)
{
	uint64_t v = 0;

	for (size_t k = 0; k < 8 && f->size; k++)
		v |= (uint64_t)f->data[(i * 8 + k) % f->size] << (8 * k);
	/* Mostly plausible pointers into the fake memory, sometimes small values. */
	return (i & 1) ? v & 0xffff : 0x100000 + (v & 0xfffff);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { .data = data, .size = size };
	struct parse_scope sc = { fz_lookup, fz_add_type, fz_add_proto, fz_import, fz_own, &f };
	struct tracee_mem mem = { fz_read, fz_fpregs, &f };
	/* Inputs of odd length take the --json path too (the same walk, typed values). */
	struct render_opts ro = { .strlen_max = 32, .arraylen = 4, .json = size & 1 };
	struct user_regs_struct regs;
	char *text = xmalloc(size + 1);
	FILE *devnull = fopen("/dev/null", "w");

	memcpy(text, data, size);
	text[size] = 0;
	proto_parse_text("fuzz.conf", text, &sc, devnull);
	free(text);

	memset(&regs, 0, sizeof(regs));
	regs.rdi = word(&f, 0);
	regs.rsi = word(&f, 1);
	regs.rdx = word(&f, 2);
	regs.rcx = word(&f, 3);
	regs.r8 = word(&f, 4);
	regs.r9 = word(&f, 5);
	regs.rax = word(&f, 6);
	regs.rsp = 0x100000 + (word(&f, 7) & 0xff8);
	/* Bounded so that an input with thousands of prototypes stays fast. */
	for (size_t i = 0; i < f.nprotos && i < 64; i++) {
		struct strbuf a = STRBUF_INIT, r = STRBUF_INIT, e = STRBUF_INIT;
		struct call_values *cv = proto_entry(f.protos[i], &regs, &mem, &ro, &e);

		proto_return(cv, &regs, &mem, &ro, &a, &r);
		if (ro.json) {
			struct strbuf ja = STRBUF_INIT, jr = STRBUF_INIT;

			proto_json(cv, &ja, &jr);
			sb_free(&ja);
			sb_free(&jr);
		}
		proto_call_free(cv);
		sb_free(&a);
		sb_free(&r);
		sb_free(&e);
	}

	for (size_t i = 0; i < f.nowned; i++)
		free(f.owned[i]);
	for (size_t i = 0; i < f.ntypes; i++)
		free(f.names[i]);
	free(f.owned);
	free(f.names);
	free(f.types);
	free(f.protos);
	if (devnull)
		fclose(devnull);
	return 0;
}
