/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The rest of the 0.7.91 prototype language (issue #11), one mode per argument:
 *   wide     wide characters and strings through libc's <wchar.h>/<wctype.h> and
 *            lang_wlist (an array of wide strings, prototype in lang.conf);
 *   typedef  functions whose DWARF types a -F typedef replaces (FILE, handle_t);
 *   depth    structures nested by value, HFA-like float structures and a linked list;
 *   lens     hex() and bitvec() through pointers and typedefs. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uchar.h>
#include <wchar.h>
#include <wctype.h>

__attribute__((noinline)) int lang_wlist(const wchar_t **v, int n)
{
	int total = 0;

	for (int i = 0; i < n; i++)
		total += (int)wcslen(v[i]);
	return total;
}

__attribute__((noinline)) int lang_u16(const char16_t *s, char16_t c)
{
	int n = 0;

	while (s[n])
		n++;
	return n + (c != 0);
}

typedef struct handle { int a; int b; } handle_t;

__attribute__((noinline)) int lang_file(FILE *f)
{
	return f != NULL;
}

__attribute__((noinline)) int lang_handle(handle_t *h)
{
	return h->a + h->b;
}

struct l4 { int d; };
struct l3 { struct l4 in; int c; };
struct l2 { struct l3 in; int b; };
struct l1 { struct l2 in; int a; };
struct l0 { struct l1 in; int z; };

struct f1 { float x; };
struct f2 { struct f1 in; };
struct f3 { struct f2 in; };
struct f4 { struct f3 in; };
struct f5 { struct f4 in; float y; };

struct dd1 { double x; };
struct dd2 { struct dd1 in; };
struct dd3 { struct dd2 in; };
struct dd4 { struct dd3 in; };
struct dd5 { struct dd4 in; double y; };

struct node { int v; struct node *next; };

__attribute__((noinline)) int lang_nested(struct l0 *p)
{
	return p->z + p->in.a + p->in.in.b + p->in.in.in.c + p->in.in.in.in.d;
}

__attribute__((noinline)) float lang_hfa(struct f5 s)
{
	return s.in.in.in.in.x + s.y;
}

__attribute__((noinline)) double lang_hfa_d(struct dd5 s)
{
	return s.in.in.in.in.x + s.y;
}

__attribute__((noinline)) int lang_list(struct node *n)
{
	int k = 0;

	for (; n; n = n->next)
		k++;
	return k;
}

__attribute__((noinline)) int lang_hexp(unsigned *p)
{
	return (int)*p;
}

__attribute__((noinline)) int lang_hext(unsigned *p)
{
	return (int)*p + 1;
}

__attribute__((noinline)) int lang_bits(unsigned char *set)
{
	return set[0];
}

static int wide(void)
{
	static const wchar_t *words[] = { L"один", L"два", L"три" };
	wchar_t buf[64];
	FILE *null = fopen("/dev/null", "w+");
	int n = 0;

	if (!setlocale(LC_CTYPE, "C.UTF-8") || !null)
		return 2;
	n += (int)wcslen(L"Вот это да!");
	n += (int)wcslen(L"say \"hi\"\t\\");
	n += swprintf(buf, 64, L"zwölf große %ls %d", L"Boxkämpfe", 9);
	n += fwprintf(null, L"%lc|%ls|%s|%c|%C|%S\n", L'Ф', L"что-то", "narrow", 'c', L'й', L"ё");
	n += wcschr(L"žluťoučký kůň", L'ů') != NULL;
	n += (int)towupper(L'ы');
	n += iswalpha(L'A') != 0;
	n += fgetwc(null) == WEOF;
	n += fputwc(L'Д', null) == L'Д';
	n += lang_wlist(words, 3);
	n += lang_u16(u"ĉu", u'ŝ');
	fclose(null);
	return n > 0 ? 0 : 1;
}

static int typedefs(void)
{
	static unsigned long fake = 0x1234;
	handle_t h = { 10, 255 };

	return lang_file((FILE *)&fake) + lang_handle(&h) == 266 ? 0 : 1;
}

static int depth(void)
{
	struct l0 a = { { { { { 4 }, 3 }, 2 }, 1 }, 0 };
	struct f5 f = { { { { { 1.5f } } } }, 2.5f };
	struct dd5 d = { { { { { 0.25 } } } }, 0.5 };
	struct node n[6];

	for (int i = 0; i < 6; i++) {
		n[i].v = i + 1;
		n[i].next = i < 5 ? &n[i + 1] : NULL;
	}
	return lang_nested(&a) == 10 && lang_hfa(f) == 4.0f && lang_hfa_d(d) == 0.75 &&
	       lang_list(n) == 6 ? 0 : 1;
}

static int lenses(void)
{
	unsigned v = 0x123;
	unsigned char set[32];

	memset(set, 0, sizeof(set));
	set[0] = 0x0e;   /* bits 1-3 */
	set[1] = 0x01;   /* bit 8 */
	set[31] = 0x80;  /* bit 255 */
	return lang_hexp(&v) + lang_hext(&v) + lang_bits(set) == 0x123 * 2 + 1 + 0x0e ? 0 : 1;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (!strcmp(mode, "wide"))
		return wide();
	if (!strcmp(mode, "typedef"))
		return typedefs();
	if (!strcmp(mode, "depth"))
		return depth();
	if (!strcmp(mode, "lens"))
		return lenses();
	fprintf(stderr, "usage: lang wide|typedef|depth|lens\n");
	return 2;
}
