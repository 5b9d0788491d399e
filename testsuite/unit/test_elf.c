// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the pure parts of the engine: ELF/PLT decoding on objects
 * compiled here, in every PLT flavour; the x86-64 instruction decoder
 * against objdump; the emulator; and trace line formatting. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arch.h"
#include "common.h"
#include "elf_file.h"
#include "insn.h"
#include "options.h"
#include "output.h"
#include "proc.h"

static char tmpdir[] = "/tmp/ltrace-unit-XXXXXX";

static const char *prog_src =
	"#include <stdio.h>\n"
	"#include <stdlib.h>\n"
	"#include <string.h>\n"
	"static int helper(int x) { return abs(x) + 1; }\n"
	"int (*fp)(int) = abs;\n"
	"int main(int argc, char **argv) {\n"
	"  puts(\"x\"); printf(\"%d\\n\", helper(argc));\n"
	"  return (int)strlen(argv[0]) + fp(-1);\n"
	"}\n";

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	char path[256];
	snprintf(path, sizeof(path), "%s/prog.c", tmpdir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(prog_src, f);
	fclose(f);
}

static void teardown(void)
{
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmpdir);
	strcpy(tmpdir, "/tmp/ltrace-unit-XXXXXX");
}

/* Build prog.c with FLAGS (main() registers only the flavours the toolchain can build). */
static struct elf_file *build(const char *name, const char *flags)
{
	char cmd[1024], out[300];
	snprintf(out, sizeof(out), "%s/%s", tmpdir, name);
	snprintf(cmd, sizeof(cmd), "gcc -O0 -fno-builtin %s -o %s %s/prog.c", flags, out, tmpdir);
	ck_assert_msg(system(cmd) == 0, "cannot build: %s", cmd);
	char *why = NULL;
	struct elf_file *ef = elf_read(out, &why);
	ck_assert_msg(ef != NULL, "elf_read(%s): %s", out, why ? why : "?");
	return ef;
}

static const struct elf_plt *find_plt(const struct elf_file *ef, const char *name)
{
	for (size_t i = 0; i < ef->nplts; i++)
		if (!strcmp(ef->plts[i].name, name))
			return &ef->plts[i];
	return NULL;
}

struct flavour {
	const char *name, *flags;
	bool stubs; /* calls go through PLT stubs (else straight through the GOT) */
	bool ibt;   /* must have a .plt.sec */
};

static const struct flavour flavours[] = {
	{ "lazy", "", true, false },
	{ "now", "-Wl,-z,now", true, false },
	{ "ibt", "-fcf-protection=full -Wl,-z,ibtplt", true, true },
	{ "ibtnow", "-fcf-protection=full -Wl,-z,ibtplt -Wl,-z,now", true, true },
	{ "nopie", "-no-pie", true, false },
	{ "noplt", "-fno-plt", false, false },
	{ "nopienoplt", "-fno-plt -no-pie", false, false },
};

START_TEST(test_plt_flavours)
{
	const struct flavour *fl = &flavours[_i];
	struct elf_file *ef = build(fl->name, fl->flags);
	const char *calls[] = { "puts", "printf", "strlen", "abs" };
	for (size_t i = 0; i < ARRAY_SIZE(calls); i++) {
		const struct elf_plt *plt = find_plt(ef, calls[i]);
		ck_assert_msg(plt != NULL, "%s: no PLT/GOT entry for %s", fl->name, calls[i]);
		ck_assert_uint_ne(plt->got, 0);
		if (fl->stubs)
			ck_assert_msg(plt->stub != 0, "%s: %s has no stub", fl->name, calls[i]);
		else if (strcmp(calls[i], "abs"))
			ck_assert_msg(plt->stub == 0, "%s: %s should be a GOT call", fl->name,
				      calls[i]);
	}
	/* Data objects are no calls. */
	ck_assert_ptr_null(find_plt(ef, "stdout"));
	/* A static function is found in .symtab, and by address. */
	const struct elf_sym *h = elf_sym_named(ef, "helper");
	ck_assert_ptr_nonnull(h);
	ck_assert_ptr_eq(elf_sym_at(ef, h->addr + 1), h);
	ck_assert_ptr_eq(elf_sym_exact(ef, h->addr), h);
	ck_assert(!h->exported);
	ck_assert_ptr_nonnull(elf_sym_named(ef, "main"));
	ck_assert(ef->has_interp);
	ck_assert_int_eq(ef->type, strstr(fl->flags, "no-pie") ? 2 /* ET_EXEC */ : 3 /* ET_DYN */);
	elf_free(ef);
}
END_TEST

