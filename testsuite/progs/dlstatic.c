/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A fully static executable (gcc -static): no PLT, no dynamic linker, no r_debug.  -x must
 * still find st_square (global) and st_sum (static) in .symtab, and strlen, an IFUNC of the
 * static libc inside, once the program's start-up has run its resolvers.
 */
#include <stdio.h>
#include <string.h>

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
	const char *volatile label = "static";
	size_t len = strlen(label);

	printf("%s %d\n", label, r);
	return r == 14 && len == 6 ? 0 : 1;
}
