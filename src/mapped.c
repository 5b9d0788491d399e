// SPDX-License-Identifier: GPL-2.0-or-later
/* The file behind a mapping of the tracee, opened in the tracee's view.
 *
 * A link_map's l_name is a path as the dynamic linker saw it: relative to
 * the tracee's working directory at dlopen time, in the tracee's mount
 * namespace, possibly /proc/self/fd/N of a memfd, possibly renamed over
 * since. What the tracee runs is what it maps, so that is what we read:
 * the mapping that holds an address of the object is looked up in
 * /proc/PID/maps, and a path of ours is accepted only when it names the
 * same device and inode as that mapping. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "common.h"
#include "mapped.h"

/* One line of /proc/PID/maps that maps a file and holds ADDR. */
struct mapping {
	uint64_t lo, hi;
	unsigned maj, min;
	uint64_t ino;
	bool exec;
	char path[PATH_MAX];
};

/* Parse LINE of /proc/PID/maps into M; false unless it maps a file. */
static bool parse_line(const char *line, struct mapping *m)
{
	int pos = 0;
	char perms[8] = "";
	if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %*s %x:%x %" SCNu64 " %n", &m->lo, &m->hi,
		   perms, &m->maj, &m->min, &m->ino, &pos) < 6 ||
	    !m->ino)
		return false;
	m->exec = strchr(perms, 'x') != NULL;
	snprintf(m->path, sizeof(m->path), "%s", pos ? line + pos : "");
	m->path[strcspn(m->path, "\n")] = '\0';
	return true;
}

static FILE *open_maps(pid_t pid)
{
	char name[64];
	snprintf(name, sizeof(name), "/proc/%d/maps", (int)pid);
	return fopen(name, "re");
}

/* PROCMAP_QUERY (Linux 6.11): one mapping of /proc/PID/maps by address,
 * without reading the whole list. Declared here for older headers. */
#define MAPS_QUERY _IOWR('f', 17, struct maps_query)
#define MAPS_QUERY_EXEC 0x04
#define MAPS_QUERY_COVERING_OR_NEXT 0x10
#define MAPS_QUERY_FILE_BACKED 0x20
struct maps_query {
	uint64_t size, query_flags, query_addr;
	uint64_t vma_start, vma_end, vma_flags, vma_page_size, vma_offset, inode;
	uint32_t dev_major, dev_minor, vma_name_size, build_id_size;
	uint64_t vma_name_addr, build_id_addr;
};

/* The file-backed mapping holding ADDR (or, with FLAGS holding
 * MAPS_QUERY_COVERING_OR_NEXT, the first after it) through the ioctl on
 * FD. 1 found, 0 none, -1 the kernel cannot say (read the text then). */
static int query_mapping(int fd, uint64_t addr, uint64_t flags, struct mapping *m)
{
	struct maps_query q = { .size = sizeof(q), .query_addr = addr,
				.query_flags = flags | MAPS_QUERY_FILE_BACKED,
				.vma_name_addr = (uint64_t)(uintptr_t)m->path,
				.vma_name_size = sizeof(m->path) };
	m->path[0] = '\0';
	if (ioctl(fd, MAPS_QUERY, &q) != 0)
		return errno == ENOENT ? 0 : -1;
	m->lo = q.vma_start;
	m->hi = q.vma_end;
	m->maj = q.dev_major;
	m->min = q.dev_minor;
	m->ino = q.inode;
	m->exec = q.vma_flags & MAPS_QUERY_EXEC;
	if (!q.vma_name_size)
		m->path[0] = '\0';
	return m->ino != 0;
}

static bool find_mapping(pid_t pid, uint64_t addr, struct mapping *m)
{
	char name[64];
	snprintf(name, sizeof(name), "/proc/%d/maps", (int)pid);
	int fd = open(name, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		int r = query_mapping(fd, addr, 0, m);
		close(fd);
		if (r >= 0)
			return r == 1 && addr >= m->lo && addr < m->hi;
	}
	FILE *f = open_maps(pid);
	if (!f)
		return false;
	char line[PATH_MAX + 128];
	bool found = false;
	while (!found && fgets(line, sizeof(line), f))
		found = parse_line(line, m) && addr >= m->lo && addr < m->hi;
	fclose(f);
	return found;
}

