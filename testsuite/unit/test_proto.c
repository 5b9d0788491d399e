// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the prototype subsystem: parser, database search, x86_64
 * fetching and rendering, driven through a fake tracee (a local buffer
 * mapped at a fake address, and hand-made registers). */
#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "options.h"
#include "proto.h"
#include "render_call.h"
#include "proto/types.h"

/* ---- fake tracee ---------------------------------------------------- */

#define BASE 0x100000ULL
static uint8_t mem_buf[8192];
static struct user_fpregs_struct fake_fp;
static int fp_calls;
static int read_calls;

static ssize_t fake_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	read_calls++;
	if (addr < BASE || addr >= BASE + sizeof(mem_buf))
		return -1;
	if (len > BASE + sizeof(mem_buf) - addr)
		len = BASE + sizeof(mem_buf) - addr;
	memcpy(buf, mem_buf + (addr - BASE), len);
	return (ssize_t)len;
}

static int fake_fpregs(void *ctx, struct user_fpregs_struct *fp)
{
	fp_calls++;
	*fp = fake_fp;
	return 0;
}

static const struct tracee_mem fake_mem = { fake_read, fake_fpregs, NULL };
static struct render_opts ro = { 32, 4, false };
static struct user_regs_struct regs;

static void set_xmm(int i, double v)
{
	memcpy(&fake_fp.xmm_space[4 * i], &v, 8);
}

static uint64_t put_mem(size_t off, const void *data, size_t len)
{
	memcpy(mem_buf + off, data, len);
	return BASE + off;
}

static void reset(void)
{
	memset(mem_buf, 0, sizeof(mem_buf));
	memset(&regs, 0, sizeof(regs));
	memset(&fake_fp, 0, sizeof(fake_fp));
	regs.rsp = BASE + 4096; /* return address there, stack args above */
	fp_calls = read_calls = 0;
	ro.strlen_max = 32;
	ro.arraylen = 4;
}

/* ---- configuration helpers ------------------------------------------ */

static char rootdir[64];
static char tmpdir[96];
static char errbuf_path[128];

