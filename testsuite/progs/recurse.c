/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A static recursive function for -x on the main binary's symbol table and -n indentation. */
#include <stdlib.h>

static int fact(int n)
{
	if (n <= 1)
		return abs(n);
	return n * fact(n - 1);
}

int main(void)
{
	return fact(3) == 6 ? 0 : 1;
}
