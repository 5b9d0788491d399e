// SPDX-License-Identifier: GPL-2.0-or-later
/* Durations on the command line. Exact integer arithmetic: "0.3" is 300000000 ns, not the
 * nearest double times 1e9. */
#include "config.h"

#include <string.h>

#include "timearg.h"

static const struct {
	const char *name;
	uint64_t ns;
} units[] = {
	{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", 1000000000 }, { "", 1000000000 },
};

int parse_time_arg(const char *text, uint64_t *ns)
{
	const char *p = text;
	uint64_t whole = 0;
	size_t ndigits = 0;

	for (; *p >= '0' && *p <= '9'; p++, ndigits++) {
		uint64_t d = (uint64_t)(*p - '0');
		if (whole > (UINT64_MAX - d) / 10)
			return -1;
		whole = whole * 10 + d;
	}
	const char *frac = NULL;
	size_t nfrac = 0;
	if (*p == '.') {
		frac = ++p;
		for (; *p >= '0' && *p <= '9'; p++)
			nfrac++;
	}
	if (ndigits + nfrac == 0)
		return -1;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(p, units[i].name) != 0)
			continue;
		uint64_t unit = units[i].ns;
		if (whole > UINT64_MAX / unit)
			return -1;
		uint64_t v = whole * unit;
		/* The fraction's digits, each worth a tenth of the one before; digits
		 * finer than a nanosecond are dropped. */
		uint64_t scale = unit;
		for (size_t k = 0; k < nfrac && scale >= 10; k++) {
			scale /= 10;
			uint64_t add = (uint64_t)(frac[k] - '0') * scale;
			if (v > UINT64_MAX - add)
				return -1;
			v += add;
		}
		*ns = v;
		return 0;
	}
	return -1;
}
