// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the system call name table (src/syscalls.h), generated at build time by
 * build-aux/gen-syscalls.sh, and of the script itself on hand-written inputs.
 */
#include "config.h"

#include <check.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "strbuf.h"
#include "syscalls.h"

/* The x86_64 numbers are ABI: they never change once a kernel has shipped them. */
START_TEST(known_x86_64_numbers)
{
	ck_assert_str_eq(syscall_name(0), "read");
	ck_assert_str_eq(syscall_name(1), "write");
	ck_assert_str_eq(syscall_name(3), "close");
	ck_assert_str_eq(syscall_name(9), "mmap");
	ck_assert_str_eq(syscall_name(12), "brk");
	ck_assert_str_eq(syscall_name(39), "getpid");
	ck_assert_str_eq(syscall_name(60), "exit");
	ck_assert_str_eq(syscall_name(231), "exit_group");
	ck_assert_str_eq(syscall_name(257), "openat");
	ck_assert_str_eq(syscall_name(318), "getrandom");
	/* The generic numbering starts at 424 (pidfd_send_signal); 335..423 stay unused. */
	ck_assert_str_eq(syscall_name(424), "pidfd_send_signal");
	ck_assert_ptr_null(syscall_name(335));
	ck_assert_ptr_null(syscall_name(400));
	ck_assert_ptr_null(syscall_name(423));
}
END_TEST

/* The libc's own constants come from the same headers: they must agree with the table. */
START_TEST(agrees_with_libc_headers)
{
	ck_assert_str_eq(syscall_name(SYS_read), "read");
	ck_assert_str_eq(syscall_name(SYS_openat), "openat");
	ck_assert_str_eq(syscall_name(SYS_rt_sigaction), "rt_sigaction");
	ck_assert_str_eq(syscall_name(SYS_clone), "clone");
	ck_assert_str_eq(syscall_name(SYS_execve), "execve");
	ck_assert_str_eq(syscall_name(SYS_wait4), "wait4");
}
END_TEST

START_TEST(out_of_range)
{
	ck_assert_uint_gt(syscall_count, 318);
	/* No trailing holes: the count ends at the highest known number. */
	ck_assert_ptr_nonnull(syscall_names[syscall_count - 1]);
	ck_assert_ptr_null(syscall_name((long)syscall_count));
	ck_assert_ptr_null(syscall_name((long)syscall_count + 1));
	ck_assert_ptr_null(syscall_name(100000));
	ck_assert_ptr_null(syscall_name(LONG_MAX));
	ck_assert_ptr_null(syscall_name(-1));
	ck_assert_ptr_null(syscall_name(LONG_MIN));
}
END_TEST

