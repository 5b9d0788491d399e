/* SPDX-License-Identifier: GPL-2.0-or-later */
/* For unit tests of prototypes: one call rendered whole. */
#ifndef LTRACE_TEST_RENDER_CALL_H
#define LTRACE_TEST_RENDER_CALL_H

#include <check.h>
#include <stdio.h>

#include "proto.h"
#include "strbuf.h"

/* Run P's entry and return with REGS and MEM; "ENTRY|RETURNED ARGS|RETVAL" (to free). */
static inline char *render_call(const struct prototype *p, const struct user_regs_struct *regs,
				const struct tracee_mem *mem, const struct render_opts *ro)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, r = STRBUF_INIT;
	struct call_values *cv = proto_entry(p, regs, mem, ro, &a);
	char *s;

	proto_return(cv, regs, mem, ro, &b, &r);
	proto_call_free(cv);
	ck_assert_int_ge(asprintf(&s, "%s|%s|%s", sb_str(&a), sb_str(&b), sb_str(&r)), 0);
	sb_free(&a);
	sb_free(&b);
	sb_free(&r);
	return s;
}

#endif
