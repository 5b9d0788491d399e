// SPDX-License-Identifier: GPL-2.0-or-later
/* Lookups in the generated table of system call names (syscalls.h). */
#include "config.h"

#include "syscalls.h"

const char *syscall_name(long nr)
{
	/* Negative numbers reach here from tracees that pass garbage (syscall(-1)). */
	if (nr < 0 || (unsigned long)nr >= syscall_count)
		return NULL;
	return syscall_names[nr];
}

void syscall_format_name(struct strbuf *sb, long nr)
{
	const char *name = syscall_name(nr);

	if (name)
		sb_puts(sb, name);
	else
		sb_printf(sb, "SYS_%ld", nr);
}
