/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -u USER: run the launched program as another user, and the emulation of setuid/setgid bits
 * for programs started by root (spec 1.2). Lookups happen in the parent (user_prepare); the
 * forked child only makes system calls (user_switch_in_child), so nothing after fork needs
 * the NSS machinery or malloc.
 */
#ifndef LTRACE_USER_H
#define LTRACE_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct user_ids {
	bool active;       /* -u was given */
	const char *name;  /* as given on the command line (not copied) */
	uid_t uid;
	gid_t gid;         /* primary group from the passwd entry */
	gid_t *groups;     /* supplementary groups, as initgroups(3) would set them */
	size_t n_groups;
	char **envp;       /* the program's environment (-u: the user's HOME, USER...) */
	bool keep_fds;     /* --keep-fds: descriptors above 2 stay open */
};

/*
 * Resolve USER (NULL: no -u, IDS becomes inactive) and check that we may use it. Prints an
 * "ltrace: ..." message and returns -1 on error: "cannot find user `X'" for an unknown user,
 * "you must be root to use the -u option" unless both the real and effective uid are 0.
 */
int user_prepare(const char *user, bool keep_fds, struct user_ids *ids);

/*
 * In the forked child, just before execve(PATH). With -u: start a session of its own
 * (setsid: no controlling terminal of ours, so no TIOCSTI into the caller's shell), mark
 * every descriptor above 2 close-on-exec unless KEEP_FDS, clear the inheritable and
 * ambient capabilities and, unless the program will run with euid 0, empty the bounding
 * set; set the supplementary groups, then
 * setresgid and setresuid so that real, effective and saved ids all change, then verify the
 * result (the ids read back, and that setresuid(0, 0, 0) fails unless the target itself is
 * root) and refuse otherwise. When we are root (with or without -u) and PATH is a setuid or
 * setgid program, the effective and saved ids are set to what its mode bits ask for (file
 * owner / group), the real ids stay those of the user, as the kernel would do without ptrace.
 * Without -u and without set-id bits nothing changes. Returns 0, or -1 after writing an
 * "ltrace: ..." line to stderr (the caller then _exit()s). Makes no allocation.
 */
int user_switch_in_child(const struct user_ids *ids, const char *path);

/* The environment to run the program with: with -u, ours with HOME, USER, LOGNAME and
 * SHELL set from the user's passwd entry (SHELL /bin/sh when the entry has none), as
 * `sudo -u' does; without -u, environ. */
char *const *user_environment(const struct user_ids *ids);

/* Free what user_prepare allocated. */
void user_release(struct user_ids *ids);

#endif