static bool is_identifier(const char *s)
{
	if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return false;
	for (s++; *s; s++)
		if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

/* Names become prototype lookups in syscalls.conf and "name@SYS" in traces. */
START_TEST(names_are_identifiers)
{
	size_t known = 0;

	for (size_t i = 0; i < syscall_count; i++) {
		const char *name = syscall_names[i];

		if (!name)
			continue;
		known++;
		ck_assert_msg(is_identifier(name), "syscall %zu: '%s' is not a C identifier",
			      i, name);
		ck_assert_msg(strncmp(name, "__NR", 4) != 0, "syscall %zu: '%s' kept its prefix",
			      i, name);
		ck_assert_ptr_eq(syscall_name((long)i), name);
		/* One name, one number. */
		for (size_t j = i + 1; j < syscall_count; j++)
			ck_assert_msg(!syscall_names[j] || strcmp(name, syscall_names[j]) != 0,
				      "'%s' is both %zu and %zu", name, i, j);
	}
	/* x86_64 has had more than 330 calls since Linux 4.x. */
	ck_assert_uint_gt(known, 330);
}
END_TEST

START_TEST(format_name)
{
	struct strbuf sb = STRBUF_INIT;

	syscall_format_name(&sb, 1);
	ck_assert_str_eq(sb_str(&sb), "write");
	sb_reset(&sb);
	syscall_format_name(&sb, 400);
	ck_assert_str_eq(sb_str(&sb), "SYS_400");
	sb_reset(&sb);
	syscall_format_name(&sb, 100000);
	ck_assert_str_eq(sb_str(&sb), "SYS_100000");
	sb_reset(&sb);
	syscall_format_name(&sb, -1);
	ck_assert_str_eq(sb_str(&sb), "SYS_-1");
	sb_free(&sb);
}
END_TEST

/*
 * Run the generator on INPUT; return its exit status, with its standard output in *OUT
 * (caller frees) and its standard error discarded.
 */
static int run_generator(const char *input, char **out)
{
	char in_path[] = "/tmp/test_syscalls.in.XXXXXX";
	char out_path[] = "/tmp/test_syscalls.out.XXXXXX";
	int in_fd = mkstemp(in_path);
	int out_fd = mkstemp(out_path);
	struct strbuf cmd = STRBUF_INIT;
	char buf[4096];
	size_t n;
	FILE *f;
	int status;

	ck_assert_int_ge(in_fd, 0);
	ck_assert_int_ge(out_fd, 0);
	ck_assert_int_eq(write(in_fd, input, strlen(input)), (ssize_t)strlen(input));
	close(in_fd);
	close(out_fd);
	sb_printf(&cmd, "sh '%s/build-aux/gen-syscalls.sh' '%s' > '%s' 2>/dev/null", TOP_SRCDIR,
		  in_path, out_path);
	status = system(sb_str(&cmd));
	ck_assert(status != -1 && WIFEXITED(status));

	sb_reset(&cmd);
	f = fopen(out_path, "r");
	ck_assert_ptr_nonnull(f);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_putn(&cmd, buf, n);
	fclose(f);
	unlink(in_path);
	unlink(out_path);
	*out = strdup(sb_str(&cmd));
	sb_free(&cmd);
	return WEXITSTATUS(status);
}

/* The table body: the lines between the array's braces. */
static char *table_body(const char *text)
{
	const char *start = strstr(text, "syscall_names[] = {\n");
	const char *end = start ? strstr(start, "};") : NULL;

	ck_assert_ptr_nonnull(end);
	start += strlen("syscall_names[] = {\n");
	return strndup(start, (size_t)(end - start));
}

/* A dump of the compiler's macros, as the build gives it: other macros are ignored. */
START_TEST(generator_plain_numbers)
{
	char *out, *body;

	ck_assert_int_eq(run_generator("#define __STDC__ 1\n"
				       "#define __NR_write 1\n"
				       "#define __NR_read 0\n"
				       "#define __NR_openat 0x101\n"
				       "#define _ASM_UNISTD_H 1\n", &out), 0);
	body = table_body(out);
	/* Sorted by number whatever the input order; hex values accepted. */
	ck_assert_str_eq(body, "\t[0] = \"read\",\n\t[1] = \"write\",\n\t[257] = \"openat\",\n");
	ck_assert_ptr_nonnull(strstr(out, "SPDX-License-Identifier"));
	ck_assert_ptr_nonnull(strstr(out, "#include \"syscalls.h\""));
	ck_assert_ptr_nonnull(strstr(out, "const size_t syscall_count ="));
	free(body);
	free(out);
}
END_TEST

/*
 * Numberings built on a base (mips: __NR_Linux 4000), aliases of other names, the generic
 * headers' table size, and values the script cannot evaluate.
 */
START_TEST(generator_bases_and_aliases)
{
	char *out, *body;

	ck_assert_int_eq(run_generator("#define __NR_Linux 4000\n"
				       "#define __NR_old_name __NR_read\n"
				       "#define __NR_read (__NR_Linux + 3)\n"
				       "#define __NR_write (__NR_Linux+ 4)\n"
				       "#define __NR_only_alias __NR3264_x\n"
				       "#define __NR3264_x 4007\n"
				       "#define __NR_weird (1 << 3)\n"
				       "#define __NR_syscalls 4010\n", &out), 0);
	body = table_body(out);
	ck_assert_str_eq(body, "\t[4003] = \"read\",\n\t[4004] = \"write\",\n"
			       "\t[4007] = \"only_alias\",\n");
	free(body);
	free(out);
}
END_TEST

/* An empty table would silently turn every system call into SYS_<n>: the build must fail. */
START_TEST(generator_rejects_empty_input)
{
	char *out;

	ck_assert_int_ne(run_generator("#define FOO 1\n", &out), 0);
	free(out);
	ck_assert_int_ne(run_generator("", &out), 0);
	free(out);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("syscalls");
	TCase *table = tcase_create("table");
	TCase *gen = tcase_create("generator");
	SRunner *sr;
	int failed;

	tcase_add_test(table, known_x86_64_numbers);
	tcase_add_test(table, agrees_with_libc_headers);
	tcase_add_test(table, out_of_range);
	tcase_add_test(table, names_are_identifiers);
	tcase_add_test(table, format_name);
	suite_add_tcase(s, table);
	tcase_add_test(gen, generator_plain_numbers);
	tcase_add_test(gen, generator_bases_and_aliases);
	tcase_add_test(gen, generator_rejects_empty_input);
	suite_add_tcase(s, gen);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
