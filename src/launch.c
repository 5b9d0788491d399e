// SPDX-License-Identifier: GPL-2.0-or-later
/* Starting to trace: launching a command (checked before we fork) and
 * attaching to every thread of a running process. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <elf.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "proc.h"
#include "session.h"
#include "sigstate.h"
#include "elf_file.h"
#include "options.h"
#include "trace.h"
#include "user.h"

static char *find_in_path(const char *cmd)
{
	if (strchr(cmd, '/'))
		return xstrdup(cmd);
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		const char *colon = strchr(path, ':');
		size_t len = colon ? (size_t)(colon - path) : strlen(path);
		char *cand;
		if (asprintf(&cand, "%.*s%s%s", (int)len, path, len ? "/" : "", cmd) < 0)
			error_msg_and_die("out of memory");
		struct stat st;
		if (access(cand, X_OK) == 0 && stat(cand, &st) == 0 && S_ISREG(st.st_mode))
			return cand;
		free(cand);
		if (!colon)
			break;
		path = colon + 1;
	}
	return NULL;
}

/* Refuse what we cannot trace before forking, with a clear message. */
static int check_program(const char *cmd, char **resolved)
{
	char *path = find_in_path(cmd);
	if (!path) {
		error_msg("can't execute '%s': No such file or directory", cmd);
		return -1;
	}
	struct stat st;
	const char *problem = NULL;
	if (stat(path, &st) != 0)
		problem = strerror(errno);
	else if (S_ISDIR(st.st_mode))
		problem = "Is a directory";
	else if (access(path, X_OK) != 0)
		problem = strerror(errno);
	if (problem) {
		error_msg("can't execute '%s': %s", path, problem);
		free(path);
		return -1;
	}
	unsigned char magic[4] = { 0 };
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		error_msg("can't open '%s': %s", path, strerror(errno));
		free(path);
		return -1;
	}
	ssize_t n = read(fd, magic, sizeof(magic));
	close(fd);
	if (n == 4 && !memcmp(magic, ELFMAG, SELFMAG)) {
		char *why;
		struct elf_file *ef = elf_read(path, &why);
		if (!ef) {
			error_msg("%s: %s", path, why);
			free(why);
			free(path);
			return -1;
		}
		elf_free(ef);
	} else if (!(n >= 2 && magic[0] == '#' && magic[1] == '!')) {
		error_msg("%s: not an ELF executable nor a script", path);
		free(path);
		return -1;
	}
	*resolved = path;
	return 0;
}

pid_t own_session;

pid_t trace_launch(const struct options *opts)
{
	char *path;
	struct user_ids ids;
	if (user_prepare(opts->user, opts->keep_fds, &ids) != 0)
		return -1;
	if (check_program(opts->command[0], &path) != 0) {
		user_release(&ids);
		return -1;
	}
	int errpipe[2], gopipe[2];
	if (pipe2(errpipe, O_CLOEXEC) != 0 || pipe2(gopipe, O_CLOEXEC) != 0) {
		perror_msg("pipe");
		free(path);
		user_release(&ids);
		return -1;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid > 0)
		user_release(&ids);
	if (pid < 0) {
		perror_msg("fork");
		free(path);
		user_release(&ids);
		return -1;
	}
	if (pid == 0) {
		close(errpipe[0]);
		close(gopipe[1]);
		/* Wait until the tracer has seized us: the exec is the first
		 * thing it sees. */
		char go;
		if (read(gopipe[0], &go, 1) != 1)
			_exit(127);
		if (user_switch_in_child(&ids, path) != 0) {
			int e = -1; /* the child said why */
			(void)!write(errpipe[1], &e, sizeof(e));
			_exit(127);
		}
		/* As we were started, not as we run (SIGPIPE ignored, our
		 * handlers): the last thing before exec. */
		sigstate_restore();
		execve(path, opts->command, user_environment(&ids));
		int e = errno;
		(void)!write(errpipe[1], &e, sizeof(e));
		_exit(127);
	}
	close(errpipe[1]);
	close(gopipe[0]);
	if (ptrace(PTRACE_SEIZE, pid, 0, PTRACE_OPTIONS) != 0) {
		perror_msg("cannot trace '%s'", path);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		close(errpipe[0]);
		close(gopipe[1]);
		free(path);
		return -1;
	}
	(void)!write(gopipe[1], "g", 1);
	close(gopipe[1]);
	int e = 0;
	/* Returns 0 bytes once exec succeeded and closed the pipe. */
	if (read(errpipe[0], &e, sizeof(e)) == (ssize_t)sizeof(e)) {
		if (e != -1)
			error_msg("can't execute '%s': %s", path, strerror(e));
		waitpid(pid, NULL, __WALL);
		close(errpipe[0]);
		free(path);
		return -1;
	}
	close(errpipe[0]);
	free(path);
	struct process *p = proc_new(pid);
	struct task *t = task_new(p, pid);
	t->launching = true;
	main_pid = pid;
	if (opts->user)
		own_session = pid;
	return pid;
}

/* The TracerPid of thread TID, 0 if none or unknown. */
static pid_t tracer_of(pid_t tid)
{
	char path[64], line[128];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	FILE *f = fopen(path, "re");
	pid_t tracer = 0;
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "TracerPid:", 10))
			tracer = (pid_t)atoi(line + 10);
	fclose(f);
	return tracer;
}

