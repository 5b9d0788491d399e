/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libtestlib.so: built -fPIC without -Bsymbolic, so lib_outer's call of lib_add goes through
 * the library's own PLT (visible with -e lib_add as "libtestlib.so->lib_add") and lib_add is
 * a defined symbol for -x tests.
 */
#include "testlib.h"

int lib_add(int a, int b)
{
	return a + b;
}

int lib_outer(int n)
{
	return lib_add(n, 1) * 3;
}

/* Calls back into the program: the traced calls made by FN nest inside lib_callback. */
int lib_callback(int (*fn)(int), int x)
{
	return fn(x) + 1;
}

int lib_sum(const int *arr, int n)
{
	int i, s = 0;

	for (i = 0; i < n; i++)
		s += arr[i];
	return s;
}

/* Deliberately absent from testlib.conf: shown with the default prototype. */
long lib_unknown(long a, long b, long c, long d)
{
	return a + b + c + d;
}
