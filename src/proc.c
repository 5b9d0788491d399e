// SPDX-License-Identifier: GPL-2.0-or-later
/* Processes, tasks and access to the tracee's memory. */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <unistd.h>

#include "common.h"
#include "proc.h"
#include "slowcall.h"
#include "proto.h"

struct task **all_tasks;
size_t n_all_tasks;
static size_t c_all_tasks;

struct process *proc_new(pid_t pid)
{
	struct process *p = xcalloc(1, sizeof(*p));
	char path[64];
	p->pid = pid;
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	p->memfd = open(path, O_RDWR | O_CLOEXEC);
	p->mem_errno = p->memfd < 0 ? errno : 0;
	return p;
}

void proc_free(struct process *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nlibs; i++)
		library_free(p->libs[i]);
	free(p->libs);
	bptable_free(&p->bps);
	for (size_t i = 0; i < p->ndead; i++)
		call_site_free(p->dead_sites[i]);
	free(p->dead_sites);
	free(p->lmns);
	free(p->tasks);
	free(p->pools);
	if (p->memfd >= 0)
		close(p->memfd);
	free(p);
}

struct task *task_new(struct process *p, pid_t tid)
{
	struct task *t = xcalloc(1, sizeof(*t));
	t->tid = tid;
	t->tgid = p->pid;
	t->proc = p;
	grow_array((void **)&p->tasks, &p->ctasks, p->ntasks + 1, sizeof(*p->tasks));
	p->tasks[p->ntasks++] = t;
	grow_array((void **)&all_tasks, &c_all_tasks, n_all_tasks + 1, sizeof(*all_tasks));
	all_tasks[n_all_tasks++] = t;
	return t;
}

void task_free(struct task *t)
{
	struct process *p = t->proc;
	for (size_t i = 0; i < n_all_tasks; i++) {
		if (all_tasks[i] == t) {
			all_tasks[i] = all_tasks[--n_all_tasks];
			break;
		}
	}
	for (size_t i = 0; i < t->depth; i++) {
		proto_call_free(t->frames[i].cv);
		slowcall_free(t->frames[i].held);
	}
	free(t->frames);
	if (p) {
		for (size_t i = 0; i < p->ntasks; i++) {
			if (p->tasks[i] == t) {
				p->tasks[i] = p->tasks[--p->ntasks];
				break;
			}
		}
		if (!p->ntasks)
			proc_free(p);
		else
			proc_rehome(p);
	}
	free(t);
}

void proc_rehome(struct process *p)
{
	for (size_t i = 0; i < p->ntasks; i++)
		if (p->tasks[i]->tgid == p->pid)
			return;
	/* Our /proc/PID/mem descriptor still reaches the shared memory. */
	if (p->ntasks)
		p->pid = p->tasks[0]->tgid;
}

struct task *task_find(pid_t tid)
{
	for (size_t i = 0; i < n_all_tasks; i++)
		if (all_tasks[i]->tid == tid)
			return all_tasks[i];
	return NULL;
}

/* The last resort for memory access, word by word through ptrace: it needs
 * only that we trace a stopped thread of P, and works where process_vm_readv and
 * /proc/PID/mem are refused (a non-dumpable process, a tracer without
 * CAP_SYS_PTRACE). LEN bytes at ADDR are read into IN, or written from OUT.
 * Returns the bytes done before the first failure, -1 if none. */
static ssize_t ptrace_access(struct process *p, uint64_t addr, void *in, const void *out,
			     size_t len)
{
	/* Any task will do that is in a ptrace stop (a running one gives ESRCH);
	 * t->stopped is not set for every stop (a child's first one). */
	for (size_t i = 0; i < p->ntasks; i++) {
		struct task *t = p->tasks[i];
		size_t done = 0;
		while (done < len) {
			uint64_t at = addr + done, word_addr = at & ~(uint64_t)7;
			size_t off = (size_t)(at - word_addr);
			size_t n = len - done < 8 - off ? len - done : 8 - off;
			long word = 0;
			if (in || n < 8) {
				errno = 0;
				word = ptrace(PTRACE_PEEKDATA, t->tid, (void *)(uintptr_t)word_addr, 0);
				if (errno)
					break;
			}
			if (in) {
				memcpy((char *)in + done, (char *)&word + off, n);
			} else {
				memcpy((char *)&word + off, (const char *)out + done, n);
				if (ptrace(PTRACE_POKEDATA, t->tid, (void *)(uintptr_t)word_addr,
					   (void *)word) != 0)
					break;
			}
			done += n;
		}
		if (done || errno != ESRCH)
			return done ? (ssize_t)done : -1;
	}
	return -1;
}

