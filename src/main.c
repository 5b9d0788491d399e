// SPDX-License-Identifier: GPL-2.0-or-later
/* ltrace: a library call tracer. */
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "common.h"
#include "jsonout.h"
#include "options.h"
#include "output.h"
#include "proto.h"
#include "sigstate.h"
#include "slowcall.h"
#include "summary.h"
#include "trace.h"

int main(int argc, char **argv)
{
	/* Before anything of ours: the launched program gets this state back. */
	sigstate_save();
	struct options opts;
	int rc = options_parse(&opts, argc, argv);
	if (rc >= 0)
		return rc;
	debug_mask = opts.debug;
	/* Wide characters render in the user's character set, as 0.7.91 does
	 * (LC_CTYPE only: numbers keep their C format). */
	setlocale(LC_CTYPE, "");
	if (output_init(&opts) != 0) {
		options_free(&opts);
		return 1;
	}
	/* A closed output pipe must not kill us while tracees depend on us. */
	signal(SIGPIPE, SIG_IGN);
	struct proto_db *db = proto_db_load(&opts, trace_out);
	if (!db) {
		output_close();
		options_free(&opts);
		return 1;
	}
	slowcall_init(&opts);
	summary_enable(opts.latency, opts.histogram);
	trace_init(&opts, db);
	int attached = 0;
	for (size_t i = 0; i < opts.npids; i++)
		if (trace_attach(opts.pids[i]) == 0)
			attached++;
	if ((opts.npids && !attached) || (opts.command && trace_launch(&opts) < 0)) {
		trace_detach(true);
		proto_db_free(db);
		output_close();
		options_free(&opts);
		return 1;
	}
	rc = trace_run(&opts, db);
	if (opts.summary && opts.json)
		json_out_summary(trace_out, opts.demangle);
	else if (opts.summary)
		summary_print(trace_out, opts.demangle);
	if (trace_out)
		fflush(trace_out);
	rc = trace_wait_launched(rc);
	/* Scripts written for 0.7.x expect 0 once the tracing went well. */
	if (opts.exit_zero)
		rc = 0;
	proto_db_free(db);
	output_close();
	options_free(&opts);
	return rc;
}
