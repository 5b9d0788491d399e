/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Breakpoints: one table per address space, keyed by address. */
#ifndef LTRACE_BREAKPOINT_H
#define LTRACE_BREAKPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch.h"

struct library;
struct prototype;

/* What a call breakpoint stands for. */
struct call_site {
	char *name;
	struct library *caller; /* PLT/GOT calls: the object making the call */
	struct library *callee; /* the defining object, when known */
	bool plt;               /* a PLT stub: every hit is a call from CALLER */
	uint64_t got_slot;      /* the stub's GOT slot (run-time address) */
	bool got_call;          /* callee entry for GOT calls: only calls from CALLER count */
	bool entry;             /* -x: every hit counts; printed NAME@LIB outside the main program */
	bool syscall;           /* -S: a system call (printed NAME@SYS) */
	bool proto_known;
	const struct prototype *proto;
	uint64_t last_ret;      /* return address of the previous call */
};

struct breakpoint {
	uint64_t addr;
	unsigned char insn[ARCH_INSN_MAX]; /* original bytes */
	bool inserted;
	bool emulable;
	bool ool_tried;          /* out-of-line copy attempted ... */
	uint64_t ool;            /* ... and where it is (0: none) */
	uint64_t ool_slot;       /* scratch reserved for it, kept when the copy goes stale */
	unsigned ret_refs;       /* frames waiting to return here */
	bool entry_point;        /* one-shot: the program's entry */
	bool rdebug;             /* the dynamic linker's r_brk hook */
	bool static_main;        /* one-shot: a static program's main (IFUNCs wait for it) */
	char *ifunc_name;        /* one-shot: the resolver of this -x IFUNC (see defer_ifunc) */
	struct library *ifunc_lib; /* ... of this object */
	struct call_site *call;  /* a call breakpoint */
	struct library *owner;   /* the object it was made for (NULL: the session's own) */
};

/* Is BP's trap wanted for anything but the frames returning to it? */
static inline bool bp_has_purpose(const struct breakpoint *bp)
{
	return bp->call || bp->entry_point || bp->rdebug || bp->static_main || bp->ifunc_name;
}

struct bptable {
	struct breakpoint **slots;
	size_t cap;
	size_t count;
};

struct breakpoint *bp_lookup(const struct bptable *t, uint64_t addr);
/* Find or create the (not yet inserted) breakpoint at ADDR. */
struct breakpoint *bp_get(struct bptable *t, uint64_t addr);
void bp_remove(struct bptable *t, uint64_t addr);
void call_site_free(struct call_site *cs);
void bptable_free(struct bptable *t);
/* Call FN on every breakpoint (the table must not change meanwhile). */
void bp_foreach(struct bptable *t, void (*fn)(struct breakpoint *bp, void *arg), void *arg);

#endif
