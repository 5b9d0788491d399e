// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -u USER and set-id emulation (spec 1.2). Two halves: user_prepare() runs in ltrace before
 * the fork and does everything that may allocate or read files through NSS (passwd, group
 * list); user_switch_in_child() runs between fork and exec and only makes system calls.
 *
 * Why the effective ids are set by hand for set-id programs: whether the kernel honours the
 * set-id bits of a program that is being ptraced depends on the tracer's capabilities, on
 * no_new_privs and on the mount, and old kernels never did. ltrace 0.7 therefore emulates
 * them when root launches the program; we do the same, but only where the kernel itself
 * would have honoured the bits without ptrace (ELF file, not on a nosuid mount, no
 * no_new_privs), so that ltrace never grants more than running the program directly would.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common.h"
#include "user.h"

static int cmp_gid(const void *a, const void *b)
{
	gid_t x = *(const gid_t *)a, y = *(const gid_t *)b;

	return x < y ? -1 : x > y;
}

int user_prepare(const char *user, struct user_ids *ids)
{
	memset(ids, 0, sizeof(*ids));
	if (user == NULL)
		return 0;
	/* Both ids: a setuid-root ltrace run by a user must not hand out other users' ids. */
	if (getuid() != 0 || geteuid() != 0) {
		error_msg("you must be root to use the -u option");
		return -1;
	}
	errno = 0;
	struct passwd *pw = getpwnam(user);
	if (pw == NULL) {
		error_msg("cannot find user `%s'", user);
		return -1;
	}
	ids->active = true;
	ids->name = user;
	ids->uid = pw->pw_uid;
	ids->gid = pw->pw_gid;

	/* The list initgroups(3) would install, computed here so that the child needs no NSS
	 * lookup. getgrouplist reports the size it needs when the buffer is too small. */
	int n = 16;
	gid_t *list = NULL;
	for (;;) {
		int want = n;
		list = xrealloc(list, (size_t)n * sizeof(*list));
		if (getgrouplist(pw->pw_name, pw->pw_gid, list, &want) >= 0) {
			n = want;
			break;
		}
		/* Some implementations do not update WANT: grow geometrically then. */
		n = want > n ? want : n * 2;
	}
	/* The kernel returns the groups sorted; keep ours sorted too so the child can compare
	 * them element by element. The second half of the array is the child's scratch space
	 * for reading them back (no allocation after fork). */
	qsort(list, (size_t)n, sizeof(*list), cmp_gid);
	ids->groups = xcalloc((size_t)n * 2 + 1, sizeof(*list));
	memcpy(ids->groups, list, (size_t)n * sizeof(*list));
	ids->n_groups = (size_t)n;
	free(list);
	return 0;
}

void user_release(struct user_ids *ids)
{
	free(ids->groups);
	memset(ids, 0, sizeof(*ids));
}

/* An "ltrace: WHAT[ for user `X'][: strerror(ERR)]" line straight to fd 2 with one write(),
 * usable after fork. Returns -1 for the caller's convenience. */
static int child_fail(const struct user_ids *ids, const char *what, int err)
{
	char buf[512];
	size_t n = 0;
	const char *parts[7];
	int k = 0;

	parts[k++] = "ltrace: ";
	parts[k++] = what;
	if (ids->active) {
		parts[k++] = " for user `";
		parts[k++] = ids->name;
		parts[k++] = "'";
	}
	if (err) {
		parts[k++] = ": ";
		parts[k++] = strerror(err);
	}
	for (int i = 0; i < k; i++) {
		size_t len = strlen(parts[i]);
		if (len > sizeof(buf) - 1 - n)
			len = sizeof(buf) - 1 - n;
		memcpy(buf + n, parts[i], len);
		n += len;
	}
	buf[n++] = '\n';
	(void)!write(STDERR_FILENO, buf, n);
	return -1;
}

/* Would the kernel honour PATH's set-id bits if it were executed directly? */
static bool setid_applies(const char *path, const struct stat *st)
{
	if (!S_ISREG(st->st_mode) || !(st->st_mode & (S_ISUID | S_ISGID)))
		return false;
	/* Linux ignores set-id bits of interpreted scripts: only ELF programs get them. */
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	unsigned char magic[4];
	ssize_t got = read(fd, magic, sizeof(magic));
	close(fd);
	if (got != 4 || memcmp(magic, "\177ELF", 4) != 0)
		return false;
	struct statvfs sv;
	if (statvfs(path, &sv) == 0 && (sv.f_flag & ST_NOSUID))
		return false;
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1)
		return false;
	return true;
}

/* True when the process holds no effective or permitted capability. (Inheritable ones alone
 * grant nothing without ambient capabilities, which we clear.) */
static bool no_capabilities(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data) != 0)
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(data); i++)
		if (data[i].effective || data[i].permitted)
			return false;
	return true;
}

int user_switch_in_child(const struct user_ids *ids, const char *path)
{
	/* Without -u and without root there is nothing we could or should change: the kernel
	 * decides about set-id bits itself. */
	if (!ids->active && geteuid() != 0)
		return 0;

	uid_t ruid = ids->active ? ids->uid : getuid();
	gid_t rgid = ids->active ? ids->gid : getgid();
	uid_t euid = ruid;
	gid_t egid = rgid;
	struct stat st;
	if (path && stat(path, &st) == 0 && setid_applies(path, &st)) {
		if (st.st_mode & S_ISUID)
			euid = st.st_uid;
		/* Set-gid without group execute means mandatory locking, not set-gid. */
		if ((st.st_mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
			egid = st.st_gid;
	}
	if (!ids->active && euid == geteuid() && egid == getegid())
		return 0;

	if (ids->active) {
		/* Capabilities must not survive the uid change, whatever our parent set up. */
		prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
		prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
		if (setgroups(ids->n_groups, ids->groups) != 0)
			return child_fail(ids, "cannot set the supplementary groups", errno);
	}
	/* Groups first: once the uids are gone we may no longer change them. */
	if (setresgid(rgid, egid, egid) != 0)
		return child_fail(ids, "cannot set the group ids", errno);
	if (setresuid(ruid, euid, euid) != 0)
		return child_fail(ids, "cannot set the user ids", errno);

	/* Trust nothing: read everything back. */
	uid_t r, e, s;
	gid_t rg, eg, sg;
	if (getresuid(&r, &e, &s) != 0 || r != ruid || e != euid || s != euid ||
	    getresgid(&rg, &eg, &sg) != 0 || rg != rgid || eg != egid || sg != egid)
		return child_fail(ids, "ids did not change as requested", 0);
	if (!ids->active)
		return 0;

	gid_t *back = ids->groups + ids->n_groups;
	int n = getgroups((int)ids->n_groups, back);
	if (n < 0 || (size_t)n != ids->n_groups ||
	    memcmp(back, ids->groups, ids->n_groups * sizeof(*back)) != 0)
		return child_fail(ids, "supplementary groups did not change as requested", 0);

	/* Unless the target itself is root (-u root, or a setuid-root program), getting root
	 * back must be impossible now; if it is not, running the program would be a lie. */
	if (ruid != 0 && euid != 0) {
		if (setresuid(0, 0, 0) == 0 || getuid() == 0 || geteuid() == 0)
			return child_fail(ids, "refusing to run: root can be regained", 0);
		if (rgid != 0 && egid != 0 && setresgid(0, 0, 0) == 0)
			return child_fail(ids, "refusing to run: group root can be regained", 0);
		if (!no_capabilities())
			return child_fail(ids, "refusing to run: capabilities were kept", 0);
	}
	return 0;
}