START_TEST(test_plt_stub_decodes)
{
	/* In IBT objects the stub that jumps through the GOT is in .plt.sec:
	 * check that the stub address really holds endbr64 + bnd jmp *GOT. */
	struct elf_file *ef = build("ibt2", "-fcf-protection=full -Wl,-z,ibtplt");
	const struct elf_plt *plt = find_plt(ef, "puts");
	ck_assert_ptr_nonnull(plt);
	char cmd[512], out[128] = "";
	snprintf(cmd, sizeof(cmd),
		 "objdump -d -j .plt.sec %s/ibt2 | grep -c '%llx:.*endbr64'", tmpdir,
		 (unsigned long long)plt->stub);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(fgets(out, sizeof(out), p));
	pclose(p);
	ck_assert_int_eq(atoi(out), 1);
	elf_free(ef);
}
END_TEST

/* PLT stubs decoded from section bytes: what elf_scan_stubs reports. */
struct stubs_found {
	size_t n;
	uint64_t stub[16], got[16];
};

static void on_stub_found(void *ctx, uint64_t stub, uint64_t got)
{
	struct stubs_found *f = ctx;
	ck_assert_uint_lt(f->n, ARRAY_SIZE(f->stub));
	f->stub[f->n] = stub;
	f->got[f->n++] = got;
}

/* Put at P an ENTRY_LEN-byte entry PREFIX (PREFIX_LEN bytes: endbr64, bnd), jmp *GOT(%rip),
 * then PAD as padding, for a stub at address STUB. */
static void put_stub(unsigned char *p, const char *prefix, size_t prefix_len, uint64_t stub,
		     uint64_t got, size_t entry_len)
{
	int32_t disp = (int32_t)(got - (stub + prefix_len + 6));
	memset(p, 0x90, entry_len);
	memcpy(p, prefix, prefix_len);
	p[prefix_len] = 0xff;
	p[prefix_len + 1] = 0x25;
	memcpy(p + prefix_len + 2, &disp, 4);
}

/* ENTRIES stubs of ENTRY_LEN bytes each with PREFIX, from address 0x1000, GOT slots 8 bytes
 * apart from 0x4000: every one must be found, at its address, with its slot. */
static void check_stubs(const char *what, const char *prefix, size_t prefix_len,
			size_t entry_len, size_t entries)
{
	unsigned char buf[256];
	struct stubs_found f = { 0 };
	ck_assert_uint_le(entry_len * entries, sizeof(buf));
	for (size_t i = 0; i < entries; i++)
		put_stub(buf + i * entry_len, prefix, prefix_len, 0x1000 + i * entry_len,
			 0x4000 + 8 * i, entry_len);
	elf_scan_stubs(buf, entry_len * entries, 0x1000, on_stub_found, &f);
	ck_assert_msg(f.n == entries, "%s: %zu of %zu stubs found", what, f.n, entries);
	for (size_t i = 0; i < entries; i++) {
		ck_assert_msg(f.stub[i] == 0x1000 + i * entry_len, "%s: stub %zu at %#llx", what, i,
			      (unsigned long long)f.stub[i]);
		ck_assert_msg(f.got[i] == 0x4000 + 8 * i, "%s: stub %zu jumps through %#llx", what,
			      i, (unsigned long long)f.got[i]);
	}
}

