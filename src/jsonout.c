// SPDX-License-Identifier: GPL-2.0-or-later
/* The JSON Lines events of jsonout.h. */
#include "config.h"

#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "breakpoint.h"
#include "demangle.h"
#include "json.h"
#include "jsonout.h"
#include "latency.h"
#include "library.h"
#include "options.h"
#include "output.h"
#include "proc.h"
#include "proto.h"
#include "session.h"
#include "summary.h"

static int64_t ns_of(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

/* Nanoseconds since the epoch of the moment MONO (CLOCK_MONOTONIC, as
 * frames keep it), or of now when MONO is NULL. */
static int64_t wall_ns(const struct timespec *mono)
{
	struct timespec real, m;

	clock_gettime(CLOCK_REALTIME, &real);
	if (!mono)
		return ns_of(&real);
	now(&m);
	return ns_of(&real) - (ns_of(&m) - ns_of(mono));
}

static void begin(struct strbuf *sb, const char *type, const struct task *t, int64_t when)
{
	json_begin_object(sb);
	json_key(sb, "type");
	json_string(sb, type);
	json_key(sb, "timestamp");
	json_int(sb, when);
	json_key(sb, "pid");
	json_int(sb, t->tgid);
	json_key(sb, "tid");
	json_int(sb, t->tid);
}

static void finish(struct task *t, struct strbuf *sb)
{
	json_end_object(sb);
	sb_putc(sb, '\n');
	out_json(t, sb_str(sb));
	sb_free(sb);
}

static void string_or_null(struct strbuf *sb, const char *key, const char *s)
{
	json_key(sb, key);
	if (s)
		json_string(sb, s);
	else
		json_null(sb);
}

/* The object the call came from: the PLT's owner, else the object
 * holding the return address. */
static const char *caller_of(const struct task *t, const struct frame *f)
{
	if (f->cs->caller)
		return f->cs->caller->name;
	for (size_t i = 0; t->proc && f->ret && i < t->proc->nlibs; i++)
		if (library_contains(t->proc->libs[i], f->ret))
			return t->proc->libs[i]->name;
	return NULL;
}

void json_out_call(struct task *t, const struct frame *f, bool returned,
		   const struct timespec *duration)
{
	const struct call_site *cs = f->cs;
	struct strbuf sb = STRBUF_INIT;

	begin(&sb, cs->syscall ? "syscall" : "call", t, wall_ns(&f->start));
	if (!cs->syscall) {
		string_or_null(&sb, "library", cs->callee ? cs->callee->name : NULL);
		string_or_null(&sb, "caller", caller_of(t, f));
	}
	json_key(&sb, "function");
	json_string(&sb, cs->name);
	if (O->demangle && strcmp(demangle(cs->name), cs->name) != 0) {
		json_key(&sb, "demangled");
		json_string(&sb, demangle(cs->name));
	}
	json_key(&sb, "args");
	if (f->cv) {
		struct strbuf args = STRBUF_INIT, ret = STRBUF_INIT;

		proto_json(f->cv, &args, &ret);
		json_raw(&sb, sb_str(&args));
		json_key(&sb, "return");
		json_raw(&sb, returned ? sb_str(&ret) : "null");
		sb_free(&args);
		sb_free(&ret);
	} else {
		/* A frame inherited from the parent (a fork child returning
		 * from fork): only the register is known. */
		json_begin_array(&sb);
		json_end_array(&sb);
		json_key(&sb, "return");
		if (returned) {
			struct strbuf text = STRBUF_INIT;

			sb_printf(&text, "%ld", (long)t->regs.rax);
			json_begin_object(&sb);
			json_key(&sb, "text");
			json_string(&sb, sb_str(&text));
			json_key(&sb, "value");
			json_int(&sb, (long)t->regs.rax);
			json_end_object(&sb);
			sb_free(&text);
		} else {
			json_null(&sb);
		}
	}
	json_key(&sb, "duration");
	if (returned && duration)
		json_int(&sb, ns_of(duration));
	else
		json_null(&sb);
	json_key(&sb, "returned");
	json_bool(&sb, returned);
	finish(t, &sb);
}

static void signal_fields(struct strbuf *sb, const char *key, int sig)
{
	const char *abbr = sigabbrev_np(sig);

	json_key(sb, key);
	if (abbr) {
		struct strbuf name = STRBUF_INIT;

		sb_printf(&name, "SIG%s", abbr);
		json_string(sb, sb_str(&name));
		sb_free(&name);
	} else {
		json_null(sb);
	}
}

void json_out_signal(struct task *t, int sig)
{
	struct strbuf sb = STRBUF_INIT;

	begin(&sb, "signal", t, wall_ns(NULL));
	signal_fields(&sb, "signal", sig);
	json_key(&sb, "number");
	json_int(&sb, sig);
	json_key(&sb, "description");
	json_string(&sb, strsignal(sig));
	finish(t, &sb);
}

void json_out_exit(struct task *t, int status)
{
	struct strbuf sb = STRBUF_INIT;

	begin(&sb, "exit", t, wall_ns(NULL));
	json_key(&sb, "status");
	if (WIFEXITED(status))
		json_int(&sb, WEXITSTATUS(status));
	else
		json_null(&sb);
	if (WIFSIGNALED(status)) {
		signal_fields(&sb, "signal", WTERMSIG(status));
		json_key(&sb, "number");
		json_int(&sb, WTERMSIG(status));
	} else {
		json_key(&sb, "signal");
		json_null(&sb);
	}
	finish(t, &sb);
}

void json_out_exec(struct task *t)
{
	struct strbuf sb = STRBUF_INIT;

	begin(&sb, "exec", t, wall_ns(NULL));
	finish(t, &sb);
}

/* -c --latency: the columns of the text table, in nanoseconds. */
static void latency_fields(struct strbuf *sb, const struct summary_row *r)
{
	static const struct { const char *key; double q; } quantiles[] = {
		{ "p50_ns", 0.5 }, { "p90_ns", 0.9 }, { "p99_ns", 0.99 },
	};

	json_key(sb, "avg_ns");
	json_uint(sb, r->calls ? r->ns / r->calls : 0);
	json_key(sb, "min_ns");
	json_uint(sb, r->lat->min);
	for (size_t k = 0; k < sizeof(quantiles) / sizeof(quantiles[0]); k++) {
		json_key(sb, quantiles[k].key);
		json_uint(sb, latency_quantile(r->lat, quantiles[k].q));
	}
	json_key(sb, "max_ns");
	json_uint(sb, r->lat->max);
}

void json_out_summary(FILE *out, bool demangle_names)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n;
	struct summary_row *rows = summary_rows(&n);
	uint64_t total_ns = 0;
	unsigned long long total_calls = 0;

	for (size_t i = 0; i < n; i++) {
		total_ns += rows[i].ns;
		total_calls += rows[i].calls;
	}
	json_begin_object(&sb);
	json_key(&sb, "type");
	json_string(&sb, "summary");
	json_key(&sb, "functions");
	json_begin_array(&sb);
	for (size_t i = 0; i < n; i++) {
		json_begin_object(&sb);
		json_key(&sb, "function");
		json_string(&sb, rows[i].name);
		if (demangle_names && strcmp(demangle(rows[i].name), rows[i].name) != 0) {
			json_key(&sb, "demangled");
			json_string(&sb, demangle(rows[i].name));
		}
		json_key(&sb, "calls");
		json_uint(&sb, rows[i].calls);
		json_key(&sb, "total_ns");
		json_uint(&sb, rows[i].ns);
		json_key(&sb, "percent");
		json_double(&sb, total_ns ? 100.0 * (double)rows[i].ns / (double)total_ns : 0.0);
		if (rows[i].lat)
			latency_fields(&sb, &rows[i]);
		json_end_object(&sb);
	}
	json_end_array(&sb);
	json_key(&sb, "calls");
	json_uint(&sb, total_calls);
	json_key(&sb, "total_ns");
	json_uint(&sb, total_ns);
	json_end_object(&sb);
	sb_putc(&sb, '\n');
	fputs(sb_str(&sb), out);
	fflush(out);
	sb_free(&sb);
	free(rows);
}
