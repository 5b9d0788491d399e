/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libhostile.so: a library whose names are hostile (names.test, issue #14). Its SONAME is set
 * by the build (control bytes, a forged event line, or a path like ../../x/evil); its
 * functions are exported under names with ESC, BEL, CSI/OSC sequences, a newline and a
 * carriage return (quoted assembler symbols), and hx_run calls them all.
 *   hx_run(x)        calls HX_RED(x), which calls HX_EXIT(x), then trav_fn(x) and atoi("7")
 *   HX_RED(x)        x + 1 (after HX_EXIT)
 *   HX_EXIT(x)       x * 2
 *   trav_fn(x)       x + 1 (an ordinary name, for prototype lookups by SONAME)
 */
#include <stdlib.h>

#define HX_RED "hx_\\x1b]0;pwned\\x07\\x1b[31mred"
#define HX_EXIT "hx_\\n+++ exited (status 0) +++\\r"

int hx_run(int x);
int trav_fn(int x);

static int __attribute__((used, noinline)) exit_impl(int x)
{
	return x * 2;
}

static int __attribute__((used, noinline)) red_impl(int x)
{
	return exit_impl(x) + 1;
}

__asm__(".globl \"" HX_RED "\"\n.set \"" HX_RED "\", red_impl\n"
	".globl \"" HX_EXIT "\"\n.set \"" HX_EXIT "\", exit_impl\n");

int trav_fn(int x)
{
	return x + 1;
}

int hx_run(int x)
{
	return red_impl(x) + trav_fn(x) + atoi("7");
}
