// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the JSON writer (src/json.c): separators, numbers, and the escaping of
 * tracee bytes: well-formed UTF-8 kept, every other byte as \udcXX (issue #12). */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "json.h"

static struct strbuf sb;

static void setup(void)
{
	sb = (struct strbuf)STRBUF_INIT;
}

static void teardown(void)
{
	sb_free(&sb);
}

/* BYTES (N of them) written as a JSON string must give EXPECTED. */
static void check_bytes(const char *bytes, size_t n, const char *expected)
{
	sb_reset(&sb);
	json_bytes(&sb, bytes, n);
	ck_assert_str_eq(sb_str(&sb), expected);
}

START_TEST(test_structure)
{
	json_begin_object(&sb);
	json_key(&sb, "a");
	json_int(&sb, -1);
	json_key(&sb, "b");
	json_begin_array(&sb);
	json_uint(&sb, 18446744073709551615ULL);
	json_bool(&sb, true);
	json_null(&sb);
	json_begin_object(&sb);
	json_end_object(&sb);
	json_begin_array(&sb);
	json_end_array(&sb);
	json_raw(&sb, "{\"x\":1}");
	json_end_array(&sb);
	json_key(&sb, "c");
	json_double(&sb, 0.1);
	json_key(&sb, "d");
	json_double(&sb, NAN);
	json_key(&sb, "e");
	json_double(&sb, -2.5);
	json_end_object(&sb);
	ck_assert_str_eq(sb_str(&sb), "{\"a\":-1,\"b\":[18446744073709551615,true,null,{},[],"
				      "{\"x\":1}],\"c\":0.1,\"d\":null,\"e\":-2.5}");
}
END_TEST

START_TEST(test_escapes)
{
	check_bytes("a\"b\\c", 5, "\"a\\\"b\\\\c\"");
	check_bytes("\b\f\n\r\t\001\037\177", 8, "\"\\b\\f\\n\\r\\t\\u0001\\u001f\\u007f\"");
	check_bytes("x\0y", 3, "\"x\\u0000y\"");
	check_bytes("/", 1, "\"/\"");
}
END_TEST

START_TEST(test_utf8)
{
	/* Well-formed sequences of 2, 3 and 4 bytes pass through. */
	check_bytes("\xc3\xa9", 2, "\"\xc3\xa9\"");
	check_bytes("\xe2\x82\xac", 3, "\"\xe2\x82\xac\"");
	check_bytes("\xf0\x9f\x98\x80", 4, "\"\xf0\x9f\x98\x80\"");
	check_bytes("\xf4\x8f\xbf\xbf", 4, "\"\xf4\x8f\xbf\xbf\"");
	/* Everything else, byte by byte: a lone continuation byte, a lead byte cut short, an
	 * overlong form, an encoded surrogate, beyond U+10FFFF, bytes never used. */
	check_bytes("\x80", 1, "\"\\udc80\"");
	check_bytes("\xe2\x82", 2, "\"\\udce2\\udc82\"");
	check_bytes("\xe2\x82z", 3, "\"\\udce2\\udc82z\"");
	check_bytes("\xc0\x80", 2, "\"\\udcc0\\udc80\"");
	check_bytes("\xe0\x80\xaf", 3, "\"\\udce0\\udc80\\udcaf\"");
	check_bytes("\xed\xa0\x80", 3, "\"\\udced\\udca0\\udc80\"");
	check_bytes("\xf4\x90\x80\x80", 4, "\"\\udcf4\\udc90\\udc80\\udc80\"");
	check_bytes("\xf5\xff\xfe", 3, "\"\\udcf5\\udcff\\udcfe\"");
	/* A bad byte does not swallow the good sequence after it. */
	check_bytes("\xff\xc3\xa9", 3, "\"\\udcff\xc3\xa9\"");
}
END_TEST

START_TEST(test_wide)
{
	static const uint32_t w[] = { 'a', 0xe9, 0x20ac, 0x1f600, 0xd800, 0x110000, '\n' };

	json_wide(&sb, w, sizeof(w) / sizeof(w[0]));
	ck_assert_str_eq(sb_str(&sb), "\"a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
				      "\xef\xbf\xbd\xef\xbf\xbd\\n\"");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("json");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_structure);
	tcase_add_test(tc, test_escapes);
	tcase_add_test(tc, test_utf8);
	tcase_add_test(tc, test_wide);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
