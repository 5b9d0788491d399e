// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of command-line parsing (spec 1.1-1.3, 1.5). */
#include "config.h"

#include <check.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "filter.h"
#include "options.h"

static const struct filter_lib main_lib = { "prog", "/bin/prog", true, NULL };
static const struct filter_lib libc_lib = { "libc.so.6", "/lib/libc.so.6", false, NULL };
static const struct filter_lib libm_lib = { "libm.so.6", "/lib/libm.so.6", false, NULL };

static struct options opts;
static char out_text[8192]; /* what the last parse printed to stdout */
static char err_text[8192]; /* ... and to stderr */

/* Read back and close a capture file. */
static void slurp(FILE *f, char *buf, size_t size)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/*
 * Run options_parse() on the NULL-terminated word list (argv[0] included), capturing stdout
 * and stderr. Returns its result.
 */
static int parse_v(const char *first, va_list ap)
{
	char *argv[64];
	int argc = 0, rc, so, se;
	FILE *fo = tmpfile(), *fe = tmpfile();

	ck_assert_ptr_nonnull(fo);
	ck_assert_ptr_nonnull(fe);
	for (const char *w = first; w != NULL; w = va_arg(ap, const char *)) {
		ck_assert_int_lt(argc, 63);
		argv[argc++] = (char *)w;
	}
	argv[argc] = NULL;

	fflush(stdout);
	fflush(stderr);
	so = dup(STDOUT_FILENO);
	se = dup(STDERR_FILENO);
	dup2(fileno(fo), STDOUT_FILENO);
	dup2(fileno(fe), STDERR_FILENO);
	rc = options_parse(&opts, argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, STDOUT_FILENO);
	dup2(se, STDERR_FILENO);
	close(so);
	close(se);
	slurp(fo, out_text, sizeof(out_text));
	slurp(fe, err_text, sizeof(err_text));
	return rc;
}

static int parse(const char *first, ...)
{
	va_list ap;
	int rc;

	va_start(ap, first);
	rc = parse_v(first, ap);
	va_end(ap);
	return rc;
}

/* A parse that must succeed. */
#define PARSE_OK(...) ck_assert_msg(parse(__VA_ARGS__, NULL) == -1, "stderr: %s", err_text)

/* A parse that must fail with status 1 and print MSG to stderr. */
#define PARSE_ERR(msg, ...) \
	do { \
		ck_assert_int_eq(parse(__VA_ARGS__, NULL), 1); \
		ck_assert_msg(strstr(err_text, (msg)) != NULL, "expected '%s', got '%s'", (msg), \
			      err_text); \
	} while (0)

static void setup(void)
{
	/* A known, terminal-independent default alignment. */
	setenv("COLUMNS", "80", 1);
	memset(&opts, 0, sizeof(opts));
}

static void teardown(void)
{
	options_free(&opts);
}

START_TEST(test_defaults)
{
	PARSE_OK("ltrace", "prog", "a", "b");
	ck_assert_int_eq(opts.arraylen, 4);
	ck_assert_int_eq(opts.strlen_max, 32);
	ck_assert_int_eq(opts.align, 50); /* 80 * 5 / 8 */
	ck_assert_int_eq(opts.indent, 0);
	ck_assert_int_eq(opts.timestamps, 0);
	ck_assert(!opts.no_signals && !opts.summary && !opts.demangle && !opts.follow);
	ck_assert(!opts.show_ip && !opts.no_default && !opts.relative && !opts.syscalls);
	ck_assert(!opts.time_spent && !opts.no_plt && !opts.show_caller);
	ck_assert_uint_eq(opts.debug, 0);
	ck_assert_ptr_null(opts.output);
	ck_assert_ptr_null(opts.user);
	ck_assert_ptr_null(opts.config_paths);
	ck_assert_uint_eq(opts.npids, 0);
	ck_assert_ptr_nonnull(opts.command);
	ck_assert_str_eq(opts.command[0], "prog");
	ck_assert_str_eq(opts.command[1], "a");
	ck_assert_str_eq(opts.command[2], "b");
	ck_assert_ptr_null(opts.command[3]);
	/* Default -e @MAIN. */
	ck_assert(!filter_empty(opts.plt_filter));
	ck_assert(filter_matches(opts.plt_filter, "puts", &main_lib));
	ck_assert(!filter_matches(opts.plt_filter, "puts", &libc_lib));
	ck_assert(filter_empty(opts.sym_filter));
}
END_TEST

