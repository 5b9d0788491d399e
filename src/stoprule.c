// SPDX-License-Identifier: GPL-2.0-or-later
/* --max-calls and --duration (see stoprule.h). The --duration clock is an ITIMER_REAL whose
 * SIGALRM, without SA_RESTART, cuts the event loop's wait short. The interval timer is ours
 * alone: a program launched before it is armed does not inherit it (nor would a fork). */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/time.h>

#include "options.h"
#include "stoprule.h"

static struct {
	unsigned long max_calls; /* 0: no limit */
	unsigned long calls;
	bool stopped;
} rule;

static volatile sig_atomic_t time_up;

static void on_alarm(int sig)
{
	(void)sig;
	time_up = 1;
}

void stoprule_start(const struct options *opts)
{
	rule.max_calls = opts->max_calls;
	if (!opts->duration)
		return;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = { { 0, 0 }, { 0, 0 } };
	uint64_t us = opts->duration / 1000;
	if (us == 0)
		us = 1; /* 0 would disarm the timer */
	it.it_value.tv_sec = (time_t)(us / 1000000);
	it.it_value.tv_usec = (suseconds_t)(us % 1000000);
	setitimer(ITIMER_REAL, &it, NULL);
}

void stoprule_count_call(void)
{
	rule.calls++;
}

bool stoprule_reached(void)
{
	return time_up || (rule.max_calls && rule.calls >= rule.max_calls);
}

bool stoprule_stopped(void)
{
	return rule.stopped;
}

void stoprule_note_stopped(void)
{
	rule.stopped = true;
}
