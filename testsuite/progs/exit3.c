/* SPDX-License-Identifier: GPL-2.0-or-later */
/* exit(3) from a traced call: ltrace must exit with status 3. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	puts("exiting");
	exit(3);
}