START_TEST(test_columns)
{
	setenv("COLUMNS", "160", 1);
	PARSE_OK("ltrace", "prog");
	ck_assert_int_eq(opts.align, 100);
	options_free(&opts);

	/* -a wins over COLUMNS. */
	PARSE_OK("ltrace", "-a", "7", "prog");
	ck_assert_int_eq(opts.align, 7);
	options_free(&opts);

	/* No usable COLUMNS and no terminal on fd 1 or 2: 50. */
	setenv("COLUMNS", "junk", 1);
	PARSE_OK("ltrace", "prog"); /* the capture makes fd 1 and 2 plain files */
	ck_assert_int_eq(opts.align, 50);
	options_free(&opts);
	setenv("COLUMNS", "0", 1);
	PARSE_OK("ltrace", "prog");
	ck_assert_int_eq(opts.align, 50);
}
END_TEST

START_TEST(test_numbers)
{
	PARSE_OK("ltrace", "-a", "0x10", "-A", "010", "-s", "5", "-n", "20", "prog");
	ck_assert_int_eq(opts.align, 16);
	ck_assert_int_eq(opts.arraylen, 8);
	ck_assert_int_eq(opts.strlen_max, 5);
	ck_assert_int_eq(opts.indent, 20);
	options_free(&opts);

	PARSE_OK("ltrace", "-a0", "-A0", "-s0", "-n0", "prog");
	ck_assert_int_eq(opts.align, 0);
	ck_assert_int_eq(opts.arraylen, 0);
	ck_assert_int_eq(opts.strlen_max, 0);
	options_free(&opts);

	PARSE_ERR("ltrace: Invalid argument to -a: 'x'.  Use integer 0..4096.", "ltrace", "-a", "x",
		  "prog");
	PARSE_ERR("ltrace: Invalid argument to -a: '-1'.  Use integer 0..4096.", "ltrace", "-a", "-1",
		  "prog");
	PARSE_ERR("ltrace: Invalid argument to -A: '12abc'.  Use integer >=0.", "ltrace", "-A",
		  "12abc", "prog");
	PARSE_ERR("ltrace: Invalid argument to -s: ''.  Use integer >=0.", "ltrace", "-s", "",
		  "prog");
	PARSE_ERR("ltrace: Invalid argument to -s: '99999999999999999999'.  Use integer >=0.",
		  "ltrace", "-s", "99999999999999999999", "prog");
	PARSE_ERR("ltrace: Invalid argument to -n: '21'.  Use integer 0..20.", "ltrace", "-n", "21",
		  "prog");
	PARSE_ERR("ltrace: Invalid argument to -n: '-1'.  Use integer 0..20.", "ltrace", "-n", "-1",
		  "prog");
	PARSE_ERR("ltrace: Invalid argument to -p: '0'.  Use integer >=1.", "ltrace", "-p", "0");
	PARSE_ERR("ltrace: Invalid argument to -p: 'abc'.  Use integer >=1.", "ltrace", "-p", "abc");
	/* 08 is not octal. */
	PARSE_ERR("ltrace: Invalid argument to -a: '08'.", "ltrace", "-a", "08", "prog");
}
END_TEST

START_TEST(test_pids)
{
	PARSE_OK("ltrace", "-p", "12", "-p0x10");
	ck_assert_uint_eq(opts.npids, 2);
	ck_assert_int_eq(opts.pids[0], 12);
	ck_assert_int_eq(opts.pids[1], 16);
	/* -p alone is enough; there is no command. */
	ck_assert_ptr_null(opts.command);
	options_free(&opts);

	/* -p and a command together. */
	PARSE_OK("ltrace", "-p", "5", "prog");
	ck_assert_uint_eq(opts.npids, 1);
	ck_assert_str_eq(opts.command[0], "prog");
}
END_TEST