static void setup_env(void)
{
	/* A fresh directory per use, all under one root removed at exit. */
	snprintf(tmpdir, sizeof(tmpdir), "%s/XXXXXX", rootdir);
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	/* Keep the tester's own configuration out of the way. */
	setenv("HOME", tmpdir, 1);
	setenv("XDG_CONFIG_HOME", tmpdir, 1);
	setenv("XDG_CONFIG_DIRS", tmpdir, 1);
	setenv("LTRACE_PKGDATADIR", tmpdir, 1);
	snprintf(errbuf_path, sizeof(errbuf_path), "%s/err.txt", tmpdir);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* Load TEXT as a -F file named test.conf; errors go to *ERRS. */
static struct proto_db *load_conf(const char *text, char **errs)
{
	char path[256];
	char *paths[2] = { path, NULL };
	struct options opts;
	FILE *err;
	struct proto_db *db;
	size_t len;

	setup_env();
	snprintf(path, sizeof(path), "%s/test.conf", tmpdir);
	write_file(path, text);
	memset(&opts, 0, sizeof(opts));
	opts.config_paths = paths;
	err = open_memstream(errs, &len);
	db = proto_db_load(&opts, err);
	fclose(err);
	return db;
}

static const struct prototype *find(struct proto_db *db, const char *name)
{
	return proto_db_find(db, name, NULL, 0);
}

/* Run entry and return with the current regs; return "ENTRY|ARGS|RET". */
static char *trace(const struct prototype *p)
{
	return render_call(p, &regs, &fake_mem, &ro);
}

static void check_trace(struct proto_db *db, const char *name, const char *expect)
{
	const struct prototype *p = find(db, name);
	char *s;

	ck_assert_msg(p != NULL, "no prototype for %s", name);
	s = trace(p);
	ck_assert_str_eq(s, expect);
	free(s);
}

/* ---- parser ------------------------------------------------------- */

START_TEST(test_parse_good)
{
	char *errs = NULL;
	struct proto_db *db = load_conf(
		"; comment\n"
		"# another comment\n"
		"\n"
		"typedef myint = int;\n"
		"  typedef\tnode = struct;\n"
		"typedef node = struct(int, node*);\n"
		"function int f1 ( myint , node* ) ;\n"
		"int open(string,int,octal);\t\t; trailing comment\n"
		"typedef typedef1 = int;\n"
		"typedef1 f2();\n"
		"typedef a = int; a f3(a);\n"
		"void f4(void);\n"
		"long f5(+string0, array(int, arg1)*, string[elt2], enum[uint](A, B=5, C), "
		"bitvec(uint), hex(long), bool(int), stringN, string3, string(char*), zero);\n",
		&errs);

	ck_assert_ptr_nonnull(db);
	ck_assert_ptr_nonnull(find(db, "f1"));
	ck_assert_int_eq(find(db, "f1")->nparams, 2);
	ck_assert_ptr_nonnull(find(db, "open"));
	ck_assert_int_eq(find(db, "open")->nparams, 3);
	ck_assert_ptr_nonnull(find(db, "f2"));
	ck_assert_int_eq(find(db, "f2")->ret->kind, T_INT);
	ck_assert_ptr_nonnull(find(db, "f3"));
	ck_assert_int_eq(find(db, "f4")->nparams, 0);
	ck_assert_ptr_null(find(db, "f5")); /* stringN and zero are not types */
	ck_assert_ptr_null(find(db, "nonexistent"));
	ck_assert_msg(strstr(errs, "test.conf:13: error:") != NULL, "errs: %s", errs);
	ck_assert_msg(strstr(errs, "test.conf:12") == NULL, "errs: %s", errs);
	free(errs);
	proto_db_free(db);
}
END_TEST

START_TEST(test_parse_errors)
{
	char *errs = NULL;
	struct proto_db *db = load_conf(
		"int good1(int);\n"
		"foo bad1(int);\n"
		"int bad2(int;\n"
		"typedef aa = int;\n"
		"typedef aa = long;\n"
		"enum[float](X) bad3();\n"
		"import \"nosuchlib\";\n"
		"int good2(int, void, int);\n"
		"int bad4(int) extra\n"
		"struct bad5();\n"
		"int good3(char);\n",
		&errs);
	char exp[256];

	ck_assert_ptr_nonnull(db);
	ck_assert_ptr_nonnull(find(db, "good1"));
	ck_assert_ptr_nonnull(find(db, "good2"));
	ck_assert_int_eq(find(db, "good2")->params[1]->lens, L_HIDE);
	ck_assert_ptr_nonnull(find(db, "good3"));
	ck_assert_ptr_null(find(db, "bad1"));
	ck_assert_ptr_null(find(db, "bad2"));
	ck_assert_ptr_null(find(db, "bad3"));
	ck_assert_ptr_null(find(db, "bad4"));
	ck_assert_ptr_null(find(db, "bad5"));
#define HAS(line, text)                                                        \
	do {                                                                   \
		snprintf(exp, sizeof(exp), "%s/test.conf:%d: %s", tmpdir, line, text); \
		ck_assert_msg(strstr(errs, exp) != NULL, "missing <%s> in:\n%s", exp, errs); \
	} while (0)
	HAS(2, "error: unknown type 'foo'");
	HAS(3, "error: expected ','");
	HAS(5, "error: Redefinition of typedef 'aa'");
	HAS(6, "error: integral type required as enum argument");
	HAS(7, "error: \"nosuchlib.conf\" not found");
	HAS(8, "warning: void parameter assumed to be 'hide(int)'");
	HAS(9, "error: expected ';'");
	HAS(10, "error:");
	free(errs);
	proto_db_free(db);
}
END_TEST

/* Issue #11: the rest of the 0.7.91 language and rendering. */
START_TEST(test_parse_eol)
{
	char *errs = NULL;
	struct proto_db *db = load_conf(
		"int func_intptr_ret(int*)\n"
		"int f_semi(int);\n"
		"int f_extra(int) extra\n"
		"int f_next(int)\n",
		&errs);
	int v = 42;

	ck_assert_ptr_nonnull(db);
	ck_assert_msg(strstr(errs, "test.conf:1:") == NULL, "errs: %s", errs);
	ck_assert_msg(strstr(errs, "test.conf:3: error: expected ';'") != NULL, "errs: %s", errs);
	ck_assert_ptr_nonnull(find(db, "f_semi"));
	ck_assert_ptr_null(find(db, "f_extra"));
	ck_assert_ptr_nonnull(find(db, "f_next"));
	reset();
	regs.rdi = put_mem(0, &v, sizeof(v));
	regs.rax = 7;
	check_trace(db, "func_intptr_ret", "42||7");
	free(errs);
	proto_db_free(db);
}
END_TEST

START_TEST(test_missing_F)
{
	char *paths[] = { (char *)"/nonexistent/ltrace-x.conf", NULL };
	struct options opts;

	memset(&opts, 0, sizeof(opts));
	opts.config_paths = paths;
	setup_env();
	ck_assert_ptr_null(proto_db_load(&opts, stderr));
}
END_TEST

START_TEST(test_search)
{
	char dir[256], path[300], fpath[256];
	char *paths[3] = { dir, fpath, NULL };
	struct options opts;
	struct proto_db *db;
	const char *const libc[] = { "libc.so.6" };
	const char *const libx[] = { "libx.so.1.2" };
	const char *const sys[] = { "SYS" };
	const char *const two[] = { "libnone.so", "libc.so.6" };

	setup_env();
	snprintf(dir, sizeof(dir), "%s/d", tmpdir);
	mkdir(dir, 0700);
	snprintf(path, sizeof(path), "%s/libc.so.conf", dir);
	write_file(path, "import \"types\";\nmytype fc(int);\nint both(int);\n");
	snprintf(path, sizeof(path), "%s/types.conf", dir);
	write_file(path, "typedef mytype = hex(int);\nint fromtypes();\n");
	snprintf(path, sizeof(path), "%s/libx.conf", dir);
	write_file(path, "int never();\n");
	snprintf(path, sizeof(path), "%s/syscalls.conf", dir);
	write_file(path, "int sysonly();\n");
	snprintf(fpath, sizeof(fpath), "%s/custom.conf", tmpdir);
	write_file(fpath, "int mysql_real_query(addr,string,ulong);\nlong both(long);\n");

	memset(&opts, 0, sizeof(opts));
	opts.config_paths = paths;
	db = proto_db_load(&opts, stderr);
	ck_assert_ptr_nonnull(db);
	ck_assert_ptr_nonnull(proto_db_find(db, "fc", libc, 1));
	ck_assert_int_eq(proto_db_find(db, "fc", libc, 1)->ret->lens, L_HEX);
	ck_assert_ptr_nonnull(proto_db_find(db, "fromtypes", libc, 1));
	/* The protolib's own definition wins over the implicit import. */
	ck_assert_int_eq(proto_db_find(db, "both", libc, 1)->params[0]->kind, T_INT);
	/* -F files are imported into every library. */
	ck_assert_ptr_nonnull(proto_db_find(db, "mysql_real_query", libc, 1));
	ck_assert_ptr_nonnull(proto_db_find(db, "mysql_real_query", libx, 1));
	/* Never below X.so: libx.so.1.2 does not find libx.conf. */
	ck_assert_ptr_null(proto_db_find(db, "never", libx, 1));
	ck_assert_ptr_nonnull(proto_db_find(db, "fc", two, 2));
	ck_assert_ptr_nonnull(proto_db_find(db, "sysonly", sys, 1));
	ck_assert_ptr_null(proto_db_find(db, "mysql_real_query", sys, 1));
	proto_db_free(db);
}
END_TEST

/* ---- rendering -------------------------------------------------------- */

START_TEST(test_render_scalars)
{
	char *errs = NULL;
	struct proto_db *db = load_conf(
		"int f_int(int, uint, long, ulong, short, ushort);\n"
		"char f_char(char, char, char, char);\n"
		"octal f_oct(octal, oct(uint), hex(int), hex(uint));\n"
		"bool(int) f_bool(bool(int), bool(int));\n"
		"enum(RED, GREEN=5, BLUE) f_enum(enum(RED, GREEN=5, BLUE), enum(A));\n"
		"bitvec(uint) f_bv(bitvec(uint), bitvec(uint), bitvec(uint));\n"
		"void f_void(addr, addr, file, hide(int), int);\n"
		"enum[ushort](A=-1, B) f_enum_narrow(enum[ushort](A=-1), enum[uint](A=-1), "
		"enum[char](A=-1), enum[short](A=65535));\n",
		&errs);

	ck_assert_str_eq(errs, "");
	reset();
	regs.rdi = 0xfffffffbULL; /* -5 as int; upper half garbage-free */
	regs.rsi = 0xffffffffULL;
	regs.rdx = (uint64_t)-7;
	regs.rcx = (uint64_t)-1;
	regs.r8 = 0x12348000; /* short -32768 */
	regs.r9 = 0xffff;
	regs.rax = 0x1234567800000003ULL;
	check_trace(db, "f_int", "-5, 4294967295, -7, 18446744073709551615, -32768, 65535||3");
	regs.rdi = '\n';
	regs.rsi = 0xff;
	regs.rdx = 'x';
	regs.rcx = 1;
	regs.rax = '\'';
	check_trace(db, "f_char", "'\\n', EOF, 'x', '\\001'||'\\''");
	regs.rdi = 0755;
	regs.rsi = 0;
	regs.rdx = 0xbeef;
	regs.rcx = 0xffffffff;
	regs.rax = 0644;
	check_trace(db, "f_oct", "0755, 0, 0xbeef, 0xffffffff||0644");
	regs.rdi = 0;
	regs.rsi = 7;
	regs.rax = 1;
	check_trace(db, "f_bool", "false, true||true");
	regs.rdi = 6;
	regs.rsi = 3;
	regs.rax = 5;
	check_trace(db, "f_enum", "BLUE, 3||GREEN");
	regs.rdi = 0xb8; /* bits 3-5,7 */
	regs.rsi = 0xfffffffe;
	regs.rdx = 0;
	regs.rax = 0xb8;
	check_trace(db, "f_bv", "<3-5,7>, ~<0>, <>||<3-5,7>");
	regs.rdi = 0x7ffd2a974120;
	regs.rsi = 0;
	regs.rdx = 0x10;
	regs.rcx = 99;
	regs.r8 = 42;
	check_trace(db, "f_void", "0x7ffd2a974120, nil, 0x10, 42||<void>");
	/* Enumerator values are cut to the base type's width. */
	regs.rdi = 0xffff;
	regs.rsi = 0xffffffff;
	regs.rdx = 0xff;
	regs.rcx = 0xffff;
	regs.rax = 0xffff;
	check_trace(db, "f_enum_narrow", "A, A, A, A||A");
	regs.rdi = 0xfffe;
	regs.rax = 0;
	check_trace(db, "f_enum_narrow", "65534, A, A, A||B");
	free(errs);
	proto_db_free(db);
}
END_TEST

START_TEST(test_render_default)
{
	const struct prototype *p = proto_default();
	char *s;

	reset();
	regs.rdi = 4;
	regs.rsi = 0x7ffd2a974120;
	regs.rdx = 0;
	regs.rcx = (uint64_t)-10000;
	regs.rax = 15;
	s = trace(p);
	ck_assert_str_eq(s, "4, 0x7ffd2a974120, 0, -10000||15");
	free(s);
	regs.rcx = (uint64_t)-10001;
	regs.rax = 10001;
	s = trace(p);
	ck_assert_str_eq(s, "4, 0x7ffd2a974120, 0, 0xffffffffffffd8ef||0x2711");
	free(s);
}
END_TEST

START_TEST(test_render_strings)
{
	char *errs = NULL;
	struct proto_db *db = load_conf(
		"long write(int, string3, ulong);\n"
		"int puts(string);\n"
		"int snprintf(+string, ulong, format);\n"
		"long read(int, +string0, ulong);\n"
		"int f_charp(char*, int*, int*);\n"
		"void f_strn(string[2], string[zero(3)]);\n",
		&errs);
	const char fox[] = "The quick brown fox jumps over the lazy dog";
	uint64_t a;

	ck_assert_str_eq(errs, "");
	reset();
	regs.rdi = 3;
	regs.rsi = put_mem(0, "a\tb\n\001\377\"\\zzz", 12);
	regs.rdx = 8;
	regs.rax = 6;
	check_trace(db, "write", "3, \"a\\tb\\n\\001\\377\\\"\\\\\", 8||6");
	regs.rdi = put_mem(100, fox, sizeof(fox));
	check_trace(db, "puts", "\"The quick brown fox jumps over t\"...||6");
	ro.strlen_max = 8;
	check_trace(db, "puts", "\"The quic\"...||6");
	ro.strlen_max = (int)strlen(fox);
	check_trace(db, "puts", "\"The quick brown fox jumps over the lazy dog\"||6");
	regs.rdi = 0;
	check_trace(db, "puts", "nil||6");
	regs.rdi = 0xdead0000; /* unreadable */
	check_trace(db, "puts", "?||6");

	/* A return argument is read at return. */
	reset();
	regs.rdi = put_mem(0, "25", 3);
	regs.rsi = 64;
	regs.rdx = put_mem(200, "%d|%5.2f|%c|%x|%s|%%|%ld", 25);
	regs.rcx = 25;
	regs.r8 = 'Z';
	regs.r9 = 0xff;
	a = put_mem(300, "str", 4);
	memcpy(mem_buf + 4096 + 8, &a, 8); /* %s: first stack argument */
	a = (uint64_t)-3;
	memcpy(mem_buf + 4096 + 16, &a, 8);
	set_xmm(0, 3.14159);
	regs.rax = 2;
	check_trace(db, "snprintf",
		    "|\"25\", 64, \"%d|%5.2f|%c|%x|%s|%%|%ld\", 25, 3.141590, 'Z', 0xff, \"str\", -3|2");
	ck_assert_int_eq(fp_calls, 1);

	reset();
	regs.rdi = 3;
	regs.rsi = put_mem(0, "data and more", 14);
	regs.rdx = 4096;
	regs.rax = 4;
	check_trace(db, "read", "3, |\"data\", 4096|4");

	reset();
	regs.rdi = put_mem(0, "Q", 1);
	regs.rsi = 0;
	regs.rdx = 0x1000; /* unreadable */
	regs.rax = 81;
	check_trace(db, "f_charp", "'Q', nil, ?||81");
	regs.rdi = put_mem(0, "abcdef", 7);
	regs.rsi = put_mem(16, "abcdef", 7);
	check_trace(db, "f_strn", "\"ab\", \"abc\"||<void>");
	free(errs);
	proto_db_free(db);
}
END_TEST

/* Wide strings and wide characters, directly and through format packs; long double
 * conversions stop the pack instead of misaligning what follows. */
START_TEST(test_render_wide)
{
	char *errs;
	struct proto_db *db = load_conf(
		"int wputs(string(array(int, zero)*));\n"
		"int wprintf(format);\n",
		&errs);
	const uint32_t w[] = { 'h', '"', 0xe9, 0x1f600, 0 };
	const uint32_t wide[] = { 'w', 'i', 0 };

	ck_assert_str_eq(errs, "");
	reset();
	regs.rdi = put_mem(0, w, sizeof(w));
	regs.rax = 4;
	check_trace(db, "wputs", "\"h\\\"\\u00e9\\U0001f600\"||4");
	ro.strlen_max = 2;
	check_trace(db, "wputs", "\"h\\\"\"...||4");

	reset();
	regs.rdi = put_mem(0, "%lc %ls %S %C|%Lf %d", 21);
	regs.rsi = 'W';
	regs.rdx = put_mem(64, wide, sizeof(wide));
	regs.rcx = put_mem(64, wide, sizeof(wide));
	regs.r8 = 0xe9;
	regs.rax = 9;
	check_trace(db, "wprintf", "\"%lc %ls %S %C|%Lf %d\", 'W', \"wi\", \"wi\", '\\u00e9'||9");
	free(errs);
	proto_db_free(db);
}
END_TEST

/* DWARF lookups never fail loudly: no object, no debug information, no such function. */
/* Lenses over pointers apply to the pointee (issue #11); over addr, to the address;
 * bitvec over arrays and structures numbers the bits of their bytes. */
START_TEST(test_render_lens_ptr)
{
	char *errs;
	struct proto_db *db = load_conf(
		"typedef up = uint*;\n"
		"void l_hex(hex(up), hex(array(int, 3)*), hex(addr), oct(uint*), bool(int*));\n"
		"void l_bits(bitvec(array(char, 2)*), struct(bitvec(array(char, 2)), int), hex(uint*));\n",
		&errs);
	const uint32_t v = 0x123, a[3] = { 1, 10, 255 }, o = 0755;
	const int32_t z = 0;
	const uint8_t bits[2] = { 0xff, 0x7f };

	ck_assert_str_eq(errs, "");
	reset();
	regs.rdi = put_mem(0, &v, 4);
	regs.rsi = put_mem(16, a, sizeof(a));
	regs.rdx = 0x1234;
	regs.rcx = put_mem(32, &o, 4);
	regs.r8 = put_mem(48, &z, 4);
	check_trace(db, "l_hex", "0x123, [ 0x1, 0xa, 0xff ], 0x1234, 0755, false||<void>");
	reset();
	regs.rdi = put_mem(0, bits, 2);
	regs.rsi = 0x0003 | (7ULL << 32); /* the struct's 2 bytes, then its int */
	regs.rdx = 0;
	check_trace(db, "l_bits", "~<15>, { <0-1>, 7 }, nil||<void>");
	free(errs);
	proto_db_free(db);
}
END_TEST

START_TEST(test_dwarf_missing)
{
	char *errs;
	struct proto_db *db = load_conf("int f(int);\n", &errs);

	ck_assert_ptr_null(proto_db_find_dwarf(db, "f", NULL));
	ck_assert_ptr_null(proto_db_find_dwarf(db, "f", "/nonexistent/libx.so"));
	ck_assert_ptr_null(proto_db_find_dwarf(db, "f", "/nonexistent/libx.so")); /* cached */
	ck_assert_ptr_null(proto_db_find_dwarf(db, "no_such_function_anywhere", "/proc/self/exe"));
	ck_assert_ptr_null(proto_db_find_dwarf(NULL, "f", "/proc/self/exe"));
	free(errs);
	proto_db_free(db);
}
END_TEST

START_TEST(test_render_compound)
{
	char *errs = NULL;
	struct proto_db *db = load_conf(
		"typedef node = struct;\n"
		"typedef node = struct(int, node*);\n"
		"typedef pt = struct(int, int);\n"
		"int t_array(array(int, arg2), int);\n"
		"pt t_struct_val(pt);\n"
		"int t_list(node*);\n"
		"float t_float(float, double);\n"
		"typedef big = struct(long, long, long);\n"
		"big t_big(int, big, int);\n"
		"typedef mix = struct(double, long);\n"
		"mix t_mix(mix, float);\n"
		"int t_loop(node*);\n"
		"void t_lenstr(struct(int, string[elt1]));\n"
		"struct() t_empty(struct()*, int);\n"
		"void t_empty_arg(struct(), int);\n"
		"void t_fixstr(struct(string(array(char, 6)), int), string(array(char, 4)*));\n",
		&errs);
	int arr[6] = { 1, 2, 3, 4, 5, 6 };
	struct { int v; uint32_t pad; uint64_t next; } nodes[3];
	int64_t bigv[3] = { 7, 8, 9 };
	double d;

	ck_assert_str_eq(errs, "");
	reset();
	regs.rdi = put_mem(0, arr, sizeof(arr));
	regs.rsi = 6;
	regs.rax = 21;
	check_trace(db, "t_array", "[ 1, 2, 3, 4... ], 6||21");
	ro.arraylen = 2;
	check_trace(db, "t_array", "[ 1, 2... ], 6||21");
	ro.arraylen = 6;
	check_trace(db, "t_array", "[ 1, 2, 3, 4, 5, 6 ], 6||21");

	/* An empty struct is "{  }" by value and through a pointer. */
	reset();
	regs.rdi = BASE;
	regs.rsi = 5;
	regs.rax = 0;
	check_trace(db, "t_empty", "{  }, 5||{  }");
	regs.rdi = 6; /* the empty struct takes no register */
	check_trace(db, "t_empty_arg", "{  }, 6||<void>");

	/* A fixed-length char array by value is a string of all its bytes,
	 * NULs too; through a pointer it still ends at the first NUL. */
	reset();
	memcpy(&regs.rdi, "ABCDE\0\0", 8);
	regs.rsi = 3;
	regs.rdx = put_mem(0, "A\0" "1\0", 4);
	check_trace(db, "t_fixstr", "{ \"ABCDE\\0\", 3 }, \"A\"||<void>");
	ro.strlen_max = 4;
	check_trace(db, "t_fixstr", "{ \"ABCD\"..., 3 }, \"A\"||<void>");

	reset();
	regs.rdi = 3 | (4ULL << 32);
	regs.rax = 4 | (4ULL << 32);
	check_trace(db, "t_struct_val", "{ 3, 4 }||{ 4, 4 }");

	reset();
	for (int i = 0; i < 3; i++) {
		nodes[i].v = i + 1;
		nodes[i].pad = 0;
		nodes[i].next = i < 2 ? BASE + 512 + 16 * (i + 1) : 0;
	}
	regs.rdi = put_mem(512, nodes, sizeof(nodes));
	regs.rax = 3;
	check_trace(db, "t_list", "{ 1, { 2, { 3, nil } } }||3");
	ro.arraylen = 2;
	check_trace(db, "t_list", "{ 1, { 2, ... } }||3");
	/* A cycle prints back-references. */
	reset();
	nodes[0].next = BASE + 512 + 16;
	nodes[1].next = BASE + 512;
	put_mem(512, nodes, 32);
	regs.rdi = BASE + 512;
	regs.rax = 0;
	check_trace(db, "t_loop", "{ 1, { 2, recurse^ } }||0");
	nodes[0].next = BASE + 512;
	put_mem(512, nodes, 32);
	check_trace(db, "t_loop", "{ 1, recurse }||0");

	reset();
	set_xmm(0, 0); /* float 1.5 in the low 4 bytes */
	{
		float f = 1.5f;

		memcpy(&fake_fp.xmm_space[0], &f, 4);
	}
	set_xmm(1, 2.25);
	check_trace(db, "t_float", "1.500000, 2.250000||1.500000");

	/* MEMORY class: hidden pointer in rdi, struct copy on the stack. */
	reset();
	regs.rdi = BASE + 1024;
	regs.rsi = 1;
	regs.rdx = 2;
	put_mem(4096 + 8, bigv, sizeof(bigv));
	regs.rax = BASE + 1024;
	put_mem(1024, (int64_t[3]){ 1, 2, 3 }, 24);
	check_trace(db, "t_big", "1, { 7, 8, 9 }, 2||{ 1, 2, 3 }");

	/* Mixed classes: double in xmm0, long in rdi; return xmm0 + rax. */
	reset();
	set_xmm(0, 0.5);
	set_xmm(1, 0); /* the float */
	regs.rdi = 42;
	regs.rax = 43;
	check_trace(db, "t_mix", "{ 0.500000, 42 }, 0.000000||{ 0.500000, 43 }");
	d = 0;
	(void)d;

	/* A long list under a huge -A: bounded depth, no crash. */
	reset();
	for (int i = 0; i < 400; i++) {
		int64_t nd[2] = { i, (int64_t)(BASE + 16 * (i + 1)) };

		put_mem(16 * i, nd, 16);
	}
	ro.arraylen = 1000000;
	regs.rdi = BASE;
	{
		const struct prototype *p = find(db, "t_list");
		char *s = trace(p);

		ck_assert_ptr_nonnull(strstr(s, "{ 255, ... }"));
		free(s);
	}
	/* Garbage pointers never crash, they print "?". */
	reset();
	regs.rdi = 0xffffffffffffff00ULL;
	check_trace(db, "t_list", "?||0");
	regs.rdi = BASE + sizeof(mem_buf) - 4; /* struct straddles the end */
	check_trace(db, "t_list", "?||0");

	/* eltN: a length taken from a sibling field. */
	reset();
	regs.rdi = 3;
	regs.rsi = put_mem(0, "abcdef", 7);
	check_trace(db, "t_lenstr", "{ 3, \"abc\" }||<void>");
	/* -A bounds structures reached through pointers only (0.7.91): one
	 * passed by value prints in full even under -A 0 (issue #11). */
	ro.arraylen = 0;
	check_trace(db, "t_lenstr", "{ 3, \"abc\" }||<void>");
	free(errs);
	proto_db_free(db);
}
END_TEST

START_TEST(test_classify)
{
	struct type t_int = { .kind = T_INT }, t_float = { .kind = T_FLOAT };
	struct type t_double = { .kind = T_DOUBLE }, t_char = { .kind = T_CHAR };
	struct type t_long = { .kind = T_LONG };
	struct type *ff[] = { &t_float, &t_float };
	struct type *fcc[] = { &t_float, &t_char, &t_char };
	struct type *dl[] = { &t_double, &t_long };
	struct type *lll[] = { &t_long, &t_long, &t_long };
	struct type s_ff = { .kind = T_STRUCT, .fields = ff, .nfields = 2 };
	struct type s_fcc = { .kind = T_STRUCT, .fields = fcc, .nfields = 3 };
	struct type s_dl = { .kind = T_STRUCT, .fields = dl, .nfields = 2 };
	struct type s_lll = { .kind = T_STRUCT, .fields = lll, .nfields = 3 };
	char cls[2];

	ck_assert_int_eq(fetch_classify(&t_int, cls), 1);
	ck_assert_int_eq(cls[0], 'I');
	ck_assert_int_eq(fetch_classify(&s_ff, cls), 1);
	ck_assert_int_eq(cls[0], 'S');
	ck_assert_int_eq(fetch_classify(&s_fcc, cls), 1);
	ck_assert_int_eq(cls[0], 'I');
	ck_assert_int_eq(type_size(&s_fcc), 8);
	ck_assert_int_eq(fetch_classify(&s_dl, cls), 2);
	ck_assert_int_eq(cls[0], 'S');
	ck_assert_int_eq(cls[1], 'I');
	ck_assert_int_eq(fetch_classify(&s_lll, cls), 0);
}
END_TEST

START_TEST(test_stack_args)
{
	char *errs = NULL;
	struct proto_db *db = load_conf("int f8(int,int,int,int,int,int,int,long);\n"
					"int fd(double,double,double,double,double,double,double,"
					"double,double,int);\n",
					&errs);
	int64_t st[2] = { 7, -8 };

	reset();
	regs.rdi = 1; regs.rsi = 2; regs.rdx = 3; regs.rcx = 4; regs.r8 = 5; regs.r9 = 6;
	put_mem(4096 + 8, st, sizeof(st));
	check_trace(db, "f8", "1, 2, 3, 4, 5, 6, 7, -8||0");
	for (int i = 0; i < 8; i++)
		set_xmm(i, i + 0.5);
	st[0] = 0;
	{
		double nine = 8.5;

		memcpy(&st[0], &nine, 8);
	}
	put_mem(4096 + 8, st, 8);
	regs.rdi = 11;
	check_trace(db, "fd", "0.500000, 1.500000, 2.500000, 3.500000, 4.500000, 5.500000, "
			      "6.500000, 7.500000, 8.500000, 11||0");
	free(errs);
	proto_db_free(db);
}
END_TEST

START_TEST(test_shipped_libc)
{
	char *pkg;
	struct proto_db *db;
	const char *const libc[] = { "libc.so.6" };
	const struct prototype *p;
	char *s;

	setup_env();
	pkg = TOP_SRCDIR "/etc";
	setenv("LTRACE_PKGDATADIR", pkg, 1);
	{
		char *errs = NULL;
		size_t len;
		FILE *err = open_memstream(&errs, &len);

		db = proto_db_load(NULL, err);
		ck_assert_ptr_nonnull(db);
		/* Loading is lazy: look something up in every shipped file. */
		proto_db_find(db, "x", (const char *const[]){ "libc.so.6", "libm.so.6",
				"libpthread.so.0", "libmysqlclient.so.21", "libmariadb.so.3", "SYS" }, 6);
		fclose(err);
		ck_assert_msg(!strstr(errs, "error"), "shipped files: %s", errs);
		free(errs);
	}
	p = proto_db_find(db, "signal", libc, 1);
	ck_assert_ptr_nonnull(p);
	reset();
	regs.rdi = 10;
	regs.rsi = 0x55a29f6bd1d2;
	s = trace(p);
	ck_assert_str_eq(s, "SIGUSR1, 0x55a29f6bd1d2||nil");
	free(s);
	p = proto_db_find(db, "open", libc, 1);
	ck_assert_ptr_nonnull(p);
	regs.rdi = put_mem(0, "/dev/null", 10);
	regs.rsi = 65;
	regs.rdx = 0644;
	regs.rax = 3;
	s = trace(p);
	ck_assert_str_eq(s, "\"/dev/null\", 65, 0644||3");
	free(s);
	p = proto_db_find(db, "kill", libc, 1);
	ck_assert_ptr_nonnull(p);
	regs.rdi = 12916;
	regs.rsi = 10;
	regs.rax = 0;
	s = trace(p);
	ck_assert_str_eq(s, "12916, SIGUSR1||0");
	free(s);
	p = proto_db_find(db, "write", libc, 1);
	ck_assert_ptr_nonnull(p);
	regs.rdi = 1;
	regs.rsi = put_mem(0, "sig\nXYZ", 8);
	regs.rdx = 4;
	regs.rax = 4;
	s = trace(p);
	ck_assert_str_eq(s, "1, \"sig\\n\", 4||4");
	free(s);
	p = proto_db_find(db, "snprintf", libc, 1);
	ck_assert_ptr_nonnull(p);
	regs.rdi = put_mem(0, "25", 3);
	regs.rsi = 64;
	regs.rdx = put_mem(16, "%d", 3);
	regs.rcx = 25;
	regs.rax = 2;
	s = trace(p);
	ck_assert_str_eq(s, "|\"25\", 64, \"%d\", 25|2");
	free(s);
	/* Functions that Debian's /etc/ltrace.conf does not know. */
	ck_assert_ptr_nonnull(proto_db_find(db, "clock_gettime", libc, 1));
	ck_assert_ptr_nonnull(proto_db_find(db, "pthread_mutex_lock", libc, 1));
	ck_assert_ptr_nonnull(proto_db_find(db, "cos", (const char *const[]){ "libm.so.6" }, 1));
	p = proto_db_find(db, "mysql_real_query",
			  (const char *const[]){ "libmysqlclient.so.21" }, 1);
	ck_assert_ptr_nonnull(p);
	regs.rdi = 0x5555deadbeef;
	regs.rsi = put_mem(0, "SELECT 1;garbage", 16);
	regs.rdx = 8;
	regs.rax = 0;
	s = trace(p);
	ck_assert_str_eq(s, "0x5555deadbeef, \"SELECT 1\", 8||0");
	free(s);
	ck_assert_ptr_nonnull(proto_db_find(db, "mysql_real_query",
					    (const char *const[]){ "libmariadb.so.3" }, 1));
	/* System calls use syscalls.conf only. */
	p = proto_db_find(db, "openat", (const char *const[]){ "SYS" }, 1);
	ck_assert_ptr_nonnull(p);
	regs.rdi = (uint64_t)-100;
	regs.rsi = put_mem(0, "/etc/x", 7);
	regs.rdx = 0x80000;
	regs.rcx = 0;
	regs.rax = 3;
	s = trace(p);
	ck_assert_str_eq(s, "AT_FDCWD, \"/etc/x\", 0x80000, 0||3");
	free(s);
	ck_assert_ptr_null(proto_db_find(db, "puts", (const char *const[]){ "SYS" }, 1));
	p = proto_db_find(db, "usleep", libc, 1);
	ck_assert_ptr_nonnull(p);
	regs.rdi = 1000;
	s = trace(p);
	ck_assert_str_eq(s, "1000||3");
	free(s);
	proto_db_free(db);
}
END_TEST

static Suite *proto_suite(void)
{
	Suite *s = suite_create("proto");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_parse_good);
	tcase_add_test(tc, test_parse_errors);
	tcase_add_test(tc, test_parse_eol);
	tcase_add_test(tc, test_missing_F);
	tcase_add_test(tc, test_search);
	tcase_add_test(tc, test_render_scalars);
	tcase_add_test(tc, test_render_default);
	tcase_add_test(tc, test_render_strings);
	tcase_add_test(tc, test_render_compound);
	tcase_add_test(tc, test_render_wide);
	tcase_add_test(tc, test_render_lens_ptr);
	tcase_add_test(tc, test_dwarf_missing);
	tcase_add_test(tc, test_classify);
	tcase_add_test(tc, test_stack_args);
	tcase_add_test(tc, test_shipped_libc);
	suite_add_tcase(s, tc);
	return s;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	remove(path);
	return 0;
}

int main(void)
{
	SRunner *sr = srunner_create(proto_suite());
	int failed;

	strcpy(rootdir, "/tmp/ltrace-proto-XXXXXX");
	if (!mkdtemp(rootdir)) {
		perror("mkdtemp");
		return 99;
	}

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	nftw(rootdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
