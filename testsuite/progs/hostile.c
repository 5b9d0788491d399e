// SPDX-License-Identifier: GPL-2.0-or-later
/* A tracee hostile to its tracer (issue #14): each mode does one thing a
 * compromised or odd program may do, then prints "MODE ok" and exits 0, so
 * that a test sees whether the program came through unharmed.
 *
 *   libm        dlopen libm.so.6 and call its IFUNCs sin and floor
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

static int mode_libm(void)
{
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

static const struct {
	const char *name;
	int (*fn)(void);
} modes[] = {
	{ "libm", mode_libm },
};

int main(int argc, char **argv)
{
	for (size_t i = 0; argc > 1 && i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (strcmp(argv[1], modes[i].name))
			continue;
		int rc = modes[i].fn();
		if (rc == 0)
			printf("%s ok\n", argv[1]);
		return rc;
	}
	fprintf(stderr, "usage: hostile MODE\n");
	return 64;
}
