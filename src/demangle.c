// SPDX-License-Identifier: GPL-2.0-or-later
/* C++ name demangling for -C, through libiberty when the build found it. */
#include "config.h"

#include <stdlib.h>

#include "demangle.h"

#ifdef HAVE_DEMANGLE
#if defined(HAVE_LIBIBERTY_DEMANGLE_H)
#include <libiberty/demangle.h>
#elif defined(HAVE_DEMANGLE_H)
#include <demangle.h>
#else
#error "HAVE_DEMANGLE without a demangle.h header"
#endif

/* The previous result: callers use a name right away (print it), so one buffer is enough and
 * nothing accumulates. */
static char *last;

const char *demangle(const char *name)
{
	char *res;

	if (name == NULL)
		return NULL;
	/* Only Itanium-ABI mangled names are worth a try; this also keeps plain C names (which
	 * libiberty may otherwise "demangle" in other styles) untouched. */
	if (name[0] != '_' || name[1] != 'Z')
		return name;
	res = cplus_demangle(name, DMGL_PARAMS | DMGL_ANSI);
	if (res == NULL)
		return name;
	free(last);
	last = res;
	return last;
}
#else
const char *demangle(const char *name)
{
	return name;
}
#endif
