/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Calls libtail.so's tail_a three times; prints the sum (21). */
#include <stdio.h>

int tail_a(int x);

int main(void)
{
	int i, s = 0;

	for (i = 0; i < 3; i++)
		s += tail_a(i);
	printf("%d\n", s);
	return s == 21 ? 0 : 1;
}
