// SPDX-License-Identifier: GPL-2.0-or-later
/* x86_64 instruction length decoding, enough to move an instruction out
 * of line: its length, where a RIP-relative displacement sits, and
 * whether it changes the flow of control. Written from the Intel SDM's
 * opcode maps (volume 2, appendix A). */
#include "config.h"

#include <string.h>

#include "insn.h"

/* One-byte opcodes that have a ModRM byte (64-bit mode). */
static bool onebyte_has_modrm(unsigned op)
{
	if (op < 0x40)
		return (op & 7) < 4;
	switch (op) {
	case 0x63: case 0x69: case 0x6b:
	case 0x80: case 0x81: case 0x82: case 0x83:
	case 0x84: case 0x85: case 0x86: case 0x87:
	case 0x88: case 0x89: case 0x8a: case 0x8b:
	case 0x8c: case 0x8d: case 0x8e: case 0x8f:
	case 0xc0: case 0xc1: case 0xc6: case 0xc7:
	case 0xd0: case 0xd1: case 0xd2: case 0xd3:
	case 0xd8: case 0xd9: case 0xda: case 0xdb:
	case 0xdc: case 0xdd: case 0xde: case 0xdf:
	case 0xf6: case 0xf7: case 0xfe: case 0xff:
		return true;
	default:
		return false;
	}
}

/* Size of the immediate of one-byte opcode OP; OPSZ16 with a 0x66 prefix,
 * W with REX.W; REG is ModRM.reg for the groups that depend on it. */
static unsigned onebyte_imm(unsigned op, bool opsz16, bool w, unsigned reg)
{
	unsigned z = opsz16 ? 2 : 4;
	if (op < 0x40 && (op & 7) == 4)
		return 1;
	if (op < 0x40 && (op & 7) == 5)
		return z;
	switch (op) {
	case 0x6a: case 0x6b: case 0x80: case 0x82: case 0x83: case 0xa8:
	case 0xc0: case 0xc1: case 0xc6: case 0xcd: case 0xe4: case 0xe5:
	case 0xe6: case 0xe7:
		return 1;
	case 0x68: case 0x69: case 0x81: case 0xa9: case 0xc7:
		return z;
	case 0xc2: case 0xca:
		return 2;
	case 0xc8:
		return 3;
	case 0xf6:
		return reg < 2 ? 1 : 0;
	case 0xf7:
		return reg < 2 ? z : 0;
	default:
		break;
	}
	if (op >= 0xb0 && op <= 0xb7)
		return 1;
	if (op >= 0xb8 && op <= 0xbf)
		return w ? 8 : z;
	if (op >= 0xa0 && op <= 0xa3)
		return 8; /* moffs */
	return 0;
}

static bool twobyte_has_modrm(unsigned op)
{
	switch (op) {
	case 0x05: case 0x06: case 0x07: case 0x08: case 0x09: case 0x0b: case 0x0e:
	case 0x30: case 0x31: case 0x32: case 0x33: case 0x34: case 0x35: case 0x37:
	case 0x77: case 0xa0: case 0xa1: case 0xa2: case 0xa8: case 0xa9: case 0xaa:
		return false;
	default:
		break;
	}
	if (op >= 0x80 && op <= 0x8f)
		return false;
	if (op >= 0xc8 && op <= 0xcf)
		return false;
	return true;
}

static unsigned twobyte_imm(unsigned op)
{
	switch (op) {
	case 0x70: case 0x71: case 0x72: case 0x73: case 0xa4: case 0xac: case 0xba:
	case 0xc2: case 0xc4: case 0xc5: case 0xc6:
		return 1;
	default:
		return op >= 0x80 && op <= 0x8f ? 4 : 0;
	}
}

/* ModRM (+ SIB + displacement) at P: its length, and where a RIP-relative
 * displacement is. */
static unsigned modrm_len(const unsigned char *p, size_t avail, bool *rip_rel)
{
	if (avail < 1)
		return 0;
	unsigned mod = p[0] >> 6, rm = p[0] & 7, len = 1;
	*rip_rel = false;
	if (mod == 3)
		return 1;
	if (rm == 4) {
		if (avail < 2)
			return 0;
		unsigned base = p[1] & 7;
		len = 2;
		if (mod == 0 && base == 5)
			return len + 4;
	} else if (mod == 0 && rm == 5) {
		*rip_rel = true;
		return len + 4;
	}
	if (mod == 1)
		return len + 1;
	if (mod == 2)
		return len + 4;
	return len;
}

