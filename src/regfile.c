// SPDX-License-Identifier: GPL-2.0-or-later
/* Opening files we read whole: regular files only, of bounded size.
 *
 * Paths come from the command line, prototype files and the tracee: a FIFO
 * would block us in open() or read(), /dev/zero would never end, a device
 * node may do anything when opened. O_NONBLOCK keeps the open itself from
 * waiting; the file is then refused unless fstat says it is regular. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"
#include "regfile.h"

int regfile_open(const char *path, off_t max, const char **why)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		*why = strerror(errno);
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		*why = strerror(errno);
	} else if (!S_ISREG(st.st_mode)) {
		*why = "not a regular file";
	} else if (max && st.st_size > max) {
		*why = "file too large";
	} else {
		/* Reads of a regular file do not block; clear it anyway. */
		int fl = fcntl(fd, F_GETFL);
		if (fl >= 0)
			fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
		return fd;
	}
	close(fd);
	return -1;
}

char *regfile_read(const char *path, size_t max, const char **why)
{
	int fd = regfile_open(path, (off_t)max, why);
	if (fd < 0)
		return NULL;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	const char *err = NULL;
	for (;;) {
		grow_array((void **)&buf, &cap, len + 4097, 1);
		ssize_t got = read(fd, buf + len, 4096);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			err = strerror(errno);
			break;
		}
		if (got == 0)
			break;
		len += (size_t)got;
		/* A file growing while we read it. */
		if (len > max) {
			err = "file too large";
			break;
		}
	}
	close(fd);
	if (err) {
		*why = err;
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}
