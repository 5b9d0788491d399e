/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Dies of SIGSEGV: ltrace must report it and exit with 128 + 11. */
#include <stdio.h>

int main(void)
{
	volatile int *volatile p = NULL;

	puts("crashing");
	*p = 1;
	return 0;
}
