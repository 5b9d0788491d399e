/* SPDX-License-Identifier: GPL-2.0-or-later */
/* protodump FILE.conf [DIR]: parse a prototype file with ltrace's own parser
 * (imports are looked up as DIR/NAME.conf, DIR defaults to FILE's directory)
 * and print one line per prototype of FILE itself:
 *
 *   NAME RET:ARGS
 *
 * where each type is one letter: v (void), i (an integer of at most 4 bytes),
 * I (a long), f, F (float, double), p (a pointer or an array, as passed),
 * s (a struct by value), and a trailing '.' when the last parameter is a
 * format pack (the parameter itself being the format string): "i:pp." is
 * int f(char *, char *, ...). protocheck.test compares these with the C
 * headers' declarations. Exit 1 when the file has errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/types.h"

#define MAXTYPES 4096

struct dump {
	const char *dir;
	int depth; /* 0 while parsing the file named on the command line */
	char *names[MAXTYPES];
	struct type *types[MAXTYPES];
	int ntypes;
	int errors;
	char *imported[64];
	int nimported;
};

static struct type *lookup(void *ctx, const char *name)
{
	struct dump *d = ctx;

	for (int i = 0; i < d->ntypes; i++)
		if (!strcmp(d->names[i], name))
			return d->types[i];
	return NULL;
}

static bool add_type(void *ctx, const char *name, struct type *t)
{
	struct dump *d = ctx;

	if (lookup(ctx, name) || d->ntypes == MAXTYPES)
		return false;
	d->names[d->ntypes] = strdup(name);
	d->types[d->ntypes++] = t;
	return true;
}

static const char *kind(const struct type *t)
{
	switch (t->kind) {
	case T_VOID:
		return "v";
	case T_CHAR:
	case T_SHORT:
	case T_USHORT:
	case T_INT:
	case T_UINT:
		return "i";
	case T_LONG:
	case T_ULONG:
		return "I";
	case T_FLOAT:
		return "f";
	case T_DOUBLE:
		return "F";
	case T_PTR:
	case T_ARRAY:
		return "p";
	case T_STRUCT:
		return "s";
	case T_FORMAT:
		return "p.";
	}
	return "?";
}

static void add_proto(void *ctx, struct prototype *p)
{
	struct dump *d = ctx;

	if (d->depth)
		return;
	printf("%s %s:", p->name, kind(p->ret));
	for (size_t i = 0; i < p->nparams; i++)
		fputs(kind(p->params[i]), stdout);
	putchar('\n');
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc(n + 1);
	if (buf && fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[n] = 0;
	fclose(f);
	return buf;
}

static int parse_file(struct dump *d, const char *path);

static bool import(void *ctx, const char *name)
{
	struct dump *d = ctx;
	char path[4096];
	int ok;

	for (int i = 0; i < d->nimported; i++)
		if (!strcmp(d->imported[i], name))
			return true;
	if (d->depth > 8 || d->nimported == 64)
		return true;
	d->imported[d->nimported++] = strdup(name);
	snprintf(path, sizeof(path), "%s/%s.conf", d->dir, name);
	d->depth++;
	ok = parse_file(d, path);
	d->depth--;
	return ok >= 0;
}

static void own(void *ctx, void *p)
{
	(void)ctx;
	(void)p; /* the dumper exits right away */
}

static int parse_file(struct dump *d, const char *path)
{
	struct parse_scope sc = { lookup, add_type, add_proto, import, own, d };
	char *text = slurp(path);
	int errs;

	if (!text) {
		perror(path);
		return -1;
	}
	errs = proto_parse_text(path, text, &sc, stderr);
	free(text);
	d->errors += errs;
	return errs;
}

int main(int argc, char **argv)
{
	static struct dump d;
	char *dir;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: protodump FILE.conf [IMPORT-DIR]\n");
		return 2;
	}
	dir = strdup(argc == 3 ? argv[2] : argv[1]);
	if (argc == 2) {
		char *slash = strrchr(dir, '/');

		if (slash)
			*slash = 0;
		else
			strcpy(dir, ".");
	}
	d.dir = dir;
	if (parse_file(&d, argv[1]) < 0)
		return 2;
	return d.errors ? 1 : 0;
}
