// SPDX-License-Identifier: GPL-2.0-or-later
// libcxxcalls.so: C++ functions with mangled names for the -C tests (see cxxcalls.cc).
namespace ns {
int twice(int x)
{
	return 2 * x;
}

int outer(int x)
{
	return twice(x) + 2;
}
}