START_TEST(test_stub_bytes)
{
	static const char endbr[] = "\xf3\x0f\x1e\xfa", bnd[] = "\xf2",
			  endbr_bnd[] = "\xf3\x0f\x1e\xfa\xf2";
	/* .plt.got without IBT: 8-byte entries (jmp *GOT(%rip); xchg %ax,%ax), back to back. */
	check_stubs(".plt.got", "", 0, 8, 5);
	/* .plt.got and .plt.sec with IBT: endbr64, jmp, padding to 16 bytes. */
	check_stubs("IBT .plt.sec", endbr, 4, 16, 4);
	/* Older binutils: endbr64 and bnd jmp (f2 ff 25) in .plt.sec. */
	check_stubs("IBT .plt.sec with bnd jmp", endbr_bnd, 5, 16, 4);
	/* A bnd jmp without endbr64, in 16-byte entries and back to back in 8-byte ones. */
	check_stubs("bnd jmp", bnd, 1, 16, 3);
	check_stubs("bnd jmp, 8-byte entries", bnd, 1, 8, 4);

	/* A lazy .plt: PLT0 (push GOT+8; jmp *GOT+16, not at an entry's start) and entries
	 * jumping through their slots, then push and jmp to PLT0: no other stub. */
	static const unsigned char lazy[] = {
		0xff, 0x35, 0xe2, 0x2f, 0, 0, 0xff, 0x25, 0xe4, 0x2f, 0, 0, 0x0f, 0x1f, 0x40, 0,
		0xff, 0x25, 0xe2, 0x2f, 0, 0, 0x68, 0, 0, 0, 0, 0xe9, 0xe0, 0xff, 0xff, 0xff,
		0xff, 0x25, 0xda, 0x2f, 0, 0, 0x68, 1, 0, 0, 0, 0xe9, 0xd0, 0xff, 0xff, 0xff,
	};
	struct stubs_found f = { 0 };
	elf_scan_stubs(lazy, sizeof(lazy), 0x1020, on_stub_found, &f);
	ck_assert_uint_eq(f.n, 2);
	ck_assert_uint_eq(f.stub[0], 0x1030);
	ck_assert_uint_eq(f.got[0], 0x1030 + 6 + 0x2fe2);
	ck_assert_uint_eq(f.stub[1], 0x1040);
	ck_assert_uint_eq(f.got[1], 0x1040 + 6 + 0x2fda);
	/* A last entry cut short is no stub. */
	f.n = 0;
	elf_scan_stubs(lazy, 32 + 5, 0x1020, on_stub_found, &f);
	ck_assert_uint_eq(f.n, 1);
}
END_TEST

START_TEST(test_shared_object_and_cache)
{
	char cmd[512], path[300];
	snprintf(path, sizeof(path), "%s/libx.so", tmpdir);
	snprintf(cmd, sizeof(cmd),
		 "printf 'int x_fn(int a){return a+1;}\\nint x_alias(int a) __attribute__((alias(\"x_fn\")));\\n' > %s/x.c && "
		 "gcc -shared -fPIC -Wl,-soname,libx.so.7 -o %s %s/x.c",
		 tmpdir, path, tmpdir);
	ck_assert_int_eq(system(cmd), 0);
	char *why;
	struct elf_file *a = elf_get(path, &why);
	ck_assert_ptr_nonnull(a);
	ck_assert_str_eq(a->soname, "libx.so.7");
	const struct elf_sym *s = elf_sym_named(a, "x_fn"), *al = elf_sym_named(a, "x_alias");
	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_nonnull(al);
	ck_assert(s->exported && al->exported);
	/* Aliases share an address; the shortest name comes first. */
	ck_assert_uint_eq(s->addr, al->addr);
	ck_assert_str_eq(elf_sym_at(a, s->addr)->name, "x_fn");
	ck_assert(elf_sym_is_alias(a, al));
	/* Read once: the same file gives the same object. */
	struct elf_file *b = elf_get(path, &why);
	ck_assert_ptr_eq(a, b);
	elf_put(b);
	elf_put(a);
	elf_cache_clear();
}
END_TEST

START_TEST(test_bad_files)
{
	char path[300], cmd[1024];
	char *why = NULL;
	ck_assert_ptr_null(elf_read("/nonexistent/file", &why));
	ck_assert_ptr_nonnull(why);
	free(why);
	snprintf(path, sizeof(path), "%s/text", tmpdir);
	snprintf(cmd, sizeof(cmd), "echo hello > %s", path);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_ptr_null(elf_read(path, &why));
	ck_assert_str_eq(why, "not an ELF file");
	free(why);
	/* A truncated executable. */
	snprintf(path, sizeof(path), "%s/trunc", tmpdir);
	snprintf(cmd, sizeof(cmd), "head -c 100 /bin/true > %s", path);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_ptr_null(elf_read(path, &why));
	free(why);
	/* 32-bit: a header with ELFCLASS32. */
	snprintf(path, sizeof(path), "%s/elf32", tmpdir);
	snprintf(cmd, sizeof(cmd),
		 "printf '\\177ELF\\001\\001\\001\\000\\000\\000\\000\\000\\000\\000\\000\\000' > %s && head -c 100 /dev/zero >> %s",
		 path, path);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_ptr_null(elf_read(path, &why));
	ck_assert_ptr_nonnull(strstr(why, "32-bit"));
	free(why);
}
END_TEST

