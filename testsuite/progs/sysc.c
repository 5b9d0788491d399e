/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * System calls for syscalls.test (-S): one made through a traced libc call that issues it
 * directly (write), one with no arguments (getpid), and one through the generic syscall()
 * entry with a literal number, so that its name in the trace can only come from ltrace's own
 * table: 318 is getrandom on x86_64.
 */
#define _GNU_SOURCE /* syscall */
#include <unistd.h>

int main(void)
{
	char buf[8];

	write(1, "hi\n", 3);
	getpid();
	syscall(318 /* getrandom */, buf, sizeof(buf), 0);
	return 0;
}
