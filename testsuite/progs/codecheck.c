/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * codecheck PID: compare every executable file mapping of PID (the main binary, libc, ld.so,
 * the test libraries: every place where a tracer may have planted a breakpoint) byte for byte
 * with the file it maps, reading the live bytes through /proc/PID/mem.  A breakpoint left
 * behind shows as a difference (usually 0xcc).  Prints each differing range; exit status 0 when
 * all code is pristine, 1 on any difference, 2 when the check itself failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int compare_mapping(int mem, const char *path, uint64_t start, uint64_t end,
			   uint64_t off, unsigned long *diffs)
{
	size_t len = end - start, i;
	unsigned char *live = malloc(len), *disk = malloc(len);
	ssize_t got_live, got_disk;
	int fd, shown = 0;

	if (!live || !disk)
		return -1;
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "codecheck: %s: %s\n", path, strerror(errno));
		return -1;
	}
	got_disk = pread(fd, disk, len, (off_t)off);
	close(fd);
	got_live = pread(mem, live, len, (off_t)start);
	if (got_live < 0 || got_disk < 0) {
		fprintf(stderr, "codecheck: cannot read %s at %#" PRIx64 ": %s\n", path, start,
			strerror(errno));
		return -1;
	}
	/* The tail of the last page past the end of the file reads as zeroes in memory. */
	if ((size_t)got_disk < len)
		len = (size_t)got_disk;
	if ((size_t)got_live < len)
		len = (size_t)got_live;
	for (i = 0; i < len; i++) {
		if (live[i] == disk[i])
			continue;
		(*diffs)++;
		if (shown++ < 20)
			printf("%#" PRIx64 " (%s+%#" PRIx64 "): memory %02x, file %02x\n",
			       start + i, path, off + i, live[i], disk[i]);
	}
	free(live);
	free(disk);
	return 0;
}

int main(int argc, char **argv)
{
	char name[64], line[4096];
	unsigned long diffs = 0, mappings = 0;
	FILE *maps;
	int mem;

	if (argc != 2) {
		fprintf(stderr, "usage: codecheck PID\n");
		return 2;
	}
	snprintf(name, sizeof(name), "/proc/%s/maps", argv[1]);
	maps = fopen(name, "r");
	snprintf(name, sizeof(name), "/proc/%s/mem", argv[1]);
	mem = open(name, O_RDONLY);
	if (!maps || mem < 0) {
		fprintf(stderr, "codecheck: cannot open %s: %s\n", name, strerror(errno));
		return 2;
	}
	while (fgets(line, sizeof(line), maps)) {
		uint64_t start, end, off;
		char perms[8];
		int pathpos = 0;
		char *path, *nl;

		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %*s %*s %n", &start,
			   &end, perms, &off, &pathpos) < 4 || pathpos == 0)
			continue;
		path = line + pathpos;
		nl = strchr(path, '\n');
		if (nl)
			*nl = '\0';
		if (perms[2] != 'x' || path[0] != '/')
			continue;
		if (strstr(path, " (deleted)")) {
			fprintf(stderr, "codecheck: %s was replaced on disk\n", path);
			return 2;
		}
		if (compare_mapping(mem, path, start, end, off, &diffs) < 0)
			return 2;
		mappings++;
	}
	if (mappings == 0) {
		fprintf(stderr, "codecheck: no executable mapping found\n");
		return 2;
	}
	if (diffs) {
		printf("codecheck: %lu byte(s) of code differ from the files\n", diffs);
		return 1;
	}
	return 0;
}
