/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libdlneed.so: a DT_NEEDED of libdlmid.so, loaded only when libdlmid.so is dlopened. */
int need_fn(int x);

int need_fn(int x)
{
	return x * 10;
}
