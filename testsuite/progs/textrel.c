/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libtextrel.so: a library with a text relocation (linked -z notext), right under the entry
 * breakpoint of tr_get: its first instruction is movabs $tr_data, %rax, whose immediate
 * ld.so writes when it relocates the library, mprotecting its code writable meanwhile. */
__asm__(".text\n"
	".globl tr_get\n.type tr_get, @function\ntr_get:\n"
	"	movabs $tr_data, %rax\n"
	"	ret\n"
	".size tr_get, . - tr_get\n");

__attribute__((visibility("hidden"))) int tr_data = 0x5eed;
