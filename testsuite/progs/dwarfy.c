// SPDX-License-Identifier: GPL-2.0-or-later
/* Calls libdwarfy.so's functions with known values (dwarf.test). */
#include <stddef.h>

#include "dwarfy.h"

static int twice(int x) { return 2 * x; }

int main(void)
{
	struct point q = { 10, 20 };
	struct dlist l2 = { 2, NULL }, l1 = { 1, &l2 };
	struct rec r = { "ab", 2.5 };

	d_add(2, 3);
	d_count("hello", 3);
	d_scale(1.5, 2.0f);
	d_void();
	d_shade(DARK);
	d_shade(LIGHT);
	d_flag(true);
	d_point((struct point){ 1, 2 }, &q);
	d_list(&l1);
	d_union((union either){ .i = 0x01020304 });
	d_rec(&r);
	d_opaque((void *)0x1234, twice);
	d_char('a', -2, 200);
	return 0;
}
