/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A fully static executable (gcc -static): no PLT, no dynamic linker, no r_debug.  -x must
 * still find st_square (global) and st_sum (static) in .symtab.
 */
#include <stdio.h>

int st_square(int x);

int st_square(int x)
{
	return x * x;
}

static int st_sum(int n)
{
	int i, s = 0;

	for (i = 1; i <= n; i++)
		s += st_square(i);
	return s;
}

int main(void)
{
	int r = st_sum(3);

	printf("static %d\n", r);
	return r == 14 ? 0 : 1;
}
