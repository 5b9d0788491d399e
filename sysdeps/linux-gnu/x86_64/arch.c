// SPDX-License-Identifier: GPL-2.0-or-later
/* x86_64 instruction emulation for stepping past breakpoints.
 *
 * A breakpoint replaces the first byte of an instruction with int3. To go
 * on without a single-step (a whole extra stop of the tracee) we carry out
 * that instruction ourselves on the saved registers. The instructions that
 * start functions and PLT stubs, and that follow calls, are few: endbr64,
 * push, mov between registers, mov of an immediate, add/sub of an immediate
 * to a register, register stores relative to a base register, jmp through
 * the GOT, direct jumps, nop, leave and ret. Anything else is left to the
 * caller's fallback. */
#include "config.h"

#include <string.h>

#include "arch.h"
#include "insn.h"

static uint64_t *reg_ptr(struct user_regs_struct *r, unsigned n)
{
	switch (n) {
	case 0: return (uint64_t *)&r->rax;
	case 1: return (uint64_t *)&r->rcx;
	case 2: return (uint64_t *)&r->rdx;
	case 3: return (uint64_t *)&r->rbx;
	case 4: return (uint64_t *)&r->rsp;
	case 5: return (uint64_t *)&r->rbp;
	case 6: return (uint64_t *)&r->rsi;
	case 7: return (uint64_t *)&r->rdi;
	case 8: return (uint64_t *)&r->r8;
	case 9: return (uint64_t *)&r->r9;
	case 10: return (uint64_t *)&r->r10;
	case 11: return (uint64_t *)&r->r11;
	case 12: return (uint64_t *)&r->r12;
	case 13: return (uint64_t *)&r->r13;
	case 14: return (uint64_t *)&r->r14;
	default: return (uint64_t *)&r->r15;
	}
}

enum {
	F_CF = 1 << 0, F_PF = 1 << 2, F_AF = 1 << 4, F_ZF = 1 << 6, F_SF = 1 << 7, F_OF = 1 << 11,
	F_ARITH = F_CF | F_PF | F_AF | F_ZF | F_SF | F_OF,
};

static uint64_t parity_flag(uint64_t v)
{
	return __builtin_parity((unsigned)(v & 0xff)) ? 0 : F_PF;
}

/* Flags of a 64- or 32-bit add (sub when SUB) of B to A giving RES. */
static uint64_t arith_flags(uint64_t a, uint64_t b, uint64_t res, bool sub, bool wide)
{
	unsigned bits = wide ? 64 : 32;
	uint64_t mask = wide ? ~0ULL : 0xffffffffULL;
	uint64_t sign = 1ULL << (bits - 1);
	a &= mask, b &= mask, res &= mask;
	uint64_t f = parity_flag(res);
	if (!res)
		f |= F_ZF;
	if (res & sign)
		f |= F_SF;
	if ((a ^ b ^ res) & 0x10)
		f |= F_AF;
	if (sub) {
		if (b > a)
			f |= F_CF;
		if (((a ^ b) & (a ^ res)) & sign)
			f |= F_OF;
	} else {
		if (res < a)
			f |= F_CF;
		if ((~(a ^ b) & (a ^ res)) & sign)
			f |= F_OF;
	}
	return f;
}

struct insn {
	unsigned len;
	unsigned rex;
	const unsigned char *op; /* first opcode byte */
};

static void decode_prefix(const unsigned char *p, struct insn *in)
{
	unsigned i = 0;
	in->rex = 0;
	if ((p[i] & 0xf0) == 0x40)
		in->rex = p[i++];
	in->op = p + i;
	in->len = i;
}

/* ModRM with mod=3 or [base+disp8/32] (no SIB, no RIP-relative). Returns
 * the bytes used after the opcode, 0 if unsupported. */
