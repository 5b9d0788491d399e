/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * longjmp out of a callback, abandoning the traced lib_callback frame; the program must go
 * on working and later traced calls must still nest and return correctly.
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include "testlib.h"

static jmp_buf env;
/* abs is declared const: without a use of its result gcc drops the call, even at -O0. */
static volatile int sink;

static int escape(int x)
{
	sink = abs(x);
	if (x < 0)
		longjmp(env, 1);
	return x;
}

int main(void)
{
	volatile int r = 0;

	if (setjmp(env) == 0) {
		lib_callback(escape, -7);
		puts("not reached");
		return 1;
	}
	puts("after longjmp");
	r = lib_callback(escape, 2);
	r += lib_outer(1);
	puts("done");
	return r == 9 ? 0 : 2;
}
