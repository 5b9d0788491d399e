/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The hooks every architecture provides (sysdeps/linux-gnu/ARCH/). */
#ifndef LTRACE_ARCH_H
#define LTRACE_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/user.h>

#include "arch-regs.h" /* per-arch: ARCH_PC(regs), ARCH_SP(regs), trap bytes */

/* Memory access for the emulator. */
struct arch_mem {
	int (*read)(void *ctx, uint64_t addr, void *buf, size_t len);
	int (*write)(void *ctx, uint64_t addr, const void *buf, size_t len);
	void *ctx;
};

/* Number of original instruction bytes kept per breakpoint for emulation. */
#define ARCH_INSN_MAX 16

/* Execute the instruction INSN (the original bytes at PC) on REGS without
 * running the tracee, so that no single-step is needed to get past a
 * breakpoint. Returns true when done (REGS updated, memory written), false
 * when this instruction cannot be emulated. */
bool arch_emulate(const unsigned char *insn, uint64_t pc, struct user_regs_struct *regs,
		  const struct arch_mem *mem);
/* Can arch_emulate handle INSN at all? (Decided once per breakpoint.) */
bool arch_can_emulate(const unsigned char *insn);
/* The length of the instruction INSN (ARCH_INSN_MAX when it cannot be decoded): the bytes
 * after it are other instructions, and may hold other traps. */
size_t arch_insn_len(const unsigned char *insn);

/* Out-of-line execution: the code to run at SLOT instead of the
 * instruction INSN at PC (the instruction, adjusted, then a jump back).
 * Returns its length (at most ARCH_DISPLACED_MAX), 0 when INSN cannot be
 * moved, -1 when SLOT is out of reach for it (RIP-relative). */
#define ARCH_DISPLACED_MAX 32
int arch_displace(const unsigned char *insn, uint64_t pc, uint64_t slot, unsigned char *out);
/* The address a copy of INSN at PC must stay within reach of (the target of
 * its RIP-relative operand), 0 when any place will do. */
uint64_t arch_displace_near(const unsigned char *insn, uint64_t pc);

/* A task stopped at some point of the copy at SLOT of INSN (of PC): put
 * REGS where the program's own code does the same (undoing what the copy
 * did so far). False when that cannot be. */
bool arch_displaced_rewind(const unsigned char *insn, uint64_t pc, uint64_t slot,
			   struct user_regs_struct *regs);

/* A system call followed by a trap, to run in the tracee; and the
 * registers that make it call NR with ARGS from PC. */
size_t arch_syscall_trap(unsigned char *out);
void arch_set_syscall(struct user_regs_struct *r, uint64_t pc, long nr, const uint64_t args[6]);

#endif