static unsigned modrm_operand(const unsigned char *m, unsigned rex, struct user_regs_struct *r,
			      bool *is_reg, unsigned *rm, uint64_t *addr)
{
	unsigned mod = m[0] >> 6, rmv = (m[0] & 7) | ((rex & 1) << 3);
	*rm = rmv;
	if (mod == 3) {
		*is_reg = true;
		return 1;
	}
	*is_reg = false;
	if ((m[0] & 7) == 4 || (mod == 0 && (m[0] & 7) == 5))
		return 0; /* SIB or RIP-relative */
	int64_t disp = 0;
	unsigned used = 1;
	if (mod == 1) {
		disp = (int8_t)m[1];
		used = 2;
	} else if (mod == 2) {
		int32_t d;
		memcpy(&d, m + 1, 4);
		disp = d;
		used = 5;
	}
	if (r)
		*addr = *reg_ptr(r, rmv) + (uint64_t)disp;
	return used;
}

static bool push64(struct user_regs_struct *r, uint64_t v, const struct arch_mem *mem)
{
	if (mem->write(mem->ctx, r->rsp - 8, &v, 8) != 0)
		return false;
	r->rsp -= 8;
	return true;
}

static bool pop64(struct user_regs_struct *r, uint64_t *v, const struct arch_mem *mem)
{
	if (mem->read(mem->ctx, r->rsp, v, 8) != 0)
		return false;
	r->rsp += 8;
	return true;
}

