/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Checking the dynamic linker's r_brk before a trap goes on it. */
#ifndef LTRACE_RBRK_H
#define LTRACE_RBRK_H

#include <stdint.h>

struct process;

/* Where the r_brk hook of P may go: BRK (r_debug's word, the tracee's to
 * write) when it is the start of an instruction in the code of an object
 * we know, decoded from the function that holds it; else that object's
 * _dl_debug_state, if it has one; else 0 (said once, with a message). */
uint64_t rbrk_site(struct process *p, uint64_t brk);

#endif
