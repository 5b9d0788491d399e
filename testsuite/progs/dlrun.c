/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Driver of the libdl tests: loads libraries long after start with dlopen/dlmopen and calls
 * them only through dlsym pointers (the main program has no PLT slot for them).
 *
 *   dlrun plug DIR          dlopen DIR/libdlplug.so, call plug_add and plug_twice
 *   dlrun mid DIR           dlopen DIR/libdlmid.so (needs libdlneed.so), call mid_fn, and
 *                           mid_nested, which dlopens DIR/libdlinner.so itself
 *   dlrun midloop N DIR     N rounds of "dlrun mid"
 *   dlrun mopen DIR         libdlplug.so in a new namespace (dlmopen LM_ID_NEWLM), then in
 *                           the base namespace; call both copies
 *   dlrun mopenloop N DIR   N rounds of: libdlmid.so in a new namespace (with libdlneed.so,
 *                           libc and a node of its own for the dynamic linker), mid_fn(i),
 *                           dlclose of the namespace (that node goes, the dynamic linker
 *                           stays), then libdlplug.so in the base namespace, plug_add(i, 2),
 *                           dlclose
 *   dlrun edge DIR          a failing dlopen, the plugin opened twice (the second is only a
 *                           reference), closed once (it stays), closed again (unloaded),
 *                           opened again; plug_add(k, k) while it is loaded
 *   dlrun thread DIR        print "main pid PID", then "dlrun plug" in a second thread while
 *                           the main thread waits
 *   dlrun pre               call pre_fn of an LD_PRELOADed library (found with RTLD_DEFAULT)
 *   dlrun loop N FILL LIB [LIB2]
 *                           N rounds of dlopen, plug_add(i, 1), dlclose; odd rounds first
 *                           load the library FILL, so that their library lands elsewhere,
 *                           and use LIB2 when given
 *   dlrun wait DIR FLAG     dlopen DIR/libdlneed.so, print "ready", call lib_add(0, i) until
 *                           FLAG exists (for -p), then lib_add(1, 2), need_fn(7) and the
 *                           plug calls
 *   dlrun chdir DIR         chdir to DIR, then "dlrun plug ." (a path relative to the new
 *                           working directory)
 *   dlrun memfd DIR         copy DIR/libdlplug.so into a memfd and dlopen /proc/self/fd/N;
 *                           the plug calls through it
 *   dlrun replaced DIR FLAG dlopen DIR/libdlplug.so, rename DIR/libdlalt.so over it, print
 *                           "ready", wait for FLAG (for -p), then call plug_add(2, 3) and
 *                           plug_twice(4) of the library still mapped
 *   dlrun ctor DIR          dlopen DIR/libdlctor.so, whose constructor calls ctor_fn(5)
 *   dlrun ifunc DIR         dlopen DIR/libdlifn.so, look its IFUNC ifn up (dlsym runs the
 *                           resolver) and call ifn(2)
 *
 * Every result is checked; the exit status is 0 only if all were right.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "testlib.h"

typedef int (*fn1)(int);
typedef int (*fn2)(int, int);
typedef int (*fnsi)(const char *, int);

static int bad;

static void check(const char *what, int got, int want)
{
	if (got != want) {
		printf("%s: got %d, want %d\n", what, got, want);
		bad++;
	}
}

static void *load(const char *dir, const char *name, Lmid_t ns)
{
	char path[4096];
	void *h;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	h = ns == LM_ID_BASE ? dlopen(path, RTLD_LAZY) : dlmopen(ns, path, RTLD_LAZY);
	if (!h) {
		printf("cannot load %s: %s\n", path, dlerror());
		exit(3);
	}
	return h;
}

static void *sym(void *h, const char *name)
{
	void *p = dlsym(h, name);

	if (!p) {
		printf("no %s: %s\n", name, dlerror());
		exit(4);
	}
	return p;
}

static void run_plug(const char *dir)
{
	void *h;

	/* Well after start: the link map seen at the entry point is long gone stale. */
	usleep(20000);
	h = load(dir, "libdlplug.so", LM_ID_BASE);
	check("plug_add", ((fn2)sym(h, "plug_add"))(2, 3), 5);
	check("plug_twice", ((fn1)sym(h, "plug_twice"))(4), 8);
	dlclose(h);
}