/* Decode and, when R is non-NULL, execute. */
static bool emulate(const unsigned char *p, uint64_t pc, struct user_regs_struct *r,
		    const struct arch_mem *mem)
{
	/* endbr64: nothing to do. */
	if (p[0] == 0xf3 && p[1] == 0x0f && p[2] == 0x1e && p[3] == 0xfa) {
		if (r)
			r->rip = pc + 4;
		return true;
	}
	/* bnd jmp *disp32(%rip) and jmp *disp32(%rip): PLT stubs. */
	unsigned b = p[0] == 0xf2 ? 1 : 0;
	if (p[b] == 0xff && p[b + 1] == 0x25) {
		if (!r)
			return true;
		int32_t disp;
		memcpy(&disp, p + b + 2, 4);
		uint64_t target;
		if (mem->read(mem->ctx, pc + b + 6 + (int64_t)disp, &target, 8) != 0)
			return false;
		r->rip = target;
		return true;
	}
	switch (p[0]) {
	case 0x90: /* nop */
		if (r)
			r->rip = pc + 1;
		return true;
	case 0xe9: { /* jmp rel32 */
		int32_t d;
		memcpy(&d, p + 1, 4);
		if (r)
			r->rip = pc + 5 + (int64_t)d;
		return true;
	}
	case 0xeb: /* jmp rel8 */
		if (r)
			r->rip = pc + 2 + (int8_t)p[1];
		return true;
	case 0xc9: /* leave */
		if (r) {
			struct user_regs_struct t = *r;
			t.rsp = t.rbp;
			if (!pop64(&t, (uint64_t *)&t.rbp, mem))
				return false;
			t.rip = pc + 1;
			*r = t;
		}
		return true;
	case 0xc3: /* ret */
		if (r) {
			struct user_regs_struct t = *r;
			if (!pop64(&t, (uint64_t *)&t.rip, mem))
				return false;
			*r = t;
		}
		return true;
	default:
		break;
	}

	struct insn in;
	decode_prefix(p, &in);
	const unsigned char *op = in.op;
	bool w = in.rex & 8;
	unsigned rexr = (in.rex >> 2) & 1, rexb = in.rex & 1;

	/* push reg */
	if (op[0] >= 0x50 && op[0] <= 0x57 && !w) {
		if (r) {
			uint64_t v = *reg_ptr(r, (op[0] - 0x50) | (rexb << 3));
			if (!push64(r, v, mem))
				return false;
			r->rip = pc + in.len + 1;
		}
		return true;
	}
	/* mov $imm32, r32 (zero-extended) / movabs $imm64, r64 */
	if (op[0] >= 0xb8 && op[0] <= 0xbf) {
		unsigned len = in.len + 1 + (w ? 8 : 4);
		if (r) {
			uint64_t v = 0;
			memcpy(&v, op + 1, w ? 8 : 4);
			*reg_ptr(r, (op[0] - 0xb8) | (rexb << 3)) = v;
			r->rip = pc + len;
		}
		return true;
	}
	/* mov r, r/m (0x89) and mov r/m, r (0x8b), 32 or 64 bits */
	if (op[0] == 0x89 || op[0] == 0x8b) {
		bool is_reg;
		unsigned rm;
		uint64_t addr = 0;
		unsigned used = modrm_operand(op + 1, in.rex, r, &is_reg, &rm, &addr);
		if (!used)
			return false;
		if (!r)
			return true;
		unsigned reg = ((op[1] >> 3) & 7) | (rexr << 3);
		size_t sz = w ? 8 : 4;
		if (is_reg) {
			uint64_t v = op[0] == 0x89 ? *reg_ptr(r, reg) : *reg_ptr(r, rm);
			if (!w)
				v &= 0xffffffffULL;
			*reg_ptr(r, op[0] == 0x89 ? rm : reg) = v;
		} else if (op[0] == 0x89) {
			uint64_t v = *reg_ptr(r, reg);
			if (mem->write(mem->ctx, addr, &v, sz) != 0)
				return false;
		} else {
			uint64_t v = 0;
			if (mem->read(mem->ctx, addr, &v, sz) != 0)
				return false;
			*reg_ptr(r, reg) = v;
		}
		r->rip = pc + in.len + 1 + used;
		return true;
	}
	/* add/sub $imm8/$imm32, r (0x83 /0 /5, 0x81 /0 /5), register only */
	if ((op[0] == 0x83 || op[0] == 0x81) && (op[1] >> 6) == 3) {
		unsigned ext = (op[1] >> 3) & 7;
		if (ext != 0 && ext != 5)
			return false;
		unsigned immlen = op[0] == 0x83 ? 1 : 4;
		if (!r)
			return true;
		int64_t imm;
		if (immlen == 1) {
			imm = (int8_t)op[2];
		} else {
			int32_t t;
			memcpy(&t, op + 2, 4);
			imm = t;
		}
		uint64_t *dst = reg_ptr(r, (op[1] & 7) | (rexb << 3));
		uint64_t a = *dst, res = ext == 5 ? a - (uint64_t)imm : a + (uint64_t)imm;
		if (!w)
			res &= 0xffffffffULL;
		r->eflags = (r->eflags & ~(uint64_t)F_ARITH) |
			    arith_flags(a, (uint64_t)imm, res, ext == 5, w);
		*dst = res;
		r->rip = pc + in.len + 2 + immlen;
		return true;
	}
	/* xor r, r (same register): zeroing idiom */
	if ((op[0] == 0x31 || op[0] == 0x33) && (op[1] >> 6) == 3 &&
	    ((op[1] >> 3) & 7) == (op[1] & 7) && rexr == rexb) {
		if (r) {
			*reg_ptr(r, (op[1] & 7) | (rexb << 3)) = 0;
			r->eflags = (r->eflags & ~(uint64_t)F_ARITH) | F_ZF | F_PF;
			r->rip = pc + in.len + 2;
		}
		return true;
	}
	return false;
}

static bool condition(unsigned cc, uint64_t fl)
{
	bool cf = fl & F_CF, zf = fl & F_ZF, sf = fl & F_SF, of = fl & F_OF, pf = fl & F_PF;
	bool r;
	switch (cc >> 1) {
	case 0: r = of; break;
	case 1: r = cf; break;
	case 2: r = zf; break;
	case 3: r = cf || zf; break;
	case 4: r = sf; break;
	case 5: r = pf; break;
	case 6: r = sf != of; break;
	default: r = zf || sf != of; break;
	}
	return (cc & 1) ? !r : r;
}

static int64_t rel_of(const unsigned char *p, const struct x86_insn *in)
{
	if (in->imm_len == 1)
		return (int8_t)p[in->imm_off];
	int32_t d;
	memcpy(&d, p + in->imm_off, 4);
	return d;
}

