/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The memory of a non-dumpable process's fork child, for a tracer without
 * CAP_SYS_PTRACE. */
#ifndef LTRACE_NODUMP_H
#define LTRACE_NODUMP_H

struct task;

/* At the first stop of T, a fork child whose /proc/PID/mem could not be
 * opened for lack of permission: open it all the same (see nodump.c).
 * 0 when T is still there (with or without the file), -1 when it died
 * meanwhile (its end is handled already). */
int nodump_open_mem(struct task *t);

#endif
