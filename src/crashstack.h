/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A stack of its own for the crash handler. */
#ifndef LTRACE_CRASHSTACK_H
#define LTRACE_CRASHSTACK_H

/* Give this thread an alternate signal stack (sigaltstack) big enough for
 * the crash handler's detach, so that it runs when ltrace's own stack is
 * what overflowed. Handlers installed with SA_ONSTACK use it. 0, or -1 if
 * there is none (the handler then runs on the normal stack). */
int crash_stack_install(void);

#endif