/* The address of IN's memory operand: ModRM with SIB and displacement, or
 * RIP-relative, plus an fs/gs segment base. False for a register operand
 * and for 32-bit addressing. */
static bool operand_address(const unsigned char *p, uint64_t pc, const struct x86_insn *in,
			    struct user_regs_struct *r, uint64_t *addr)
{
	const unsigned char *m = p + in->modrm_off, *d = m + 1;
	unsigned mod = m[0] >> 6, rm = m[0] & 7, rexb = in->rex & 1, rexx = (in->rex >> 1) & 1;
	if (mod == 3 || in->addr32)
		return false;
	uint64_t a = 0;
	int32_t disp;
	if (in->rip_rel) {
		memcpy(&disp, p + in->disp_off, 4);
		a = pc + in->len + (int64_t)disp;
	} else {
		if (rm == 4) {
			unsigned sib = m[1], index = ((sib >> 3) & 7) | (rexx << 3);
			d = m + 2;
			if (index != 4)
				a += *reg_ptr(r, index) << (sib >> 6);
			if ((sib & 7) == 5 && mod == 0) {
				memcpy(&disp, d, 4); /* no base */
				a += (uint64_t)(int64_t)disp;
			} else {
				a += *reg_ptr(r, (sib & 7) | (rexb << 3));
			}
		} else {
			a = *reg_ptr(r, rm | (rexb << 3));
		}
		if (mod == 1) {
			a += (uint64_t)(int64_t)(int8_t)d[0];
		} else if (mod == 2) {
			memcpy(&disp, d, 4);
			a += (uint64_t)(int64_t)disp;
		}
	}
	if (in->seg == 0x64)
		a += r->fs_base;
	else if (in->seg == 0x65)
		a += r->gs_base;
	*addr = a;
	return true;
}

/* Target of call/jmp *r/m: a register or a word in memory. */
static bool indirect_target(const unsigned char *p, uint64_t pc, const struct x86_insn *in,
			    struct user_regs_struct *r, const struct arch_mem *mem, uint64_t *target)
{
	const unsigned char *m = p + in->modrm_off;
	if ((m[0] >> 6) == 3) {
		*target = *reg_ptr(r, (m[0] & 7) | ((in->rex & 1) << 3));
		return true;
	}
	uint64_t addr;
	return operand_address(p, pc, in, r, &addr) && mem->read(mem->ctx, addr, target, 8) == 0;
}

/* loopne, loope, loop (rcx decremented, no flags changed) and jrcxz. */
static bool loop_taken(const struct x86_insn *in, struct user_regs_struct *r)
{
	if (in->cc == 3)
		return (in->addr32 ? r->rcx & 0xffffffffULL : r->rcx) == 0;
	r->rcx--;
	bool zf = r->eflags & F_ZF;
	return r->rcx != 0 && (in->cc == 2 || (in->cc == 1 ? zf : !zf));
}

/* Jumps, calls and returns, through the decoder. */
static bool emulate_flow(const unsigned char *p, uint64_t pc, struct user_regs_struct *r,
			 const struct arch_mem *mem)
{
	struct x86_insn in;
	if (x86_decode(p, ARCH_INSN_MAX, &in) != 0)
		return false;
	uint64_t next = pc + in.len, target;
	switch (in.kind) {
	case X86_JCC:
		if (r)
			r->rip = condition(in.cc, r->eflags) ? next + rel_of(p, &in) : next;
		return true;
	case X86_LOOP:
		/* loop with 32-bit addressing counts in ecx: left to the copy. */
		if (in.addr32 && in.cc != 3)
			return false;
		if (r)
			r->rip = loop_taken(&in, r) ? next + rel_of(p, &in) : next;
		return true;
	case X86_JMP_REL:
		if (r)
			r->rip = next + rel_of(p, &in);
		return true;
	case X86_CALL_REL:
		if (r) {
			struct user_regs_struct t = *r;
			if (!push64(&t, next, mem))
				return false;
			t.rip = next + rel_of(p, &in);
			*r = t;
		}
		return true;
	case X86_RET:
		if (r) {
			struct user_regs_struct t = *r;
			if (!pop64(&t, (uint64_t *)&t.rip, mem))
				return false;
			if (in.imm_len == 2) {
				uint16_t n;
				memcpy(&n, p + in.imm_off, 2);
				t.rsp += n;
			}
			*r = t;
		}
		return true;
	case X86_CALL_IND:
	case X86_JMP_IND:
		if (!r)
			return !in.addr32;
		if (!indirect_target(p, pc, &in, r, mem, &target))
			return false;
		if (in.kind == X86_CALL_IND) {
			struct user_regs_struct t = *r;
			if (!push64(&t, next, mem))
				return false;
			t.rip = target;
			*r = t;
		} else {
			r->rip = target;
		}
		return true;
	default:
		return false;
	}
}

