// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the durations of --min-duration and --duration (issue #12). */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "timearg.h"

static uint64_t ns_of(const char *text)
{
	uint64_t ns = 12345;
	ck_assert_msg(parse_time_arg(text, &ns) == 0, "'%s' refused", text);
	return ns;
}

START_TEST(units)
{
	ck_assert_uint_eq(ns_of("0"), 0);
	ck_assert_uint_eq(ns_of("2"), 2000000000ULL);
	ck_assert_uint_eq(ns_of("1s"), 1000000000ULL);
	ck_assert_uint_eq(ns_of("300ms"), 300000000ULL);
	ck_assert_uint_eq(ns_of("250us"), 250000ULL);
	ck_assert_uint_eq(ns_of("17ns"), 17ULL);
}
END_TEST

/* Decimal fractions are exact: 0.3 s is 300000000 ns, not a double's neighbour. */
START_TEST(fractions)
{
	ck_assert_uint_eq(ns_of("0.3"), 300000000ULL);
	ck_assert_uint_eq(ns_of(".3s"), 300000000ULL);
	ck_assert_uint_eq(ns_of("1.5ms"), 1500000ULL);
	ck_assert_uint_eq(ns_of("0.000000001"), 1ULL);
	ck_assert_uint_eq(ns_of("2.5us"), 2500ULL);
	/* Below a nanosecond: dropped. */
	ck_assert_uint_eq(ns_of("1.9ns"), 1ULL);
	ck_assert_uint_eq(ns_of("0.0000000001"), 0ULL);
	ck_assert_uint_eq(ns_of("3."), 3000000000ULL);
}
END_TEST

START_TEST(refused)
{
	static const char *const bad[] = {
		"", ".", "s", "ms", "-1", "+1", "1m", "1 s", " 1", "1.2.3", "1e3", "0x10", "abc",
		"1sec", "18446744073709551616ns", "18446744074s", "99999999999999999999",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint64_t ns;
		ck_assert_msg(parse_time_arg(bad[i], &ns) == -1, "'%s' accepted", bad[i]);
	}
	ck_assert_uint_eq(ns_of("18446744073709551615ns"), UINT64_MAX);
	ck_assert_uint_eq(ns_of("18446744073s"), 18446744073000000000ULL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("timearg");
	TCase *tc = tcase_create("parse");
	tcase_add_test(tc, units);
	tcase_add_test(tc, fractions);
	tcase_add_test(tc, refused);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
