/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Benchmark: dlopen libbench.so (next to this program) and call bench_fn through the pointer
 * from dlsym N times. No PLT is involved: only -x bench_fn sees the calls, and the tracer must
 * have noticed the dlopen to place that breakpoint.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	long i, n = argc > 1 ? atol(argv[1]) : 20000;
	const char *lib = argc > 2 ? argv[2] : "./libbench.so";
	int (*fn)(int);
	void *h;
	long sum = 0;

	h = dlopen(lib, RTLD_NOW);
	if (!h) {
		fprintf(stderr, "dlloop: %s\n", dlerror());
		return 2;
	}
	fn = (int (*)(int))dlsym(h, "bench_fn");
	if (!fn) {
		fprintf(stderr, "dlloop: %s\n", dlerror());
		return 2;
	}
	for (i = 0; i < n; i++)
		sum += fn((int)i);
	dlclose(h);
	return sum == n * (n + 1) / 2 ? 0 : 1;
}