ssize_t proc_read_partial(struct process *p, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = { buf, len }, remote = { (void *)(uintptr_t)addr, len };
	ssize_t n = process_vm_readv(p->pid, &local, 1, &remote, 1, 0);
	if (n > 0)
		return n;
	if (p->memfd >= 0) {
		n = pread(p->memfd, buf, len, (off_t)addr);
		if (n > 0)
			return n;
	}
	if (errno == EPERM || errno == EACCES || p->memfd < 0)
		return ptrace_access(p, addr, buf, NULL, len);
	return -1;
}

int proc_read(struct process *p, uint64_t addr, void *buf, size_t len)
{
	return proc_read_partial(p, addr, buf, len) == (ssize_t)len ? 0 : -1;
}

/* Nothing lets us write P's memory: say so, once per process, and why. */
static void write_refused(struct process *p, int err)
{
	if (p->write_refused)
		return;
	p->write_refused = true;
	error_msg("cannot write to the memory of pid %d: %s", (int)p->pid, strerror(err));
}

int proc_write(struct process *p, uint64_t addr, const void *buf, size_t len)
{
	int err = p->mem_errno;
	if (p->memfd >= 0) {
		if (pwrite(p->memfd, buf, len, (off_t)addr) == (ssize_t)len)
			return 0;
		err = errno;
	}
	/* Memory that is gone (EIO) or a process that is: no matter of
	 * permission, ptrace would fail the same way. */
	if (err != EPERM && err != EACCES)
		return -1;
	if (ptrace_access(p, addr, NULL, buf, len) == (ssize_t)len)
		return 0;
	write_refused(p, err);
	errno = err;
	return -1;
}

void proc_read_many(struct process *p, const struct iovec *local, const struct iovec *remote,
		    size_t n, bool *ok)
{
	for (size_t i = 0; i < n;) {
		size_t batch = n - i < IOV_MAX ? n - i : IOV_MAX;
		ssize_t got = process_vm_readv(p->pid, local + i, batch, remote + i, batch, 0);
		bool all_fail = got < 0 && errno != EFAULT; /* no access this way at all */
		size_t done = got > 0 ? (size_t)got : 0, k = 0;
		/* The transfer stops at the first range it cannot read whole. */
		while (k < batch && done >= remote[i + k].iov_len) {
			done -= remote[i + k].iov_len;
			ok[i + k++] = true;
		}
		/* Then the range it stopped at (or all of them) alone, through
		 * /proc/PID/mem as well. */
		for (size_t stop = all_fail ? batch : k + 1; k < batch && k < stop; k++)
			ok[i + k] = proc_read(p, (uint64_t)(uintptr_t)remote[i + k].iov_base,
					      local[i + k].iov_base, remote[i + k].iov_len) == 0;
		i += k;
	}
}

void proc_add_library(struct process *p, struct library *lib)
{
	grow_array((void **)&p->libs, &p->clibs, p->nlibs + 1, sizeof(*p->libs));
	p->libs[p->nlibs++] = lib;
}

void proc_remove_library(struct process *p, struct library *lib)
{
	for (size_t i = 0; i < p->nlibs; i++) {
		if (p->libs[i] == lib) {
			memmove(&p->libs[i], &p->libs[i + 1], (p->nlibs - i - 1) * sizeof(*p->libs));
			p->nlibs--;
			return;
		}
	}
}

struct library *proc_library_at(struct process *p, uint64_t addr)
{
	for (size_t i = 0; i < p->nlibs; i++)
		if (library_contains(p->libs[i], addr))
			return p->libs[i];
	return NULL;
}

struct library *proc_main_library(struct process *p)
{
	for (size_t i = 0; i < p->nlibs; i++)
		if (p->libs[i]->is_main)
			return p->libs[i];
	return NULL;
}

/* Is the instruction saved in BP the one in INSN? Only its own bytes count:
 * those after it belong to other instructions, and other traps of ours come
 * and go there. */
static bool same_insn(const struct breakpoint *bp, const unsigned char *insn)
{
	return !memcmp(bp->insn, insn, arch_insn_len(bp->insn));
}

