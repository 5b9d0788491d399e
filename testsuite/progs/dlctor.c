/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libdlctor.so: its constructor calls ctor_fn, through its own PLT (ctor_fn is exported and
 * may be interposed), while dlopen is still loading it. */
int ctor_fn(int x);
int ctor_result(void);

static int result;

int ctor_fn(int x)
{
	return x * 10;
}

__attribute__((constructor)) static void init(void)
{
	result = ctor_fn(5);
}

int ctor_result(void)
{
	return result;
}
