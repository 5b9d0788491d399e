// SPDX-License-Identifier: GPL-2.0-or-later
/* Trace output. Lines are composed in a buffer and written whole, so that
 * the column arithmetic of alignment sees exactly what is printed. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include <wchar.h>

#include "common.h"
#include "demangle.h"
#include "escape.h"
#include "options.h"
#include "output.h"
#include "proc.h"
#include "strbuf.h"

FILE *trace_out;
static const struct options *o;
static struct timeval last_time;
static bool have_last_time;

/* The open left part, if any: which task and which frame. */
struct pending_line {
	struct task *task;
	uint64_t key;
	size_t col; /* columns already written on that line */
	bool open;
	bool spaced; /* the open text ends with a space ("read(3, ") */
};
static struct pending_line pending;

/* -ff -o FILE: a stream per task (FILE.TID, as strace does: a thread's
 * calls never interleave with another's), each with its own open line; the
 * current one is in trace_out and pending. */
struct stream {
	pid_t pid;
	FILE *f;      /* NULL: closed for now */
	bool opened;  /* created already: append when opened again */
	struct pending_line pending;
};
static struct stream *streams;
static size_t n_streams, c_streams;
static struct stream *cur_stream;

/* Streams kept open at most (a thread storm must not exhaust our files);
 * beyond, those without an open line are closed, to be appended to again. */
#define STREAMS_OPEN_MAX 64

/*
 * Open the -o file PATH (or a -ff file PATH.TID), truncated unless APPEND. ltrace usually
 * runs as root and PATH may lie in a sticky world-writable directory (/tmp) where another
 * user planted a symbolic link to a file of root's: a link as the last component is followed
 * only when its owner is our effective user, otherwise we refuse (fs.protected_symlinks=1
 * refuses the same, but it may be off). The file is truncated only once the link is seen to
 * be the one checked. Returns the descriptor, -1 with errno set, or -2 after printing why we
 * refused.
 */
static int open_output_fd(const char *path, bool append)
{
	const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : 0);
	int fd = open(path, flags | (append ? 0 : O_TRUNC) | O_NOFOLLOW, 0666);
	if (fd >= 0)
		return fd;
	/* A link gives ELOOP, or EACCES for O_CREAT in a sticky directory. */
	int err = errno;
	struct stat link, again;
	if (lstat(path, &link) != 0 || !S_ISLNK(link.st_mode)) {
		errno = err;
		return -1;
	}
	if (link.st_uid != geteuid()) {
		error_msg("%s: refusing to follow a symbolic link owned by uid %lu, not by us "
			  "(give the file itself)", path, (unsigned long)link.st_uid);
		return -2;
	}
	fd = open(path, flags, 0666);
	if (fd < 0)
		return -1;
	/* Still the same link of ours, not one swapped in meanwhile? */
	if (lstat(path, &again) != 0 || again.st_dev != link.st_dev ||
	    again.st_ino != link.st_ino || again.st_uid != geteuid()) {
		close(fd);
		error_msg("%s: the symbolic link changed while it was opened", path);
		return -2;
	}
	if (!append && ftruncate(fd, 0) != 0 && errno != EINVAL) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* PATH opened as open_output_fd says, line-buffered; NULL once the reason is said. */
