/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The dlopened benchmark library: one trivial function for -x. */
int bench_fn(int x);

int bench_fn(int x)
{
	return x + 1;
}
