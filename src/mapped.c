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

#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

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

static bool find_mapping(pid_t pid, uint64_t addr, struct mapping *m)
{
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
	FILE *f = open_maps(pid);
	if (!f)
		return -1;
	char line[PATH_MAX + 128];
	size_t cap = 0;
	struct mapping m;
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
