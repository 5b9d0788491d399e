// SPDX-License-Identifier: GPL-2.0-or-later
/* A stack of its own for the crash handler.
 *
 * A stack overflow of ltrace (deep recursion on hostile input) raises
 * SIGSEGV with no stack left to run a handler on: the kernel kills us and
 * the tracees keep our traps. On an alternate stack the handler can still
 * put every byte back and detach. The detach waits for tasks and reads
 * /proc files, so the stack is generous; a guard page below it turns an
 * overflow of the handler itself into a plain death, not a corruption. */
#include "config.h"

#include <signal.h>
#include <stddef.h>
#include <sys/mman.h>
#include <unistd.h>

#include "crashstack.h"

#define CRASH_STACK_SIZE (1024 * 1024)

int crash_stack_install(void)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	char *base = mmap(NULL, CRASH_STACK_SIZE + page, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		return -1;
	if (mprotect(base, page, PROT_NONE) != 0) {
		munmap(base, CRASH_STACK_SIZE + page);
		return -1;
	}
	stack_t ss = { .ss_sp = base + page, .ss_size = CRASH_STACK_SIZE, .ss_flags = 0 };
	if (sigaltstack(&ss, NULL) != 0) {
		munmap(base, CRASH_STACK_SIZE + page);
		return -1;
	}
	return 0;
}
