/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libdlifn.so: an IFUNC defined in a library.  The resolver picks ifn_double; a tracer that
 * breaks on the symbol's value (the resolver) would never see a call.
 */
int ifn(int x);

static int ifn_double(int x)
{
	return 2 * x;
}

static int ifn_never(int x)
{
	return -x;
}

static volatile int ifn_choice = 1;

/* Runs inside ld.so while it relocates; must not call anything. */
static int (*ifn_resolver(void))(int)
{
	return ifn_choice ? ifn_double : ifn_never;
}

int ifn(int x) __attribute__((ifunc("ifn_resolver")));