int x86_decode(const unsigned char *p, size_t avail, struct x86_insn *in)
{
	memset(in, 0, sizeof(*in));
	size_t i = 0;
	bool opsz16 = false, addr32 = false, w = false;
	/* Legacy prefixes. */
	for (; i < avail && i < 14; i++) {
		unsigned b = p[i];
		if (b == 0x66)
			opsz16 = true;
		else if (b == 0x67)
			addr32 = true;
		else if (b == 0x64 || b == 0x65)
			in->seg = b;
		else if (b == 0xf0 || b == 0xf2 || b == 0xf3 || b == 0x2e || b == 0x36 ||
			 b == 0x3e || b == 0x26)
			continue;
		else
			break;
	}
	in->addr32 = addr32;
	if (i < avail && (p[i] & 0xf0) == 0x40) {
		in->rex = p[i];
		w = p[i] & 8;
		i++;
	}
	if (i >= avail)
		return -1;
	unsigned op = p[i];
	bool has_modrm, imm_map3 = false;
	unsigned imm = 0, map = 0, reg = 0;

	/* AMD XOP (8f with ModRM.reg != 0): rare enough not to move. */
	if (op == 0x8f && i + 1 < avail && ((p[i + 1] >> 3) & 7) != 0)
		return -1;
	if (op == 0xc4 || op == 0xc5 || op == 0x62) {
		/* VEX (2 or 3 bytes) or EVEX (4 bytes): every opcode but
		 * vzeroupper/vzeroall has a ModRM; map 3 ones have an imm8. */
		size_t plen = op == 0xc5 ? 2 : op == 0xc4 ? 3 : 4;
		if (i + plen >= avail)
			return -1;
		map = op == 0xc5 ? 1 : (p[i + 1] & (op == 0x62 ? 0x03 : 0x1f));
		i += plen;
		op = p[i++];
		has_modrm = !(map == 1 && op == 0x77);
		imm_map3 = map == 3;
		if (map == 1 && (op == 0x70 || op == 0x71 || op == 0x72 || op == 0x73 ||
				 op == 0xc2 || op == 0xc4 || op == 0xc5 || op == 0xc6))
			imm = 1;
	} else if (op == 0x0f) {
		if (i + 1 >= avail)
			return -1;
		unsigned op2 = p[i + 1];
		if (op2 == 0x38 || op2 == 0x3a) {
			if (i + 2 >= avail)
				return -1;
			map = op2 == 0x38 ? 2 : 3;
			op = p[i + 2];
			i += 3;
			has_modrm = true;
			imm_map3 = map == 3;
		} else {
			map = 1;
			op = op2;
			i += 2;
			has_modrm = twobyte_has_modrm(op);
			imm = twobyte_imm(op);
			if (op >= 0x80 && op <= 0x8f) {
				in->kind = X86_JCC;
				in->cc = op & 0xf;
			} else if (op == 0x05 || op == 0x34 || op == 0x0b) {
				in->kind = op == 0x05 ? X86_PLAIN : X86_OTHER_FLOW;
			}
		}
	} else {
		i++;
		has_modrm = onebyte_has_modrm(op);
	}

	if (imm_map3)
		imm = 1;
	if (has_modrm) {
		if (i >= avail)
			return -1;
		reg = (p[i] >> 3) & 7;
		bool rip_rel;
		unsigned ml = modrm_len(p + i, avail - i, &rip_rel);
		if (!ml)
			return -1;
		if (rip_rel) {
			if (addr32)
				in->kind = X86_OTHER_FLOW; /* EIP-relative: leave it alone */
			in->rip_rel = true;
			in->disp_off = (unsigned)i + 1;
		}
		in->modrm_off = (unsigned)i;
		i += ml;
	}
	if (map == 0) {
		imm = onebyte_imm(op, opsz16, w, reg);
		if (op >= 0x70 && op <= 0x7f) {
			in->kind = X86_JCC;
			in->cc = op & 0xf;
			imm = 1;
		} else if (op == 0xeb) {
			in->kind = X86_JMP_REL;
			imm = 1;
		} else if (op == 0xe9) {
			in->kind = X86_JMP_REL;
			imm = 4;
		} else if (op == 0xe8) {
			in->kind = X86_CALL_REL;
			imm = 4;
		} else if (op == 0xc3) {
			in->kind = X86_RET;
		} else if (op == 0xc2) {
			in->kind = X86_RET;
		} else if (op >= 0xe0 && op <= 0xe3) {
			in->kind = X86_LOOP;
			in->cc = op - 0xe0;
			imm = 1;
		} else if (op == 0xff && (reg == 2 || reg == 4)) {
			in->kind = reg == 2 ? X86_CALL_IND : X86_JMP_IND;
		} else if ((op == 0xff && (reg == 3 || reg == 5)) || op == 0xca || op == 0xcb ||
			   op == 0xcf || op == 0xcc || op == 0xcd || op == 0xce || op == 0x9a ||
			   op == 0xea) {
			in->kind = X86_OTHER_FLOW;
		}
	}
	i += imm;
	if (i > avail || i > 15)
		return -1;
	in->len = (unsigned)i;
	in->imm_off = (unsigned)(i - imm);
	in->imm_len = imm;
	return 0;
}
