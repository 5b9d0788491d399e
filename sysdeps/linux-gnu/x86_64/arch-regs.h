/* SPDX-License-Identifier: GPL-2.0-or-later */
/* x86_64: registers and the trap instruction. */
#ifndef LTRACE_ARCH_REGS_H
#define LTRACE_ARCH_REGS_H

#define ARCH_PC(r) ((r)->rip)
#define ARCH_SP(r) ((r)->rsp)
#define ARCH_RETVAL(r) ((r)->rax)
/* int3; after the trap the PC points past it. */
#define ARCH_TRAP_BYTE 0xcc
#define ARCH_DECR_PC_AFTER_BREAK 1

#endif
