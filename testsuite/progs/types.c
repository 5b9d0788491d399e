// SPDX-License-Identifier: GPL-2.0-or-later
/* Calls every function of libtypes.so once or more with known values; types.test traces it
 * with -F types.conf and compares each rendered line. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "types.h"

int main(void)
{
	static const char longstr[] = "The quick brown fox jumps over the lazy dog";
	int v6[] = { 1, 2, 3, 4, 5, 6 };
	int vz[] = { 7, 8, 0, 9 };
	int vz5[] = { 1, 2, 3, 4, 5, 0 };
	long vl[] = { 100, -200 };
	int cv[] = { 11, 22 };
	struct counted cnt = { 2, cv };
	struct inl in = { { 4, 5, 6 }, 'z' };
	int i = 42, *ip = &i, **ipp = &ip;
	int out = 0, fill[8];
	char rbuf[16];
	struct node n3 = { 3, NULL }, n2 = { 2, &n3 }, n1 = { 1, &n2 };
	struct node c1, c2;
	struct named nm = { "hello", 2.5f };

	t_char('A');
	t_char('\n');
	t_char('\0');
	t_char('\\');
	t_char('\'');
	t_char('\177');
	t_char((char)0xe9);
	t_char(-1);
	t_short(-5, 65535);
	t_int(-123456, 4000000000u);
	t_long(LONG_MIN, ULONG_MAX);
	t_float(1.5f);
	t_double(-2.25);
	t_void();
	t_addr((void *)0x1234);
	t_addr(NULL);
	t_file(stdout);
	t_hide(6, 7);
	t_oct(0755);
	t_oct(0);
	t_octal(0644);
	t_hex(0xbeef, 1.5);
	t_hex(0, 0);
	t_bool(0);
	t_bool(5);
	t_bitvec(0xb8);
	t_bitvec(0xfffffffe);
	t_bitvec(0);
	t_enum(RED);
	t_enum(GREEN);
	t_enum_short(-1);
	t_enum_short(9);
	t_string("hello");
	t_string("a\tb\"c\\d\001\377");
	t_string(longstr);
	t_string(NULL);
	t_string("");
	t_string_n("abcdef", 3);
	t_string_n("ab", 5);
	t_string_lit("xyzzy");
	t_stringN("hello world", 5);
	t_string_ret(1);
	t_string_ret(0);
	t_wstring(L"wide");
	t_wstring(L"caf\u00e9 \U0001F600");
	t_array(v6, 6);
	t_array(v6, 3);
	t_array(v6, 0);
	t_array_zero(vz);
	t_array_zero_max(vz5);
	t_array_zero_max(vz);
	t_array_lit(vl);
	t_array_elt(&cnt);
	t_array_inline(&in);
	t_ptr(&i);
	t_ptr(NULL);
	t_ptr2(ipp);
	t_ptr3(&ipp);
	t_charp("Q");
	t_bad((int *)8, (const char *)16, (int **)24);
	t_s1((struct s1){ 'x' });
	t_s2((struct s2){ -2 });
	t_s3((struct s3){ 1, 2, 3 });
	t_s4((struct s4){ 4 });
	t_s8((struct s8){ 5, 6 });
	t_s12((struct s12){ 7, 8, 9 });
	t_s16((struct s16){ 10, 11 });
	t_sff((struct sff){ 1.5f, 2.5f });
	t_sfff((struct sfff){ 1, 2, 3 });
	t_sdd((struct sdd){ 0.5, 1.5 });
	t_sif((struct sif){ 3, 0.25f });
	t_sdl((struct sdl){ 2.5, 40 });
	t_sld((struct sld){ 50, 3.5 });
	t_s24((struct s24){ 1, 2, 3 });
	t_sddd((struct sddd){ 1, 2, 3 });
	t_named(nm);
	t_ret_s1('r');
	t_ret_s3('a');
	t_ret_s8(9);
	t_ret_s12(2);
	t_ret_s16(3);
	t_ret_sff(5);
	t_ret_sfff(1);
	t_ret_sdd(0.75);
	t_ret_sdl(1.25, -7);
	t_ret_sld(-8, 6.5);
	t_ret_s24(100, 200);
	t_ret_sddd(10);
	t_fp_mix(1, 2.5f, 3, 4.5, 'c', 5.5f);
	t_fp10(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
	t_stack_struct(1, 2, 3, 4, 5, (struct s16){ 6, 7 }, 8);
	t_sse_stack(1, 2, 3, 4, 5, 6, 7, (struct sdd){ 8, 9 }, 10);
	t_many(1, 2, 'c', 4, 5, 6.5, 7, 8.5f, 9, 10, 11, 12.5, 13, 'e', 15, 16.5, 17, 18, 19.5,
	       20, 21.5, 22);
	t_printf("%d %i %o %x %X %u|", -1, 2, 8, 255, 255, 3000000000u);
	t_printf("%e %E %f %F %g %G %a %A|", 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 1.0, 2.0);
	t_printf("%c %s %p %%|%m|", 'z', "str", (void *)0x10);
	t_printf("%ld %lu %lld %hhd %hd %zu %lx %jd|", -5L, 6UL, -7LL, 8, 9, (size_t)10,
		 0xabcUL, (long)-11);
	t_printf("%*d %.*s %5.2f %-5d %+d %#x %08.3e|", 4, 5, 2, "abcdef", 1.25, 6, 7, 8, 9.5);
	t_printf("%lc %ls %n|", (wint_t)'W', L"wide", &i);
	t_out(&out);
	t_read(3, rbuf, sizeof(rbuf));
	t_fill(fill, 5);
	t_list(&n1);
	c1.v = 1;
	c1.next = &c2;
	c2.v = 2;
	c2.next = &c1;
	t_list(&c1);
	c2.next = &c2;
	t_list(&c2);
	return 0;
}
