// SPDX-License-Identifier: GPL-2.0-or-later
/* libltoverflow.so, preloaded into ltrace itself (never into a tracee): its
 * process_vm_readv overflows the stack once called LTOVERFLOW_AFTER times,
 * once, to show that a stack overflow of ltrace still runs its crash handler
 * (issue #14). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <sys/uio.h>

static volatile int sink;

/* Deeper and deeper until the stack is gone. */
static int __attribute__((noinline)) dive(int n)
{
	volatile char pad[4096];
	pad[0] = (char)n;
	sink += pad[0];
	return dive(n + 1) + pad[0];
}

ssize_t process_vm_readv(pid_t pid, const struct iovec *local, unsigned long liovcnt,
			 const struct iovec *remote, unsigned long riovcnt, unsigned long flags)
{
	static long calls;
	static int fired; /* once: the crash handler's own reads go through */
	static ssize_t (*real)(pid_t, const struct iovec *, unsigned long, const struct iovec *,
			       unsigned long, unsigned long);
	const char *after = getenv("LTOVERFLOW_AFTER");
	if (after && !fired && ++calls >= atol(after)) {
		fired = 1;
		sink = dive(0);
	}
	if (!real)
		real = (ssize_t(*)(pid_t, const struct iovec *, unsigned long,
				   const struct iovec *, unsigned long, unsigned long))
			dlsym(RTLD_NEXT, "process_vm_readv");
	return real(pid, local, liovcnt, remote, riovcnt, flags);
}
