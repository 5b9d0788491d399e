// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of -u USER and the set-id emulation (src/user.c). The switch is irreversible, so
 * every case runs user_switch_in_child() in a forked child that reports its ids back through a
 * pipe. The switching cases need root; run as another user only the refusals are tested and
 * the program exits 77 (skipped), naming the cases it could not run.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "user.h"

#define MAX_GROUPS 256

/* What the child saw after the call under test. */
struct report {
	int rc;                       /* result of the function under test */
	uid_t uid[3];                 /* real, effective, saved */
	gid_t gid[3];
	int n_groups;
	gid_t groups[MAX_GROUPS];
	int regained;                 /* setresuid(0, 0, 0) succeeded afterwards */
	char err[512];                /* what it wrote to stderr */
};

enum setup { PLAIN, DROP_ROOT, DROP_EUID, NO_SETUID_FIXUP, DROP_CAP_SETUID };

struct job {
	enum setup setup;
	const char *prepare_user;     /* call user_prepare(this) in the child (refusal tests) */
	const struct user_ids *ids;   /* else call user_switch_in_child(ids, path) */
	const char *path;
};

static void child_setup(enum setup setup)
{
	switch (setup) {
	case PLAIN:
		break;
	case DROP_ROOT:
		ck_assert_int_eq(setresgid(65534, 65534, 65534), 0);
		ck_assert_int_eq(setresuid(65534, 65534, 65534), 0);
		break;
	case DROP_EUID:
		/* Real uid 0 but effective uid not: still not allowed to use -u. */
		ck_assert_int_eq(setresuid(0, 65534, 0), 0);
		break;
	case NO_SETUID_FIXUP:
		/* The kernel then keeps all capabilities across the uid change, so root could be
		 * regained: the verification must notice and refuse. */
		ck_assert_int_eq(prctl(PR_SET_SECUREBITS, SECBIT_NO_SETUID_FIXUP, 0, 0, 0), 0);
		break;
	case DROP_CAP_SETUID:
		/* Without CAP_SETUID (dropped from the effective and permitted sets) the switch
		 * itself fails. */
		{
			struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
			struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
			ck_assert_int_eq(syscall(SYS_capget, &hdr, data), 0);
			data[0].effective &= ~(1u << CAP_SETUID);
			data[0].permitted &= ~(1u << CAP_SETUID);
			ck_assert_int_eq(syscall(SYS_capset, &hdr, data), 0);
		}
		break;
	}
}

static void run_job(const struct job *job, struct report *rep)
{
	int out[2], err[2];
	pid_t pid;
	int status;
	ssize_t n;

	ck_assert_int_eq(pipe(out), 0);
	ck_assert_int_eq(pipe(err), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct report r;
		struct user_ids tmp;

		memset(&r, 0, sizeof(r));
		close(out[0]);
		close(err[0]);
		dup2(err[1], STDERR_FILENO);
		child_setup(job->setup);
		if (job->prepare_user)
			r.rc = user_prepare(job->prepare_user, false, &tmp);
		else
			r.rc = user_switch_in_child(job->ids, job->path);
		getresuid(&r.uid[0], &r.uid[1], &r.uid[2]);
		getresgid(&r.gid[0], &r.gid[1], &r.gid[2]);
		r.n_groups = getgroups(MAX_GROUPS, r.groups);
		r.regained = setresuid(0, 0, 0) == 0;
		(void)!write(out[1], &r, sizeof(r));
		_exit(0);
	}
	close(out[1]);
	close(err[1]);
	memset(rep, 0, sizeof(*rep));
	n = read(out[0], rep, sizeof(*rep));
	ck_assert_int_eq(n, sizeof(*rep));
	n = read(err[0], rep->err, sizeof(rep->err) - 1);
	rep->err[n > 0 ? n : 0] = '\0';
	close(out[0]);
	close(err[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void check_ids(const struct report *r, uid_t ru, uid_t eu, gid_t rg, gid_t eg)
{
	ck_assert_int_eq(r->rc, 0);
	ck_assert_str_eq(r->err, "");
	ck_assert_uint_eq(r->uid[0], ru);
	ck_assert_uint_eq(r->uid[1], eu);
	ck_assert_uint_eq(r->uid[2], eu);
	ck_assert_uint_eq(r->gid[0], rg);
	ck_assert_uint_eq(r->gid[1], eg);
	ck_assert_uint_eq(r->gid[2], eg);
}

static bool am_root(void)
{
	return getuid() == 0 && geteuid() == 0;
}

/* A file in a fresh directory of /tmp with CONTENT, owner and mode. */
static char tmpdir[64];

static const char *make_file(const char *name, const char *content, uid_t uid, gid_t gid,
			     mode_t mode)
{
	static char path[128];
	int fd;

	if (!tmpdir[0]) {
		strcpy(tmpdir, "/tmp/test_user.XXXXXX");
		ck_assert_ptr_nonnull(mkdtemp(tmpdir));
		ck_assert_int_eq(chmod(tmpdir, 0755), 0);
	}
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0700);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, content, strlen(content)), (ssize_t)strlen(content));
	close(fd);
	ck_assert_int_eq(chown(path, uid, gid), 0);
	/* chown clears set-id bits: chmod last. */
	ck_assert_int_eq(chmod(path, mode), 0);
	return path;
}

