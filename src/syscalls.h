/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * System call names of the architecture ltrace is built for (spec 2.5). The table comes from the
 * kernel headers the compiler sees, through build-aux/gen-syscalls.sh at build time, so a new
 * kernel's calls get their names without touching the sources.
 */
#ifndef LTRACE_SYSCALLS_H
#define LTRACE_SYSCALLS_H

#include <stddef.h>

#include "strbuf.h"

/* Generated (syscall-table.c): indexed by number; NULL for numbers the kernel does not use. */
extern const char *const syscall_names[];
extern const size_t syscall_count;

/* The name of system call NR without any prefix ("write"), or NULL if NR is not known. */
const char *syscall_name(long nr);

/*
 * Append the name ltrace prints for system call NR (the part before "@SYS"): its name, or
 * "SYS_<nr>" when the number has none, as ltrace 0.7.91 does.
 */
void syscall_format_name(struct strbuf *sb, long nr);

#endif