int code_ranges_read(pid_t pid, uint64_t anchor, uint64_t lo, uint64_t hi,
		     struct code_ranges *out)
{
	memset(out, 0, sizeof(*out));
	struct mapping of;
	if (!find_mapping(pid, anchor, &of))
		return -1;
	size_t cap = 0;
	struct mapping m;
	char name[64];
	snprintf(name, sizeof(name), "/proc/%d/maps", (int)pid);
	int fd = open(name, O_RDONLY | O_CLOEXEC);
	/* By query: the executable file mappings from LO on, one at a time. */
	int r = fd >= 0 ? 1 : -1;
	for (uint64_t at = lo; r == 1 && at < hi; at = m.hi) {
		r = query_mapping(fd, at, MAPS_QUERY_COVERING_OR_NEXT | MAPS_QUERY_EXEC, &m);
		if (r != 1 || m.lo >= hi)
			break;
		if (m.ino != of.ino || m.maj != of.maj || m.min != of.min)
			continue;
		grow_array((void **)&out->r, &cap, out->n + 1, sizeof(*out->r));
		out->r[out->n].lo = m.lo > lo ? m.lo : lo;
		out->r[out->n].hi = m.hi < hi ? m.hi : hi;
		out->n++;
	}
	if (fd >= 0)
		close(fd);
	if (r >= 0) {
		out->known = true;
		return 0;
	}
	free(out->r);
	memset(out, 0, sizeof(*out));
	cap = 0;
	FILE *f = open_maps(pid);
	if (!f)
		return -1;
	char line[PATH_MAX + 128];
	while (fgets(line, sizeof(line), f)) {
		if (!parse_line(line, &m) || !m.exec || m.ino != of.ino || m.maj != of.maj ||
		    m.min != of.min || m.hi <= lo || m.lo >= hi)
			continue;
		grow_array((void **)&out->r, &cap, out->n + 1, sizeof(*out->r));
		out->r[out->n].lo = m.lo > lo ? m.lo : lo;
		out->r[out->n].hi = m.hi < hi ? m.hi : hi;
		out->n++;
	}
	fclose(f);
	out->known = true;
	return 0;
}

bool code_ranges_hold(const struct code_ranges *c, uint64_t addr, size_t len)
{
	if (!c->known)
		return true; /* nothing read: the caller's other checks decide */
	for (size_t i = 0; i < c->n; i++)
		if (addr >= c->r[i].lo && addr < c->r[i].hi && len <= c->r[i].hi - addr)
			return true;
	return false;
}

void code_ranges_free(struct code_ranges *c)
{
	free(c->r);
	memset(c, 0, sizeof(*c));
}

static bool same_file(const char *path, const struct mapping *m)
{
	struct stat st;
	return stat(path, &st) == 0 && st.st_ino == m->ino && major(st.st_dev) == m->maj &&
	       minor(st.st_dev) == m->min;
}

/* Is /proc/PID/WHAT+REST the file of M? Its path is left in OUT. */
static bool try_path(char *out, size_t outlen, const struct mapping *m, pid_t pid,
		     const char *what, const char *rest)
{
	if (snprintf(out, outlen, "/proc/%d/%s%s", (int)pid, what, rest) >= (int)outlen)
		return false;
	return same_file(out, m);
}

int mapped_file(pid_t pid, uint64_t addr, const char *name, char *out, size_t outlen,
		char **seen_as)
{
	struct mapping m;
	*seen_as = NULL;
	if (!find_mapping(pid, addr, &m))
		return -1;
	/* The mapping itself (needs CAP_SYS_ADMIN): also a deleted or memfd file. */
	char range[64];
	snprintf(range, sizeof(range), "%" PRIx64 "-%" PRIx64, m.lo, m.hi);
	bool ok = try_path(out, outlen, &m, pid, "map_files/", range);
	/* The path of the mapping, under the tracee's root (its mount namespace). */
	if (!ok && m.path[0] == '/')
		ok = try_path(out, outlen, &m, pid, "root", m.path);
	/* The dynamic linker's name for it: /proc/self/... is the tracee's own,
	 * a relative path is relative to its working directory. */
	if (!ok && !strncmp(name, "/proc/self/", 11))
		ok = try_path(out, outlen, &m, pid, "", name + 11);
	else if (!ok && name[0] && name[0] != '/')
		ok = try_path(out, outlen, &m, pid, "cwd/", name);
	if (!ok)
		return 1;
	if (m.path[0] == '/') {
		size_t n = strlen(m.path), d = strlen(" (deleted)");
		if (n > d && !strcmp(m.path + n - d, " (deleted)"))
			n -= d;
		*seen_as = xstrndup(m.path, n);
	}
	return 0;
}