START_TEST(test_debug)
{
	PARSE_OK("ltrace", "-D", "17", "prog");
	ck_assert_uint_eq(opts.debug, 017);
	options_free(&opts);
	PARSE_OK("ltrace", "--debug=77", "prog");
	ck_assert_uint_eq(opts.debug, 077);
	options_free(&opts);

	PARSE_ERR("ltrace: --debug requires an octal argument", "ltrace", "-D", "9", "prog");
	ck_assert_ptr_nonnull(strstr(err_text, "Try `ltrace --help' for more information."));
	PARSE_ERR("--debug requires an octal argument", "ltrace", "--debug=x", "prog");

	/* Any argument starting with 'h' prints the table and stops (status 0). */
	ck_assert_int_eq(parse("ltrace", "-Dh", NULL), 0);
	ck_assert_ptr_nonnull(strstr(out_text, "general"));
	ck_assert_ptr_nonnull(strstr(out_text, "function"));
	ck_assert_ptr_nonnull(strstr(out_text, "     40"));
	ck_assert_int_eq(parse("ltrace", "--debug=help", "prog", NULL), 0);
	ck_assert_ptr_nonnull(strstr(out_text, "event"));
}
END_TEST

START_TEST(test_timestamps)
{
	PARSE_OK("ltrace", "-t", "prog");
	ck_assert_int_eq(opts.timestamps, 1);
	options_free(&opts);
	PARSE_OK("ltrace", "-tt", "prog");
	ck_assert_int_eq(opts.timestamps, 2);
	options_free(&opts);
	PARSE_OK("ltrace", "-t", "-t", "-t", "prog");
	ck_assert_int_eq(opts.timestamps, 3);
	options_free(&opts);
	PARSE_OK("ltrace", "-tttt", "prog");
	ck_assert_int_eq(opts.timestamps, 3);
	options_free(&opts);

	PARSE_OK("ltrace", "-r", "prog");
	ck_assert(opts.relative);
	options_free(&opts);
	PARSE_ERR("ltrace: Options -r and -t can't be used together", "ltrace", "-r", "-t", "prog");
	PARSE_ERR("Options -r and -t can't be used together", "ltrace", "-tr", "prog");
}
END_TEST

START_TEST(test_flags)
{
	PARSE_OK("ltrace", "-b", "-c", "-C", "-f", "-i", "-S", "-T", "-g", "prog");
	ck_assert(opts.no_signals && opts.summary && opts.demangle && opts.follow);
	ck_assert(opts.show_ip && opts.syscalls && opts.time_spent && opts.no_plt);
	options_free(&opts);

	/* Grouped, repeated counters are fine. */
	PARSE_OK("ltrace", "-bcCCfiSTg", "prog");
	ck_assert(opts.no_signals && opts.summary && opts.demangle && opts.follow);
	ck_assert(opts.show_ip && opts.syscalls && opts.time_spent && opts.no_plt);
	options_free(&opts);

	PARSE_OK("ltrace", "--no-plt", "--demangle", "--no-signals", "prog");
	ck_assert(opts.no_plt && opts.demangle && opts.no_signals);
	options_free(&opts);

	PARSE_OK("ltrace", "-o", "trace.txt", "-u", "nobody", "prog");
	ck_assert_str_eq(opts.output, "trace.txt");
	ck_assert_str_eq(opts.user, "nobody");
}
END_TEST

