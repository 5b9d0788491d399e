/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IFUNCs: mfn is defined in this program (its calls go through a PLT slot bound by an
 * IRELATIVE relocation), ifn in libdlifn.so; strlen is libc's.  Each is called twice.
 */
#include <stdio.h>
#include <string.h>

int ifn(int x);

static int mfn_triple(int x)
{
	return 3 * x;
}

static int mfn_never(int x)
{
	return -x;
}

static volatile int mfn_choice = 1;

static int (*mfn_resolver(void))(int)
{
	return mfn_choice ? mfn_triple : mfn_never;
}

int mfn(int x) __attribute__((ifunc("mfn_resolver")));

int main(void)
{
	int r = 0;

	r += mfn(5);
	r += ifn(3);
	r += (int)strlen("ifunc");
	r += mfn(1);
	r += ifn(4);
	r += (int)strlen("xy");
	printf("r=%d\n", r);
	return r == 15 + 6 + 5 + 3 + 8 + 2 ? 0 : 1;
}
