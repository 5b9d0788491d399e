// SPDX-License-Identifier: GPL-2.0-or-later
// A C++ exception thrown by a callback through the traced lib_callback frame; the program
// must catch it and continue (a tracer that rewrites return addresses breaks unwinding).
#include <cstdio>
#include <cstdlib>
#include "testlib.h"

// abs is declared const: without a use of its result gcc drops the call, even at -O0.
static volatile int sink;

static int thrower(int x)
{
	sink = abs(x);
	if (x < 0)
		throw x;
	return x;
}

int main()
{
	int r = lib_callback(thrower, 4);

	try {
		r += lib_callback(thrower, -3);
		puts("not reached");
		return 1;
	} catch (int v) {
		r += v;
		puts("caught");
	}
	r += lib_callback(thrower, 6);
	puts("done");
	return r == 9 ? 0 : 2;
}
