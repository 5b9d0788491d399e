/* SPDX-License-Identifier: GPL-2.0-or-later */
/* String arguments: -s truncation and escaping of special bytes. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	puts("The quick brown fox jumps over the lazy dog");
	if (write(1, "a\tb\n\001\377", 6) != 6)
		return 1;
	return (int)strlen("");
}
