/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Loaded with dlopen() by the demo: its functions are reachable only
 * after the load, so tracing them with -x needs a tracer that watches the
 * dynamic linker (r_debug) rather than reading the library list at start. */
int plugin_square(int x);
int plugin_twice(int x);

int plugin_twice(int x)
{
	return 2 * x;
}

int plugin_square(int x)
{
	return plugin_twice(x) * x / 2;
}
