/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dlopen libtextrel.so (text relocations) and call its tr_get, which returns the address of
 * its data: relocated, it points at 0x5eed; run with the bytes from before the relocation it
 * is a small offset and the program dies of SIGSEGV.
 * Usage: textrelrun [ROUNDS]: load, call twice, unload, ROUNDS times. Exit status: 0 fine,
 * 1 wrong value, 2 dlopen/dlsym failed. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 1;
	for (int r = 0; r < rounds; r++) {
		void *h = dlopen("libtextrel.so", RTLD_NOW);
		int *(*get)(void) = h ? (int *(*)(void))dlsym(h, "tr_get") : NULL;
		if (!get) {
			printf("%s\n", dlerror());
			return 2;
		}
		if (*get() != 0x5eed || *get() != 0x5eed)
			return 1;
		dlclose(h);
	}
	printf("tr_get right %d times\n", rounds * 2);
	return 0;
}