START_TEST(test_headline)
{
	/* The command line this project exists for. */
	PARSE_OK("ltrace", "-ttTg", "-x", "mysql_real_query", "-p", "1234");
	ck_assert_int_eq(opts.timestamps, 2);
	ck_assert(opts.time_spent);
	ck_assert(opts.no_plt);
	ck_assert_uint_eq(opts.npids, 1);
	ck_assert_int_eq(opts.pids[0], 1234);
	ck_assert_ptr_null(opts.command);
	ck_assert(filter_matches(opts.sym_filter, "mysql_real_query", &libm_lib));
	ck_assert(!filter_matches(opts.sym_filter, "mysql_query", &libm_lib));
	ck_assert(!opts.show_caller);
}
END_TEST

START_TEST(test_command_boundary)
{
	/* Parsing stops at the command: its options are its own. */
	PARSE_OK("ltrace", "-S", "ls", "-t", "-x", "foo");
	ck_assert(opts.syscalls);
	ck_assert_int_eq(opts.timestamps, 0);
	ck_assert(filter_empty(opts.sym_filter));
	ck_assert_str_eq(opts.command[0], "ls");
	ck_assert_str_eq(opts.command[1], "-t");
	ck_assert_str_eq(opts.command[2], "-x");
	ck_assert_str_eq(opts.command[3], "foo");
	ck_assert_ptr_null(opts.command[4]);
	options_free(&opts);

	/* "--" ends the options. */
	PARSE_OK("ltrace", "-f", "--", "-weird", "-t");
	ck_assert(opts.follow);
	ck_assert_int_eq(opts.timestamps, 0);
	ck_assert_str_eq(opts.command[0], "-weird");
	ck_assert_str_eq(opts.command[1], "-t");
	ck_assert_ptr_null(opts.command[2]);
}
END_TEST

START_TEST(test_long_options)
{
	PARSE_OK("ltrace", "--align=60", "--indent", "3", "--output=o.txt", "--library", "libm*",
		 "prog");
	ck_assert_int_eq(opts.align, 60);
	ck_assert_int_eq(opts.indent, 3);
	ck_assert_str_eq(opts.output, "o.txt");
	ck_assert(opts.show_caller);
	options_free(&opts);

	PARSE_OK("ltrace", "--align", "61", "--output", "p.txt", "--indent=4", "--config=a.conf",
		 "prog");
	ck_assert_int_eq(opts.align, 61);
	ck_assert_int_eq(opts.indent, 4);
	ck_assert_str_eq(opts.output, "p.txt");
	ck_assert_str_eq(opts.config_paths[0], "a.conf");
	ck_assert_ptr_null(opts.config_paths[1]);
	options_free(&opts);

	PARSE_ERR("ltrace: Invalid argument to -a: 'z'.", "ltrace", "--align=z", "prog");
}
END_TEST

START_TEST(test_config_paths)
{
	PARSE_OK("ltrace", "-F", "a:b", "-F", "c", "--config", "d::e:", "prog");
	ck_assert_str_eq(opts.config_paths[0], "a");
	ck_assert_str_eq(opts.config_paths[1], "b");
	ck_assert_str_eq(opts.config_paths[2], "c");
	ck_assert_str_eq(opts.config_paths[3], "d");
	ck_assert_str_eq(opts.config_paths[4], "e");
	ck_assert_ptr_null(opts.config_paths[5]);
}
END_TEST

