/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Prints its arguments; the exit status is their number. */
#include <stdio.h>

int main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		puts(argv[i]);
	return argc - 1;
}
