/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Driver of names.test: hostilerun LIB dlopens LIB (any path, hostile names welcome), calls
 * hx_run(3) through dlsym and prints "hostilerun: ok" when it returned 2*3+1 + 3+1 + 7.
 */
#include <dlfcn.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	void *h = dlopen(argv[1], RTLD_NOW);
	if (!h) {
		fprintf(stderr, "hostilerun: %s\n", dlerror());
		return 1;
	}
	int (*run)(int) = (int (*)(int))dlsym(h, "hx_run");
	if (!run)
		return 1;
	int r = run(3);
	printf("hostilerun: %s\n", r == 18 ? "ok" : "wrong");
	return r == 18 ? 0 : 1;
}
