// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the latency statistics (issue #12): quantiles exact for small counts and
 * within 1 % of the exact nearest-rank value for millions of samples spread over many orders
 * of magnitude; memory bounded by the powers of two seen; the -c --latency table; the log2
 * rows of --histogram.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "histogram.h"
#include "latency.h"
#include "summary.h"

static const double qs[] = { 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1.0 };

static int cmp_u64(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
	return a < b ? -1 : a > b;
}

/* The exact nearest-rank quantile of sorted V[N]. */
static uint64_t exact_q(const uint64_t *v, size_t n, double q)
{
	size_t rank = (size_t)(q * (double)n);
	if ((double)rank < q * (double)n)
		rank++;
	if (rank < 1)
		rank = 1;
	return v[rank - 1];
}

static uint64_t rng = 88172645463325252ULL;
static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* 0 <= r < 1 */
static double unit_rand(void)
{
	return (double)(next_rand() >> 11) / 9007199254740992.0;
}

typedef uint64_t (*gen_fn)(size_t i);

static uint64_t log_uniform(size_t i)
{
	(void)i;
	/* 1 ns .. 100 s, uniform in log scale: every power of two from 2^0 to 2^36. */
	double e = unit_rand() * 36.5;
	return (uint64_t)__builtin_exp2(e);
}

static uint64_t bimodal(size_t i)
{
	/* Mostly fast calls around 50 us, one in 100 around 300 ms. */
	uint64_t jitter = next_rand() % 5000;
	return i % 100 == 7 ? 300000000 + jitter * 1000 : 50000 + jitter;
}

static uint64_t constant(size_t i)
{
	(void)i;
	return 123456789;
}

static uint64_t small_ns(size_t i)
{
	(void)i;
	return next_rand() % 300; /* the exact linear range and the first chunks */
}

static void check_bound(gen_fn gen, size_t n, const char *what)
{
	struct latency l;
	uint64_t *v = malloc(n * sizeof(*v)), total = 0, mn = UINT64_MAX, mx = 0;
	ck_assert_ptr_nonnull(v);
	latency_init(&l);
	for (size_t i = 0; i < n; i++) {
		v[i] = gen(i);
		latency_add(&l, v[i]);
		total += v[i];
		mn = v[i] < mn ? v[i] : mn;
		mx = v[i] > mx ? v[i] : mx;
	}
	ck_assert_uint_eq(l.count, n);
	ck_assert_uint_eq(l.total, total);
	ck_assert_uint_eq(l.min, mn);
	ck_assert_uint_eq(l.max, mx);
	ck_assert(!latency_is_exact(&l));
	ck_assert_ptr_null(l.exact);
	qsort(v, n, sizeof(*v), cmp_u64);
	for (size_t k = 0; k < sizeof(qs) / sizeof(qs[0]); k++) {
		uint64_t want = exact_q(v, n, qs[k]), got = latency_quantile(&l, qs[k]);
		double err = want ? ((double)got - (double)want) / (double)want : (double)got;
		if (err < 0)
			err = -err;
		ck_assert_msg(err <= 0.01, "%s: q%.3f = %llu, exact %llu (error %.4f)", what, qs[k],
			      (unsigned long long)got, (unsigned long long)want, err);
	}
	/* The memory: one block per power of two seen, never per sample. */
	size_t blocks = 0;
	for (unsigned c = 0; c < LATENCY_CHUNKS; c++)
		blocks += l.chunk[c] != NULL;
	unsigned lo = mn < 128 ? 0 : 64 - (unsigned)__builtin_clzll(mn) - LATENCY_SUB_BITS;
	unsigned hi = mx < 128 ? 0 : 64 - (unsigned)__builtin_clzll(mx) - LATENCY_SUB_BITS;
	ck_assert_uint_le(blocks, hi - lo + 1);
	latency_free(&l);
	free(v);
}

START_TEST(error_bound_log_uniform)
{
	check_bound(log_uniform, 1000000, "log-uniform");
}
END_TEST

START_TEST(error_bound_shapes)
{
	check_bound(bimodal, 200000, "bimodal");
	check_bound(constant, 10000, "constant");
	check_bound(small_ns, 100000, "small");
	/* Just past the exact limit: the kept samples moved into the buckets. */
	check_bound(log_uniform, LATENCY_EXACT + 1, "exact+1");
}
END_TEST

/* Up to LATENCY_EXACT samples the quantiles are the exact ones, to the nanosecond. */
START_TEST(exact_small_counts)
{
	struct latency l;
	latency_init(&l);
	ck_assert_uint_eq(latency_quantile(&l, 0.5), 0);
	uint64_t v[LATENCY_EXACT];
	for (size_t n = 1; n <= LATENCY_EXACT; n++) {
		v[n - 1] = 1000003ULL * (next_rand() % 100000) + n;
		latency_add(&l, v[n - 1]);
		if (n % 37 != 1 && n != LATENCY_EXACT)
			continue;
		uint64_t s[LATENCY_EXACT];
		memcpy(s, v, n * sizeof(*s));
		qsort(s, n, sizeof(*s), cmp_u64);
		ck_assert(latency_is_exact(&l));
		for (size_t k = 0; k < sizeof(qs) / sizeof(qs[0]); k++)
			ck_assert_uint_eq(latency_quantile(&l, qs[k]), exact_q(s, n, qs[k]));
	}
	latency_free(&l);
	/* Nearest rank: of 1..10, p50 is 5, p90 9, p99 10. */
	latency_init(&l);
	for (uint64_t i = 10; i >= 1; i--)
		latency_add(&l, i);
	ck_assert_uint_eq(latency_quantile(&l, 0.5), 5);
	ck_assert_uint_eq(latency_quantile(&l, 0.9), 9);
	ck_assert_uint_eq(latency_quantile(&l, 0.99), 10);
	latency_free(&l);
}
END_TEST

