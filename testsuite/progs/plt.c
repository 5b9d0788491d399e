/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The PLT flavour program: built from this one source as lazy .plt, -z now, IBT .plt.sec
 * (lazy and now), -fno-plt, PIE and non-PIE; every flavour must give the same trace.
 * abs is called three times so that a tracer catching only the first (lazy) call of a
 * function fails, and its address is taken so that PIE links put it in .plt.got.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
	int (*volatile keep)(int) = abs;
	char *p;
	int i, r = 0;

	for (i = 1; i <= 3; i++)
		r += abs(-i);
	r += (int)strlen("hello");
	p = malloc(16);
	free(p);
	r += strcmp("abc", "abc");
	if (puts("plt test") < 0)
		return 1;
	(void)keep;
	return r == 11 ? 0 : 2;
}
