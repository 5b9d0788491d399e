// SPDX-License-Identifier: GPL-2.0-or-later
/* --min-duration, --json: calls held at entry, written whole at their return (see slowcall.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "jsonout.h"
#include "options.h"
#include "output.h"
#include "proc.h"
#include "session.h"
#include "slowcall.h"

struct held_call {
	struct whole_call c;
	size_t size; /* of the whole block: the strings follow the structure */
};

static const struct options *o;

void slowcall_init(const struct options *opts)
{
	o = opts;
}

bool slowcall_active(void)
{
	return o && (o->min_duration_set || o->json);
}

static uint64_t ns_of(const struct timespec *d)
{
	if (d->tv_sec < 0 || d->tv_nsec < 0)
		return 0;
	return (uint64_t)d->tv_sec * 1000000000u + (uint64_t)d->tv_nsec;
}

bool slowcall_enough(const struct timespec *d)
{
	return !o || !o->min_duration_set || ns_of(d) >= o->min_duration;
}

/* Copy S to *AT, advancing it; NULL stays NULL. */
static const char *place(char **at, const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	char *p = memcpy(*at, s, n);
	*at += n;
	return p;
}

static struct held_call *build(const struct whole_call *c)
{
	size_t size = sizeof(struct held_call) + strlen(c->name) + strlen(c->args) + 2 +
		      (c->caller ? strlen(c->caller) + 1 : 0) + (c->lib ? strlen(c->lib) + 1 : 0);
	struct held_call *h = xmalloc(size);
	char *at = (char *)(h + 1);
	h->size = size;
	h->c.when = c->when;
	h->c.ip = c->ip;
	h->c.caller = place(&at, c->caller);
	h->c.name = place(&at, c->name);
	h->c.lib = place(&at, c->lib);
	h->c.args = place(&at, c->args);
	return h;
}

struct held_call *slowcall_hold(uint64_t ip, const char *caller, const char *name,
				const char *lib, const char *args)
{
	struct whole_call c = { .ip = ip, .caller = caller, .name = name, .lib = lib, .args = args };
	clock_gettime(CLOCK_REALTIME, &c.when);
	return build(&c);
}

struct held_call *slowcall_dup(const struct held_call *h)
{
	return h ? build(&h->c) : NULL;
}

void slowcall_free(struct held_call *h)
{
	free(h);
}

void slowcall_print(struct task *t, size_t depth, const struct frame *f, const char *args,
		    const char *ret, const struct timespec *d)
{
	if (o->json)
		json_out_call(t, f, true, d);
	else
		out_call_whole(t, depth, &f->held->c, args, ret, d, false);
}

/* Held frame F of T (at DEPTH) will never return; DETACHED: because we leave. */
static void give_up(struct task *t, size_t depth, const struct frame *f, bool detached)
{
	struct timespec d;
	/* A frame a fork child inherited: its parent's own frame tells of the call. */
	if (!f->cv)
		return;
	elapsed_since(&f->start, &d);
	if (!slowcall_enough(&d))
		return;
	if (o->json)
		json_out_call(t, f, false, NULL);
	else
		out_call_whole(t, depth, &f->held->c, NULL, NULL, NULL, detached);
}

void slowcall_left(struct task *t, size_t depth, const struct frame *f)
{
	give_up(t, depth, f, false);
}

/* Lines outermost first, as the stack reads (each call's left part began before the one it
 * called); --json objects innermost first, as the calls would have returned. */
void slowcall_abandon(struct task *t, bool detached)
{
	for (size_t k = 0; k < t->depth; k++) {
		size_t i = o->json ? t->depth - 1 - k : k;
		const struct frame *f = &t->frames[i];
		if (f->held && !f->silent)
			give_up(t, i + 1, f, detached);
	}
}
