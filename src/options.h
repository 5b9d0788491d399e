/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Command-line options (spec 1.1-1.3). */
#ifndef LTRACE_OPTIONS_H
#define LTRACE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct filter;

struct options {
	int align;            /* -a: column of "= ", default from COLUMNS/terminal, else 50 */
	int arraylen;         /* -A: default 4 */
	bool no_signals;      /* -b */
	bool summary;         /* -c */
	bool demangle;        /* -C */
	unsigned debug;       /* -D (octal) */
	bool follow;          /* -f */
	char **config_paths;  /* -F, split at ':'; NULL-terminated, NULL if none */
	bool show_ip;         /* -i */
	bool no_default;      /* -L */
	int indent;           /* -n: 0..20 */
	const char *output;   /* -o FILE, NULL for stderr */
	bool output_append;   /* --output-append: append to FILE */
	bool output_per_process; /* -ff -o FILE: each process to FILE.PID */
	bool json;            /* -j: JSON Lines */
	pid_t *pids;          /* -p, npids entries */
	size_t npids;
	bool relative;        /* -r */
	int strlen_max;       /* -s: default 32 */
	int where;            /* -w: frames of backtrace after each return, 0 for none */
	bool syscalls;        /* -S */
	int timestamps;       /* -t count: 0..3 (3: seconds since the epoch) */
	int ts_digits;        /* --timestamps precision: digits of the fraction, -1 none, 0 default (6) */
	bool time_spent;      /* -T */
	const char *user;     /* -u USER */
	bool keep_fds;        /* --keep-fds: -u passes descriptors above 2 on */
	bool exit_zero;       /* --exit-zero: 0 whatever the traced program's status */
	bool no_plt;          /* -g / --no-plt: no PLT breakpoints at all */
	bool show_caller;     /* user gave -e or -l: print "CALLER->" */
	struct filter *plt_filter; /* -e chains plus -l chains; default "@MAIN" */
	struct filter *sym_filter; /* -x chains; empty by default */
	/* Issue #12: slow calls, stopping by ourselves, latency statistics. */
	uint64_t min_duration; /* --min-duration, ns: only calls at least this long */
	bool min_duration_set;
	unsigned long max_calls; /* --max-calls: stop after this many calls shown; 0 none */
	uint64_t duration;    /* --duration, ns: stop tracing after this long; 0 none */
	bool latency;         /* --latency (or -c -T): distribution columns in -c */
	bool histogram;       /* --histogram: log2 latency histogram per function in -c */
	char **command;       /* PROGRAM ARGS..., NULL-terminated; NULL if none */
};

/* Parse the command line into *opts. Returns -1 when tracing should go on,
 * otherwise the exit status to exit with right away (0 after --help/--version,
 * 1 after a usage error, whose message has been printed to stderr). */
int options_parse(struct options *opts, int argc, char **argv);
void options_free(struct options *opts);

#endif