bool arch_emulate(const unsigned char *insn, uint64_t pc, struct user_regs_struct *regs,
		  const struct arch_mem *mem)
{
	return emulate(insn, pc, regs, mem) || emulate_flow(insn, pc, regs, mem);
}

bool arch_can_emulate(const unsigned char *insn)
{
	return emulate(insn, 0, NULL, NULL) || emulate_flow(insn, 0, NULL, NULL);
}

size_t arch_insn_len(const unsigned char *insn)
{
	struct x86_insn in;
	return x86_decode(insn, ARCH_INSN_MAX, &in) == 0 ? in.len : ARCH_INSN_MAX;
}

/* jmp *0(%rip) followed by the absolute address. */
static size_t put_jump(unsigned char *out, uint64_t to)
{
	static const unsigned char jmp[6] = { 0xff, 0x25, 0, 0, 0, 0 };
	memcpy(out, jmp, 6);
	memcpy(out + 6, &to, 8);
	return 14;
}

/* Push the 64-bit VALUE without touching the flags: push $low (sign-extended),
 * then movl $high, 4(%rsp). */
static size_t put_push64(unsigned char *out, uint64_t value)
{
	uint32_t lo = (uint32_t)value, hi = (uint32_t)(value >> 32);
	out[0] = 0x68;
	memcpy(out + 1, &lo, 4);
	static const unsigned char movl[4] = { 0xc7, 0x44, 0x24, 0x04 };
	memcpy(out + 5, movl, 4);
	memcpy(out + 9, &hi, 4);
	return 13;
}

/* Copy the instruction IN of PC to AT (OUT), a RIP-relative displacement
 * adjusted to the new place. Its length, or -1 when AT is out of reach. */
static int copy_moved(const unsigned char *insn, const struct x86_insn *in, uint64_t pc,
		      uint64_t at, unsigned char *out)
{
	memcpy(out, insn, in->len);
	if (in->rip_rel) {
		int32_t d;
		memcpy(&d, insn + in->disp_off, 4);
		int64_t nd = (int64_t)(pc + (uint64_t)(int64_t)d) - (int64_t)at;
		if (nd != (int32_t)nd)
			return -1;
		int32_t nd32 = (int32_t)nd;
		memcpy(out + in->disp_off, &nd32, 4);
	}
	return (int)in->len;
}

/* Does the memory or register operand of IN involve the stack pointer? */
static bool uses_rsp(const unsigned char *insn, const struct x86_insn *in)
{
	unsigned m = insn[in->modrm_off], rexb = in->rex & 1;
	if ((m >> 6) == 3 || (m & 7) != 4)
		return (m >> 6) == 3 && ((m & 7) | (rexb << 3)) == 4;
	return !rexb && (insn[in->modrm_off + 1] & 7) == 4;
}

/* Every kind of instruction but far transfers and traps can run out of
 * line: what falls through jumps back after it, relative jumps become
 * absolute ones, and calls push the original return address themselves. */
