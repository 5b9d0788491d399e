/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libtail.so, built with -O2: tail_a ends in a tail call (jmp) of tail_b, so that -x sees tail_b
 * entered at the same stack pointer, for the same return address, as tail_a. */
int tail_b(int x);
int tail_a(int x);

__attribute__((noinline)) int tail_b(int x)
{
	return x * 3 + 1;
}

__attribute__((noinline)) int tail_a(int x)
{
	return tail_b(x + 1);
}