START_TEST(log2_rows)
{
	struct latency l;
	latency_init(&l);
	latency_add(&l, 999);      /* 0 us: row 0 */
	latency_add(&l, 1000);     /* 1 us: [1, 2) */
	latency_add(&l, 3999);     /* 3 us: [2, 4) */
	latency_add(&l, 4000);     /* 4 us: [4, 8) */
	latency_add(&l, 300000000); /* 300000 us: [256K, 512K) */
	ck_assert_uint_eq(l.log2[0], 1);
	ck_assert_uint_eq(l.log2[1], 1);
	ck_assert_uint_eq(l.log2[2], 1);
	ck_assert_uint_eq(l.log2[3], 1);
	ck_assert_uint_eq(l.log2[19], 1);
	uint64_t lo, hi;
	latency_log2_bounds(19, &lo, &hi);
	ck_assert_uint_eq(lo, 262144);
	ck_assert_uint_eq(hi, 524288);

	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct histogram_style st = { 40, false };
	histogram_print(f, "fn", &l, &st);
	fclose(f);
	/* Label 12 wide, count 6, bar 40 - 12 - 6 - 4 = 18 columns. */
	ck_assert_str_eq(text, "fn (latency in us):\n"
			       "[0, 1)            1 |@@@@@@@@@@@@@@@@@@|\n"
			       "[1, 2)            1 |@@@@@@@@@@@@@@@@@@|\n"
			       "[2, 4)            1 |@@@@@@@@@@@@@@@@@@|\n"
			       "[4, 8)            1 |@@@@@@@@@@@@@@@@@@|\n"
			       "[8, 16)           0 |                  |\n"
			       "[16, 32)          0 |                  |\n"
			       "[32, 64)          0 |                  |\n"
			       "[64, 128)         0 |                  |\n"
			       "[128, 256)        0 |                  |\n"
			       "[256, 512)        0 |                  |\n"
			       "[512, 1K)         0 |                  |\n"
			       "[1K, 2K)          0 |                  |\n"
			       "[2K, 4K)          0 |                  |\n"
			       "[4K, 8K)          0 |                  |\n"
			       "[8K, 16K)         0 |                  |\n"
			       "[16K, 32K)        0 |                  |\n"
			       "[32K, 64K)        0 |                  |\n"
			       "[64K, 128K)       0 |                  |\n"
			       "[128K, 256K)      0 |                  |\n"
			       "[256K, 512K)      1 |@@@@@@@@@@@@@@@@@@|\n");
	free(text);
	latency_free(&l);

	/* Bars in proportion; eighths in block characters on a UTF-8 terminal. */
	latency_init(&l);
	for (int i = 0; i < 16; i++)
		latency_add(&l, 5000);
	for (int i = 0; i < 3; i++)
		latency_add(&l, 9000);
	f = open_memstream(&text, &len);
	st.width = 27; /* bar 27 - 7 - 6 - 4 = 10 columns */
	histogram_print(f, "g", &l, &st);
	st.unicode = true;
	histogram_print(f, "g", &l, &st);
	fclose(f);
	/* 3/16 of 10 columns = 1 and 7/8. */
	ck_assert_str_eq(text, "g (latency in us):\n"
			       "[4, 8)      16 |@@@@@@@@@@|\n"
			       "[8, 16)      3 |@         |\n"
			       "g (latency in us):\n"
			       "[4, 8)      16 |\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588|\n"
			       "[8, 16)      3 |\u2588\u2589        |\n");
	free(text);
	latency_free(&l);
}
END_TEST

START_TEST(cells)
{
	static const struct {
		uint64_t ns;
		const char *text;
	} c[] = {
		{ 0, "0ns" }, { 999, "999ns" }, { 1000, "1.00us" }, { 53240, "53.2us" },
		{ 999499, "999us" }, { 999500, "1.00ms" }, { 301234567, "301ms" },
		{ 1500000000, "1.50s" }, { 12345000000000ULL, "12345s" },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		char buf[32];
		latency_format(buf, sizeof(buf), c[i].ns);
		ck_assert_str_eq(buf, c[i].text);
	}
}
END_TEST

static void add_ns(const char *name, long ns)
{
	struct timespec d = { ns / 1000000000, ns % 1000000000 };
	summary_add(name, &d);
}

START_TEST(latency_table)
{
	summary_clear();
	summary_enable(true, false);
	for (long i = 1; i <= 10; i++)
		add_ns("usleep", i * 1000000);
	add_ns("lib_add", 8000);
	add_ns("lib_add", 12000);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	summary_print(f, false);
	fclose(f);
	ck_assert_str_eq(text,
		"% time     seconds     calls       avg       min       p50       p90       p99"
		"       max function\n"
		"------ ----------- --------- --------- --------- --------- --------- --------- "
		"--------- --------------------\n"
		" 99.96    0.055000        10    5.50ms    1.00ms    5.00ms    9.00ms    10.0ms"
		"    10.0ms usleep\n"
		"  0.04    0.000020         2    10.0us    8.00us    8.00us    12.0us    12.0us"
		"    12.0us lib_add\n"
		"------ ----------- --------- --------- --------- --------- --------- --------- "
		"--------- --------------------\n"
		"100.00    0.055020        12                                                  "
		"           total\n");
	free(text);
	summary_clear();
	summary_enable(false, false);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("latency");
	TCase *tc = tcase_create("sketch");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, exact_small_counts);
	tcase_add_test(tc, error_bound_log_uniform);
	tcase_add_test(tc, error_bound_shapes);
	tcase_add_test(tc, log2_rows);
	tcase_add_test(tc, cells);
	tcase_add_test(tc, latency_table);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