int arch_displace(const unsigned char *insn, uint64_t pc, uint64_t slot, unsigned char *out)
{
	struct x86_insn in;
	if (x86_decode(insn, ARCH_INSN_MAX, &in) != 0)
		return 0;
	uint64_t next = pc + in.len;
	int n;
	switch (in.kind) {
	case X86_PLAIN:
	case X86_JMP_IND:
	case X86_RET:
		n = copy_moved(insn, &in, pc, slot, out);
		if (n > 0 && in.kind == X86_PLAIN)
			n += (int)put_jump(out + n, next);
		return n;
	case X86_JMP_REL:
		return (int)put_jump(out, next + (uint64_t)rel_of(insn, &in));
	case X86_JCC:
	case X86_LOOP:
		/* The short form of the same test over a jump back to NEXT, to
		 * the jump to the target. */
		n = 0;
		if (in.kind == X86_LOOP && in.addr32)
			out[n++] = 0x67;
		out[n++] = (unsigned char)(in.kind == X86_JCC ? 0x70 + in.cc : 0xe0 + in.cc);
		out[n++] = 14;
		n += (int)put_jump(out + n, next);
		n += (int)put_jump(out + n, next + (uint64_t)rel_of(insn, &in));
		return n;
	case X86_CALL_REL:
		n = (int)put_push64(out, next);
		return n + (int)put_jump(out + n, next + (uint64_t)rel_of(insn, &in));
	case X86_CALL_IND: {
		/* After the push the stack pointer is off by 8 for the operand. */
		if (uses_rsp(insn, &in) || in.addr32)
			return 0;
		n = (int)put_push64(out, next);
		int len = copy_moved(insn, &in, pc, slot + (uint64_t)n, out + n);
		if (len < 0)
			return -1;
		/* call *r/m (ff /2) becomes jmp *r/m (ff /4). */
		out[n + (int)in.modrm_off] = (unsigned char)((insn[in.modrm_off] & ~0x38) | (4 << 3));
		return n + len;
	}
	default:
		return 0;
	}
}

bool arch_displaced_rewind(const unsigned char *insn, uint64_t pc, uint64_t slot,
			   struct user_regs_struct *r)
{
	struct x86_insn in;
	if (x86_decode(insn, ARCH_INSN_MAX, &in) != 0)
		return false;
	uint64_t off = r->rip - slot;
	if (off == 0) {
		r->rip = pc; /* nothing done yet */
		return true;
	}
	switch (in.kind) {
	case X86_PLAIN:
		/* Past the instruction (or in its system call): at the jump back. */
		if (off > in.len)
			return false;
		r->rip = pc + off;
		return true;
	case X86_JCC:
	case X86_LOOP: {
		/* At one of the two jumps: where each goes. */
		unsigned test = in.kind == X86_LOOP && in.addr32 ? 3 : 2;
		if (off == test)
			r->rip = pc + in.len;
		else if (off == test + 14)
			r->rip = pc + in.len + (uint64_t)rel_of(insn, &in);
		else
			return false;
		return true;
	}
	case X86_CALL_REL:
	case X86_CALL_IND:
		/* After the push (5) or the high half (13): undo it. */
		if (off != 5 && off != 13)
			return false;
		r->rsp += 8;
		r->rip = pc;
		return true;
	default:
		return false;
	}
}

uint64_t arch_displace_near(const unsigned char *insn, uint64_t pc)
{
	struct x86_insn in;
	if (x86_decode(insn, ARCH_INSN_MAX, &in) != 0 || !in.rip_rel)
		return 0;
	int32_t d;
	memcpy(&d, insn + in.disp_off, 4);
	return pc + in.len + (uint64_t)(int64_t)d;
}

size_t arch_syscall_trap(unsigned char *out)
{
	out[0] = 0x0f; /* syscall */
	out[1] = 0x05;
	out[2] = ARCH_TRAP_BYTE;
	return 3;
}

void arch_set_syscall(struct user_regs_struct *r, uint64_t pc, long nr, const uint64_t args[6])
{
	r->rip = pc;
	r->rax = (uint64_t)nr;
	r->orig_rax = (uint64_t)-1;
	r->rdi = args[0];
	r->rsi = args[1];
	r->rdx = args[2];
	r->r10 = args[3];
	r->r8 = args[4];
	r->r9 = args[5];
}