START_TEST(test_filters)
{
	/* -e replaces the default and shows the caller. */
	PARSE_OK("ltrace", "-e", "malloc", "prog");
	ck_assert(opts.show_caller);
	ck_assert(filter_matches(opts.plt_filter, "malloc", &libc_lib));
	ck_assert(!filter_matches(opts.plt_filter, "puts", &main_lib));
	options_free(&opts);

	/* A comma separates chains. */
	PARSE_OK("ltrace", "-e", "malloc,free", "prog");
	ck_assert(filter_matches(opts.plt_filter, "malloc", &main_lib));
	ck_assert(filter_matches(opts.plt_filter, "free", &main_lib));
	ck_assert(!filter_matches(opts.plt_filter, "calloc", &main_lib));
	options_free(&opts);

	/* ...and the old exclusion list "!a,b" excludes both. */
	PARSE_OK("ltrace", "-e", "!malloc,free", "prog");
	ck_assert(!filter_matches(opts.plt_filter, "malloc", &main_lib));
	ck_assert(!filter_matches(opts.plt_filter, "free", &main_lib));
	ck_assert(filter_matches(opts.plt_filter, "calloc", &main_lib));
	options_free(&opts);

	/* Repeated -e are OR-ed. */
	PARSE_OK("ltrace", "-e", "malloc", "-e", "free@libc*", "prog");
	ck_assert(filter_matches(opts.plt_filter, "malloc", &main_lib));
	ck_assert(filter_matches(opts.plt_filter, "free", &libc_lib));
	ck_assert(!filter_matches(opts.plt_filter, "free", &main_lib));
	options_free(&opts);

	/* -l compares with the callee; it too drops the default. */
	PARSE_OK("ltrace", "-l", "libm.so*", "prog");
	ck_assert(opts.show_caller);
	ck_assert(filter_matches_call(opts.plt_filter, "sin", &main_lib, &libm_lib));
	ck_assert(!filter_matches_call(opts.plt_filter, "puts", &main_lib, &libc_lib));
	options_free(&opts);

	/* -x goes to its own set and keeps the default -e @MAIN. */
	PARSE_OK("ltrace", "-x", "f*", "prog");
	ck_assert(!opts.show_caller);
	ck_assert(filter_matches(opts.sym_filter, "foo", &main_lib));
	ck_assert(filter_matches(opts.plt_filter, "puts", &main_lib));
	ck_assert(!filter_matches(opts.plt_filter, "foo", &libc_lib));
	options_free(&opts);

	/* A bad filter is reported and ignored; tracing goes on. */
	PARSE_OK("ltrace", "-e", "/oops", "prog");
	ck_assert_ptr_nonnull(strstr(err_text, "ltrace: Unmatched '/' in symbol name."));
	ck_assert_ptr_nonnull(strstr(err_text, "ltrace: Filter '/oops' will be ignored."));
	ck_assert(filter_empty(opts.plt_filter));
	ck_assert(opts.show_caller);
}
END_TEST

START_TEST(test_no_default)
{
	PARSE_OK("ltrace", "-L", "prog");
	ck_assert(opts.no_default);
	ck_assert(filter_empty(opts.plt_filter));
	ck_assert(!opts.show_caller);
	options_free(&opts);

	/* -L -l is accepted despite the message text. */
	PARSE_OK("ltrace", "-L", "-l", "libc.so*", "prog");
	ck_assert(!filter_empty(opts.plt_filter));
	options_free(&opts);

	PARSE_OK("ltrace", "-L", "-x", "main", "prog");
	ck_assert(filter_empty(opts.plt_filter));
	ck_assert(!filter_empty(opts.sym_filter));
	options_free(&opts);

	PARSE_ERR("ltrace: Option -L can't be used with -e or -l.", "ltrace", "-L", "-e", "malloc",
		  "prog");
	PARSE_ERR("ltrace: Option -L can't be used with -e or -l.", "ltrace", "-e", "malloc", "-L",
		  "prog");
}
END_TEST

START_TEST(test_usage_errors)
{
	PARSE_ERR("ltrace: too few arguments", "ltrace");
	ck_assert_ptr_nonnull(strstr(err_text, "Try `ltrace --help' for more information."));
	PARSE_ERR("ltrace: too few arguments", "ltrace", "-S", "-t");

	/* getopt's own messages, named after "ltrace" whatever argv[0] was. */
	PARSE_ERR("ltrace: invalid option -- 'X'", "/usr/local/bin/ltrace", "-X", "foo", "prog");
	ck_assert_ptr_nonnull(strstr(err_text, "Try `ltrace --help' for more information."));
	/* -w takes a frame count of at least 1. */
	PARSE_ERR("Invalid argument to -w: '0'.  Use integer >=1.", "ltrace", "-w", "0", "prog");
	PARSE_ERR("Invalid argument to -w: 'x'.  Use integer >=1.", "ltrace", "--where=x", "prog");
	PARSE_ERR("requires an argument -- 'a'", "ltrace", "-a");
	ck_assert_ptr_nonnull(strstr(err_text, "Try `ltrace --help'"));
}
END_TEST

