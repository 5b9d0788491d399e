// SPDX-License-Identifier: GPL-2.0-or-later
/* Command-line parsing (spec 1.1-1.3, 1.5). Never exits: returns a status so it can be tested. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "common.h"
#include "filter.h"
#include "options.h"
#include "timearg.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

/* '+': stop at the first non-option, which is the traced command. */
static const char short_opts[] = "+a:A:bcCD:e:fF:ghijl:Ln:o:p:rs:Su:tTVw:x:";

/* Long options without a short form. */
enum { OPT_KEEP_FDS = 256, OPT_OUTPUT_APPEND, OPT_TIMESTAMPS, OPT_EXIT_ZERO };
/* ... and those of issue #12. */
enum {
	OPT_MIN_DURATION = 0x1200,
	OPT_MAX_CALLS,
	OPT_DURATION,
	OPT_LATENCY,
	OPT_HISTOGRAM,
};

static const struct option long_opts[] = {
	{ "min-duration", required_argument, NULL, OPT_MIN_DURATION },
	{ "max-calls", required_argument, NULL, OPT_MAX_CALLS },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "latency", no_argument, NULL, OPT_LATENCY },
	{ "histogram", no_argument, NULL, OPT_HISTOGRAM },
	{ "align", required_argument, NULL, 'a' },
	{ "demangle", no_argument, NULL, 'C' },
	{ "debug", required_argument, NULL, 'D' },
	{ "config", required_argument, NULL, 'F' },
	{ "help", no_argument, NULL, 'h' },
	{ "library", required_argument, NULL, 'l' },
	{ "indent", required_argument, NULL, 'n' },
	{ "output", required_argument, NULL, 'o' },
	{ "no-signals", no_argument, NULL, 'b' },
	{ "version", no_argument, NULL, 'V' },
	{ "no-plt", no_argument, NULL, 'g' },
	{ "where", required_argument, NULL, 'w' },
	{ "keep-fds", no_argument, NULL, OPT_KEEP_FDS },
	{ "array-length", required_argument, NULL, 'A' },
	{ "summary", no_argument, NULL, 'c' },
	{ "filter", required_argument, NULL, 'e' },
	{ "follow", no_argument, NULL, 'f' },
	{ "instruction-pointer", no_argument, NULL, 'i' },
	{ "json", no_argument, NULL, 'j' },
	{ "no-main", no_argument, NULL, 'L' },
	{ "pid", required_argument, NULL, 'p' },
	{ "attach", required_argument, NULL, 'p' },
	{ "relative-timestamps", no_argument, NULL, 'r' },
	{ "string-limit", required_argument, NULL, 's' },
	{ "syscalls", no_argument, NULL, 'S' },
	{ "time-spent", no_argument, NULL, 'T' },
	{ "user", required_argument, NULL, 'u' },
	{ "symbols", required_argument, NULL, 'x' },
	{ "output-append", no_argument, NULL, OPT_OUTPUT_APPEND },
	{ "timestamps", optional_argument, NULL, OPT_TIMESTAMPS },
	{ "exit-zero", no_argument, NULL, OPT_EXIT_ZERO },
	{ NULL, 0, NULL, 0 },
};

static void try_help(void)
{
	fprintf(stderr, "Try `ltrace --help' for more information.\n");
}

