/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Calls sn_len("hello") of libsoname.so.1, the file libsoname-1.0.so, for soname.test
 * (issue #10). Built twice: sonamerun links with the library (DT_NEEDED libsoname.so.1,
 * found through the symlink progs/libsoname.so.1); sonamedl (-DSONAME_DLOPEN) dlopens it by
 * its file name, so that the dynamic linker knows it as .../libsoname-1.0.so.
 */
#ifdef SONAME_DLOPEN
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	char path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 32);
	char *slash;
	void *h;
	int (*fn)(const char *);

	if (n <= 0)
		return 3;
	path[n] = 0;
	slash = strrchr(path, '/');
	strcpy(slash ? slash + 1 : path, "libsoname-1.0.so");
	h = dlopen(path, RTLD_NOW);
	if (!h) {
		fprintf(stderr, "%s\n", dlerror());
		return 3;
	}
	*(void **)&fn = dlsym(h, "sn_len");
	return fn && fn("hello") == 5 ? 0 : 2;
}
#else
int sn_len(const char *s);

int main(void)
{
	return sn_len("hello") == 5 ? 0 : 2;
}
#endif
