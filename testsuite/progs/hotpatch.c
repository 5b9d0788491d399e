/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Code patched at run time under the tracer's traps: mprotect RWX, rewrite the operand of an
 * instruction (never its first byte), mprotect back, run it. Each must then do what its new
 * bytes say, not what they said when the tracer saved them.
 *   hot_jmp   starts with jmp rel32 (emulated at its -x entry breakpoint): retargeted;
 *   hot_imul  starts with imul $imm32, %edi, %eax (run out of line): new immediate;
 *   site_fn   calls tfn (-x), whose return site is imul $imm32, %ebx, %eax; tfn recurses once
 *             through site_fn, and the inner call patches the immediate, so that the inner
 *             return meets the trap still armed for the outer frame;
 *   site2_fn  calls tfn2 (-x), which replaces its whole return site, first byte included
 *             (our trap), by mov $imm32, %eax; nop: that call's return is not seen, and when
 *             the frame is dropped as dead at the next call the program's byte must stay.
 * Usage: hotpatch [ROUNDS [thread]]: with "thread", a second thread waits meanwhile (an
 * out-of-line copy is then rebuilt in a new slot, not over the old one). Exit status: 0 fine, 1 a patched instruction ran its old bytes,
 * 3 mprotect failed. */
#include <pthread.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int hot_one(void);
int hot_two(void);
int hot_jmp(void);
int hot_imul(int x);
int site_fn(int n);
int tfn(int n);
int site2_fn(int patch);
int tfn2(int patch);
extern unsigned char hot_jmp_rel[], hot_imul_imm[], site_imm[], site2_ret[];

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
	".size site_fn, . - site_fn\n"
	".globl site2_fn\n.type site2_fn, @function\nsite2_fn:\n"
	"	push %rbx\n"
	"	mov $1, %ebx\n"
	"	call tfn2\n"
	".globl site2_ret\nsite2_ret:\n"
	"	.byte 0x69, 0xc3\n" /* imul $7, %ebx, %eax */
	"	.long 7\n"
	"	pop %rbx\n"
	"	ret\n"
	".size site2_fn, . - site2_fn\n");

int hot_one(void)
{
	return 1;
}

int hot_two(void)
{
	return 2;
}

/* Write the N BYTES at AT in our own code. */
static void patch(unsigned char *at, const unsigned char *bytes, size_t n)
{
	uintptr_t page = (uintptr_t)at & ~(uintptr_t)4095;
	size_t len = (uintptr_t)at + n - page;
	if (mprotect((void *)page, len, PROT_READ | PROT_WRITE | PROT_EXEC) != 0)
		exit(3);
	for (size_t i = 0; i < n; i++)
		((volatile unsigned char *)at)[i] = bytes[i];
	if (mprotect((void *)page, len, PROT_READ | PROT_EXEC) != 0)
		exit(3);
}

/* Write the 32-bit V at AT in our own code. */
static void patch32(unsigned char *at, int32_t v)
{
	unsigned char b[4];
	for (int i = 0; i < 4; i++)
		b[i] = (unsigned char)((uint32_t)v >> (8 * i));
	patch(at, b, 4);
}

#define SITE2_VALUE 2000

int tfn2(int patch_it)
{
	/* mov $SITE2_VALUE, %eax; nop: as long as the imul it replaces. */
	static const unsigned char mov[6] = { 0xb8, SITE2_VALUE & 0xff, SITE2_VALUE >> 8, 0, 0,
					      0x90 };
	if (patch_it)
		patch(site2_ret, mov, sizeof(mov));
	return 0;
}

/* site2_fn(1) from deeper down the stack than main: its frame is found dead later. */
static int deep_site2(void)
{
	volatile char pad[512];
	pad[0] = 0;
	return site2_fn(1) + pad[0];
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

static int waiter_pipe[2];

static void *waiter(void *arg)
{
	char c;
	(void)arg;
	while (read(waiter_pipe[0], &c, 1) < 0)
		;
	return NULL;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 3;
	int bad = 0;
	pthread_t th;
	bool threaded = argc > 2 && !strcmp(argv[2], "thread");
	if (threaded && (pipe(waiter_pipe) != 0 || pthread_create(&th, NULL, waiter, NULL) != 0))
		return 3;
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
	if (deep_site2() != SITE2_VALUE || site2_fn(0) != SITE2_VALUE || site2_ret[0] != 0xb8 ||
	    site2_fn(0) != SITE2_VALUE) {
		printf("a replaced return site was written over: %#x\n", site2_ret[0]);
		bad = 1;
	}
	if (threaded) {
		close(waiter_pipe[1]);
		pthread_join(th, NULL);
	}
	if (!bad)
		printf("all patches seen after %d rounds\n", rounds);
	return bad;
}