static void remove_file(const char *path)
{
	unlink(path);
	rmdir(tmpdir);
	tmpdir[0] = '\0';
}

/* An ELF header is all the emulation looks at: only ELF programs get set-id bits. */
#define ELF_CONTENT "\177ELF\2\1\1"

/* Redirect our own stderr while user_prepare() complains. */
static int prepare_captured(const char *user, struct user_ids *ids, char *msg, size_t size)
{
	FILE *f = tmpfile();
	int saved, rc;
	size_t n;

	ck_assert_ptr_nonnull(f);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	dup2(fileno(f), STDERR_FILENO);
	rc = user_prepare(user, false, ids);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(f);
	n = fread(msg, 1, size - 1, f);
	msg[n] = '\0';
	fclose(f);
	return rc;
}

START_TEST(no_user)
{
	struct user_ids ids;
	char msg[256];

	ck_assert_int_eq(prepare_captured(NULL, &ids, msg, sizeof(msg)), 0);
	ck_assert(!ids.active);
	ck_assert_str_eq(msg, "");
	user_release(&ids);
}
END_TEST

START_TEST(unknown_user)
{
	struct user_ids ids;
	char msg[256];

	ck_assert_int_eq(prepare_captured("no-such-user-ltrace", &ids, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "ltrace: cannot find user `no-such-user-ltrace'\n");
}
END_TEST

START_TEST(not_root)
{
	struct job job = { DROP_ROOT, "root", NULL, NULL };
	struct report r;

	/* Refused as a plain user (the check comes before the lookup: even a known user). */
	if (am_root()) {
		run_job(&job, &r);
		ck_assert_int_eq(r.rc, -1);
		ck_assert_str_eq(r.err, "ltrace: you must be root to use the -u option\n");
		job.setup = DROP_EUID;
		run_job(&job, &r);
		ck_assert_int_eq(r.rc, -1);
		ck_assert_str_eq(r.err, "ltrace: you must be root to use the -u option\n");
	} else {
		struct user_ids ids;
		char msg[256];
		ck_assert_int_eq(prepare_captured("root", &ids, msg, sizeof(msg)), -1);
		ck_assert_str_eq(msg, "ltrace: you must be root to use the -u option\n");
	}
}
END_TEST

/* -u nobody: every id changes, the groups are those of initgroups, root is gone for good. */
START_TEST(switch_nobody)
{
	struct user_ids ids;
	struct passwd *pw;
	gid_t want[MAX_GROUPS];
	int n_want = MAX_GROUPS;
	struct report r;
	struct job job = { PLAIN, NULL, &ids, "/bin/true" };

	pw = getpwnam("nobody");
	ck_assert_ptr_nonnull(pw);
	ck_assert_int_eq(user_prepare("nobody", false, &ids), 0);
	ck_assert(ids.active);
	ck_assert_uint_eq(ids.uid, pw->pw_uid);
	ck_assert_uint_eq(ids.gid, pw->pw_gid);
	ck_assert_int_ge(getgrouplist("nobody", pw->pw_gid, want, &n_want), 0);
	ck_assert_uint_eq(ids.n_groups, (size_t)n_want);

	run_job(&job, &r);
	check_ids(&r, pw->pw_uid, pw->pw_uid, pw->pw_gid, pw->pw_gid);
	ck_assert(!r.regained);
	ck_assert_int_eq(r.n_groups, n_want);
	for (int i = 0; i < n_want; i++) {
		bool found = false;
		for (int j = 0; j < r.n_groups; j++)
			found |= r.groups[j] == want[i];
		ck_assert_msg(found, "group %u missing", (unsigned)want[i]);
	}
	/* Root's own groups are gone. */
	for (int j = 0; j < r.n_groups; j++)
		ck_assert_uint_ne(r.groups[j], 0);
	user_release(&ids);
}
END_TEST

/* -u root is allowed and changes nothing harmful. */
START_TEST(switch_root)
{
	struct user_ids ids;
	struct report r;
	struct job job = { PLAIN, NULL, &ids, "/bin/true" };

	ck_assert_int_eq(user_prepare("root", false, &ids), 0);
	run_job(&job, &r);
	check_ids(&r, 0, 0, 0, 0);
	user_release(&ids);
}
END_TEST

/* A kernel (or setting) that would let the user get root back: refuse to run. */
START_TEST(refuse_regainable)
{
	struct user_ids ids;
	struct report r;
	struct job job = { NO_SETUID_FIXUP, NULL, &ids, "/bin/true" };

	ck_assert_int_eq(user_prepare("nobody", false, &ids), 0);
	run_job(&job, &r);
	ck_assert_int_eq(r.rc, -1);
	ck_assert_str_eq(r.err, "ltrace: refusing to run: root can be regained for user `nobody'\n");
	user_release(&ids);
}
END_TEST

/* The switch itself fails: one message naming the user and the reason. */
START_TEST(switch_fails)
{
	struct user_ids ids;
	struct report r;
	struct job job = { DROP_CAP_SETUID, NULL, &ids, "/bin/true" };

	ck_assert_int_eq(user_prepare("nobody", false, &ids), 0);
	run_job(&job, &r);
	ck_assert_int_eq(r.rc, -1);
	ck_assert_str_eq(r.err, "ltrace: cannot set the user ids for user `nobody': "
		"Operation not permitted\n");
	user_release(&ids);
}
END_TEST

/* Set-id programs under -u: effective ids from the file, real ids of the user. */
START_TEST(setid_with_user)
{
	struct user_ids ids;
	struct report r;
	struct job job = { PLAIN, NULL, &ids, NULL };

	ck_assert_int_eq(user_prepare("nobody", false, &ids), 0);

	job.path = make_file("suid-root", ELF_CONTENT, 0, 0, 04755);
	run_job(&job, &r);
	check_ids(&r, ids.uid, 0, ids.gid, ids.gid);
	remove_file(job.path);

	job.path = make_file("sgid", ELF_CONTENT, 0, 4242, 02755);
	run_job(&job, &r);
	check_ids(&r, ids.uid, ids.uid, ids.gid, 4242);
	ck_assert(!r.regained);
	remove_file(job.path);

	job.path = make_file("both", ELF_CONTENT, 1, 4242, 06755);
	run_job(&job, &r);
	check_ids(&r, ids.uid, 1, ids.gid, 4242);
	ck_assert(!r.regained);
	remove_file(job.path);

	/* Set-gid without group execute is mandatory locking, not set-gid. */
	job.path = make_file("lock", ELF_CONTENT, 0, 4242, 02745);
	run_job(&job, &r);
	check_ids(&r, ids.uid, ids.uid, ids.gid, ids.gid);
	remove_file(job.path);

	/* Linux ignores set-id bits on scripts, so do we. */
	job.path = make_file("script", "#!/bin/sh\n", 0, 0, 06755);
	run_job(&job, &r);
	check_ids(&r, ids.uid, ids.uid, ids.gid, ids.gid);
	ck_assert(!r.regained);
	remove_file(job.path);
	user_release(&ids);
}
END_TEST

/* Root without -u: only set-id programs change anything; the real ids stay root. */
START_TEST(setid_without_user)
{
	struct user_ids ids;
	struct report r;
	struct job job = { PLAIN, NULL, &ids, "/bin/true" };

	ck_assert_int_eq(user_prepare(NULL, false, &ids), 0);
	run_job(&job, &r);
	check_ids(&r, 0, 0, 0, 0);

	job.path = make_file("suid-nobody", ELF_CONTENT, 65534, 4242, 06755);
	run_job(&job, &r);
	check_ids(&r, 0, 65534, 0, 4242);
	remove_file(job.path);

	/* A missing file (exec will fail later with its own message): no change. */
	job.path = "/nonexistent/program";
	run_job(&job, &r);
	check_ids(&r, 0, 0, 0, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("user");
	TCase *tc = tcase_create("user");
	SRunner *sr;
	int failed, skipped = 0;

	tcase_add_test(tc, no_user);
	tcase_add_test(tc, not_root);
	/* The other cases switch ids: as another user they cannot run, and say so. */
	if (am_root()) {
		tcase_add_test(tc, unknown_user);
		tcase_add_test(tc, switch_nobody);
		tcase_add_test(tc, switch_root);
		tcase_add_test(tc, refuse_regainable);
		tcase_add_test(tc, switch_fails);
		tcase_add_test(tc, setid_with_user);
		tcase_add_test(tc, setid_without_user);
	} else {
		skipped = 7;
		printf("SKIP: %d of 9 cases need root (unknown_user, switch_nobody, switch_root, "
		       "refuse_regainable, switch_fails, setid_with_user, setid_without_user)\n",
		       skipped);
	}
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (failed)
		return EXIT_FAILURE;
	return skipped ? 77 : EXIT_SUCCESS;
}
