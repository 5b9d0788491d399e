// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the filter language (spec 1.4) and of demangling. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "demangle.h"
#include "filter.h"

static const struct filter_lib main_lib = { "prog", "/home/u/prog", true, NULL };
static const struct filter_lib libc_lib = { "libc.so.6", "/usr/lib/x86_64-linux-gnu/libc.so.6",
					    false, NULL };
static const struct filter_lib libm_lib = { "libm.so.6", "/usr/lib/x86_64-linux-gnu/libm.so.6",
					    false, NULL };
static const struct filter_lib fake_main = { "MAIN", "/opt/MAIN", false, NULL };
static const struct filter_lib cxx_lib = { "libstdc++.so.6", "/usr/lib/libstdc++.so.6", false,
					   NULL };
/* A library named by the dynamic linker through a symbolic link. */
static const struct filter_lib linked_lib = { "libz.so.1", "/lib/x86_64-linux-gnu/libz.so.1", false,
					      "/usr/lib/x86_64-linux-gnu/libz.so.1.2.13" };

/* stderr of the code under test goes to a temporary file while captured. */
static FILE *cap_file;
static int cap_saved = -1;

static void capture_start(void)
{
	cap_file = tmpfile();
	ck_assert_ptr_nonnull(cap_file);
	fflush(stderr);
	cap_saved = dup(STDERR_FILENO);
	dup2(fileno(cap_file), STDERR_FILENO);
}

/* Returns what was written (malloc'd). */
static char *capture_end(void)
{
	long n;
	char *buf;

	fflush(stderr);
	dup2(cap_saved, STDERR_FILENO);
	close(cap_saved);
	n = ftell(cap_file);
	buf = calloc(1, (size_t)n + 1);
	rewind(cap_file);
	if (n > 0)
		ck_assert_uint_eq(fread(buf, 1, (size_t)n, cap_file), (size_t)n);
	fclose(cap_file);
	return buf;
}

/* A one-chain filter of the given kind. */
static struct filter *one(enum filter_kind kind, const char *expr)
{
	struct filter *f = filter_new();

	ck_assert_int_eq(filter_add(f, kind, expr), 0);
	return f;
}

static bool e_match(const char *expr, const char *sym, const struct filter_lib *lib)
{
	struct filter *f = one(FILTER_PLT, expr);
	bool r = filter_matches(f, sym, lib);

	filter_free(f);
	return r;
}

START_TEST(test_empty_set)
{
	struct filter *f = filter_new();

	ck_assert(filter_empty(f));
	ck_assert(!filter_matches(f, "malloc", &libc_lib));
	ck_assert(!filter_lib_precheck(f, &libc_lib));
	filter_free(f);
}
END_TEST

START_TEST(test_globs)
{
	ck_assert(e_match("malloc", "malloc", &libc_lib));
	ck_assert(!e_match("malloc", "xmalloc", &libc_lib));
	/* Implicitly anchored: a plain word must match the whole name. */
	ck_assert(!e_match("alloc", "malloc", &main_lib));
	ck_assert(!e_match("mall", "malloc", &main_lib));
	ck_assert(e_match("mall*", "malloc", &main_lib));
	ck_assert(e_match("*alloc", "calloc", &main_lib));
	ck_assert(e_match("?alloc", "calloc", &main_lib));
	ck_assert(!e_match("?alloc", "alloc", &main_lib));
	ck_assert(e_match("[mc]alloc", "calloc", &main_lib));
	ck_assert(!e_match("[mc]alloc", "realloc", &main_lib));
	ck_assert(e_match("[!m]alloc", "calloc", &main_lib));
	ck_assert(!e_match("[!m]alloc", "malloc", &main_lib));
	ck_assert(e_match("[[:alpha:]]alloc", "calloc", &main_lib));
	ck_assert(!e_match("[[:digit:]]alloc", "calloc", &main_lib));
	/* '.' is literal in a glob. */
	ck_assert(e_match("a.b", "a.b", &main_lib));
	ck_assert(!e_match("a.b", "axb", &main_lib));
	/* "\x" is a literal x. */
	ck_assert(e_match("a\\*", "a*", &main_lib));
	ck_assert(!e_match("a\\*", "ab", &main_lib));
	/* An explicit ^ or $ in a glob just repeats the implicit anchoring. */
	ck_assert(e_match("^malloc$", "malloc", &main_lib));
	ck_assert(e_match("*", "anything_at_all", &libm_lib));
}
END_TEST

