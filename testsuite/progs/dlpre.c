/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libdlpre.so: loaded with LD_PRELOAD; pre_fn calls abs through this library's own PLT. */
#include <stdlib.h>

int pre_fn(int x);

int pre_fn(int x)
{
	return abs(x) + 1;
}
