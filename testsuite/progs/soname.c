/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libsoname-1.0.so, linked with the SONAME libsoname.so.1 (file name and SONAME differ), for
 * soname.test (issue #10). Prototypes: progs/soname/libsoname.so.conf. */
#include <string.h>

int sn_len(const char *s)
{
	return (int)strlen(s);
}