START_TEST(test_help_version)
{
	static const char *const mention[] = {
		"-a", "--align", "-A", "-b", "--no-signals", "-c", "-C", "--demangle", "-D",
		"--debug", "-e", "-f", "-F", "--config", "-g", "--no-plt", "-h", "--help", "-i",
		"-l", "--library", "-L", "-n", "--indent", "-o", "--output", "-p", "-r", "-s",
		"-S", "-t", "-T", "-u", "-V", "--version", "-x",
	};

	ck_assert_int_eq(parse("ltrace", "-h", NULL), 0);
	ck_assert_ptr_nonnull(strstr(out_text, "Usage: ltrace"));
	for (size_t i = 0; i < sizeof(mention) / sizeof(mention[0]); i++) {
		char word[32];

		/* Each option appears as a word of its own ("-a," or "-a " ...). */
		snprintf(word, sizeof(word), "  %s", mention[i]);
		if (strstr(out_text, word) == NULL)
			snprintf(word, sizeof(word), ", %s", mention[i]);
		ck_assert_msg(strstr(out_text, word) != NULL, "help lacks %s", mention[i]);
	}
	ck_assert_str_eq(err_text, "");
	/* --help stops parsing right away, even before a missing command is noticed. */
	ck_assert_int_eq(parse("ltrace", "--help", NULL), 0);

	ck_assert_int_eq(parse("ltrace", "-V", NULL), 0);
	ck_assert_ptr_eq(strstr(out_text, "ltrace version " PACKAGE_VERSION ".\n"), out_text);
	ck_assert_ptr_nonnull(strstr(out_text, "GNU General Public Licence"));
	ck_assert_int_eq(parse("ltrace", "--version", "prog", NULL), 0);
	ck_assert_ptr_nonnull(strstr(out_text, "ltrace version"));
}
END_TEST

/* Issue #12: a long form for every short option, strace's --timestamps forms, -ff,
 * --output-append, --json, and strace's -e expressions refused. */
