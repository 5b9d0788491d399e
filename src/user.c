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
#if defined(__has_include)
#if __has_include(<linux/close_range.h>)
#include <linux/close_range.h>
#endif
#endif
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/resource.h>
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

/* The variables of the user's passwd entry that -u sets (see user.h and ltrace(1)). */
static void build_environment(const struct passwd *pw, struct user_ids *ids)
{
	const char *shell = pw->pw_shell && *pw->pw_shell ? pw->pw_shell : "/bin/sh";
	const char *set[][2] = {
		{ "HOME", pw->pw_dir ? pw->pw_dir : "/" },
		{ "USER", pw->pw_name },
		{ "LOGNAME", pw->pw_name },
		{ "SHELL", shell },
	};
	size_t n = 0;
	while (environ && environ[n])
		n++;
	char **env = xcalloc(n + ARRAY_SIZE(set) + 1, sizeof(*env));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		bool replaced = false;
		for (size_t j = 0; j < ARRAY_SIZE(set); j++) {
			size_t len = strlen(set[j][0]);
			if (!strncmp(environ[i], set[j][0], len) && environ[i][len] == '=')
				replaced = true;
		}
		if (!replaced)
			env[k++] = xstrdup(environ[i]);
	}
	for (size_t j = 0; j < ARRAY_SIZE(set); j++) {
		size_t len = strlen(set[j][0]) + strlen(set[j][1]) + 2;
		env[k] = xmalloc(len);
		snprintf(env[k++], len, "%s=%s", set[j][0], set[j][1]);
	}
	env[k] = NULL;
	ids->envp = env;
}

char *const *user_environment(const struct user_ids *ids)
{
	return ids->envp ? ids->envp : environ;
}

int user_prepare(const char *user, bool keep_fds, struct user_ids *ids)
{
	memset(ids, 0, sizeof(*ids));
	ids->keep_fds = keep_fds;
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
	build_environment(pw, ids);
	return 0;
}

void user_release(struct user_ids *ids)
{
	for (size_t i = 0; ids->envp && ids->envp[i]; i++)
		free(ids->envp[i]);
	free(ids->envp);
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

/* Every descriptor above 2 closes at exec (the error pipe to the tracer stays usable until
 * then). close_range needs Linux 5.11; before, each possible descriptor in turn. */
static void fds_close_on_exec(void)
{
#if defined(CLOSE_RANGE_CLOEXEC) && defined(SYS_close_range)
	if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return;
#endif
	struct rlimit rl;
	rlim_t max = getrlimit(RLIMIT_NOFILE, &rl) == 0 ? rl.rlim_cur : 1024;
	if (max > 1U << 20)
		max = 1U << 20;
	for (rlim_t fd = 3; fd < max; fd++)
		fcntl((int)fd, F_SETFD, FD_CLOEXEC);
}

static int read_caps(struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3])
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };

	memset(data, 0, sizeof(*data) * _LINUX_CAPABILITY_U32S_3);
	return (int)syscall(SYS_capget, &hdr, data);
}

/* The inheritable set empty, the others as they are. */
static int clear_inheritable(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	if (read_caps(data) != 0)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(data); i++)
		data[i].inheritable = 0;
	return (int)syscall(SYS_capset, &hdr, data);
}

/* Drop every capability the kernel knows from the bounding set (it reports EINVAL past
 * the last one). */
static int drop_bounding_set(void)
{
	for (int cap = 0; cap < 64; cap++) {
		if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) < 0)
			break;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0)
			return -1;
	}
	return 0;
}

/* True when the process holds no effective, permitted or inheritable capability and its
 * bounding set is empty (checked by its first capability, dropped like all the others). */
static bool no_capabilities(void)
{
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	if (read_caps(data) != 0)
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(data); i++)
		if (data[i].effective || data[i].permitted || data[i].inheritable)
			return false;
	return prctl(PR_CAPBSET_READ, 0, 0, 0, 0) == 0;
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
		/* Nothing of root's session goes along: not its terminal (TIOCSTI), not its
		 * descriptors, not its capabilities. */
		if (setsid() < 0)
			return child_fail(ids, "cannot start a new session", errno);
		if (!ids->keep_fds)
			fds_close_on_exec();
		/* Capabilities must not survive the uid change, whatever our parent set up. */
		prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
		prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
		if (clear_inheritable() != 0)
			return child_fail(ids, "cannot clear the inheritable capabilities", errno);
		/* A program run as root (-u root, setuid root) gets what root would get. */
		if (ruid != 0 && euid != 0 && drop_bounding_set() != 0)
			return child_fail(ids, "cannot empty the capability bounding set", errno);
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
