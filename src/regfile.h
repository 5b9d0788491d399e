/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Opening files we read whole: regular files only, of bounded size. */
#ifndef LTRACE_REGFILE_H
#define LTRACE_REGFILE_H

#include <stddef.h>
#include <sys/types.h>

/* Largest prototype file read (ltrace.conf(5)). */
#define REGFILE_TEXT_MAX (16 * 1024 * 1024)

/* Open PATH for reading if it is a regular file of at most MAX bytes (0:
 * any size), without blocking on a FIFO or a device on the way. The
 * descriptor, or -1 with *WHY (static) saying why not. */
int regfile_open(const char *path, off_t max, const char **why);

/* The whole text of the regular file PATH (at most MAX bytes), NUL
 * terminated (to free), or NULL with *WHY (static) saying why not. */
char *regfile_read(const char *path, size_t max, const char **why);

#endif
