/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hardinsn NTHREADS ROUNDS: NTHREADS threads released together, each making ROUNDS rounds of
 * calls to the h_* functions below, written in assembly so that the instructions under the
 * tracer's breakpoints are exactly the hard ones: at the functions' entries (-x h_*) and at
 * the return sites in the c_* callers, RIP-relative loads, RIP-relative and SIB indirect
 * calls and jumps, jrcxz, loop, relative calls, and ret. Every result is checked; prints
 * "total=N bad=B" and exits 0 only when all were right. Built non-PIE and PIE: a non-PIE
 * program's code lies far from where mmap puts anything by default.
 *
 * hardinsn NTHREADS ROUNDS kill|trap|errno: the same in a seccomp sandbox that forbids
 * executable mappings (mmap or mprotect with PROT_EXEC) by killing the process, sending it
 * SIGSYS or failing the call with EPERM: a tracer may not inject the mmap of its scratch
 * pages there. Also prints "sigsys=N", the SIGSYS signals the program got.
 *
 * With ROUNDS 0 the threads go on until SIGUSR1 (for attaching): "ready" is printed once every
 * thread has made a round.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "testlib.h"

#define HIDDEN __attribute__((visibility("hidden")))

HIDDEN int glob_base = 100;
HIDDEN int h_plus1(int);
HIDDEN int (*fnptr)(int) = h_plus1;
HIDDEN int (*fntab[2])(int) = { h_plus1, h_plus1 };
extern char c_tab0[], c_tab1[], c_jmptab_t0[], c_jmptab_t1[];
HIDDEN void *jmptab[2] = { c_tab0, c_tab1 };
HIDDEN void *cjtab[2] = { c_jmptab_t0, c_jmptab_t1 };

int h_riprel(int a);
int h_setrcx(int a, long c);
int h_jrcxz(int dummy);
int h_loop(int dummy);
int h_callrel(int a);
int h_callrip(int a);
int h_jmpsib(long idx);
int c_riprel(int a);
int c_jrcxz(int a, long c);
int c_loop(int a, long c);
int c_jmptab(int a, long idx);
int c_callrel(int a);
int c_callrip(int a);
int c_callsib(int a, long idx);
int c_rcx_entry(int which, long c);

asm(".text\n"
    /* Callees: the first instruction is the breakpoint's. */
    ".globl h_riprel\n.type h_riprel,@function\n"
    "h_riprel:\n"
    "	movl glob_base(%rip), %eax\n" /* RIP-relative */
    "	addl %edi, %eax\n"
    "	ret\n"
    ".globl h_plus1\n.type h_plus1,@function\n"
    "h_plus1:\n"
    "	leal 1(%rdi), %eax\n"
    "	ret\n"
    ".globl h_setrcx\n.type h_setrcx,@function\n"
    "h_setrcx:\n"
    "	movq %rsi, %rcx\n"
    "	movl %edi, %eax\n"
    "	ret\n"
    ".globl h_jrcxz\n.type h_jrcxz,@function\n"
    "h_jrcxz:\n"
    "	jrcxz 1f\n" /* rcx from the caller */
    "	movl $3, %eax\n"
    "	ret\n"
    "1:	movl $4, %eax\n"
    "	ret\n"
    ".globl h_loop\n.type h_loop,@function\n"
    "h_loop:\n"
    "	loop 1f\n"
    "	movl $5, %eax\n"
    "	ret\n"
    "1:	movl $6, %eax\n"
    "	ret\n"
    ".globl h_callrel\n.type h_callrel,@function\n"
    "h_callrel:\n"
    "	call h_plus1\n" /* a call as the first instruction */
    "	addl $1, %eax\n"
    "	ret\n"
    ".globl h_callrip\n.type h_callrip,@function\n"
    "h_callrip:\n"
    "	call *fnptr(%rip)\n"
    "	addl $2, %eax\n"
    "	ret\n"
    ".globl h_jmpsib\n.type h_jmpsib,@function\n"
    "h_jmpsib:\n"
    "	leaq jmptab(%rip), %rax\n"
    "	movq %rdi, %rdx\n"
    "	jmp 2f\n"
    "2:	jmp *(%rax,%rdx,8)\n"
    "c_tab0:\n"
    "	movl $10, %eax\n"
    "	ret\n"
    "c_tab1:\n"
    "	movl $11, %eax\n"
    "	ret\n"

    /* Callers: the instruction after each call is a return breakpoint's. */
    ".globl c_riprel\n.type c_riprel,@function\n"
    "c_riprel:\n"
    "	subq $8, %rsp\n"
    "	call h_riprel\n"
    "	addl glob_base(%rip), %eax\n" /* RIP-relative read-modify */
    "	addq $8, %rsp\n"
    "	ret\n"
    ".globl c_jrcxz\n.type c_jrcxz,@function\n"
    "c_jrcxz:\n"
    "	subq $8, %rsp\n"
    "	call h_setrcx\n"
    "	jrcxz 1f\n"
    "	addl $10, %eax\n"
    "1:	addq $8, %rsp\n"
    "	ret\n"
    ".globl c_loop\n.type c_loop,@function\n"
    "c_loop:\n"
    "	subq $8, %rsp\n"
    "	call h_setrcx\n"
    "	loop 1f\n"
    "	addl $10, %eax\n"
    "1:	addq $8, %rsp\n"
    "	ret\n"
    ".globl c_jmptab\n.type c_jmptab,@function\n"
    "c_jmptab:\n"
    "	pushq %rbx\n"
    "	pushq %r12\n"
    "	subq $8, %rsp\n"
    "	leaq cjtab(%rip), %r12\n"
    "	movq %rsi, %rbx\n"
    "	call h_riprel\n"
    "	jmp *(%r12,%rbx,8)\n" /* SIB indirect jump */
    /* Its targets: 1000 or 2000 more, from c_jmptab's frame. */
    ".globl c_jmptab_t0\n"
    "c_jmptab_t0:\n"
    "	addl $1000, %eax\n"
    "	addq $8, %rsp\n"
    "	popq %r12\n"
    "	popq %rbx\n"
    "	ret\n"
    ".globl c_jmptab_t1\n"
    "c_jmptab_t1:\n"
    "	addl $2000, %eax\n"
    "	addq $8, %rsp\n"
    "	popq %r12\n"
    "	popq %rbx\n"
    "	ret\n"
    ".globl c_callrel\n.type c_callrel,@function\n"
    "c_callrel:\n"
    "	subq $8, %rsp\n"
    "	call h_riprel\n"
    "	call h_plus1_of_eax\n" /* the return site is a call */
    "	addq $8, %rsp\n"
    "	ret\n"
    "h_plus1_of_eax:\n"
    "	addl $1, %eax\n"
    "	ret\n"
    ".globl c_callrip\n.type c_callrip,@function\n"
    "c_callrip:\n"
    "	subq $8, %rsp\n"
    "	call h_riprel\n"
    "	movl %eax, %edi\n"
    "	call *fnptr(%rip)\n"
    "	addq $8, %rsp\n"
    "	ret\n"
    ".globl c_callsib\n.type c_callsib,@function\n"
    "c_callsib:\n"
    "	pushq %rbx\n"
    "	pushq %r12\n"
    "	subq $8, %rsp\n"
    "	leaq fntab(%rip), %r12\n"
    "	movq %rsi, %rbx\n"
    "	call h_riprel\n"
    "	movl %eax, %edi\n"
    "	call *(%r12,%rbx,8)\n"
    "	addq $8, %rsp\n"
    "	popq %r12\n"
    "	popq %rbx\n"
    "	ret\n"
    ".globl c_rcx_entry\n.type c_rcx_entry,@function\n"
    "c_rcx_entry:\n"
    "	movq %rsi, %rcx\n"
    "	testl %edi, %edi\n"
    "	jz h_jrcxz\n" /* tail calls with rcx set */
    "	jmp h_loop\n");

