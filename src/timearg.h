/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Durations on the command line (--min-duration, --duration): a decimal number with an
 * optional unit ns, us, ms or s; a plain number is seconds, as -T prints them. */
#ifndef LTRACE_TIMEARG_H
#define LTRACE_TIMEARG_H

#include <stdint.h>

/* TEXT as nanoseconds into *NS. 0, or -1 (nothing printed) when TEXT is not such a duration
 * or does not fit in 64 bits of nanoseconds. */
int parse_time_arg(const char *text, uint64_t *ns);

#endif
