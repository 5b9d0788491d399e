/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The file behind a mapping of the tracee, opened in the tracee's view. */
#ifndef LTRACE_MAPPED_H
#define LTRACE_MAPPED_H

#include <stdbool.h>
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

/* The executable mappings of one file in a tracee, clipped to an object's
 * extent: where traps for that object may go. */
struct code_ranges {
	struct {
		uint64_t lo, hi;
	} *r;
	size_t n;
	bool known; /* read from /proc/PID/maps (else nothing is known) */
};

/* Fill OUT with the executable mappings within [LO, HI) of the file that
 * process PID maps at ANCHOR. 0, or -1 when there is none at ANCHOR. */
int code_ranges_read(pid_t pid, uint64_t anchor, uint64_t lo, uint64_t hi,
		     struct code_ranges *out);
/* Do [ADDR, ADDR + LEN) lie in one of them? */
bool code_ranges_hold(const struct code_ranges *c, uint64_t addr, size_t len);
void code_ranges_free(struct code_ranges *c);

#endif
