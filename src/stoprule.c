// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --max-calls and --duration (see stoprule.h). The --duration clock is read at every event
 * (one vDSO clock_gettime); to be woken when the tracees make none, ltrace forks a helper that
 * sleeps until the deadline and exits: its exit ends the event loop's waitpid(-1) like any
 * child's. No signal handler is involved, so no write or read of ours is ever cut short with
 * EINTR by the clock. The helper holds no file descriptor (a pipe that ltrace writes to must
 * not stay open after ltrace) and dies with ltrace (PR_SET_PDEATHSIG).
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "options.h"
#include "stoprule.h"

static struct {
	unsigned long max_calls; /* 0: no limit */
	unsigned long calls;
	bool timed;
	struct timespec deadline; /* CLOCK_MONOTONIC */
	pid_t helper;
	bool stopped;
} rule;

static bool past(const struct timespec *deadline)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > deadline->tv_sec ||
	       (now.tv_sec == deadline->tv_sec && now.tv_nsec >= deadline->tv_nsec);
}

static void helper_sleep(pid_t parent)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
		_exit(0);
	if (close_range(0, ~0U, 0) != 0)
		for (int fd = 0; fd < 4096; fd++)
			close(fd);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &rule.deadline, NULL) == EINTR)
		;
	_exit(0);
}

void stoprule_start(const struct options *opts)
{
	rule.max_calls = opts->max_calls;
	if (!opts->duration)
		return;
	clock_gettime(CLOCK_MONOTONIC, &rule.deadline);
	rule.deadline.tv_sec += (time_t)(opts->duration / 1000000000u);
	rule.deadline.tv_nsec += (long)(opts->duration % 1000000000u);
	if (rule.deadline.tv_nsec >= 1000000000L) {
		rule.deadline.tv_sec++;
		rule.deadline.tv_nsec -= 1000000000L;
	}
	rule.timed = true;
	pid_t parent = getpid(), pid = fork();
	if (pid == 0)
		helper_sleep(parent);
	/* Without a helper the clock is still read at every event. */
	rule.helper = pid > 0 ? pid : 0;
}

void stoprule_finish(void)
{
	if (!rule.helper)
		return;
	/* Ours to kill only while not reaped (the event loop's waitpid(-1) may have reaped it
	 * at the deadline): WNOWAIT looks without reaping. */
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)rule.helper, &si, WEXITED | WNOHANG | WNOWAIT) == 0) {
		if (si.si_pid == 0)
			kill(rule.helper, SIGKILL);
		while (waitpid(rule.helper, NULL, 0) < 0 && errno == EINTR)
			;
	}
	rule.helper = 0;
}

void stoprule_count_call(void)
{
	rule.calls++;
}

bool stoprule_reached(void)
{
	return (rule.max_calls && rule.calls >= rule.max_calls) ||
	       (rule.timed && past(&rule.deadline));
}

bool stoprule_stopped(void)
{
	return rule.stopped;
}

void stoprule_note_stopped(void)
{
	rule.stopped = true;
}
