/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Two calls of the C library's write(), each making the write system call: under -c -S the
 * function and the system call are rows of their own (summary-left.test). */
#include <unistd.h>

int main(void)
{
	if (write(1, "one\n", 4) != 4 || write(1, "two\n", 4) != 4)
		return 1;
	return 0;
}
