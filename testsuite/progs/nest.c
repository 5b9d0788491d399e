/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Calls into libtestlib.so: return values, a library call that calls back into the program
 * (nesting: unfinished/resumed), an array argument and a function without prototype.
 */
#include <stdio.h>
#include <stdlib.h>
#include "testlib.h"

static int twice_abs(int x)
{
	return abs(x) * 2;
}

int main(void)
{
	static const int arr[6] = { 1, 2, 3, 4, 5, 6 };
	long r = 0;

	r += lib_outer(4);
	r += lib_callback(twice_abs, -5);
	r += lib_sum(arr, 6);
	r += lib_unknown(1, -2, 30000, 0);
	if (puts("nest done") < 0)
		return 1;
	return r == 15 + 11 + 21 + 29999 ? 0 : 2;
}
