// SPDX-License-Identifier: GPL-2.0-or-later
// Calls with mangled names for the -C tests (issue #10): operator new and operator delete of
// libstdc++, and ns::twice(int) of libcxxcalls.so (cxxcallslib.cc), called by ns::outer(int),
// also in the library, so that a -x trace of both nests (a resumed line).
#include <cstdio>

namespace ns {
int twice(int x);
int outer(int x);
}

int main()
{
	int *p = new int(ns::twice(21));
	int r = *p;
	delete p;
	r += ns::outer(1);
	std::puts("cxx done");
	return r == 46 ? 0 : 2;
}
