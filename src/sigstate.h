/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The signal state ltrace was started with (which signals are ignored, which
 * are blocked), recorded before ltrace changes anything and given back to
 * the programs it launches, so that they start as they would without us. */
#ifndef LTRACE_SIGSTATE_H
#define LTRACE_SIGSTATE_H

/* Record the inherited state; call first thing in main(). An inherited
 * SIG_IGN of SIGCHLD is undone for ltrace itself (it would make the kernel
 * reap our children behind waitpid's back); the child gets it back. */
void sigstate_save(void);
/* In a forked child just before exec: every signal ignored or default as
 * recorded, the recorded mask. Only system calls: safe after fork. */
void sigstate_restore(void);

#endif