/* The instruction bytes of BP are now INSN: forget the out-of-line copy
 * made from other bytes (its scratch slot stays reserved for the next). */
static void bp_set_insn(struct breakpoint *bp, const unsigned char *insn)
{
	if (!same_insn(bp, insn)) {
		bp->ool = 0;
		bp->ool_tried = false;
	}
	memcpy(bp->insn, insn, sizeof(bp->insn));
	bp->emulable = arch_can_emulate(bp->insn);
}

int bp_insert(struct process *p, struct breakpoint *bp)
{
	return bp_insert_with(p, bp, NULL);
}

int bp_insert_with(struct process *p, struct breakpoint *bp, const unsigned char *known)
{
	if (bp->inserted)
		return 0;
	/* Keep the original bytes, read afresh at every insertion (the program
	 * may have changed them since the last): at a page end fewer may be
	 * readable. */
	unsigned char insn[ARCH_INSN_MAX] = { 0 };
	if (known)
		memcpy(insn, known, sizeof(insn));
	else if (proc_read_partial(p, bp->addr, insn, sizeof(insn)) < 1)
		return -1;
	/* Saved and marked before the write: leaving from a crash handler at
	 * any moment must find every trap byte of ours marked, so that it puts
	 * the byte back (a mark with no trap yet is harmless, see bp_uninsert). */
	bp_set_insn(bp, insn);
	bp->inserted = true;
	unsigned char trap = ARCH_TRAP_BYTE;
	if (proc_write(p, bp->addr, &trap, 1) != 0) {
		bp->inserted = false;
		return -1;
	}
	return 0;
}

bool bp_refresh(struct breakpoint *bp, const unsigned char *fresh, size_t n)
{
	if (n > sizeof(bp->insn) - 1)
		n = sizeof(bp->insn) - 1;
	if (!bp->inserted)
		return false;
	unsigned char insn[ARCH_INSN_MAX];
	memcpy(insn, bp->insn, sizeof(insn));
	memcpy(insn + 1, fresh, n);
	if (same_insn(bp, insn))
		return false;
	bp_set_insn(bp, insn);
	return true;
}

void bp_reread(struct process *p, struct breakpoint *bp)
{
	unsigned char fresh[ARCH_INSN_MAX - 1];
	ssize_t n = proc_read_partial(p, bp->addr + 1, fresh, sizeof(fresh));
	if (n > 0)
		bp_refresh(bp, fresh, (size_t)n);
}

int bp_uninsert_hit(struct process *p, struct breakpoint *bp)
{
	if (!bp->inserted)
		return 0;
	/* Unmarked after the write, for the same reason as in bp_insert. */
	int r = proc_write(p, bp->addr, bp->insn, 1);
	bp->inserted = false;
	return r;
}

int bp_uninsert(struct process *p, struct breakpoint *bp)
{
	/* The program may have written over our trap (a hot patch of the
	 * whole instruction): then the byte there is its own, and stays. */
	unsigned char byte;
	if (bp->inserted && proc_read(p, bp->addr, &byte, 1) == 0 && byte != ARCH_TRAP_BYTE) {
		bp->inserted = false;
		return 0;
	}
	return bp_uninsert_hit(p, bp);
}

bool bp_taken_out(struct process *p, uint64_t addr)
{
	struct breakpoint *bp = bp_lookup(&p->bps, addr);
	unsigned char byte;
	return bp && !bp->inserted && proc_read(p, addr, &byte, 1) == 0 && byte != ARCH_TRAP_BYTE;
}

static void uninsert_cb(struct breakpoint *bp, void *arg)
{
	bp_uninsert(arg, bp);
}

void proc_uninsert_all(struct process *p)
{
	bp_foreach(&p->bps, uninsert_cb, p);
}

int task_seccomp_mode(pid_t tid)
{
	char path[64], line[128];
	/* /proc/TID works for any thread, whatever its thread group. */
	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	int mode = -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Seccomp: %d", &mode) == 1)
			break;
	fclose(f);
	return mode;
}

uint64_t proc_auxv(pid_t pid, uint64_t type)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/auxv", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	uint64_t aux[2], entry = 0;
	while (read(fd, aux, sizeof(aux)) == (ssize_t)sizeof(aux)) {
		if (aux[0] == AT_NULL)
			break;
		if (aux[0] == type) {
			entry = aux[1];
			break;
		}
	}
	close(fd);
	return entry;
}