static void usage(FILE *fp)
{
	fprintf(fp,
		"Usage: ltrace [option ...] [command [arg ...]]\n"
		"Trace library calls of a given program.\n"
		"\n"
		"  -a, --align=COLUMN  align return values in a specific column.\n"
		"  -A, --array-length=MAXELTS  maximum number of array elements to print.\n"
		"  -b, --no-signals    don't print signals.\n"
		"  -c, --summary       count time and calls, and report a summary on exit.\n"
		"  -C, --demangle      decode low-level symbol names into user-level names.\n"
		"  -D, --debug=MASK    enable debugging (see -Dh or --debug=help).\n"
		"  -Dh, --debug=help   show help on debugging.\n"
		"  -e, --filter=FILTER  modify which library calls to trace.\n"
		"      --exit-zero     exit with 0 whatever the traced program's status (as 0.7.x).\n"
		"  -f, --follow        trace children (fork() and clone()); -ff with -o FILE\n"
		"                      writes each process's and thread's trace to FILE.TID.\n"
		"  -F, --config=FILE   load alternate configuration file (may be repeated;\n"
		"                      FILE may be a colon-separated list).\n"
		"  -g, --no-plt        don't place breakpoints on PLT entries.\n"
		"  -h, --help          display this help and exit.\n"
		"  -i, --instruction-pointer  print instruction pointer at time of library call.\n"
		"  -j, --json          write JSON Lines, one object per event (-c: the summary).\n"
		"  -l, --library=LIBRARY_PATTERN  only trace calls into matching libraries.\n"
		"  -L, --no-main       do not trace library calls of the main binary (no -e @MAIN).\n"
		"  -n, --indent=NR     indent output by NR spaces for each call level nesting.\n"
		"  -o, --output=FILENAME  write the trace output to file with given name.\n"
		"      --output-append append to the -o file instead of truncating it.\n"
		"  -p, --pid=PID, --attach=PID  attach to the process with the process ID pid.\n"
		"  -r, --relative-timestamps  print relative timestamps.\n"
		"  -s, --string-limit=STRSIZE  specify the maximum string size to print.\n"
		"  -S, --syscalls      trace system calls as well as library calls.\n"
		"  -t, -tt, -ttt       print absolute timestamps.\n"
		"      --timestamps[=FORMAT[,PRECISION]]  print absolute timestamps: FORMAT\n"
		"                      none, time (-t) or unix (-ttt); PRECISION s, ms, us or ns.\n"
		"  -T, --time-spent    show the time spent inside each call.\n"
		"  -u, --user=USERNAME  run command with the userid, groupid of username.\n"
		"      --keep-fds      with -u, let the command inherit descriptors above 2.\n"
		"  -V, --version       output version information and exit.\n"
		"  -w, --where=NR      print backtrace showing NR stack frames at most.\n"
		"  -x, --symbols=FILTER  modify which static functions to trace.\n"
		"      --min-duration=TIME  only show calls that took at least TIME, each as one\n"
		"                      line at its return (TIME: NUMBER[ns|us|ms|s], plain = s).\n"
		"      --max-calls=N   stop tracing (detach) after N calls shown or counted.\n"
		"      --duration=TIME stop tracing (detach) after TIME.\n"
		"      --latency       -c: add avg, min, p50, p90, p99 and max columns (also -c -T).\n"
		"      --histogram     -c: add a log2 latency histogram for each function.\n"
		"\n"
		"FILTER is a chain of rules [+-][SYMBOL_PATTERN][@LIBRARY_PATTERN]; patterns are\n"
		"globs, or regular expressions when written /like this/. A comma separates\n"
		"independent chains (-e malloc,free).\n");
}

static void version(void)
{
	printf("ltrace version %s.\n"
	       "Copyright (C) the ltrace developers.\n"
	       "This is free software; see the GNU General Public Licence\n"
	       "version 2 or later for copying conditions.  There is NO warranty.\n",
	       PACKAGE_VERSION);
}

static void debug_help(void)
{
	printf("ltrace debugging option, --debug=<octal> or -D<octal>:\n"
	       "\n"
	       " number  ref. in source   description\n"
	       "      1   general           Generally helpful progress information\n"
	       "     10   event             Shows every event received by a traced process\n"
	       "     20   process           Shows actions carried upon a traced processes\n"
	       "     40   function          Shows every entry to internal functions\n"
	       "\n"
	       "Debugging options are mixed using bitwise-or.\n"
	       "Note that the meanings and values are subject to change.\n");
}

/*
 * strtol(base 0) over the whole string, within [min, max]. On failure prints the 0.7 message
 * and returns -1.
 */
/* The widest -a column: padding is written, so its width is bounded. */
#define ALIGN_MAX 4096

static int parse_int(const char *arg, int opt, long min, long max, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 0);
	if (errno != 0 || end == arg || *end != '\0' || v < min || v > max) {
		if (max == INT_MAX)
			error_msg("Invalid argument to -%c: '%s'.  Use integer >=%ld.", opt, arg, min);
		else
			error_msg("Invalid argument to -%c: '%s'.  Use integer %ld..%ld.", opt, arg,
				  min, max);
		return -1;
	}
	*out = (int)v;
	return 0;
}

