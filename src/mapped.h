/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The file behind a mapping of the tracee, opened in the tracee's view. */
#ifndef LTRACE_MAPPED_H
#define LTRACE_MAPPED_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Find the file that process PID maps at ADDR and write to OUT a path by
 * which we can read that very file (same device and inode), trying
 * /proc/PID/map_files, then /proc/PID/root + the mapped path, then NAME
 * (the dynamic linker's name for it) as the tracee would resolve it.
 * *SEEN_AS gets the mapped path as /proc/PID/maps shows it, without a
 * " (deleted)" mark (to free; NULL when it is no path). Returns 0 on
 * success, -1 when no file is mapped at ADDR (or the maps cannot be read),
 * 1 when the mapped file cannot be reached by any path. */
int mapped_file(pid_t pid, uint64_t addr, const char *name, char *out, size_t outlen,
		char **seen_as);

#endif
