/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Benchmark: N calls of a cheap libc function (abs, no system call) through the PLT. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	long i, n = argc > 1 ? atol(argv[1]) : 20000;
	long sum = 0;

	for (i = 0; i < n; i++)
		sum += abs((int)-i);
	return sum == n * (n - 1) / 2 ? 0 : 1;
}