static int parse_debug(const char *arg, unsigned *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 8);
	if (errno != 0 || end == arg || *end != '\0' || v > UINT_MAX || arg[0] == '-') {
		error_msg("--debug requires an octal argument");
		try_help();
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

/* --min-duration, --duration: ltrace: invalid ... and -1 when ARG is no duration. */
static int parse_time_opt(const char *arg, const char *name, uint64_t *ns)
{
	if (parse_time_arg(arg, ns) == 0)
		return 0;
	error_msg("invalid time '%s' for --%s: use NUMBER[ns|us|ms|s] (plain number: seconds)",
		  arg, name);
	return -1;
}

static int parse_count_opt(const char *arg, const char *name, unsigned long *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || v == 0 || arg[0] == '-' || arg[0] == '+') {
		error_msg("invalid count '%s' for --%s: use an integer >= 1", arg, name);
		return -1;
	}
	*out = v;
	return 0;
}

static void add_config_paths(struct options *opts, size_t *cap, size_t *n, const char *arg)
{
	const char *s = arg;

	for (;;) {
		const char *e = strchrnul(s, ':');

		/* Empty components ("a::b", a trailing ':') name nothing. */
		if (e > s) {
			grow_array((void **)&opts->config_paths, cap, *n + 2,
				   sizeof(*opts->config_paths));
			opts->config_paths[(*n)++] = xstrndup(s, e - s);
			opts->config_paths[*n] = NULL;
		}
		if (*e == '\0')
			break;
		s = e + 1;
	}
}

/*
 * A comma separates independent chains (the pre-0.7 list syntax, "-e malloc,free"); symbol
 * and library names never contain one. Returns -1 if some piece was rejected (it has been
 * reported and ignored; the other pieces stay).
 */
static int add_filters(struct filter *f, enum filter_kind kind, const char *arg)
{
	const char *s = arg;
	int rc = 0;

	/* The pre-0.7 exclusion list "!a,b" excludes all of its names: one chain "-a-b". */
	if (kind != FILTER_LIB && arg[0] == '!' && strchr(arg, ',') != NULL) {
		char *chain = xstrdup(arg);

		for (char *p = chain; *p != '\0'; p++)
			if (*p == ',')
				*p = '-';
		rc = filter_add(f, kind, chain);
		free(chain);
		return rc;
	}

	for (;;) {
		const char *e = strchrnul(s, ',');
		char *piece = xstrndup(s, e - s);

		if (filter_add(f, kind, piece) < 0)
			rc = -1;
		free(piece);
		if (*e == '\0')
			break;
		s = e + 1;
	}
	return rc;
}

/* --timestamps=FORMAT[,PRECISION] (strace's forms: "time,us", "unix,ns"). */
static int parse_timestamps(struct options *opts, const char *arg)
{
	static const struct { const char *name; int digits; } precisions[] = {
		{ "s", -1 }, { "ms", 3 }, { "us", 6 }, { "ns", 9 },
	};
	const char *comma = arg ? strchr(arg, ',') : NULL;
	size_t flen = comma ? (size_t)(comma - arg) : arg ? strlen(arg) : 0;
	int digits = -1;

	if (comma) {
		size_t i;

		for (i = 0; i < sizeof(precisions) / sizeof(precisions[0]); i++)
			if (strcmp(comma + 1, precisions[i].name) == 0)
				break;
		if (i == sizeof(precisions) / sizeof(precisions[0])) {
			error_msg("invalid precision in --timestamps=%s: use s, ms, us or ns", arg);
			return -1;
		}
		digits = precisions[i].digits;
	}
	if (!arg || (flen == 4 && strncmp(arg, "time", 4) == 0)) {
		opts->timestamps = digits < 0 ? 1 : 2;
	} else if (flen == 4 && strncmp(arg, "unix", 4) == 0) {
		opts->timestamps = 3;
	} else if (flen == 4 && strncmp(arg, "none", 4) == 0 && !comma) {
		opts->timestamps = 0;
	} else {
		error_msg("invalid format in --timestamps=%s: use none, time or unix", arg);
		return -1;
	}
	opts->ts_digits = digits;
	return 0;
}

/* strace's -e takes QUALIFIER=VALUE (trace=open, signal=none) and %classes;
 * no symbol holds '=' or '%', so these would silently match nothing. */
static bool strace_expression(const char *arg)
{
	const char *s = arg;

	if (*s == '%' || (s[0] == '!' && s[1] == '%'))
		return true;
	while ((*s >= 'a' && *s <= 'z') || *s == '-' || *s == '_')
		s++;
	return s > arg && *s == '=';
}

