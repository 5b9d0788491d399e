// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of escape.c: every byte outside printable ASCII is escaped, in trace lines
 * (strbuf) and in messages (stdio, backslash kept), and nothing else changes. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "strbuf.h"

static char *in_line(const char *s, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	sb_put_escaped(&sb, s, n);
	char *r = strdup(sb_str(&sb));
	sb_free(&sb);
	return r;
}

/* fprintf_escaped(F, "can't open '%s'\n", ARG) into a string. */
static char *in_message(const char *arg)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(f);
	fprintf_escaped(f, "can't open '%s'\n", arg);
	fclose(f);
	return text;
}

START_TEST(test_named)
{
	char *r = in_line("a\033b\nc\rd\te\\f", 11);
	ck_assert_str_eq(r, "a\\eb\\nc\\rd\\te\\\\f");
	free(r);
}
END_TEST

START_TEST(test_hex)
{
	static const char s[] = { 'x', 0, 7, 0x7f, (char)0x80, (char)0x9b, (char)0xff, 'y' };
	char *r = in_line(s, sizeof(s));
	ck_assert_str_eq(r, "x\\x00\\x07\\x7f\\x80\\x9b\\xffy");
	free(r);
}
END_TEST

START_TEST(test_printable_unchanged)
{
	char all[96];
	for (int i = 0; i < 95; i++)
		all[i] = (char)(0x20 + i);
	all[95] = 0;
	struct strbuf sb = STRBUF_INIT;
	sb_puts_escaped(&sb, all);
	/* Only the backslash grows. */
	ck_assert_uint_eq(sb.len, 96);
	char *bs = strchr(sb_str(&sb), '\\');
	ck_assert_ptr_nonnull(bs);
	ck_assert_int_eq(bs[1], '\\');
	sb_free(&sb);
}
END_TEST

START_TEST(test_no_line_forged)
{
	const char *name = "f\n+++ exited (status 0) +++\r";
	char *r = in_line(name, strlen(name));
	ck_assert_ptr_null(strchr(r, '\n'));
	ck_assert_ptr_null(strchr(r, '\r'));
	ck_assert_str_eq(r, "f\\n+++ exited (status 0) +++\\r");
	free(r);
}
END_TEST

START_TEST(test_message)
{
	/* The format's text is escaped too; a backslash stays single. */
	char *r = in_message("a\\(\033]0;x\007");
	ck_assert_str_eq(r, "can't open 'a\\(\\e]0;x\\x07'\\n");
	free(r);
}
END_TEST

START_TEST(test_message_long)
{
	/* Cut at 8 KiB, never overflowing. */
	char *big = malloc(20000);
	memset(big, 'z', 19999);
	big[19999] = 0;
	char *r = in_message(big);
	ck_assert_uint_eq(strlen(r), 8191);
	ck_assert(!strncmp(r, "can't open 'zzz", 15));
	free(r);
	free(big);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("escape");
	TCase *tc = tcase_create("escape");
	tcase_add_test(tc, test_named);
	tcase_add_test(tc, test_hex);
	tcase_add_test(tc, test_printable_unchanged);
	tcase_add_test(tc, test_no_line_forged);
	tcase_add_test(tc, test_message);
	tcase_add_test(tc, test_message_long);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
