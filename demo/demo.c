/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The program traced by "./quickstart demo". It makes a handful of library
 * calls whose arguments show off ltrace's rendering: strings (one longer
 * than the default -s limit), integers, a printf format, a pointer to a
 * struct, an array, an enum, an output argument, a signal with a handler
 * that itself calls libc, and a short sleep so that -T has something to
 * measure. Last it loads plugin.so with dlopen() and calls into it: traced
 * with -x 'plugin_*', those calls show that ltrace follows the dynamic
 * linker rather than reading the library list once at start-up.
 *
 * Build flags (demo/Makefile) keep the calls real library calls:
 * -fno-builtin stops gcc from turning printf() into puts() or inlining
 * strlen(), and the binary is linked the way modern distributions link:
 * PIE, -z now, IBT-style .plt.sec.
 */
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libdemo.h"

static volatile sig_atomic_t got_signal;

static void on_usr1(int sig)
{
	static const char msg[] = "demo: caught SIGUSR1\n";

	got_signal = sig;
	/* write() is async-signal-safe; its call shows up inside the signal. */
	if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(2);
}

static int run_plugin(const char *dir)
{
	char path[4096];
	void *handle;
	int (*square)(int);

	snprintf(path, sizeof(path), "%s/plugin.so", dir);
	handle = dlopen(path, RTLD_NOW);
	if (!handle) {
		fprintf(stderr, "demo: %s\n", dlerror());
		return -1;
	}
	*(void **)&square = dlsym(handle, "plugin_square");
	if (!square) {
		fprintf(stderr, "demo: %s\n", dlerror());
		dlclose(handle);
		return -1;
	}
	printf("plugin_square(7) = %d\n", square(7));
	dlclose(handle);
	return 0;
}

int main(int argc, char **argv)
{
	static const char quote[] = "The quick brown fox jumps over the lazy dog";
	int values[] = { 3, 1, 4, 1, 5, 9, 2, 6 };
	struct demo_point a = { 1, 2 }, b = { 4, 6 };
	struct demo_node n3 = { 3, NULL }, n2 = { 2, &n3 }, n1 = { 1, &n2 };
	char buf[128];
	char *copy, *dir, *slash;
	int len;

	/* Line-buffer stdout so that the program's output and the trace (on
	 * stderr) interleave in order even when piped. */
	setvbuf(stdout, NULL, _IOLBF, 0);

	/* Strings and integers. */
	len = (int)strlen(quote);
	copy = strdup(quote);
	if (!copy)
		return 1;
	printf("%s has %d characters, %.1f%% of them '%c'\n", "the quote", len,
	       100.0 * 9 / len, 'o');
	len = atoi("42");
	snprintf(buf, sizeof(buf), "%d-%x-%s", len, 0xbeef, "tail");
	puts(buf);
	free(copy);

	/* Calls into libdemo.so, described by demo.conf. */
	printf("sum=%d\n", demo_sum(values, (int)(sizeof(values) / sizeof(values[0]))));
	printf("dist2=%ld\n", demo_dist2(&a, &b));
	printf("color=%s\n", demo_color_name(DEMO_BLUE));
	printf("flags=%#x\n", demo_flags(0x58));
	printf("list=%d\n", demo_list_len(&n1));
	demo_fill(buf, sizeof(buf), 7);
	puts(buf);

	/* A signal whose handler makes a library call of its own. */
	signal(SIGUSR1, on_usr1);
	kill(getpid(), SIGUSR1);
	usleep(2000);

	/* plugin.so sits next to the demo binary. */
	dir = strdup(argc > 0 ? argv[0] : "./demo");
	if (!dir)
		return 1;
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		strcpy(dir, ".");
	len = run_plugin(dir);
	free(dir);
	if (len < 0)
		return 1;
	return got_signal == SIGUSR1 ? 0 : 1;
}
