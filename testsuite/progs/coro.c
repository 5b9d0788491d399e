/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Two ucontext coroutines on stacks of their own ping-pong through swapcontext, each calling
 * traced functions around the switch; one switch is made from inside a traced call
 * (lib_callback's callback), so that calls of both stacks are in flight at once.
 *
 *   coro mmap|malloc ROUNDS   the coroutines' stacks come from mmap or malloc
 *
 * Coroutine 0 is started from main; when it ends it resumes coroutine 1 (uc_link), which
 * resumes main. Prints "coro: ok" and exits 0 only if every result was right.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include "testlib.h"

#define STACK_SIZE (1 << 16)

static ucontext_t uc_main, uc[2];
static int cur, rounds, bad;

static void check(const char *what, int got, int want)
{
	if (got != want) {
		printf("%s: got %d, want %d\n", what, got, want);
		bad++;
	}
}

/* Called by lib_callback: switch to the other coroutine, return when switched back. */
static int switch_away(int x)
{
	int self = cur;

	cur = 1 - self;
	swapcontext(&uc[self], &uc[1 - self]);
	cur = self;
	return x * 2;
}

static void body(int id)
{
	int i;

	for (i = 0; i < rounds; i++) {
		check("lib_add", lib_add(id * 100, i), id * 100 + i);
		check("lib_callback", lib_callback(switch_away, id * 10 + i), (id * 10 + i) * 2 + 1);
	}
	/* Ending: coroutine 0 resumes coroutine 1 (still in switch_away), which resumes main. */
	cur = 1;
}

static void *stack_of(const char *how)
{
	void *p;

	if (!strcmp(how, "mmap")) {
		p = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		return p == MAP_FAILED ? NULL : p;
	}
	return malloc(STACK_SIZE);
}

int main(int argc, char **argv)
{
	int i;

	if (argc != 3) {
		fprintf(stderr, "usage: coro mmap|malloc ROUNDS\n");
		return 99;
	}
	rounds = atoi(argv[2]);
	for (i = 0; i < 2; i++) {
		if (getcontext(&uc[i]) != 0 || !(uc[i].uc_stack.ss_sp = stack_of(argv[1]))) {
			perror("coro");
			return 99;
		}
		uc[i].uc_stack.ss_size = STACK_SIZE;
		uc[i].uc_link = i == 0 ? &uc[1] : &uc_main;
		makecontext(&uc[i], (void (*)(void))body, 1, i);
	}
	cur = 0;
	swapcontext(&uc_main, &uc[0]);
	printf("coro: %s\n", bad ? "FAILED" : "ok");
	return bad ? 1 : 0;
}
