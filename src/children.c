// SPDX-License-Identifier: GPL-2.0-or-later
/* What a fork child inherits from its parent: the trap bytes and scratch
 * pages that its memory holds.
 *
 * The child's memory is the copy made at the fork. By the time we handle
 * the parent's fork event, other threads of the parent may have taken traps
 * out (a return site nobody waits at any more), put new ones in, or mapped
 * scratch pages and written out-of-line copies: the parent's table says what
 * the parent's memory holds now, not what the child got. The child has not
 * run yet, so its own bytes tell: they are read for every breakpoint of the
 * parent's table, inserted or not, in one batch of iovecs.
 *
 * Which new tasks share their parent's memory is told by the clone flags,
 * not by the ptrace event: clone(CLONE_VM) with exit signal SIGCHLD is
 * reported as a fork, clone without CLONE_VM and exit signal 0 as a clone. */
#include "config.h"

#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>

#include "common.h"
#include "proc.h"
#include "session.h"

/* Parent's breakpoints, what the child holds at each, and the out-of-line
 * copies of both, read in one batch per process. */
struct inherit {
	struct breakpoint **src;
	size_t nsrc;
	unsigned char *byte;                     /* child's byte at src[i]->addr */
	unsigned char (*copy)[2][ARCH_DISPLACED_MAX]; /* src[i]->ool: child's, parent's */
	unsigned char *pool_byte;
};

static void set_iov(struct iovec *local, struct iovec *remote, void *buf, uint64_t addr,
		    size_t len)
{
	*local = (struct iovec){ buf, len };
	*remote = (struct iovec){ (void *)(uintptr_t)addr, len };
}

/* Read what the child (WHO 0) or the parent (WHO 1) holds at the out-of-line
 * copies; for the child also the trap bytes and the pools. OK gets n flags. */
static void read_inherited(struct process *p, const struct process *parent, struct inherit *in,
			   int who, bool *ok)
{
	size_t n = 0, max = 2 * in->nsrc + parent->npools;
	struct iovec *local = xmalloc((max + 1) * sizeof(*local));
	struct iovec *remote = xmalloc((max + 1) * sizeof(*remote));
	for (size_t i = 0; i < in->nsrc; i++) {
		if (!who) {
			set_iov(&local[n], &remote[n], &in->byte[i], in->src[i]->addr, 1);
			n++;
		}
		if (in->src[i]->ool) {
			set_iov(&local[n], &remote[n], in->copy[i][who], in->src[i]->ool,
				ARCH_DISPLACED_MAX);
			n++;
		}
	}
	for (size_t i = 0; !who && i < parent->npools; i++, n++)
		set_iov(&local[n], &remote[n], &in->pool_byte[i], parent->pools[i].base, 1);
	proc_read_many(p, local, remote, n, ok);
	free(local);
	free(remote);
}

static void collect_bp(struct breakpoint *bp, void *arg)
{
	struct inherit *in = arg;
	in->src[in->nsrc++] = bp;
}

/* Give CHILD, just forked from PARENT and not run yet, the breakpoints and
 * scratch pools its memory holds. */
void fork_inherit(struct process *parent, struct process *child)
{
	struct inherit in = { 0 };
	size_t nb = parent->bps.count;
	in.src = xmalloc((nb + 1) * sizeof(*in.src));
	bp_foreach(&parent->bps, collect_bp, &in);
	in.byte = xcalloc(nb + 1, 1);
	in.copy = xcalloc(nb + 1, sizeof(*in.copy));
	in.pool_byte = xcalloc(parent->npools + 1, 1);
	size_t max = 2 * nb + parent->npools + 1;
	bool *ok_child = xcalloc(max, sizeof(bool)), *ok_parent = xcalloc(max, sizeof(bool));
	read_inherited(child, parent, &in, 0, ok_child);
	read_inherited(parent, parent, &in, 1, ok_parent);

	size_t c = 0, q = 0; /* positions in ok_child and ok_parent */
	for (size_t i = 0; i < in.nsrc; i++) {
		const struct breakpoint *src = in.src[i];
		/* A trap byte where the original was none: ours, inserted at the fork.
		 * A child we cannot read (non-dumpable, see nodump.c) may hold any of
		 * them: all are taken, since putting the original byte back where it
		 * is already does no harm. */
		bool readable = ok_child[c++];
		bool trap = !readable || (in.byte[i] == ARCH_TRAP_BYTE &&
					  src->insn[0] != ARCH_TRAP_BYTE);
		/* The out-of-line copy is the child's too if its bytes are there. */
		bool copy = false;
		if (src->ool) {
			copy = ok_child[c++] && ok_parent[q++] &&
			       !memcmp(in.copy[i][0], in.copy[i][1], ARCH_DISPLACED_MAX);
		}
		if (!trap)
			continue;
		struct breakpoint *bp = bp_get(&child->bps, src->addr);
		memcpy(bp->insn, src->insn, sizeof(bp->insn));
		bp->inserted = true;
		bp->emulable = src->emulable;
		bp->ool = copy ? src->ool : 0;
		bp->ool_tried = copy ? src->ool_tried : false;
		bp->ool_slot = copy ? src->ool_slot : 0;
		bp->entry_point = src->entry_point;
		bp->rdebug = src->rdebug;
		bp->ifunc_name = src->ifunc_name ? xstrdup(src->ifunc_name) : NULL;
		bp->ifunc_lib = src->ifunc_lib;
		bp->owner = src->owner;
		if (src->call) {
			bp->call = xmalloc(sizeof(*bp->call));
			*bp->call = *src->call;
			bp->call->name = xstrdup(src->call->name);
		}
	}
	/* Scratch pages mapped before the fork are in the child's copy too. */
	for (size_t i = 0; i < parent->npools; i++) {
		if (!ok_child[c++])
			continue;
		grow_array((void **)&child->pools, &child->cpools, child->npools + 1,
			   sizeof(*child->pools));
		child->pools[child->npools++] = parent->pools[i];
	}
	free(ok_child);
	free(ok_parent);
	free(in.pool_byte);
	free(in.copy);
	free(in.byte);
	free(in.src);
}

struct child_kind child_kind(struct task *parent, int event)
{
	/* What the event alone says: pthread_create, fork, vfork. */
	uint64_t flags = event == PTRACE_EVENT_CLONE   ? CLONE_VM | CLONE_THREAD
			 : event == PTRACE_EVENT_VFORK ? CLONE_VM | CLONE_VFORK
						       : 0;
	bool new_stack = event == PTRACE_EVENT_CLONE;
	/* The parent is stopped in the system call: its arguments tell more. */
	if (get_regs(parent) == 0) {
		const struct user_regs_struct *r = &parent->regs;
		uint64_t args[6]; /* struct clone_args up to its stack field */
		switch ((long)r->orig_rax) {
		case SYS_clone:
			flags = r->rdi;
			new_stack = r->rsi != 0;
			break;
		case SYS_clone3:
			if (proc_read(parent->proc, r->rdi, args, sizeof(args)) == 0) {
				flags = args[0];
				new_stack = args[5] != 0;
			}
			break;
		case SYS_fork:
		case SYS_vfork:
			new_stack = false;
			break;
		}
	}
	struct child_kind k;
	k.thread = flags & CLONE_THREAD;
	k.shares_vm = flags & CLONE_VM;
	/* A child on its parent's stack returns from the same calls. */
	k.copy_frames = !k.thread && !new_stack;
	return k;
}