/* The decoder must agree with objdump on every instruction of libc. */
START_TEST(test_insn_lengths_match_objdump)
{
	FILE *p = popen("objdump -d --insn-width=16 /lib/x86_64-linux-gnu/libc.so.6 2>/dev/null", "r");
	ck_assert_ptr_nonnull(p);
	char line[512];
	long n = 0, bad = 0;
	while (fgets(line, sizeof(line), p)) {
		char *tab1 = strchr(line, '\t');
		if (!tab1)
			continue;
		char *tab2 = strchr(tab1 + 1, '\t');
		if (!tab2 || strstr(tab2, "(bad)"))
			continue;
		unsigned char b[16];
		size_t len = 0;
		for (char *q = tab1 + 1; q < tab2 && len < sizeof(b);) {
			unsigned v;
			int used;
			if (sscanf(q, "%2x%n", &v, &used) != 1)
				break;
			b[len++] = (unsigned char)v;
			q += used;
			while (*q == ' ')
				q++;
		}
		if (!len)
			continue;
		struct x86_insn in;
		n++;
		if (x86_decode(b, len, &in) != 0 || in.len != len)
			bad++;
	}
	pclose(p);
	ck_assert_msg(n > 100000, "objdump gave only %ld instructions", n);
	ck_assert_msg(bad == 0, "%ld of %ld instructions decoded differently", bad, n);
}
END_TEST

static unsigned char fake_mem[64];
static const uint64_t fake_base = 0x1000;

static int fake_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	if (addr < fake_base || addr + len > fake_base + sizeof(fake_mem))
		return -1;
	memcpy(buf, fake_mem + (addr - fake_base), len);
	return 0;
}

static int fake_write(void *ctx, uint64_t addr, const void *buf, size_t len)
{
	if (addr < fake_base || addr + len > fake_base + sizeof(fake_mem))
		return -1;
	memcpy(fake_mem + (addr - fake_base), buf, len);
	return 0;
}

START_TEST(test_emulator)
{
	struct arch_mem mem = { fake_read, fake_write, NULL };
	struct user_regs_struct r;
	memset(&r, 0, sizeof(r));
	memset(fake_mem, 0, sizeof(fake_mem));
	r.rsp = fake_base + 32;
	r.rbp = 0x1122334455667788ULL;
	/* push %rbp */
	unsigned char push[16] = { 0x55 };
	ck_assert(arch_emulate(push, 0x400000, &r, &mem));
	ck_assert_uint_eq(r.rsp, fake_base + 24);
	ck_assert_uint_eq(r.rip, 0x400001);
	uint64_t v;
	memcpy(&v, fake_mem + 24, 8);
	ck_assert_uint_eq(v, 0x1122334455667788ULL);
	/* sub $0x10,%rsp sets the flags of a subtraction */
	unsigned char sub[16] = { 0x48, 0x83, 0xec, 0x10 };
	ck_assert(arch_emulate(sub, 0x400001, &r, &mem));
	ck_assert_uint_eq(r.rsp, fake_base + 8);
	ck_assert_uint_eq(r.eflags & 0x8c1, 0); /* CF ZF SF OF clear */
	/* xor %eax,%eax */
	r.rax = 5;
	unsigned char xor[16] = { 0x31, 0xc0 };
	ck_assert(arch_emulate(xor, 0x400005, &r, &mem));
	ck_assert_uint_eq(r.rax, 0);
	ck_assert(r.eflags & 0x40);
	/* je +0x10 is taken with ZF set */
	unsigned char je[16] = { 0x74, 0x10 };
	ck_assert(arch_emulate(je, 0x400007, &r, &mem));
	ck_assert_uint_eq(r.rip, 0x400007 + 2 + 0x10);
	/* jmp *disp(%rip): the PLT stub's jump through the GOT */
	uint64_t target = 0x7f0000001234ULL;
	memcpy(fake_mem + 40, &target, 8);
	unsigned char plt[16] = { 0xff, 0x25 };
	int32_t disp = (int32_t)((fake_base + 40) - (0xffa + 6));
	memcpy(plt + 2, &disp, 4);
	ck_assert(arch_emulate(plt, 0xffa, &r, &mem));
	ck_assert_uint_eq(r.rip, target);
	/* endbr64 is skipped */
	unsigned char endbr[16] = { 0xf3, 0x0f, 0x1e, 0xfa };
	ck_assert(arch_emulate(endbr, 0x500000, &r, &mem));
	ck_assert_uint_eq(r.rip, 0x500004);
	/* cltq cannot be emulated, but moves out of line with a jump back */
	unsigned char cltq[16] = { 0x48, 0x98 };
	ck_assert(!arch_can_emulate(cltq));
	unsigned char code[ARCH_DISPLACED_MAX];
	int n = arch_displace(cltq, 0x401000, 0x7f0000000000ULL, code);
	ck_assert_int_eq(n, 2 + 14);
	ck_assert_int_eq(code[0], 0x48);
	ck_assert_int_eq(code[2], 0xff);
	uint64_t back;
	memcpy(&back, code + 8, 8);
	ck_assert_uint_eq(back, 0x401002);
	/* A RIP-relative load out of reach cannot move there. */
	unsigned char riprel[16] = { 0x48, 0x8b, 0x05, 0x10, 0, 0, 0 };
	ck_assert_int_eq(arch_displace(riprel, 0x401000, 0x7f0000000000ULL, code), -1);
	n = arch_displace(riprel, 0x401000, 0x402000, code);
	ck_assert_int_eq(n, 7 + 14);
	int32_t nd;
	memcpy(&nd, code + 3, 4);
	ck_assert_int_eq(nd, 0x10 - 0x1000);
}
END_TEST

