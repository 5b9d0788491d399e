// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the durations of --min-duration and --duration, and of how the options of
 * issue #12 combine. */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "options.h"
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

static int parse(struct options *o, char **argv)
{
	int argc = 0;
	while (argv[argc])
		argc++;
	return options_parse(o, argc, argv);
}

START_TEST(combined)
{
	struct options o;
	char *a1[] = { "ltrace", "--min-duration=300ms", "--max-calls=7", "--duration=2.5", "true",
		       NULL };
	ck_assert_int_eq(parse(&o, a1), -1);
	ck_assert(o.min_duration_set);
	ck_assert_uint_eq(o.min_duration, 300000000ULL);
	ck_assert_uint_eq(o.max_calls, 7);
	ck_assert_uint_eq(o.duration, 2500000000ULL);
	ck_assert(!o.summary && !o.latency && !o.histogram);
	options_free(&o);

	/* --latency and --histogram imply -c; -c -T means --latency. */
	char *a2[] = { "ltrace", "--histogram", "true", NULL };
	ck_assert_int_eq(parse(&o, a2), -1);
	ck_assert(o.summary && o.histogram && !o.latency);
	options_free(&o);
	char *a3[] = { "ltrace", "--latency", "true", NULL };
	ck_assert_int_eq(parse(&o, a3), -1);
	ck_assert(o.summary && o.latency);
	options_free(&o);
	char *a4[] = { "ltrace", "-c", "-T", "true", NULL };
	ck_assert_int_eq(parse(&o, a4), -1);
	ck_assert(o.summary && o.latency);
	options_free(&o);
	char *a5[] = { "ltrace", "-T", "true", NULL };
	ck_assert_int_eq(parse(&o, a5), -1);
	ck_assert(!o.summary && !o.latency);
	options_free(&o);
	/* --min-duration=0 is a threshold all the same: every call held. */
	char *a6[] = { "ltrace", "--min-duration=0", "true", NULL };
	ck_assert_int_eq(parse(&o, a6), -1);
	ck_assert(o.min_duration_set);
	ck_assert_uint_eq(o.min_duration, 0);
	options_free(&o);
	/* Refused: the exit status of a usage error. */
	char *b1[] = { "ltrace", "--duration=0", "true", NULL };
	ck_assert_int_eq(parse(&o, b1), 1);
	char *b2[] = { "ltrace", "--max-calls=0", "true", NULL };
	ck_assert_int_eq(parse(&o, b2), 1);
	char *b3[] = { "ltrace", "--min-duration", "1x", "true", NULL };
	ck_assert_int_eq(parse(&o, b3), 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("timearg");
	TCase *tc = tcase_create("parse");
	tcase_add_test(tc, units);
	tcase_add_test(tc, fractions);
	tcase_add_test(tc, refused);
	tcase_add_test(tc, combined);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