static int terminal_width(int fd)
{
	struct winsize ws;

	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 0;
}

/* Default -a: 5/8 of $COLUMNS or of the terminal width, else 50 (spec 1.2). */
static int default_align(void)
{
	const char *env = getenv("COLUMNS");
	int cols = 0;

	if (env != NULL && *env != '\0') {
		char *end;
		long v;

		errno = 0;
		v = strtol(env, &end, 10);
		if (errno == 0 && *end == '\0' && v > 0 && v <= INT_MAX / 5)
			cols = (int)v;
	}
	if (cols == 0)
		cols = terminal_width(STDOUT_FILENO);
	if (cols == 0)
		cols = terminal_width(STDERR_FILENO);
	if (cols == 0)
		return 50;
	return cols * 5 / 8;
}

void options_free(struct options *opts)
{
	if (opts->config_paths != NULL) {
		for (char **p = opts->config_paths; *p != NULL; p++)
			free(*p);
		free(opts->config_paths);
	}
	if (opts->command != NULL) {
		for (char **p = opts->command; *p != NULL; p++)
			free(*p);
		free(opts->command);
	}
	free(opts->pids);
	filter_free(opts->plt_filter);
	filter_free(opts->sym_filter);
	memset(opts, 0, sizeof(*opts));
}

/* The parse proper; options_parse() cleans up when this does not return -1. */
static int parse(struct options *opts, int argc, char **argv)
{
	size_t npaths = 0, paths_cap = 0, pids_cap = 0;
	bool align_given = false, have_e = false, have_l = false;
	int nfollow = 0;
	int c, v;

	/* getopt's own messages are prefixed with argv[0]; make that "ltrace" whatever the
	 * binary is called. With '+' getopt does not permute, so indexes stay valid for argv. */
	char **av = xcalloc((size_t)argc + 1, sizeof(*av));

	for (int i = 0; i < argc; i++)
		av[i] = argv[i];
	if (argc > 0)
		av[0] = (char *)"ltrace";

	/* 0, not 1: glibc then reinitialises its whole state (needed when called again). */
	optind = 0;
	opterr = 1;
	while ((c = getopt_long(argc, av, short_opts, long_opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			if (parse_int(optarg, 'a', 0, ALIGN_MAX, &opts->align) < 0)
				goto fail;
			align_given = true;
			break;
		case 'A':
			if (parse_int(optarg, 'A', 0, INT_MAX, &opts->arraylen) < 0)
				goto fail;
			break;
		case 'b':
			opts->no_signals = true;
			break;
		case 'c':
			opts->summary = true;
			break;
		case 'C':
			opts->demangle = true;
			break;
		case 'D':
			if (optarg[0] == 'h') {
				debug_help();
				free(av);
				return 0;
			}
			if (parse_debug(optarg, &opts->debug) < 0)
				goto fail;
			break;
		case 'e':
			if (strace_expression(optarg)) {
				error_msg("-e %s: that is strace's syntax; ltrace's -e takes a filter of "
					  "library calls, such as -e 'malloc+free@libc.so.6' (system "
					  "calls: -S)", optarg);
				try_help();
				goto fail;
			}
			have_e = true;
			add_filters(opts->plt_filter, FILTER_PLT, optarg);
			break;
		case 'f':
			opts->follow = true;
			nfollow++;
			break;
		case 'F':
			add_config_paths(opts, &paths_cap, &npaths, optarg);
			break;
		case 'g':
			opts->no_plt = true;
			break;
		case 'h':
			usage(stdout);
			free(av);
			return 0;
		case 'i':
			opts->show_ip = true;
			break;
		case 'j':
			opts->json = true;
			break;
		case 'l':
			have_l = true;
			add_filters(opts->plt_filter, FILTER_LIB, optarg);
			break;
		case 'L':
			opts->no_default = true;
			break;
		case 'n':
			if (parse_int(optarg, 'n', 0, 20, &opts->indent) < 0)
				goto fail;
			break;
		case 'o':
			opts->output = optarg;
			break;
		case 'p':
			if (parse_int(optarg, 'p', 1, INT_MAX, &v) < 0)
				goto fail;
			grow_array((void **)&opts->pids, &pids_cap, opts->npids + 1,
				   sizeof(*opts->pids));
			opts->pids[opts->npids++] = (pid_t)v;
			break;
		case 'r':
			opts->relative = true;
			break;
		case 's':
			if (parse_int(optarg, 's', 0, INT_MAX, &opts->strlen_max) < 0)
				goto fail;
			break;
		case 'S':
			opts->syscalls = true;
			break;
		case 'w':
			if (parse_int(optarg, 'w', 1, INT_MAX, &opts->where) < 0)
				goto fail;
			break;
		case 't':
			if (opts->timestamps < 3)
				opts->timestamps++;
			opts->ts_digits = 0;
			break;
		case OPT_TIMESTAMPS:
			if (parse_timestamps(opts, optarg) < 0)
				goto fail;
			break;
		case OPT_OUTPUT_APPEND:
			opts->output_append = true;
			break;
		case 'T':
			opts->time_spent = true;
			break;
		case OPT_KEEP_FDS:
			opts->keep_fds = true;
			break;
		case OPT_EXIT_ZERO:
			opts->exit_zero = true;
			break;
		case 'u':
			opts->user = optarg;
			break;
		case 'V':
			version();
			free(av);
			return 0;
		case 'x':
			add_filters(opts->sym_filter, FILTER_SYM, optarg);
			break;
		case OPT_MIN_DURATION:
			if (parse_time_opt(optarg, "min-duration", &opts->min_duration) < 0)
				goto fail;
			opts->min_duration_set = true;
			break;
		case OPT_MAX_CALLS:
			if (parse_count_opt(optarg, "max-calls", &opts->max_calls) < 0)
				goto fail;
			break;
		case OPT_DURATION:
			if (parse_time_opt(optarg, "duration", &opts->duration) < 0)
				goto fail;
			if (opts->duration == 0) {
				error_msg("invalid time '%s' for --duration: must be more than 0",
					  optarg);
				goto fail;
			}
			break;
		case OPT_LATENCY:
			opts->latency = true;
			break;
		case OPT_HISTOGRAM:
			opts->histogram = true;
			break;
		default:
			/* getopt has printed "ltrace: invalid option -- 'X'" or similar. */
			try_help();
			goto fail;
		}
	}

	if (opts->relative && opts->timestamps > 0) {
		error_msg("Options -r and -t can't be used together");
		goto fail;
	}
	/* Despite the text, -L -l is accepted (spec 1.2). */
	if (opts->no_default && have_e) {
		error_msg("Option -L can't be used with -e or -l.");
		goto fail;
	}
	if (opts->json && opts->where) {
		error_msg("--json does not show backtraces (-w)");
		goto fail;
	}
	/* -c --json --latency has the distribution's columns as numbers; the histogram is a
	 * drawing for the terminal. */
	if (opts->json && opts->histogram) {
		error_msg("--json does not draw histograms (--histogram): -c --json --latency gives "
			  "the distribution as numbers");
		goto fail;
	}
	/* strace's -ff: without -o there is one stream, as with -f. */
	opts->output_per_process = nfollow > 1 && opts->output;
	if (optind >= argc && opts->npids == 0) {
		error_msg("too few arguments");
		try_help();
		goto fail;
	}

	/* The statistics are -c's: asking for them asks for the table. -c -T: the time of
	 * each call, so its distribution (issue #12). */
	if (opts->latency || opts->histogram)
		opts->summary = true;
	if (opts->summary && opts->time_spent)
		opts->latency = true;

	if (have_e || have_l)
		opts->show_caller = true;
	else if (!opts->no_default)
		filter_add(opts->plt_filter, FILTER_PLT, "@MAIN");

	if (!align_given)
		opts->align = default_align();

	if (optind < argc) {
		int n = argc - optind;

		opts->command = xcalloc((size_t)n + 1, sizeof(*opts->command));
		for (int i = 0; i < n; i++)
			opts->command[i] = xstrdup(argv[optind + i]);
	}
	free(av);
	return -1;

fail:
	free(av);
	return 1;
}

int options_parse(struct options *opts, int argc, char **argv)
{
	int rc;

	memset(opts, 0, sizeof(*opts));
	opts->arraylen = 4;
	opts->strlen_max = 32;
	opts->align = 50;
	opts->plt_filter = filter_new();
	opts->sym_filter = filter_new();

	rc = parse(opts, argc, argv);
	if (rc != -1)
		options_free(opts);
	return rc;
}
