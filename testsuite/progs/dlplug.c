/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libdlplug.so: the plugin that the libdl tests dlopen (and dlmopen, and reload in loops).
 * plug_twice calls plug_add inside the library, so that -x shows calls that never pass
 * through the main program's PLT.
 */
int plug_add(int a, int b);
int plug_twice(int x);

int plug_add(int a, int b)
{
	return a + b;
}

int plug_twice(int x)
{
	return plug_add(x, x);
}