START_TEST(test_regex)
{
	ck_assert(e_match("/[mf].*/", "malloc", &main_lib));
	ck_assert(e_match("/[mf].*/", "free", &main_lib));
	ck_assert(!e_match("/[mf].*/", "calloc", &main_lib));
	/* Anchored too: /all/ does not match inside malloc. */
	ck_assert(!e_match("/all/", "malloc", &main_lib));
	/* The quirk of 0.7: a user's '^' follows the implicit one and is a literal caret. */
	ck_assert(!e_match("/^[mf].*/", "malloc", &main_lib));
	/* Basic, not extended, regular expressions: '+' is an ordinary character. */
	ck_assert(e_match("/a+b/", "a+b", &main_lib));
	ck_assert(!e_match("/a+b/", "aab", &main_lib));
	/* @/re/ on the library. */
	ck_assert(e_match("@/libc\\..*/", "puts", &libc_lib));
	ck_assert(!e_match("@/libc\\..*/", "sin", &libm_lib));
	/* /re1@re2/ is /re1/@/re2/. */
	ck_assert(e_match("/m.*@libc.*/", "malloc", &libc_lib));
	ck_assert(!e_match("/m.*@libc.*/", "malloc", &libm_lib));
	ck_assert(!e_match("/m.*@libc.*/", "free", &libc_lib));
	/* /re/@glob */
	ck_assert(e_match("/f.*/@libm.so*", "floor", &libm_lib));
	ck_assert(!e_match("/f.*/@libm.so*", "floor", &libc_lib));
}
END_TEST

START_TEST(test_main_and_paths)
{
	ck_assert(e_match("@MAIN", "puts", &main_lib));
	ck_assert(!e_match("@MAIN", "puts", &libc_lib));
	/* MAIN means the main binary, not a library of that name... */
	ck_assert(!e_match("@MAIN", "puts", &fake_main));
	/* ...which other spellings reach. */
	ck_assert(e_match("@^MAIN", "puts", &fake_main));
	ck_assert(e_match("@[M]AIN", "puts", &fake_main));
	ck_assert(!e_match("@[M]AIN", "puts", &main_lib));
	/* SONAME globs. */
	ck_assert(e_match("@libc.so*", "puts", &libc_lib));
	ck_assert(!e_match("@libc.so*", "puts", &libm_lib));
	/* A LIBPAT starting with '/' is compared with the path. */
	ck_assert(e_match("@/usr/lib/*", "puts", &libc_lib));
	ck_assert(!e_match("@/usr/lib/*", "puts", &main_lib));
	ck_assert(e_match("@/home/u/prog", "puts", &main_lib));
	ck_assert(e_match("@*/libm.so.6", "sin", &libm_lib) == false); /* name, not path */
	ck_assert(e_match("sin@/*/libm.so*", "sin", &libm_lib));
	/* A path glob takes the rest of the expression: '-' is part of the path. */
	ck_assert(e_match("puts@/usr/lib/x86_64-linux-gnu/libc.so.6", "puts", &libc_lib));
	ck_assert(!e_match("puts@/usr/lib/x86_64-linux-gnu/libc.so.6", "puts", &libm_lib));
	/* The path as the dynamic linker has it, or resolved. */
	ck_assert(e_match("@/lib/x86_64-linux-gnu/libz.so*", "inflate", &linked_lib));
	ck_assert(e_match("@/usr/lib/x86_64-linux-gnu/libz.so*", "inflate", &linked_lib));
	ck_assert(!e_match("@/opt/*", "inflate", &linked_lib));
	/* Unknown library: only library-agnostic rules can match. */
	ck_assert(e_match("malloc", "malloc", NULL));
	ck_assert(!e_match("malloc@MAIN", "malloc", NULL));
}
END_TEST