/* Has thread TID of PID exited (its /proc entry gone)? */
static bool thread_gone(pid_t pid, pid_t tid)
{
	char path[96];
	snprintf(path, sizeof(path), "/proc/%d/task/%d", (int)pid, (int)tid);
	return access(path, F_OK) != 0 && errno == ENOENT;
}

/* Wait for TID's stop after PTRACE_INTERRUPT, remembering a signal that
 * stopped it first so that it is delivered later. */
static int wait_interrupted(struct task *t)
{
	for (;;) {
		int status;
		pid_t r = waitpid(t->tid, &status, __WALL);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (WIFEXITED(status) || WIFSIGNALED(status))
			return -1;
		if (!WIFSTOPPED(status))
			continue;
		int event = status >> 16;
		if (event == PTRACE_EVENT_STOP) {
			t->stopped = true;
			return 0;
		}
		if (event == 0) {
			/* A signal came first: keep it for later, wait for the trap. */
			t->pending_sig = WSTOPSIG(status);
			ptrace(PTRACE_CONT, t->tid, 0, 0);
			ptrace(PTRACE_INTERRUPT, t->tid, 0, 0);
			continue;
		}
		/* clone/fork/exec while attaching: the scan picks the new ones up. */
		ptrace(PTRACE_CONT, t->tid, 0, 0);
		ptrace(PTRACE_INTERRUPT, t->tid, 0, 0);
	}
}

/* Read every object PID maps into the ELF cache while it still runs: the
 * link map walk after the attach then finds them parsed and indexed, and
 * the program is held only for the reads of its memory and the writes of
 * our traps. (What fails here is simply read again later, and reported.) */
static void prefetch_objects(pid_t pid)
{
	char path[64], line[PATH_MAX + 128];
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long start, end, off;
		int name_at = 0;
		if (sscanf(line, "%llx-%llx %*4s %llx %*x:%*x %*u %n", &start, &end, &off,
			   &name_at) < 3 || !name_at || line[name_at] != '/' || off != 0)
			continue;
		line[strcspn(line, "\n")] = '\0';
		/* What is mapped, if we may see it; else the path. */
		char mapped[96];
		snprintf(mapped, sizeof(mapped), "/proc/%d/map_files/%llx-%llx", (int)pid, start, end);
		char *why = NULL;
		struct elf_file *ef = elf_get(access(mapped, R_OK) == 0 ? mapped : line + name_at, &why);
		free(why);
		elf_put(ef);
	}
	fclose(f);
}

int trace_attach(pid_t pid)
{
	char dir[64];
	snprintf(dir, sizeof(dir), "/proc/%d/task", (int)pid);
	if (kill(pid, 0) != 0 && errno == ESRCH) {
		error_msg("cannot attach to pid %d: No such process", (int)pid);
		return -1;
	}
	if (task_find(pid)) {
		error_msg("pid %d is traced already", (int)pid);
		return -1;
	}
	prefetch_objects(pid);
	struct process *p = proc_new(pid);
	p->attached = true;
	bool leader = true;
	/* Threads may appear while we attach: scan until a pass finds none. */
	for (bool found = true; found;) {
		found = false;
		DIR *d = opendir(dir);
		if (!d) {
			error_msg("cannot attach to pid %d: %s", (int)pid, strerror(errno));
			break;
		}
		struct dirent *de;
		while ((de = readdir(d))) {
			pid_t tid = (pid_t)atoi(de->d_name);
			if (tid <= 0 || task_find(tid))
				continue;
			bool seized = ptrace(PTRACE_SEIZE, tid, 0, PTRACE_OPTIONS) == 0;
			int e = errno;
			/* A thread created by one we seized already is ours too (the
			 * kernel attached it): its first stop will come. */
			if (!seized && e == EPERM && !leader) {
				pid_t tracer = tracer_of(tid);
				if (tracer == getpid()) {
					struct task *t = task_new(p, tid);
					if (wait_interrupted(t) != 0)
						task_free(t);
					found = true;
					continue;
				}
				if (!tracer && thread_gone(pid, tid))
					continue; /* it exited meanwhile */
			}
			if (!seized) {
				if (leader || e != ESRCH) {
					closedir(d);
					error_msg("cannot attach to pid %d: %s", (int)pid,
						  e == EPERM ? "Operation not permitted (another tracer, or not allowed by ptrace_scope?)" : strerror(e));
					/* Let go of what we attached already (all of it
					 * stopped: nothing to wait for). The last task
					 * takes the process with it. */
					while (p->ntasks) {
						struct task *tmp = p->tasks[0];
						bool last = p->ntasks == 1;
						ptrace(PTRACE_DETACH, tmp->tid, 0,
						       (long)tmp->pending_sig);
						task_free(tmp);
						if (last)
							return -1;
					}
					proc_free(p);
					return -1;
				}
				continue;
			}
			leader = false;
			struct task *t = task_new(p, tid);
			ptrace(PTRACE_INTERRUPT, tid, 0, 0);
			if (wait_interrupted(t) != 0) {
				task_free(t);
				if (!task_find(pid)) {
					closedir(d);
					error_msg("cannot attach to pid %d: it exited", (int)pid);
					return -1;
				}
				continue;
			}
			found = true;
		}
		closedir(d);
	}
	struct task *lt = task_find(pid);
	if (!lt)
		return -1;
	setup_image(lt, true);
	for (size_t i = 0; i < p->ntasks; i++) {
		struct task *t = p->tasks[i];
		int sig = t->pending_sig;
		t->pending_sig = 0;
		resume(t, sig);
	}
	return 0;
}
