// SPDX-License-Identifier: GPL-2.0-or-later
/* Make an ELF mutant of a binary built by make check (issue #14): the
 * mutants are never checked in.
 *
 *   elfmut IN OUT shaddr SECTION DELTA   add DELTA to the sh_addr of SECTION
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	rewind(f);
	unsigned char *buf = n > 0 ? malloc((size_t)n) : NULL;
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static Elf64_Shdr *section(unsigned char *buf, size_t len, const char *name)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
	if (len < sizeof(*eh) || eh->e_shoff + (eh->e_shnum * sizeof(Elf64_Shdr)) > len ||
	    eh->e_shstrndx >= eh->e_shnum)
		return NULL;
	Elf64_Shdr *sh = (Elf64_Shdr *)(buf + eh->e_shoff);
	const char *names = (const char *)buf + sh[eh->e_shstrndx].sh_offset;
	for (unsigned i = 0; i < eh->e_shnum; i++)
		if (!strcmp(names + sh[i].sh_name, name))
			return &sh[i];
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 6 || strcmp(argv[3], "shaddr")) {
		fprintf(stderr, "usage: elfmut IN OUT shaddr SECTION DELTA\n");
		return 64;
	}
	size_t len;
	unsigned char *buf = slurp(argv[1], &len);
	Elf64_Shdr *sh = buf ? section(buf, len, argv[4]) : NULL;
	if (!sh) {
		fprintf(stderr, "elfmut: %s: no section %s\n", argv[1], argv[4]);
		return 1;
	}
	sh->sh_addr += strtoll(argv[5], NULL, 0);
	FILE *f = fopen(argv[2], "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
		perror(argv[2]);
		return 1;
	}
	return 0;
}