START_TEST(test_output_lines)
{
	struct options o;
	memset(&o, 0, sizeof(o));
	o.align = 30;
	ck_assert_int_eq(output_init(&o), 0);
	char *buf = NULL;
	size_t len = 0;
	trace_out = open_memstream(&buf, &len);
	struct task t;
	memset(&t, 0, sizeof(t));
	t.tid = 42;
	out_call_entry(&t, 1, 1, 0, NULL, "puts", NULL, "\"hi\"");
	out_call_return(&t, 1, 1, 0, "puts", "", "3", NULL);
	out_call_entry(&t, 1, 2, 0, "prog", "outer", NULL, "1, ");
	out_call_entry(&t, 2, 3, 0, NULL, "inner", "lib.so", "2");
	out_call_return(&t, 2, 3, 0, "inner", "", "4", NULL);
	out_call_return(&t, 1, 2, 0, "outer", "\"out\"", "5", NULL);
	out_call_entry(&t, 1, 4, 0, NULL, "exit", NULL, "0");
	out_event(&t, UINT64_MAX, "+++ exited (status 0) +++");
	fflush(trace_out);
	ck_assert_str_eq(buf, "puts(\"hi\")                   = 3\n"
			      "prog->outer(1, <unfinished ...>\n"
			      "inner@lib.so(2)              = 4\n"
			      "<... outer resumed> \"out\")   = 5\n"
			      "exit(0 <no return ...>\n"
			      "+++ exited (status 0) +++\n");
	fclose(trace_out);
	free(buf);
	trace_out = NULL;
}
END_TEST

/* Can this toolchain build flavour FL (an IBT one with a .plt.sec, as some linkers ignore
 * -z ibtplt)? Asked before the tests are registered: those it cannot build are skipped,
 * visibly. */
static bool can_build(const struct flavour *fl)
{
	char dir[] = "/tmp/ltrace-unit-probe-XXXXXX", cmd[1024];
	if (!mkdtemp(dir))
		return false;
	snprintf(cmd, sizeof(cmd),
		 "cd %s && printf 'int puts(const char *);\\nint main(void) { return puts(\"x\"); }\\n' > p.c && "
		 "gcc -O0 %s -o p p.c >/dev/null 2>&1 %s; rc=$?; cd / && rm -rf %s; exit $rc",
		 dir, fl->flags, fl->ibt ? "&& readelf -SW p | grep -q '\\.plt\\.sec'" : "", dir);
	return system(cmd) == 0;
}

static int skipped;

static Suite *suite(void)
{
	Suite *s = suite_create("elf");
	TCase *tc = tcase_create("elf");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	bool ibt = true;
	for (int i = 0; i < (int)ARRAY_SIZE(flavours); i++) {
		if (can_build(&flavours[i])) {
			tcase_add_loop_test(tc, test_plt_flavours, i, i + 1);
		} else {
			printf("SKIP: PLT flavour %s (%s): the toolchain cannot build it\n",
			       flavours[i].name, flavours[i].flags);
			skipped++;
			ibt = ibt && !flavours[i].ibt;
		}
	}
	if (ibt) {
		tcase_add_test(tc, test_plt_stub_decodes);
	} else {
		printf("SKIP: test_plt_stub_decodes: no IBT PLT\n");
		skipped++;
	}
	tcase_add_test(tc, test_shared_object_and_cache);
	tcase_add_test(tc, test_bad_files);
	suite_add_tcase(s, tc);
	TCase *tc2 = tcase_create("arch");
	tcase_set_timeout(tc2, 120);
	tcase_add_test(tc2, test_insn_lengths_match_objdump);
	tcase_add_test(tc2, test_emulator);
	tcase_add_test(tc2, test_stub_bytes);
	tcase_add_test(tc2, test_output_lines);
	suite_add_tcase(s, tc2);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (!failed && skipped)
		printf("%d cases skipped: exit 77\n", skipped);
	return failed ? 1 : skipped ? 77 : 0;
}
