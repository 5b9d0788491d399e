/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef LTRACE_X86_INSN_H
#define LTRACE_X86_INSN_H

#include <stdbool.h>
#include <stddef.h>

enum x86_kind {
	X86_PLAIN,      /* falls through to the next instruction */
	X86_JCC,        /* conditional jump, relative */
	X86_JMP_REL,
	X86_CALL_REL,
	X86_RET,        /* ret, ret imm16 */
	X86_CALL_IND,   /* call *r/m */
	X86_JMP_IND,    /* jmp *r/m */
	X86_LOOP,       /* loopne, loope, loop, jrcxz (cc 0..3), rel8 on rcx */
	X86_OTHER_FLOW, /* far transfers, int, ud2...: not moved */
};

struct x86_insn {
	unsigned len;
	enum x86_kind kind;
	unsigned cc;        /* condition of X86_JCC */
	bool rip_rel;       /* has a RIP-relative disp32 ... */
	unsigned disp_off;  /* ... at this offset */
	unsigned modrm_off;
	unsigned imm_off, imm_len;
	unsigned rex;       /* the REX byte, 0 if none */
	unsigned seg;       /* 0x64 (fs) or 0x65 (gs) segment prefix, else 0 */
	bool addr32;        /* 0x67: 32-bit addressing (ecx for X86_LOOP) */
};

/* Decode the instruction at P (AVAIL bytes readable). 0, or -1 if it is
 * not understood. */
int x86_decode(const unsigned char *p, size_t avail, struct x86_insn *in);

#endif
