/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libdlinner.so: dlopened from inside a function of libdlmid.so. */
int inner_fn(int x);

int inner_fn(int x)
{
	return x + 100;
}