static void run_mid(const char *dir)
{
	char path[4096];
	void *h = load(dir, "libdlmid.so", LM_ID_BASE);

	snprintf(path, sizeof(path), "%s/libdlinner.so", dir);
	check("mid_fn", ((fn1)sym(h, "mid_fn"))(5), 51);
	check("mid_nested", ((fnsi)sym(h, "mid_nested"))(path, 6), 106);
	dlclose(h);
}

static void run_mopen(const char *dir)
{
	void *ns = load(dir, "libdlplug.so", LM_ID_NEWLM);
	void *base;

	check("plug_add (new namespace)", ((fn2)sym(ns, "plug_add"))(1, 2), 3);
	base = load(dir, "libdlplug.so", LM_ID_BASE);
	check("plug_add (base)", ((fn2)sym(base, "plug_add"))(3, 4), 7);
	check("plug_twice (new namespace)", ((fn1)sym(ns, "plug_twice"))(5), 10);
	dlclose(base);
	dlclose(ns);
}

static void run_mopen_loop(int n, const char *dir)
{
	for (int i = 0; i < n; i++) {
		void *ns = load(dir, "libdlmid.so", LM_ID_NEWLM), *base;

		check("mid_fn (new namespace)", ((fn1)sym(ns, "mid_fn"))(i), 10 * i + 1);
		dlclose(ns);
		base = load(dir, "libdlplug.so", LM_ID_BASE);
		check("plug_add (base)", ((fn2)sym(base, "plug_add"))(i, 2), i + 2);
		dlclose(base);
	}
}

static void run_edge(const char *dir)
{
	char path[4096];
	void *h1, *h2;

	snprintf(path, sizeof(path), "%s/libdlnonexistent.so", dir);
	if (dlopen(path, RTLD_NOW)) {
		printf("dlopen of a missing library succeeded\n");
		exit(3);
	}
	h1 = load(dir, "libdlplug.so", LM_ID_BASE);
	h2 = load(dir, "libdlplug.so", LM_ID_BASE);
	check("plug_add", ((fn2)sym(h2, "plug_add"))(1, 1), 2);
	dlclose(h2);
	check("plug_add", ((fn2)sym(h1, "plug_add"))(2, 2), 4);
	dlclose(h1);
	snprintf(path, sizeof(path), "%s/libdlplug.so", dir);
	if (dlopen(path, RTLD_NOW | RTLD_NOLOAD)) {
		printf("libdlplug.so still loaded\n");
		exit(3);
	}
	h1 = load(dir, "libdlplug.so", LM_ID_BASE);
	check("plug_add", ((fn2)sym(h1, "plug_add"))(3, 3), 6);
	dlclose(h1);
}

static void *thread_main(void *dir)
{
	run_plug(dir);
	return NULL;
}

static void run_thread(const char *dir)
{
	pthread_t t;

	printf("main pid %d\n", (int)getpid());
	if (pthread_create(&t, NULL, thread_main, (void *)dir) != 0 || pthread_join(t, NULL) != 0) {
		printf("thread failed\n");
		exit(3);
	}
}

static void run_pre(void)
{
	fn1 f = (fn1)dlsym(RTLD_DEFAULT, "pre_fn");

	if (!f) {
		printf("pre_fn not preloaded\n");
		exit(4);
	}
	check("pre_fn", f(-3), 4);
	check("pre_fn", f(7), 8);
}

static void run_loop(int n, const char *lib, const char *lib2, const char *filler)
{
	void *addrs[2] = { NULL, NULL };
	int i, moved = 0;

	for (i = 0; i < n; i++) {
		void *fill = NULL, *h;
		fn2 f;

		if (i % 2)
			fill = dlopen(filler, RTLD_NOW);
		h = dlopen(i % 2 && lib2 ? lib2 : lib, RTLD_NOW);
		if (!h) {
			printf("round %d: %s\n", i, dlerror());
			exit(3);
		}
		f = (fn2)sym(h, "plug_add");
		check("plug_add", f(i, 1), i + 1);
		if (i < 2)
			addrs[i] = (void *)f;
		else if ((void *)f != addrs[i % 2])
			moved++;
		dlclose(h);
		if (fill)
			dlclose(fill);
	}
	/* The test wants a reload at another address; say whether this run had one. */
	printf("rounds=%d bad=%d shifted=%s moved=%d\n", n, bad, addrs[0] != addrs[1] ? "yes" : "no",
	       moved);
}