START_TEST(test_chains)
{
	const char *ex = "malloc+free-@libc.so*";

	ck_assert(e_match(ex, "malloc", &main_lib));
	ck_assert(e_match(ex, "free", &libm_lib));
	ck_assert(!e_match(ex, "malloc", &libc_lib));
	ck_assert(!e_match(ex, "free", &libc_lib));
	ck_assert(!e_match(ex, "calloc", &main_lib));

	/* Leading '-': everything except... */
	ck_assert(e_match("-malloc", "free", &libc_lib));
	ck_assert(!e_match("-malloc", "malloc", &libc_lib));
	/* '!' is the old spelling of the leading '-'. */
	ck_assert(e_match("!malloc", "free", &libc_lib));
	ck_assert(!e_match("!malloc", "malloc", &libc_lib));
	/* Later rules win. */
	ck_assert(e_match("-m*+malloc", "malloc", &main_lib));
	ck_assert(!e_match("-m*+malloc", "memcpy", &main_lib));
	ck_assert(e_match("-m*+malloc", "free", &main_lib));
	/* free-@MAIN: nothing for calls made from the main binary. */
	ck_assert(!e_match("free-@MAIN", "free", &main_lib));
	ck_assert(e_match("free-@MAIN", "free", &libc_lib));
	/* The empty expression is an empty chain: matches nothing. */
	ck_assert(!e_match("", "malloc", &main_lib));
}
END_TEST

START_TEST(test_several_chains)
{
	struct filter *f = filter_new();

	ck_assert_int_eq(filter_add(f, FILTER_PLT, "malloc"), 0);
	ck_assert_int_eq(filter_add(f, FILTER_PLT, "free"), 0);
	ck_assert(!filter_empty(f));
	ck_assert(filter_matches(f, "malloc", &main_lib));
	ck_assert(filter_matches(f, "free", &main_lib));
	ck_assert(!filter_matches(f, "calloc", &main_lib));
	filter_free(f);
}
END_TEST

START_TEST(test_lib_vs_caller)
{
	struct filter *f = filter_new();

	ck_assert_int_eq(filter_add(f, FILTER_LIB, "libm.so*"), 0);
	ck_assert_int_eq(filter_add(f, FILTER_PLT, "puts"), 0);
	/* -l compares with the callee... */
	ck_assert(filter_matches_call(f, "sin", &main_lib, &libm_lib));
	ck_assert(!filter_matches_call(f, "sin", &libm_lib, &libc_lib));
	ck_assert(!filter_matches_call(f, "sin", &main_lib, NULL));
	/* ...-e with the caller. */
	ck_assert(filter_matches_call(f, "puts", &main_lib, NULL));
	filter_free(f);

	f = one(FILTER_PLT, "@libc.so*");
	ck_assert(filter_matches_call(f, "memcpy", &libc_lib, &libc_lib));
	ck_assert(!filter_matches_call(f, "puts", &main_lib, &libc_lib));
	filter_free(f);

	/* '+' and '-' are literal in -l patterns. */
	f = one(FILTER_LIB, "libstdc++.so*");
	ck_assert(filter_matches_call(f, "_Znwm", &main_lib, &cxx_lib));
	ck_assert(filter_matches(f, "_Znwm", &cxx_lib));
	ck_assert(!filter_matches(f, "_Znwm", &libc_lib));
	filter_free(f);

	/* -l with MAIN, regex and path forms. */
	f = one(FILTER_LIB, "/libm\\..*/");
	ck_assert(filter_matches(f, "sin", &libm_lib));
	ck_assert(!filter_matches(f, "puts", &libc_lib));
	filter_free(f);
	f = one(FILTER_LIB, "/usr/lib/*/libc.so.6");
	ck_assert(filter_matches(f, "puts", &libc_lib));
	ck_assert(!filter_matches(f, "sin", &libm_lib));
	filter_free(f);
}
END_TEST

