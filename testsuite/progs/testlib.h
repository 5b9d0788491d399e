/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Functions of libtestlib.so, the shared library used by the nesting, -x and -e tests. */
#ifndef TESTLIB_H
#define TESTLIB_H

#ifdef __cplusplus
extern "C" {
#endif

int lib_add(int a, int b);
int lib_outer(int n);
int lib_callback(int (*fn)(int), int x);
int lib_sum(const int *arr, int n);
long lib_unknown(long a, long b, long c, long d);

#ifdef __cplusplus
}
#endif

#endif
