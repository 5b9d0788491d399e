// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the -c summary table (spec 2.6): exact text for known inputs. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "summary.h"

#define HEADER "% time     seconds  usecs/call     calls      function\n" \
	       "------ ----------- ----------- --------- --------------------\n"
#define RULE "------ ----------- ----------- --------- --------------------\n"

/* The table as summary_print() writes it; the caller frees it. */
static char *table(bool demangle_names)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	ck_assert_ptr_nonnull(f);
	summary_print(f, demangle_names);
	fclose(f);
	return text;
}

static void add_us(const char *name, long us)
{
	struct timespec d = { us / 1000000, (us % 1000000) * 1000 };
	summary_add(name, &d);
}

static void add_ns(const char *name, long ns)
{
	struct timespec d = { ns / 1000000000, ns % 1000000000 };
	summary_add(name, &d);
}

static void check_table(bool demangle_names, const char *expected)
{
	char *t = table(demangle_names);
	ck_assert_str_eq(t, expected);
	free(t);
}

START_TEST(empty)
{
	summary_clear();
	check_table(false, HEADER RULE
		    "100.00    0.000000                     0 total\n");
}
END_TEST

/* The example of spec 2.6 and its arithmetic: 1466 of 4506 us = 32.534% -> 32.53. */
START_TEST(known_rows)
{
	summary_clear();
	add_us("usleep", 1466);
	add_us("puts", 1000);
	add_us("puts", 1040);        /* 2040 us in 2 calls: 1020 per call */
	add_us("strlen", 100);
	add_us("strlen", 100);
	add_us("strlen", 100);
	add_us("strlen", 100);       /* 400 us */
	add_us("free", 600);         /* total 1466 + 2040 + 400 + 600 = 4506 */
	check_table(false, HEADER
		    " 45.27    0.002040        1020         2 puts\n"
		    " 32.53    0.001466        1466         1 usleep\n"
		    " 13.32    0.000600         600         1 free\n"
		    "  8.88    0.000400         100         4 strlen\n"
		    RULE
		    "100.00    0.004506                     8 total\n");
}
END_TEST

/* Seconds carry into the integer part; usecs/call is the integer quotient. */
START_TEST(long_calls)
{
	summary_clear();
	add_us("sleep", 2500000);
	add_us("sleep", 1000001);
	add_ns("nanosleep", 12345678901L);   /* 12.345678901 s */
	check_table(false, HEADER
		    " 77.91   12.345678    12345678         1 nanosleep\n"
		    " 22.09    3.500001     1750000         2 sleep\n"
		    RULE
		    "100.00   15.845679                     3 total\n");
}
END_TEST

/* Nanoseconds of short calls add up before the conversion to microseconds. */
START_TEST(nanosecond_sums)
{
	summary_clear();
	for (int i = 0; i < 10; i++)
		add_ns("getpid", 600);       /* 6 us in total, not 10 x 0 */
	check_table(false, HEADER
		    "100.00    0.000006           0        10 getpid\n"
		    RULE
		    "100.00    0.000006                    10 total\n");
}
END_TEST

/* Percentages are rounded half up to hundredths: 1/32 = 3.125 -> 3.13, 31/32 = 96.875 ->
 * 96.88, thirds 33.333 -> 33.33 and 66.666 -> 66.67. */
START_TEST(percent_rounding)
{
	summary_clear();
	add_ns("a", 1000);
	add_ns("b", 31000);
	check_table(false, HEADER
		    " 96.88    0.000031          31         1 b\n"
		    "  3.13    0.000001           1         1 a\n"
		    RULE
		    "100.00    0.000032                     2 total\n");

	summary_clear();
	add_us("one", 1);
	add_us("two", 2);
	check_table(false, HEADER
		    " 66.67    0.000002           2         1 two\n"
		    " 33.33    0.000001           1         1 one\n"
		    RULE
		    "100.00    0.000003                     2 total\n");

	/* Tiny share: 1 us of 1 s rounds to 0.00. */
	summary_clear();
	add_us("big", 999999);
	add_us("tiny", 1);
	check_table(false, HEADER
		    "100.00    0.999999      999999         1 big\n"
		    "  0.00    0.000001           1         1 tiny\n"
		    RULE
		    "100.00    1.000000                     2 total\n");
}
END_TEST

/* Equal total times: more calls first, then names in byte order; independent of the order
 * in which the calls were recorded. */