static FILE *open_output(const char *path, bool append)
{
	int fd = open_output_fd(path, append);
	FILE *f = fd >= 0 ? fdopen(fd, append ? "a" : "w") : NULL;

	if (!f) {
		if (fd != -2)
			error_msg("can't open %s for writing: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	setvbuf(f, NULL, _IOLBF, 0);
	return f;
}

int output_init(const struct options *opts)
{
	o = opts;
	trace_out = stderr;
	if (opts->output && !opts->output_per_process) {
		FILE *f = open_output(opts->output, opts->output_append);
		if (!f)
			return -1;
		trace_out = f;
	}
	debug_stream = trace_out;
	return 0;
}

/* Make T's stream current (-ff -o FILE), opening FILE.TID at its first line. */
static void select_stream(struct task *t)
{
	if (!o->output_per_process || !t)
		return;
	pid_t pid = t->tid;
	if (cur_stream && cur_stream->pid == pid)
		return;
	if (cur_stream)
		cur_stream->pending = pending;
	cur_stream = NULL;
	for (size_t i = 0; i < n_streams; i++)
		if (streams[i].pid == pid)
			cur_stream = &streams[i];
	if (!cur_stream) {
		grow_array((void **)&streams, &c_streams, n_streams + 1, sizeof(*streams));
		cur_stream = &streams[n_streams++];
		*cur_stream = (struct stream){ .pid = pid };
	}
	if (!cur_stream->f) {
		static size_t n_open;
		if (n_open >= STREAMS_OPEN_MAX) {
			for (size_t i = 0; i < n_streams; i++) {
				struct stream *s = &streams[i];
				if (s != cur_stream && s->f && s->f != stderr && !s->pending.open) {
					fclose(s->f);
					s->f = NULL;
					n_open--;
				}
			}
		}
		struct strbuf path = STRBUF_INIT;
		sb_printf(&path, "%s.%d", o->output, (int)pid);
		/* Truncated when first opened, unless --output-append. */
		cur_stream->f = open_output(sb_str(&path), o->output_append || cur_stream->opened);
		sb_free(&path);
		if (cur_stream->f)
			n_open++;
		else /* said once; this task's lines go to stderr */
			cur_stream->f = stderr;
		cur_stream->opened = true;
	}
	pending = cur_stream->pending;
	trace_out = cur_stream->f;
}

void output_close(void)
{
	if (cur_stream)
		cur_stream->pending = pending;
	for (size_t i = 0; i < n_streams; i++) {
		cur_stream = &streams[i];
		if (!cur_stream->f)
			continue;
		trace_out = cur_stream->f;
		pending = cur_stream->pending;
		out_finish();
		if (trace_out != stderr)
			fclose(trace_out);
	}
	free(streams);
	streams = NULL;
	n_streams = c_streams = 0;
	cur_stream = NULL;
	if (!o->output_per_process) {
		out_finish();
		if (trace_out && trace_out != stderr)
			fclose(trace_out);
	}
	trace_out = o->output_per_process ? stderr : NULL;
}

/* The fraction of a second of TS with the digits --timestamps asks for
 * (6 for -tt and -ttt); none for a precision of whole seconds. */
static void put_fraction(struct strbuf *sb, const struct timespec *ts)
{
	int digits = o->ts_digits ? o->ts_digits : 6;
	long v = ts->tv_nsec;

	if (digits < 0)
		return;
	for (int i = digits; i < 9; i++)
		v /= 10;
	sb_printf(sb, ".%0*ld", digits, v);
}

/* The line's time is WHEN (CLOCK_REALTIME: a held call's entry), else now. */
static void put_prefix_at(struct strbuf *sb, struct task *t, uint64_t ip, bool with_ip,
			  const struct timespec *when)
{
	if (t && o->output_per_process)
		; /* the file says whose trace it is */
	else if (t && o->output && (o->npids || o->follow))
		sb_printf(sb, "%d ", (int)t->tid);
	else if (t && o->follow)
		sb_printf(sb, "[pid %d] ", (int)t->tid);

	if (o->relative || o->timestamps) {
		struct timeval now;
		struct timespec ts;
		if (when)
			ts = *when;
		else
			clock_gettime(CLOCK_REALTIME, &ts);
		now.tv_sec = ts.tv_sec;
		now.tv_usec = ts.tv_nsec / 1000;
		if (o->relative) {
			struct timeval d = { 0, 0 };
			if (have_last_time)
				timersub(&now, &last_time, &d);
			/* Held calls are printed at their return, in the order they end: one
			 * may have started before the call on the line above. */
			if (d.tv_sec < 0) {
				timersub(&last_time, &now, &d);
				sb_printf(sb, "-%2lu.%06d ", (unsigned long)d.tv_sec, (int)d.tv_usec);
			} else {
				sb_printf(sb, "%3lu.%06d ", (unsigned long)d.tv_sec, (int)d.tv_usec);
			}
		} else if (o->timestamps >= 3) {
			sb_printf(sb, "%lu", (unsigned long)now.tv_sec);
			put_fraction(sb, &ts);
			sb_putc(sb, ' ');
		} else {
			struct tm tm;
			time_t sec = now.tv_sec;
			localtime_r(&sec, &tm);
			sb_printf(sb, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
			if (o->timestamps == 2)
				put_fraction(sb, &ts);
			sb_putc(sb, ' ');
		}
		last_time = now;
		have_last_time = true;
	}
	if (o->show_ip && with_ip)
		sb_printf(sb, "[%#llx] ", (unsigned long long)ip);
}

static void put_prefix(struct strbuf *sb, struct task *t, uint64_t ip, bool with_ip)
{
	put_prefix_at(sb, t, ip, with_ip, NULL);
}

static void put_indent(struct strbuf *sb, size_t depth)
{
	if (o->indent > 0 && depth > 1)
		for (size_t i = 0; i < (size_t)o->indent * (depth - 1); i++)
			sb_putc(sb, ' ');
}

static bool broken;
static int broken_errno; /* why the first write failed */

static void note_failure(void)
{
	if (!broken)
		broken_errno = errno ? errno : EIO;
	broken = true;
}

static void emit(const struct strbuf *sb)
{
	errno = 0;
	if (fwrite(sb_str(sb), 1, sb->len, trace_out) != sb->len || ferror(trace_out))
		note_failure();
}

/* Text that ends or terminates a line written before. */
static void emit_raw(const char *text)
{
	errno = 0;
	if (fputs(text, trace_out) == EOF || ferror(trace_out))
		note_failure();
}

bool output_broken(void)
{
	if (trace_out && ferror(trace_out) && !broken) {
		errno = 0;
		note_failure();
	}
	return broken;
}

int output_error(void)
{
	return broken ? broken_errno : 0;
}

/* Close the open left part: another call line, or any line of another
 * task, interrupts it ("<unfinished ...>"); an event of its own task (an
 * exit, exec or signal inside the call) gives "<no return ...>". */
static void close_pending(bool by_call)
{
	if (!pending.open)
		return;
	if (!pending.spaced)
		emit_raw(" ");
	emit_raw(by_call ? "<unfinished ...>\n" : "<no return ...>\n");
	pending.open = false;
}

/* A call whose return will never be seen (ltrace leaves) ends its line as
 * one that another line interrupts, as --json marks it not returned. */
void out_finish(void)
{
	if (pending.open && trace_out) {
		fputs(pending.spaced ? "<unfinished ...>\n" : " <unfinished ...>\n", trace_out);
		pending.open = false;
		fflush(trace_out);
	}
}

void out_detached(struct task *t)
{
	select_stream(t);
	if (pending.open && pending.task == t)
		out_finish();
}

void out_json(struct task *t, const char *line)
{
	select_stream(t);
	emit_raw(line);
}

/* A symbol name as shown: demangled with -C, escaped always (escape.h). */
static void put_name(struct strbuf *sb, const char *name)
{
	sb_puts_escaped(sb, o->demangle ? demangle(name) : name);
}

/* The columns TEXT takes on a terminal: wide characters render as their
 * multibyte form (two or three bytes in UTF-8 for one column, or two
 * columns for CJK); whatever does not decode counts one column a byte. */
static size_t columns(const char *text, size_t len)
{
	mbstate_t st;
	size_t cols = 0;

	memset(&st, 0, sizeof(st));
	while (len) {
		wchar_t wc;
		size_t n = (unsigned char)*text < 0x80 ? 1 : mbrtowc(&wc, text, len, &st);
		int w;

		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&st, 0, sizeof(st));
			n = 1;
			w = 1;
		} else {
			w = n == 1 ? 1 : wcwidth(wc);
			if (w < 0)
				w = 1;
		}
		cols += (size_t)w;
		text += n;
		len -= n;
	}
	return cols;
}

/* "CALLER->NAME@LIB(ARGS", indented for DEPTH. */
static void put_left(struct strbuf *sb, size_t depth, const char *caller, const char *name,
		     const char *lib, const char *args)
{
	put_indent(sb, depth);
	if (caller) {
		sb_puts_escaped(sb, caller);
		sb_puts(sb, "->");
	}
	put_name(sb, name);
	if (lib) {
		sb_putc(sb, '@');
		sb_puts_escaped(sb, lib);
	}
	sb_putc(sb, '(');
	sb_puts(sb, args);
}

void out_call_entry(struct task *t, size_t depth, uint64_t key, uint64_t ret_addr,
		    const char *caller, const char *name, const char *lib, const char *args)
{
	struct strbuf sb = STRBUF_INIT;
	select_stream(t);
	close_pending(true);
	put_prefix(&sb, t, ret_addr, true);
	put_left(&sb, depth, caller, name, lib, args);
	emit(&sb);
	pending.task = t;
	pending.key = key;
	pending.col = columns(sb_str(&sb), sb.len);
	pending.open = true;
	pending.spaced = sb.len && sb_str(&sb)[sb.len - 1] == ' ';
	sb_free(&sb);
}

static void put_right(struct strbuf *sb, size_t col, const char *args, const char *ret,
		      const struct timespec *duration)
{
	sb_puts(sb, args);
	sb_putc(sb, ')');
	col += columns(sb_str(sb), sb->len);
	size_t target = o->align > 0 ? (size_t)o->align - 1 : 0;
	if (col < target) {
		for (; col < target; col++)
			sb_putc(sb, ' ');
	} else {
		sb_putc(sb, ' ');
	}
	sb_printf(sb, "= %s", ret);
	if (o->time_spent && duration)
		sb_printf(sb, " <%lu.%06ld>", (unsigned long)duration->tv_sec,
			  duration->tv_nsec / 1000);
	sb_putc(sb, '\n');
}

void out_call_return(struct task *t, size_t depth, uint64_t key, uint64_t ret_addr,
		     const char *name, const char *args, const char *ret,
		     const struct timespec *duration)
{
	struct strbuf sb = STRBUF_INIT;
	select_stream(t);
	if (pending.open && pending.task == t && pending.key == key) {
		put_right(&sb, pending.col, args, ret, duration);
		pending.open = false;
	} else {
		close_pending(true);
		put_prefix(&sb, t, ret_addr, true);
		put_indent(&sb, depth);
		sb_puts(&sb, "<... ");
		put_name(&sb, name);
		sb_puts(&sb, " resumed> ");
		size_t col = columns(sb_str(&sb), sb.len);
		struct strbuf right = STRBUF_INIT;
		put_right(&right, col, args, ret, duration);
		sb_puts(&sb, sb_str(&right));
		sb_free(&right);
	}
	emit(&sb);
	sb_free(&sb);
}

void out_call_whole(struct task *t, size_t depth, const struct whole_call *c, const char *args,
		    const char *ret, const struct timespec *duration, bool detached)
{
	struct strbuf sb = STRBUF_INIT;
	select_stream(t);
	close_pending(true);
	put_prefix_at(&sb, t, c->ip, true, &c->when);
	put_left(&sb, depth, c->caller, c->name, c->lib, c->args);
	if (ret)
		put_right(&sb, 0, args, ret, duration); /* (the line so far counts) */
	else
		sb_puts(&sb, detached ? " <unfinished ...>\n" : " <no return ...>\n");
	emit(&sb);
	sb_free(&sb);
}

void out_event(struct task *t, uint64_t ip, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	select_stream(t);
	close_pending(pending.task != t);
	put_prefix(&sb, t, ip, true);
	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	sb_putc(&sb, '\n');
	emit(&sb);
	sb_free(&sb);
}

void out_text(const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	close_pending(false);
	sb_puts(&sb, text);
	emit(&sb);
	sb_free(&sb);
}
