// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the system call name table (src/syscalls.h), generated at build time by
 * build-aux/gen-syscalls.sh, of the script itself on hand-written inputs, and of the shipped
 * etc/syscalls.conf against the table.
 */
#include "config.h"

#include <check.h>
#include <ctype.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proto.h"
#include "render_call.h"
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

/* ---- etc/syscalls.conf ----------------------------------------------------------------- */

/*
 * Every prototype of syscalls.conf names a system call of the table: a misspelt name
 * ("pread" for pread64) would never be looked up and its call would print with the default
 * prototype. A declaration is a line "TYPE NAME(...);" outside typedefs and comments.
 */
START_TEST(conf_names_are_syscalls)
{
	FILE *f = fopen(TOP_SRCDIR "/etc/syscalls.conf", "r");
	char line[1024];
	int lineno = 0, decls = 0;

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f)) {
		char *paren, *name;
		bool found = false;

		lineno++;
		if (line[0] == '#' || strncmp(line, "typedef", 7) == 0)
			continue;
		paren = strchr(line, '(');
		if (!paren)
			continue;
		*paren = '\0';
		while (paren > line && isspace((unsigned char)paren[-1]))
			*--paren = '\0';
		name = paren;
		while (name > line && (isalnum((unsigned char)name[-1]) || name[-1] == '_'))
			name--;
		ck_assert_msg(*name, "syscalls.conf:%d: no name before '('", lineno);
		for (size_t i = 0; i < syscall_count && !found; i++)
			found = syscall_names[i] && strcmp(syscall_names[i], name) == 0;
		ck_assert_msg(found, "syscalls.conf:%d: '%s' is not a system call", lineno, name);
		decls++;
	}
	fclose(f);
	ck_assert_int_gt(decls, 50);
}
END_TEST

/* A fake tracee: a local buffer seen at address MEM_BASE. */
#define MEM_BASE 0x7ffc10000000ULL
static unsigned char mem[256];

static ssize_t mem_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	if (addr < MEM_BASE || addr >= MEM_BASE + sizeof(mem))
		return -1;
	if (len > MEM_BASE + sizeof(mem) - addr)
		len = MEM_BASE + sizeof(mem) - addr;
	memcpy(buf, mem + (addr - MEM_BASE), len);
	return (ssize_t)len;
}

static const struct tracee_mem fake_mem = { mem_read, NULL, NULL };

/*
 * Render system call NAME with the prototype of the shipped syscalls.conf as
 * "ENTRY|RETURNED ARGS|RETVAL". The arguments go in the registers of the function-call ABI
 * (rdi, rsi, rdx, rcx, r8, r9), where the engine puts a system call's (rdi, rsi, rdx, r10, r8,
 * r9) before rendering.
 */
static char *render(struct proto_db *db, const char *name, const uint64_t args[6], uint64_t ret)
{
	static const struct render_opts ro = { 32, 4, false };
	const struct prototype *p = proto_db_find(db, name, (const char *const[]){ "SYS" }, 1);
	struct user_regs_struct regs;

	ck_assert_msg(p != NULL, "syscalls.conf has no prototype for %s", name);
	memset(&regs, 0, sizeof(regs));
	regs.rdi = args[0];
	regs.rsi = args[1];
	regs.rdx = args[2];
	regs.rcx = args[3];
	regs.r8 = args[4];
	regs.r9 = args[5];
	regs.rax = ret;
	return render_call(p, &regs, &fake_mem, &ro);
}

#define CHECK_RENDER(db, name, expect, ret, ...) do { \
		char *s_ = render(db, name, (const uint64_t[6]){ __VA_ARGS__ }, ret); \
		ck_assert_str_eq(s_, expect); \
		free(s_); \
	} while (0)

/* The calls every trace shows, rendered as the integration test syscalls.test expects. */
START_TEST(conf_common_prototypes)
{
	char home[] = "/tmp/test_syscalls.home.XXXXXX";
	char *errs = NULL;
	size_t errlen = 0;
	FILE *err = open_memstream(&errs, &errlen);
	struct proto_db *db;

	/* Only the shipped file: keep the tester's own configuration out of the way. */
	ck_assert_ptr_nonnull(mkdtemp(home));
	setenv("HOME", home, 1);
	setenv("XDG_CONFIG_HOME", home, 1);
	setenv("XDG_CONFIG_DIRS", home, 1);
	setenv("LTRACE_PKGDATADIR", TOP_SRCDIR "/etc", 1);
	db = proto_db_load(NULL, err);
	ck_assert_ptr_nonnull(db);

	memcpy(mem, "hi\n", 3);
	CHECK_RENDER(db, "write", "1, \"hi\\n\", 3||3", 3, 1, MEM_BASE, 3);
	/* The buffer read is printed at the return, as long as the return value says. */
	memcpy(mem, "\177ELFjunk", 8);
	CHECK_RENDER(db, "read", "3, |\"\\177ELF\", 832|4", 4, 3, MEM_BASE, 832);
	memcpy(mem, "/etc/ld.so.cache", 17);
	CHECK_RENDER(db, "openat", "AT_FDCWD, \"/etc/ld.so.cache\", 0x80000, 0||3", 3,
		     (uint64_t)-100, MEM_BASE, 0x80000, 0);
	CHECK_RENDER(db, "openat", "AT_FDCWD, \"/etc/ld.so.cache\", 0x80000, 0||-2",
		     (uint64_t)-2, (uint64_t)-100, MEM_BASE, 0x80000, 0);
	/* Access modes are bits (R_OK = 4): octal, as ltrace 0.7 prints them. */
	memcpy(mem, "/etc/ld.so.preload", 19);
	CHECK_RENDER(db, "access", "\"/etc/ld.so.preload\", 04||-2", (uint64_t)-2, MEM_BASE, 4);
	CHECK_RENDER(db, "close", "3||0", 0, 3);
	CHECK_RENDER(db, "getpid", "||4242", 4242, 0);
	/* ssize_t: a failure shows as a negative number. */
	CHECK_RENDER(db, "getrandom", "0x7ffc10000000, 8, 0||8", 8, MEM_BASE, 8, 0);
	CHECK_RENDER(db, "getrandom", "0x7ffc10000000, 8, 0x1||-11", (uint64_t)-11,
		     MEM_BASE, 8, 1);
	CHECK_RENDER(db, "exit_group", "0||<void>", 0, 0);
	CHECK_RENDER(db, "mmap", "nil, 8192, 0x3, 0x22, -1, 0||0x7f5a1c2d3000", 0x7f5a1c2d3000,
		     0, 8192, 3, 0x22, (uint64_t)-1, 0);
	CHECK_RENDER(db, "brk", "nil||0x55d0d3e16000", 0x55d0d3e16000, 0);
	CHECK_RENDER(db, "brk", "0x55d0d3e37000||0x55d0d3e37000", 0x55d0d3e37000, 0x55d0d3e37000);

	proto_db_free(db);
	fclose(err);
	ck_assert_msg(errlen == 0, "loading syscalls.conf: %s", errs);
	free(errs);
	rmdir(home);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("syscalls");
	TCase *table = tcase_create("table");
	TCase *gen = tcase_create("generator");
	TCase *conf = tcase_create("syscalls.conf");
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
	tcase_add_test(conf, conf_names_are_syscalls);
	tcase_add_test(conf, conf_common_prototypes);
	suite_add_tcase(s, conf);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