static pthread_barrier_t go;
static int rounds, nthreads;
static unsigned long bad, total;
static volatile sig_atomic_t stop;
static int started;

static void check(int got, int want)
{
	__atomic_fetch_add(&total, 1, __ATOMIC_RELAXED);
	if (got != want)
		__atomic_fetch_add(&bad, 1, __ATOMIC_RELAXED);
}

static void *worker(void *arg)
{
	int id = (int)(long)arg;

	pthread_barrier_wait(&go);
	for (int i = 0; rounds ? i < rounds : !stop; i++) {
		int a = id * 100000 + i % 50000;
		long odd = i & 1;
		check(c_riprel(a), a + 200);
		check(c_jrcxz(a, odd), odd ? a + 10 : a);
		check(c_loop(a, 1 + odd), odd ? a : a + 10);
		check(c_callrel(a), a + 101);
		check(c_callrip(a), a + 101);
		check(c_callsib(a, odd), a + 101);
		check(c_jmptab(a, odd), a + 100 + (odd ? 2000 : 1000));
		check(h_callrel(a), a + 2);
		check(h_callrip(a), a + 3);
		check(h_jmpsib(odd), odd ? 11 : 10);
		check(c_rcx_entry(0, odd), odd ? 3 : 4);
		check(c_rcx_entry(1, 1 + odd), odd ? 6 : 5);
		check(lib_add(a, 1), a + 1);
		if (!rounds && i == 0 && __atomic_add_fetch(&started, 1, __ATOMIC_SEQ_CST) == nthreads) {
			printf("ready\n");
			fflush(stdout);
		}
	}
	return NULL;
}

static volatile sig_atomic_t sigsys;

static void on_usr1(int sig)
{
	(void)sig;
	stop = 1;
}

static void on_sigsys(int sig)
{
	(void)sig;
	sigsys++;
}

/* Forbid PROT_EXEC in mmap and mprotect with ACTION ("kill", "trap" or "errno"). */
static int sandbox(const char *action)
{
	unsigned ret;
	if (!strcmp(action, "kill"))
		ret = SECCOMP_RET_KILL_PROCESS;
	else if (!strcmp(action, "trap"))
		ret = SECCOMP_RET_TRAP;
	else if (!strcmp(action, "errno"))
		ret = SECCOMP_RET_ERRNO | EPERM;
	else
		return -1;
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mmap, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mprotect, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[2])),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, PROT_EXEC, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, ret),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(code) / sizeof(code[0]), code };
	signal(SIGSYS, on_sigsys);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return -1;
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

int main(int argc, char **argv)
{
	nthreads = argc > 1 ? atoi(argv[1]) : 4;
	pthread_t *tids = calloc((size_t)nthreads, sizeof(*tids));

	rounds = argc > 2 ? atoi(argv[2]) : 1000;
	signal(SIGUSR1, on_usr1);
	if (argc > 3 && sandbox(argv[3]) != 0) {
		perror("seccomp");
		return 3;
	}
	if (!tids || nthreads < 1 || pthread_barrier_init(&go, NULL, (unsigned)nthreads) != 0)
		return 3;
	for (int i = 0; i < nthreads; i++)
		if (pthread_create(&tids[i], NULL, worker, (void *)(long)(i + 1)) != 0)
			return 3;
	for (int i = 0; i < nthreads; i++)
		pthread_join(tids[i], NULL);
	printf("total=%lu bad=%lu\n", total, bad);
	if (argc > 3)
		printf("sigsys=%d\n", (int)sigsys);
	return bad || sigsys ? 2 : 0;
}
