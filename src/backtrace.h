/* SPDX-License-Identifier: GPL-2.0-or-later */
/* -w: backtraces of a stopped thread, through libdwfl's unwinder. */
#ifndef LTRACE_BACKTRACE_H
#define LTRACE_BACKTRACE_H

#include "strbuf.h"

struct process;
struct task;

/* Append up to MAX frames of T's stack to OUT, one line each:
 * " > PATH(SYMBOL+0xOFF) [0xIP]". T must be in a ptrace stop. */
void backtrace_task(struct task *t, int max, struct strbuf *out);
/* P's mappings changed (dlopen, dlclose, exec) or P is gone. */
void backtrace_forget(struct process *p);

#endif
