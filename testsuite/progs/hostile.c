// SPDX-License-Identifier: GPL-2.0-or-later
/* A tracee hostile to its tracer (issue #14): each mode does one thing a
 * compromised or odd program may do, then prints "MODE ok" and exits 0, so
 * that a test sees whether the program came through unharmed.
 *
 *   libm        dlopen libm.so.6 and call its IFUNCs sin and floor
 *   fakenode    add a link map node for the dynamic linker's file at a wrong
 *               address, over r_brk, call r_brk; take it out, call r_brk
 *   unlinkrtld  take the dynamic linker's own node out of the list, call r_brk;
 *               put it back, call r_brk
 *   midbrk GO   point r_brk into the middle of an instruction of hostile_mid, say
 *               "ready", check hostile_mid's result every 10 ms until the file GO
 *               exists (to be attached to meanwhile), then "libm" and r_brk back
 *   cycle [GO]  make the link map cyclic (the last node's l_next the first), say
 *               "ready", wait for the file GO if given; call r_brk 3 times, undo,
 *               then "libm"
 *   selfns [GO] the same with a namespace (r_debug_extended) whose r_next points
 *               at itself and whose r_state is RT_ADD
 *   churn       a thread keeps changing the end of the link map (nothing, a node
 *               at a wrong address, a cycle) while main calls r_brk 2000 times;
 *               undo, then "libm"
 *   bigstr M    call strlen on a string of M MiB (no NUL before its end)
 *   many D N    dlopen D/lib0.so ... D/lib(N-1).so, each its own file
 *   fakename P  add a link map node named P (a FIFO, /dev/zero) whose l_ld is in
 *               no file's mapping, call r_brk; take it out, call r_brk
 *   ifnloop     call looper(20), an IFUNC of the program whose resolver never
 *               returns when called again after the dynamic linker called it
 */
#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The dynamic linker's r_debug, as DT_DEBUG shows it to debuggers (the
 * program's own _r_debug is a copy made by a copy relocation). */
static struct r_debug *rdebug(void)
{
	for (ElfW(Dyn) *d = _DYNAMIC; d->d_tag != DT_NULL; d++)
		if (d->d_tag == DT_DEBUG)
			return (struct r_debug *)d->d_un.d_ptr;
	return &_r_debug;
}

/* The dynamic linker's hook, called as it does around a change. */
static void call_r_brk(void)
{
	((void (*)(void))rdebug()->r_brk)();
}

static struct link_map *rtld_node(void)
{
	for (struct link_map *l = rdebug()->r_map; l; l = l->l_next)
		if (strstr(l->l_name, "/ld-linux"))
			return l;
	return NULL;
}

static int mode_fakenode(char **arg)
{
	(void)arg;
	struct link_map *rtld = rtld_node(), *last = rdebug()->r_map;
	if (!rtld)
		return 2;
	while (last->l_next)
		last = last->l_next;
	static struct link_map fake;
	fake.l_addr = rtld->l_addr + 0x1000;
	fake.l_name = rtld->l_name;
	fake.l_ld = rtld->l_ld;
	fake.l_prev = last;
	last->l_next = &fake;
	call_r_brk();
	last->l_next = NULL;
	call_r_brk();
	call_r_brk();
	return 0;
}

static int mode_unlinkrtld(char **arg)
{
	(void)arg;
	struct link_map *rtld = rtld_node();
	if (!rtld || !rtld->l_prev)
		return 2;
	struct link_map *prev = rtld->l_prev, *next = rtld->l_next;
	prev->l_next = next;
	if (next)
		next->l_prev = prev;
	call_r_brk();
	prev->l_next = rtld;
	if (next)
		next->l_prev = rtld;
	call_r_brk();
	call_r_brk();
	return 0;
}

static int mode_libm(char **arg)
{
	(void)arg;
	void *h = dlopen("libm.so.6", RTLD_NOW);
	if (!h)
		return 2;
	double (*s)(double) = (double (*)(double))dlsym(h, "sin");
	double (*f)(double) = (double (*)(double))dlsym(h, "floor");
	if (!s || !f)
		return 3;
	printf("sin=%.3f floor=%.1f\n", s(1.0), f(2.5));
	return 0;
}

/* A 10-byte instruction whose immediate is the function's result: a trap
 * byte in its middle shows in what it returns. */
__asm__(".text\n"
	".globl hostile_mid\n"
	".type hostile_mid, @function\n"
	"hostile_mid:\n"
	"\tmovabs $0x1122334455667788, %rax\n"
	"\tret\n"
	".size hostile_mid, .-hostile_mid\n");
unsigned long long hostile_mid(void);
#define MID_VALUE 0x1122334455667788ULL

static int mode_midbrk(char **arg)
{
	if (!arg[0])
		return 64;
	ElfW(Addr) saved = rdebug()->r_brk;
	rdebug()->r_brk = (ElfW(Addr))hostile_mid + 2;
	printf("ready\n");
	fflush(stdout);
	for (int i = 0; access(arg[0], F_OK) != 0; i++) {
		if (hostile_mid() != MID_VALUE) {
			printf("code changed under us\n");
			return 70;
		}
		if (i > 6000)
			return 3;
		usleep(10000);
	}
	int rc = mode_libm(arg);
	rdebug()->r_brk = saved;
	return hostile_mid() == MID_VALUE ? rc : 70;
}

/* Wait for the file GO (if given), at most 60 s. */
static void ready_wait(const char *go)
{
	printf("ready\n");
	fflush(stdout);
	for (int i = 0; go && access(go, F_OK) != 0 && i < 6000; i++)
		usleep(10000);
}

