/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libdlmid.so: dlopened by dlrun; it needs libdlneed.so (DT_NEEDED, pulled in by the same
 * dlopen) and mid_nested dlopens a third library itself and calls it through dlsym.
 */
#include <dlfcn.h>

int need_fn(int x);
int mid_fn(int x);
int mid_nested(const char *path, int x);

int mid_fn(int x)
{
	return need_fn(x) + 1;
}

int mid_nested(const char *path, int x)
{
	void *h = dlopen(path, RTLD_NOW);
	int (*fn)(int);
	int r;

	if (!h)
		return -1;
	fn = (int (*)(int))dlsym(h, "inner_fn");
	r = fn ? fn(x) : -2;
	dlclose(h);
	return r;
}
