// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "library.h"

struct library *library_new(struct elf_file *ef, const char *path, uint64_t bias, bool is_main)
{
	struct library *lib = xcalloc(1, sizeof(*lib));
	lib->elf = ef;
	lib->path = xstrdup(path);
	lib->real_path = realpath(path, NULL);
	if (ef->soname) {
		lib->name = xstrdup(ef->soname);
	} else {
		const char *slash = strrchr(path, '/');
		lib->name = xstrdup(slash ? slash + 1 : path);
	}
	lib->bias = bias;
	lib->lo = ef->lo + bias;
	lib->hi = ef->hi + bias;
	lib->is_main = is_main;
	lib->refs = 1;
	lib->flib = (struct filter_lib){ lib->name, lib->path, is_main, lib->real_path };
	return lib;
}

void library_set_file(struct library *lib, const char *file, const char *seen_as)
{
	free(lib->file);
	lib->file = file ? xstrdup(file) : NULL;
	if (seen_as) {
		free(lib->real_path);
		lib->real_path = xstrdup(seen_as);
		lib->flib.real_path = lib->real_path;
	}
}

void library_free(struct library *lib)
{
	if (!lib || --lib->refs)
		return;
	elf_put(lib->elf);
	free(lib->path);
	free(lib->real_path);
	free(lib->file);
	free(lib->name);
	code_ranges_free(&lib->code);
	free(lib);
}