START_TEST(ties)
{
	const char *expected = HEADER
		" 40.00    0.000020          10         2 zeta\n"
		" 20.00    0.000010          10         1 alpha\n"
		" 20.00    0.000010          10         1 beta\n"
		" 20.00    0.000010          10         1 gamma\n"
		RULE
		"100.00    0.000050                     5 total\n";

	summary_clear();
	add_us("gamma", 10);
	add_us("zeta", 10);
	add_us("beta", 10);
	add_us("alpha", 10);
	add_us("zeta", 10);
	check_table(false, expected);

	summary_clear();
	add_us("alpha", 10);
	add_us("zeta", 10);
	add_us("zeta", 10);
	add_us("beta", 10);
	add_us("gamma", 10);
	check_table(false, expected);

	/* Same time, different call counts: 2 x 5 us before 1 x 10 us. */
	summary_clear();
	add_us("once", 10);
	add_us("twice", 5);
	add_us("twice", 5);
	check_table(false, HEADER
		    " 50.00    0.000010           5         2 twice\n"
		    " 50.00    0.000010          10         1 once\n"
		    RULE
		    "100.00    0.000020                     3 total\n");
}
END_TEST

/* Calls that took no measurable time: no division by zero, 0.00 everywhere. */
START_TEST(zero_total)
{
	struct timespec zero = { 0, 0 }, backwards = { -1, 0 };

	summary_clear();
	summary_add("b", &zero);
	summary_add("a", &backwards);   /* a clock step back counts as 0, not as ~584 years */
	check_table(false, HEADER
		    "  0.00    0.000000           0         1 a\n"
		    "  0.00    0.000000           0         1 b\n"
		    RULE
		    "100.00    0.000000                     2 total\n");
}
END_TEST

/* -C: names demangled in the table, grouped by their mangled name. */
START_TEST(demangled)
{
	summary_clear();
	add_us("_ZN3foo3barEi", 30);
	add_us("_ZN3foo3barEi", 30);
	add_us("_Znwm", 20);
	add_us("puts", 10);
#ifdef HAVE_DEMANGLE
	check_table(true, HEADER
		    " 66.67    0.000060          30         2 foo::bar(int)\n"
		    " 22.22    0.000020          20         1 operator new(unsigned long)\n"
		    " 11.11    0.000010          10         1 puts\n"
		    RULE
		    "100.00    0.000090                     4 total\n");
#endif
	check_table(false, HEADER
		    " 66.67    0.000060          30         2 _ZN3foo3barEi\n"
		    " 22.22    0.000020          20         1 _Znwm\n"
		    " 11.11    0.000010          10         1 puts\n"
		    RULE
		    "100.00    0.000090                     4 total\n");
}
END_TEST

/* Many distinct names (the hash table grows several times): every one is kept with its own
 * count, and the biggest comes first. */
START_TEST(many_names)
{
	char name[32];
	char *t, *line;
	int rows = 0;

	summary_clear();
	for (int round = 0; round < 3; round++)
		for (int i = 0; i < 5000; i++) {
			snprintf(name, sizeof(name), "fn%d", i);
			add_us(name, i + 1);
		}
	t = table(false);
	ck_assert(strncmp(t, HEADER, strlen(HEADER)) == 0);
	line = t + strlen(HEADER);
	ck_assert(strncmp(line, "  0.04    0.015000        5000         3 fn4999\n", 48) == 0);
	for (char *p = line; *p && strncmp(p, RULE, strlen(RULE)) != 0; p = strchr(p, '\n') + 1) {
		unsigned calls;
		ck_assert_int_eq(sscanf(p + 31, "%9u", &calls), 1);
		ck_assert_uint_eq(calls, 3);
		rows++;
	}
	ck_assert_int_eq(rows, 5000);
	/* 3 * (1 + ... + 5000) us = 37507500 us */
	ck_assert_ptr_nonnull(strstr(t, RULE "100.00   37.507500                 15000 total\n"));
	free(t);
	summary_clear();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("summary");
	TCase *tc = tcase_create("table");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, empty);
	tcase_add_test(tc, known_rows);
	tcase_add_test(tc, long_calls);
	tcase_add_test(tc, nanosecond_sums);
	tcase_add_test(tc, percent_rounding);
	tcase_add_test(tc, ties);
	tcase_add_test(tc, zero_total);
	tcase_add_test(tc, demangled);
	tcase_add_test(tc, many_names);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
