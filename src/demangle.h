/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef LTRACE_DEMANGLE_H
#define LTRACE_DEMANGLE_H
/* Returns NAME demangled (static storage, valid until the next call) when
 * it is a mangled C++ name and demangling is available; otherwise NAME. */
const char *demangle(const char *name);
#endif