static int mode_cycle(char **arg)
{
	struct link_map *first = rdebug()->r_map, *last = first;
	while (last->l_next)
		last = last->l_next;
	last->l_next = first;
	ready_wait(arg[0]);
	for (int i = 0; i < 3; i++)
		call_r_brk();
	last->l_next = NULL;
	return mode_libm(arg);
}

/* glibc's struct r_debug_extended: r_debug, then r_next. */
struct r_debug_ext {
	struct r_debug base;
	struct r_debug_ext *r_next;
};

static int mode_selfns(char **arg)
{
	struct r_debug_ext *rd = (struct r_debug_ext *)rdebug();
	static struct r_debug_ext loop;
	loop.base.r_version = 2;
	loop.base.r_state = RT_ADD;
	loop.base.r_brk = rd->base.r_brk;
	loop.r_next = &loop;
	int version = rd->base.r_version;
	struct r_debug_ext *next = version >= 2 ? rd->r_next : NULL;
	/* In the chain after the namespaces there are. */
	struct r_debug_ext *tail = rd;
	while (tail->base.r_version >= 2 && tail->r_next)
		tail = tail->r_next;
	rd->base.r_version = 2;
	tail->r_next = &loop;
	ready_wait(arg[0]);
	for (int i = 0; i < 3; i++)
		call_r_brk();
	tail->r_next = NULL;
	rd->base.r_version = version;
	if (version >= 2)
		rd->r_next = next;
	return mode_libm(arg);
}

static int mode_fakename(char **arg)
{
	if (!arg[0])
		return 64;
	struct link_map *last = rdebug()->r_map;
	while (last->l_next)
		last = last->l_next;
	static struct link_map fake;
	/* On the heap: no file's mapping. */
	char *anon = calloc(1, 4096);
	fake.l_addr = 0;
	fake.l_name = arg[0];
	fake.l_ld = (ElfW(Dyn) *)anon;
	fake.l_prev = last;
	last->l_next = &fake;
	call_r_brk();
	last->l_next = NULL;
	call_r_brk();
	free(anon);
	return 0;
}

static int mode_bigstr(char **arg)
{
	size_t n = arg[0] ? (size_t)atol(arg[0]) << 20 : 0;
	char *s = n ? malloc(n + 1) : NULL;
	if (!s)
		return 2;
	memset(s, 'a', n);
	s[n] = '\0';
	printf("len=%zu\n", strlen(s));
	free(s);
	return 0;
}

static int mode_many(char **arg)
{
	if (!arg[0] || !arg[1])
		return 64;
	long n = atol(arg[1]);
	for (long i = 0; i < n; i++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/lib%ld.so", arg[0], i);
		if (!dlopen(path, RTLD_NOW)) {
			printf("%s\n", dlerror());
			return 2;
		}
	}
	printf("opened %ld\n", n);
	return 0;
}

static atomic_int churn_stop;

static void *churner(void *arg)
{
	struct link_map *last = arg, *first = rdebug()->r_map;
	static struct link_map fake;
	struct link_map *rtld = rtld_node();
	fake.l_addr = rtld->l_addr + 0x2000;
	fake.l_name = rtld->l_name;
	fake.l_ld = rtld->l_ld;
	fake.l_prev = last;
	for (unsigned i = 0; !atomic_load(&churn_stop); i++) {
		struct link_map *to[3] = { NULL, &fake, first };
		atomic_store_explicit((_Atomic(struct link_map *) *)&last->l_next, to[i % 3],
				      memory_order_relaxed);
		fake.l_next = i & 4 ? &fake : NULL;
	}
	last->l_next = NULL;
	return NULL;
}

static int mode_churn(char **arg)
{
	struct link_map *last = rdebug()->r_map;
	while (last->l_next)
		last = last->l_next;
	pthread_t th;
	if (pthread_create(&th, NULL, churner, last) != 0)
		return 2;
	for (int i = 0; i < 2000; i++)
		call_r_brk();
	atomic_store(&churn_stop, 1);
	pthread_join(th, NULL);
	return mode_libm(arg);
}

static int looper_impl(int x)
{
	return x + 1;
}

/* The dynamic linker calls it once (IRELATIVE); a second call, by a
 * tracer, spins for ever. */
static int (*resolve_looper(void))(int)
{
	static volatile int calls;
	if (calls++)
		for (;;)
			;
	return looper_impl;
}

int looper(int x) __attribute__((ifunc("resolve_looper")));

static int mode_ifnloop(char **arg)
{
	(void)arg;
	printf("looper=%d\n", looper(20));
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(char **arg);
} modes[] = {
	{ "libm", mode_libm },
	{ "fakenode", mode_fakenode },
	{ "unlinkrtld", mode_unlinkrtld },
	{ "midbrk", mode_midbrk },
	{ "cycle", mode_cycle },
	{ "selfns", mode_selfns },
	{ "churn", mode_churn },
	{ "ifnloop", mode_ifnloop },
	{ "fakename", mode_fakename },
	{ "bigstr", mode_bigstr },
	{ "many", mode_many },
};

int main(int argc, char **argv)
{
	for (size_t i = 0; argc > 1 && i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (strcmp(argv[1], modes[i].name))
			continue;
		int rc = modes[i].fn(argv + 2);
		if (rc == 0)
			printf("%s ok\n", argv[1]);
		return rc;
	}
	fprintf(stderr, "usage: hostile MODE\n");
	return 64;
}
