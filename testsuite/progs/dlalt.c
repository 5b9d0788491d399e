/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libdlalt.so: loaded alternately with libdlplug.so by the reload loop.  It defines plug_add
 * too, but behind other code, so that its plug_add does not sit where libdlplug.so's did:
 * a breakpoint left over from the other library would land in the middle of alt_pad.
 */
int alt_pad(int x);
int plug_add(int a, int b);

int alt_pad(int x)
{
	volatile int v = x;

	v = v * 3 + 1;
	v = v * 5 + 2;
	v = v * 7 + 3;
	return v;
}

int plug_add(int a, int b)
{
	return b + a;
}
