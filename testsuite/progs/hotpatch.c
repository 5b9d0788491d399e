/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Code patched at run time under the tracer's traps: mprotect RWX, rewrite the operand of an
 * instruction (never its first byte), mprotect back, run it. Each must then do what its new
 * bytes say, not what they said when the tracer saved them.
 *   hot_jmp   starts with jmp rel32 (emulated at its -x entry breakpoint): retargeted;
 *   hot_imul  starts with imul $imm32, %edi, %eax (run out of line): new immediate;
 *   site_fn   calls tfn (-x), whose return site is imul $imm32, %ebx, %eax; tfn recurses once
 *             through site_fn, and the inner call patches the immediate, so that the inner
 *             return meets the trap still armed for the outer frame.
 * Usage: hotpatch [ROUNDS]. Exit status: 0 fine, 1 a patched instruction ran its old bytes,
 * 3 mprotect failed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int hot_one(void);
int hot_two(void);
int hot_jmp(void);
int hot_imul(int x);
int site_fn(int n);
int tfn(int n);
extern unsigned char hot_jmp_rel[], hot_imul_imm[], site_imm[];

__asm__(".text\n"
	".globl hot_jmp\n.type hot_jmp, @function\nhot_jmp:\n"
	"	.byte 0xe9\n" /* jmp rel32 */
	".globl hot_jmp_rel\nhot_jmp_rel:\n"
	"	.long hot_one - . - 4\n"
	".size hot_jmp, . - hot_jmp\n"
	".globl hot_imul\n.type hot_imul, @function\nhot_imul:\n"
	"	.byte 0x69, 0xc7\n" /* imul $imm32, %edi, %eax */
	".globl hot_imul_imm\nhot_imul_imm:\n"
	"	.long 100\n"
	"	ret\n"
	".size hot_imul, . - hot_imul\n"
	".globl site_fn\n.type site_fn, @function\nsite_fn:\n"
	"	push %rbx\n"
	"	mov $1, %ebx\n"
	"	call tfn\n"
	"	.byte 0x69, 0xc3\n" /* imul $imm32, %ebx, %eax: the return site */
	".globl site_imm\nsite_imm:\n"
	"	.long 100\n"
	"	pop %rbx\n"
	"	ret\n"
	".size site_fn, . - site_fn\n");

int hot_one(void)
{
	return 1;
}

int hot_two(void)
{
	return 2;
}

/* Write the 32-bit V at AT in our own code. */
static void patch32(unsigned char *at, int32_t v)
{
	uintptr_t page = (uintptr_t)at & ~(uintptr_t)4095;
	size_t len = (uintptr_t)at + 4 - page;
	if (mprotect((void *)page, len, PROT_READ | PROT_WRITE | PROT_EXEC) != 0)
		exit(3);
	for (int i = 0; i < 4; i++)
		((volatile unsigned char *)at)[i] = (unsigned char)((uint32_t)v >> (8 * i));
	if (mprotect((void *)page, len, PROT_READ | PROT_EXEC) != 0)
		exit(3);
}

static int32_t site_want;
static int inner_result;

int tfn(int n)
{
	if (n > 0)
		inner_result = site_fn(n - 1);
	else
		patch32(site_imm, site_want);
	return 0;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 3;
	int bad = 0;
	for (int r = 1; r <= rounds; r++) {
		/* The first call of each runs the bytes as the tracer saw them at insertion. */
		int (*target)(void) = r % 2 ? hot_two : hot_one;
		int before = hot_jmp();
		patch32(hot_jmp_rel, (int32_t)((intptr_t)target - ((intptr_t)hot_jmp_rel + 4)));
		int after = hot_jmp();
		if (before == target() || after != target()) {
			printf("round %d: hot_jmp gave %d then %d, wanted %d\n", r, before, after,
			       target());
			bad = 1;
		}
		int32_t imm = 100 + r;
		hot_imul(1);
		patch32(hot_imul_imm, imm);
		if (hot_imul(3) != 3 * imm) {
			printf("round %d: hot_imul(3) = %d, wanted %d\n", r, hot_imul(3), 3 * imm);
			bad = 1;
		}
		site_want = 1000 + r;
		int outer = site_fn(1);
		if (inner_result != site_want || outer != site_want) {
			printf("round %d: return sites gave %d (inner) and %d (outer), wanted %d\n", r,
			       inner_result, outer, (int)site_want);
			bad = 1;
		}
	}
	if (!bad)
		printf("all patches seen after %d rounds\n", rounds);
	return bad;
}