START_TEST(test_strace_conventions)
{
	PARSE_OK("ltrace", "--array-length=7", "--summary", "--filter=malloc", "--follow",
		 "--instruction-pointer", "--json", "--string-limit=9", "--syscalls",
		 "--time-spent", "--user=nobody", "--symbols=foo", "--pid=42", "--attach=43",
		 "prog");
	ck_assert_int_eq(opts.arraylen, 7);
	ck_assert(opts.summary && opts.follow && opts.show_ip && opts.json && opts.syscalls);
	ck_assert(opts.time_spent && opts.show_caller);
	ck_assert_int_eq(opts.strlen_max, 9);
	ck_assert_str_eq(opts.user, "nobody");
	ck_assert_uint_eq(opts.npids, 2);
	ck_assert_int_eq(opts.pids[0], 42);
	ck_assert_int_eq(opts.pids[1], 43);
	ck_assert(filter_matches(opts.plt_filter, "malloc", &libc_lib));
	ck_assert(filter_matches(opts.sym_filter, "foo", &main_lib));
	options_free(&opts);
	PARSE_OK("ltrace", "--no-main", "--relative-timestamps", "prog");
	ck_assert(opts.no_default && opts.relative);
	options_free(&opts);

	/* --timestamps[=FORMAT[,PRECISION]] */
	PARSE_OK("ltrace", "--timestamps", "prog");
	ck_assert_int_eq(opts.timestamps, 1);
	options_free(&opts);
	PARSE_OK("ltrace", "--timestamps=time,us", "prog");
	ck_assert_int_eq(opts.timestamps, 2);
	ck_assert_int_eq(opts.ts_digits, 6);
	options_free(&opts);
	PARSE_OK("ltrace", "--timestamps=time,ms", "prog");
	ck_assert_int_eq(opts.timestamps, 2);
	ck_assert_int_eq(opts.ts_digits, 3);
	options_free(&opts);
	PARSE_OK("ltrace", "--timestamps=unix,ns", "prog");
	ck_assert_int_eq(opts.timestamps, 3);
	ck_assert_int_eq(opts.ts_digits, 9);
	options_free(&opts);
	PARSE_OK("ltrace", "--timestamps=unix", "prog");
	ck_assert_int_eq(opts.timestamps, 3);
	ck_assert_int_eq(opts.ts_digits, -1);
	options_free(&opts);
	PARSE_OK("ltrace", "-t", "--timestamps=none", "prog");
	ck_assert_int_eq(opts.timestamps, 0);
	options_free(&opts);
	PARSE_ERR("ltrace: invalid format in --timestamps=iso: use none, time or unix",
		  "ltrace", "--timestamps=iso", "prog");
	PARSE_ERR("ltrace: invalid precision in --timestamps=unix,ps: use s, ms, us or ns",
		  "ltrace", "--timestamps=unix,ps", "prog");

	/* -ff: per-task files only with -o. */
	PARSE_OK("ltrace", "-ff", "-o", "out", "--output-append", "prog");
	ck_assert(opts.follow && opts.output_per_process && opts.output_append);
	options_free(&opts);
	PARSE_OK("ltrace", "-ff", "prog");
	ck_assert(opts.follow && !opts.output_per_process);
	options_free(&opts);
	PARSE_OK("ltrace", "-f", "-o", "out", "prog");
	ck_assert(!opts.output_per_process && !opts.output_append);
	options_free(&opts);

	/* strace's expressions: never taken for a symbol pattern. */
	PARSE_ERR("ltrace: -e trace=open: that is strace's syntax; ltrace's -e takes a filter of "
		  "library calls, such as -e 'malloc+free@libc.so.6' (system calls: -S)",
		  "ltrace", "-e", "trace=open", "prog");
	PARSE_ERR("ltrace: -e signal=none: that is strace's syntax", "ltrace", "-e",
		  "signal=none", "prog");
	PARSE_ERR("ltrace: -e %file: that is strace's syntax", "ltrace", "-e", "%file", "prog");
	PARSE_ERR("ltrace: -e decode-fds=path: that is strace's syntax", "ltrace",
		  "--filter=decode-fds=path", "prog");
	/* A regular expression may hold '='. */
	PARSE_OK("ltrace", "-e", "/op=/", "prog");
	options_free(&opts);
	PARSE_ERR("ltrace: --json does not show backtraces (-w)", "ltrace", "-j", "-w", "2",
		  "prog");
}
END_TEST

START_TEST(test_reparse)
{
	/* getopt state is reset: a second parse sees all of its options. */
	PARSE_OK("ltrace", "-ttt", "prog");
	options_free(&opts);
	PARSE_OK("ltrace", "-t", "prog2");
	ck_assert_int_eq(opts.timestamps, 1);
	ck_assert_str_eq(opts.command[0], "prog2");
	options_free(&opts);
	/* options_free() twice is harmless. */
	options_free(&opts);
}
END_TEST

static Suite *options_suite(void)
{
	Suite *s = suite_create("options");
	TCase *tc = tcase_create("options");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_columns);
	tcase_add_test(tc, test_numbers);
	tcase_add_test(tc, test_pids);
	tcase_add_test(tc, test_debug);
	tcase_add_test(tc, test_timestamps);
	tcase_add_test(tc, test_flags);
	tcase_add_test(tc, test_headline);
	tcase_add_test(tc, test_command_boundary);
	tcase_add_test(tc, test_long_options);
	tcase_add_test(tc, test_config_paths);
	tcase_add_test(tc, test_filters);
	tcase_add_test(tc, test_no_default);
	tcase_add_test(tc, test_usage_errors);
	tcase_add_test(tc, test_help_version);
	tcase_add_test(tc, test_reparse);
	tcase_add_test(tc, test_strace_conventions);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(options_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
