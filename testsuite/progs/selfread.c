/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Code that reads itself: once a traced call has returned, no byte of the tracer may be left
 * in the caller's code. The functions making the calls live in a section of their own
 * (selfread_text, bounded by the linker's __start_/__stop_ symbols); their bytes are
 * snapshotted before any of them ran, compared after every call (a checksum program would see
 * a trap byte at a return site), and the function calling through a pointer is copied into an
 * mmapped buffer and run there (a copied trap byte would kill it with SIGTRAP).
 * race: a thread runs through the return site of a traced call without calling (pass_fn(0))
 * while another makes the call there (pass_fn(1)), so that one thread executes our trap while
 * the other's return takes it out: it must run the program's byte again, ROUNDS*1000 times.
 * Usage: selfread [ROUNDS [read|copy|race]] (default read and copy).
 * Exit status: 0 fine, 1 the code read differs (offset printed), 2 a wrong result, 3 mmap. */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "testlib.h"

#define SELF __attribute__((section("selfread_text"), noinline, used))

extern const unsigned char __start_selfread_text[], __stop_selfread_text[];

/* Position independent (no RIP-relative operand, the callee comes in a register), so that a
 * copy of it runs anywhere. */
SELF int through_pointer(int (*fp)(int, int), int x)
{
	return fp(x, 1) + 1;
}

SELF int through_plt(int x)
{
	return lib_add(x, 2) * 2 + abs(-x);
}

/* int pass_fn(int call): 8 either way; with CALL, through lib_add(3, 4) and its return site. */
int pass_fn(int call);
__asm__(".text\n"
	".globl pass_fn\n.type pass_fn, @function\npass_fn:\n"
	"	push %rbx\n"
	"	test %edi, %edi\n"
	"	mov $7, %eax\n"
	"	jz 1f\n"
	"	mov $3, %edi\n"
	"	mov $4, %esi\n"
	"	call lib_add@PLT\n"
	"1:	add $1, %eax\n" /* the return site, run by both */
	"	pop %rbx\n"
	"	ret\n"
	".size pass_fn, . - pass_fn\n");

static volatile int race_bad, race_done;

static void *passer(void *arg)
{
	(void)arg;
	while (!race_done)
		if (pass_fn(0) != 8)
			race_bad = 1;
	return NULL;
}

static int race(int rounds)
{
	pthread_t th;
	if (pthread_create(&th, NULL, passer, NULL) != 0)
		return 3;
	for (int i = 0; i < rounds * 1000; i++)
		if (pass_fn(1) != 8)
			race_bad = 1;
	race_done = 1;
	pthread_join(th, NULL);
	if (race_bad)
		return 2;
	printf("code unchanged after %d rounds\n", rounds);
	return 0;
}

static unsigned char snapshot[65536];

/* A plain loop: no library call of its own while it reads. */
static size_t differs_at(void)
{
	size_t n = (size_t)(__stop_selfread_text - __start_selfread_text);
	for (size_t i = 0; i < n; i++)
		if (((const volatile unsigned char *)__start_selfread_text)[i] != snapshot[i])
			return i + 1;
	return 0;
}

static unsigned checksum(const unsigned char *p, size_t n)
{
	unsigned sum = 0;
	for (size_t i = 0; i < n; i++)
		sum = sum * 31 + ((const volatile unsigned char *)p)[i];
	return sum;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 3;
	if (argc > 2 && !strcmp(argv[2], "race"))
		return race(rounds);
	bool read = argc < 3 || !strcmp(argv[2], "read");
	bool copy_run = argc < 3 || !strcmp(argv[2], "copy");
	size_t n = (size_t)(__stop_selfread_text - __start_selfread_text);
	if (n > sizeof(snapshot))
		return 3;
	for (size_t i = 0; i < n; i++)
		snapshot[i] = __start_selfread_text[i];
	unsigned sum = checksum(__start_selfread_text, n);
	/* Where through_pointer starts in the section, to run its copy. */
	size_t off = (size_t)((const unsigned char *)through_pointer - __start_selfread_text);
	unsigned char *copy = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				   -1, 0);
	if (copy == MAP_FAILED)
		return 3;
	for (int r = 0; r < rounds; r++) {
		if (through_plt(r) != (r + 2) * 2 + r || through_pointer(lib_add, r) != r + 2)
			return 2;
		size_t at = read ? differs_at() : 0;
		if (read && at)
			printf("code differs at +%zu: %#x instead of %#x\n", at - 1,
			       __start_selfread_text[at - 1], snapshot[at - 1]);
		if (at || (read && checksum(__start_selfread_text, n) != sum))
			return 1;
		if (!copy_run)
			continue;
		/* A copy of the code, made right after a traced call from it returned. */
		mprotect(copy, n, PROT_READ | PROT_WRITE);
		for (size_t i = 0; i < n; i++)
			copy[i] = ((const volatile unsigned char *)__start_selfread_text)[i];
		mprotect(copy, n, PROT_READ | PROT_EXEC);
		int (*fn)(int (*)(int, int), int) = (int (*)(int (*)(int, int), int))(void *)(copy + off);
		if (fn(lib_add, r) != r + 2)
			return 2;
	}
	printf("code unchanged after %d rounds\n", rounds);
	return 0;
}