static void run_wait(const char *dir, const char *flag)
{
	/* Loaded before the tracer attaches, outside the program's DT_NEEDED list. */
	void *need = load(dir, "libdlneed.so", LM_ID_BASE);
	int i = 0;

	printf("ready\n");
	while (access(flag, F_OK) != 0) {
		check("lib_add", lib_add(0, i), i);
		i++;
		usleep(5000);
	}
	check("lib_add", lib_add(1, 2), 3);
	check("need_fn", ((fn1)sym(need, "need_fn"))(7), 70);
	run_plug(dir);
}

static void call_plug(void *h)
{
	check("plug_add", ((fn2)sym(h, "plug_add"))(2, 3), 5);
	check("plug_twice", ((fn1)sym(h, "plug_twice"))(4), 8);
}

static void run_chdir(const char *dir)
{
	if (chdir(dir) != 0) {
		perror(dir);
		exit(3);
	}
	run_plug(".");
}

static void run_memfd(const char *dir)
{
	char path[4096], buf[65536];
	int in, fd = memfd_create("dlplug", 0);
	ssize_t n;
	void *h;

	snprintf(path, sizeof(path), "%s/libdlplug.so", dir);
	in = open(path, O_RDONLY);
	if (fd < 0 || in < 0) {
		perror("memfd");
		exit(3);
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(fd, buf, (size_t)n) != n)
			exit(3);
	close(in);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	h = dlopen(path, RTLD_LAZY);
	if (!h) {
		printf("cannot load %s: %s\n", path, dlerror());
		exit(3);
	}
	call_plug(h);
	dlclose(h);
	close(fd);
}

static void run_replaced(const char *dir, const char *flag)
{
	char plug[4096], alt[4096];
	void *h = load(dir, "libdlplug.so", LM_ID_BASE);

	snprintf(plug, sizeof(plug), "%s/libdlplug.so", dir);
	snprintf(alt, sizeof(alt), "%s/libdlalt.so", dir);
	if (rename(alt, plug) != 0) {
		perror("rename");
		exit(3);
	}
	printf("ready\n");
	while (access(flag, F_OK) != 0)
		usleep(5000);
	call_plug(h);
}

static void run_ctor(const char *dir)
{
	void *h = load(dir, "libdlctor.so", LM_ID_BASE);

	check("ctor_result", ((int (*)(void))sym(h, "ctor_result"))(), 50);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(mode, "plug") && argc == 3) {
		run_plug(argv[2]);
	} else if (!strcmp(mode, "mid") && argc == 3) {
		run_mid(argv[2]);
	} else if (!strcmp(mode, "midloop") && argc == 4) {
		int i, n = atoi(argv[2]);

		for (i = 0; i < n; i++)
			run_mid(argv[3]);
	} else if (!strcmp(mode, "mopen") && argc == 3) {
		run_mopen(argv[2]);
	} else if (!strcmp(mode, "mopenloop") && argc == 4) {
		run_mopen_loop(atoi(argv[2]), argv[3]);
	} else if (!strcmp(mode, "edge") && argc == 3) {
		run_edge(argv[2]);
	} else if (!strcmp(mode, "thread") && argc == 3) {
		run_thread(argv[2]);
	} else if (!strcmp(mode, "pre") && argc == 2) {
		run_pre();
	} else if (!strcmp(mode, "loop") && (argc == 5 || argc == 6)) {
		run_loop(atoi(argv[2]), argv[4], argc == 6 ? argv[5] : NULL, argv[3]);
	} else if (!strcmp(mode, "wait") && argc == 4) {
		run_wait(argv[2], argv[3]);
	} else if (!strcmp(mode, "chdir") && argc == 3) {
		run_chdir(argv[2]);
	} else if (!strcmp(mode, "memfd") && argc == 3) {
		run_memfd(argv[2]);
	} else if (!strcmp(mode, "replaced") && argc == 4) {
		run_replaced(argv[2], argv[3]);
	} else if (!strcmp(mode, "ctor") && argc == 3) {
		run_ctor(argv[2]);
	} else if (!strcmp(mode, "ifunc") && argc == 3) {
		check("ifn", ((fn1)sym(load(argv[2], "libdlifn.so", LM_ID_BASE), "ifn"))(2), 4);
	} else {
		fprintf(stderr, "usage: dlrun plug|mid|midloop|mopen|mopenloop|edge|thread|pre|loop|"
				"wait|chdir|memfd|replaced|ctor|ifunc ...\n");
		return 99;
	}
	printf("dlrun %s: %s\n", mode, bad ? "FAILED" : "ok");
	return bad ? 1 : 0;
}