START_TEST(test_precheck)
{
	struct filter *f;

	f = one(FILTER_PLT, "@MAIN");
	ck_assert(filter_lib_precheck(f, &main_lib));
	ck_assert(!filter_lib_precheck(f, &libc_lib));
	filter_free(f);

	f = one(FILTER_PLT, "malloc+free-@libc.so*");
	ck_assert(filter_lib_precheck(f, &libc_lib));
	filter_free(f);

	f = one(FILTER_SYM, "foo@libm.so*");
	ck_assert(filter_lib_precheck(f, &libm_lib));
	ck_assert(!filter_lib_precheck(f, &libc_lib));
	filter_free(f);

	/* Only '+' rules count. */
	f = one(FILTER_SYM, "foo@libm.so*-@libc.so*");
	ck_assert(!filter_lib_precheck(f, &libc_lib));
	filter_free(f);

	/* The implicit first rule of a leading '-'. */
	f = one(FILTER_PLT, "-@libc.so*");
	ck_assert(filter_lib_precheck(f, &libc_lib));
	filter_free(f);

	f = one(FILTER_PLT, "");
	ck_assert(!filter_lib_precheck(f, &main_lib));
	filter_free(f);
}
END_TEST

static void check_error(const char *expr, const char *msg)
{
	struct filter *f = filter_new();
	char *err;
	char ignored[256];

	capture_start();
	ck_assert_int_eq(filter_add(f, FILTER_PLT, expr), -1);
	err = capture_end();
	ck_assert_msg(strstr(err, msg) != NULL, "'%s': got '%s'", expr, err);
	snprintf(ignored, sizeof(ignored), "ltrace: Filter '%s' will be ignored.", expr);
	ck_assert_msg(strstr(err, ignored) != NULL, "'%s': got '%s'", expr, err);
	/* The whole option is dropped. */
	ck_assert(filter_empty(f));
	free(err);
	filter_free(f);
}

START_TEST(test_errors)
{
	check_error("/foo", "ltrace: Unmatched '/' in symbol name.");
	check_error("/foo@bar", "ltrace: Unmatched '/' in library name.");
	check_error("malloc+/x", "Unmatched '/' in symbol name.");
	check_error("[abc", "ltrace: Couldn't compile '[abc': ");
	check_error("malloc+/\\(/", "ltrace: Couldn't compile '\\(': ");
	check_error("/foo/bar", "ltrace: Unexpected 'b'");
}
END_TEST

START_TEST(test_demangle)
{
#ifdef HAVE_DEMANGLE
	ck_assert_str_eq(demangle("_ZN2ns1K1fEi"), "ns::K::f(int)");
	ck_assert_str_eq(demangle("_Znwm"), "operator new(unsigned long)");
#else
	ck_assert_str_eq(demangle("_ZN2ns1K1fEi"), "_ZN2ns1K1fEi");
#endif
	/* Plain C names and garbage come back untouched (the very same pointer). */
	const char *n = "malloc";
	ck_assert_ptr_eq(demangle(n), n);
	n = "_Zgarbage";
	ck_assert_ptr_eq(demangle(n), n);
}
END_TEST

static Suite *filter_suite(void)
{
	Suite *s = suite_create("filter");
	TCase *tc = tcase_create("filter");

	tcase_add_test(tc, test_empty_set);
	tcase_add_test(tc, test_globs);
	tcase_add_test(tc, test_regex);
	tcase_add_test(tc, test_main_and_paths);
	tcase_add_test(tc, test_chains);
	tcase_add_test(tc, test_several_chains);
	tcase_add_test(tc, test_lib_vs_caller);
	tcase_add_test(tc, test_precheck);
	tcase_add_test(tc, test_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("demangle");
	tcase_add_test(tc, test_demangle);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(filter_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
