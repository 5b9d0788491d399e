/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libplug.so: dlopened by busy after ltrace has attached, for -x on a late library. */
int plug_mul(int a, int b);

int plug_mul(int a, int b)
{
	return a * b;
}
