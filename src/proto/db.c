/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The prototype database (spec 3.1, 0.7.91 model): one prototype library
 * per object, found as KEY.conf in the -F directories, the private
 * directories and the system directories; legacy files and -F files are
 * imported implicitly into every library. Everything is loaded lazily and
 * cached, so proto_db_find costs a few hash lookups. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"
#include "escape.h"
#include "options.h"
#include "proto/hash.h"
#include "proto/types.h"

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/share/ltrace"
#endif
#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif

/* Import chains deeper than this are cut (they can be cyclic). */
#define MAX_IMPORT_DEPTH 16

struct protolib {
	struct shash protos;
	struct shash types;
	struct protolib **imports;
	size_t nimports, capimports;
};

struct proto_db {
	char **dirs;
	size_t ndirs, capdirs;
	struct protolib **implicit;
	size_t nimplicit, capimplicit;
	struct shash libs;    /* KEY -> protolib, NULL when no KEY.conf exists */
	struct shash sonames; /* SONAME -> protolib (after suffix dropping), or NULL */
	struct shash dwarf;   /* object path -> protolib from its DWARF, or NULL */
	struct protolib **all;
	size_t nall, capall;
	void **owned;
	size_t nowned, capowned;
	FILE *errout;
};

struct parse_ctx {
	struct proto_db *db;
	struct protolib *lib;
};

static void add_ptr(void ***arr, size_t *n, size_t *cap, void *p)
{
	grow_array((void **)arr, cap, *n + 1, sizeof(void *));
	(*arr)[(*n)++] = p;
}

static struct type *lib_type(const struct protolib *lib, const char *name, int depth)
{
	struct type *t = shash_get(&lib->types, name, NULL);

	if (t || depth >= MAX_IMPORT_DEPTH)
		return t;
	for (size_t i = 0; i < lib->nimports; i++) {
		t = lib_type(lib->imports[i], name, depth + 1);
		if (t)
			return t;
	}
	return NULL;
}

static const struct prototype *lib_proto(const struct protolib *lib, const char *name, int depth)
{
	const struct prototype *p = shash_get(&lib->protos, name, NULL);

	if (p || depth >= MAX_IMPORT_DEPTH)
		return p;
	for (size_t i = 0; i < lib->nimports; i++) {
		p = lib_proto(lib->imports[i], name, depth + 1);
		if (p)
			return p;
	}
	return NULL;
}

static struct type *cb_lookup_type(void *vctx, const char *name)
{
	struct parse_ctx *c = vctx;
	struct type *t = lib_type(c->lib, name, 0);

	for (size_t i = 0; !t && i < c->db->nimplicit; i++)
		t = lib_type(c->db->implicit[i], name, 0);
	return t;
}

static bool cb_add_type(void *vctx, const char *name, struct type *t)
{
	struct parse_ctx *c = vctx;
	int found;

	shash_get(&c->lib->types, name, &found);
	if (found)
		return false;
	shash_put(&c->lib->types, name, t);
	return true;
}

static void cb_add_proto(void *vctx, struct prototype *p)
{
	struct parse_ctx *c = vctx;

	/* Within one file the first definition wins, as lookups would. */
	if (!shash_get(&c->lib->protos, p->name, NULL))
		shash_put(&c->lib->protos, p->name, p);
}

static void cb_own(void *vctx, void *p)
{
	struct parse_ctx *c = vctx;

	add_ptr(&c->db->owned, &c->db->nowned, &c->db->capowned, p);
}

static struct protolib *get_lib(struct proto_db *db, const char *key);

static bool cb_import(void *vctx, const char *name)
{
	struct parse_ctx *c = vctx;
	struct protolib *lib = get_lib(c->db, name);

	if (!lib)
		return false;
	if (lib != c->lib) {
		grow_array((void **)&c->lib->imports, &c->lib->capimports, c->lib->nimports + 1,
			   sizeof(*c->lib->imports));
		c->lib->imports[c->lib->nimports++] = lib;
	}
	return true;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, cap = 0;

	if (!f)
		return NULL;
	for (;;) {
		size_t got;

		grow_array((void **)&buf, &cap, len + 4097, 1);
		got = fread(buf + len, 1, 4096, f);
		len += got;
		if (got < 4096)
			break;
	}
	fclose(f);
	buf[len] = 0;
	return buf;
}

static struct protolib *new_lib(struct proto_db *db)
{
	struct protolib *lib = xcalloc(1, sizeof(*lib));

	add_ptr((void ***)&db->all, &db->nall, &db->capall, lib);
	return lib;
}

/* Parse PATH into LIB. */
static void load_into(struct proto_db *db, struct protolib *lib, const char *path)
{
	struct parse_ctx c = { db, lib };
	struct parse_scope sc = { cb_lookup_type, cb_add_type, cb_add_proto, cb_import, cb_own, &c };
	char *text = read_file(path);

	if (!text) {
		if (db->errout) {
			fprintf_escaped(db->errout, "ltrace: Couldn't read %s: %s", path,
					strerror(errno));
			fputc('\n', db->errout);
		}
		return;
	}
	proto_parse_text(path, text, &sc, db->errout);
	free(text);
}

static char *find_conf(struct proto_db *db, const char *key)
{
	for (size_t i = 0; i < db->ndirs; i++) {
		char *path;

		if (asprintf(&path, "%s/%s.conf", db->dirs[i], key) < 0)
			error_msg_and_die("out of memory");
		if (access(path, R_OK) == 0)
			return path;
		free(path);
	}
	return NULL;
}

static struct protolib *get_lib(struct proto_db *db, const char *key)
{
	int found;
	struct protolib *lib = shash_get(&db->libs, key, &found);
	char *path;

	if (found)
		return lib;
	path = find_conf(db, key);
	if (!path) {
		shash_put(&db->libs, key, NULL);
		return NULL;
	}
	lib = new_lib(db);
	/* Registered before parsing so that import cycles terminate. */
	shash_put(&db->libs, key, lib);
	load_into(db, lib, path);
	free(path);
	return lib;
}

/* Find the position of the last ".so" that ends the name or is followed
 * by a '.', or NULL. */
static const char *so_part(const char *s)
{
	const char *best = NULL;

	for (const char *p = strstr(s, ".so"); p; p = strstr(p + 1, ".so"))
		if (p[3] == 0 || p[3] == '.')
			best = p;
	return best;
}

/* Can SONAME, which the object (the tracee) chose, name a KEY.conf file? Never when it
 * holds a '/' (it would leave the directory: "../../dir/evil"), is "." or "..", starts
 * with a '.' (".", "..", hidden files) or holds a control byte. */
static bool soname_is_file_name(const char *soname)
{
	if (!*soname || *soname == '.')
		return false;
	for (const unsigned char *p = (const unsigned char *)soname; *p; p++)
		if (*p == '/' || *p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

static struct protolib *soname_lib(struct proto_db *db, const char *soname)
{
	int found;
	struct protolib *lib = shash_get(&db->sonames, soname, &found);
	char *key;
	const char *so;

	if (found)
		return lib;
	if (!soname_is_file_name(soname)) {
		shash_put(&db->sonames, soname, NULL);
		return NULL;
	}
	if (!strcmp(soname, "SYS")) {
		lib = get_lib(db, "syscalls");
		shash_put(&db->sonames, soname, lib);
		return lib;
	}
	key = xstrdup(soname);
	so = so_part(key);
	for (;;) {
		char *dot;

		lib = get_lib(db, key);
		if (lib || !so)
			break;
		/* libc.so.6 -> libc.so, but never below X.so. */
		dot = strrchr(key, '.');
		if (!dot || dot <= so)
			break;
		*dot = 0;
	}
	free(key);
	shash_put(&db->sonames, soname, lib);
	return lib;
}

const struct prototype *proto_db_find(struct proto_db *db, const char *name,
				      const char *const *sonames, size_t nsonames)
{
	const struct prototype *p;

	if (!db)
		return NULL;
	for (size_t i = 0; i < nsonames; i++) {
		struct protolib *lib;

		if (!sonames[i])
			continue;
		lib = soname_lib(db, sonames[i]);
		if (lib) {
			p = lib_proto(lib, name, 0);
			if (p)
				return p;
		}
		/* System calls see only syscalls.conf. */
		if (!strcmp(sonames[i], "SYS"))
			continue;
		for (size_t j = 0; j < db->nimplicit; j++) {
			p = lib_proto(db->implicit[j], name, 0);
			if (p)
				return p;
		}
	}
	if (!nsonames) {
		for (size_t j = 0; j < db->nimplicit; j++) {
			p = lib_proto(db->implicit[j], name, 0);
			if (p)
				return p;
		}
	}
	/* No file can name a resolver (a '.' is no identifier character). */
	{
		size_t n = strlen(name), k = strlen(PROTO_IFUNC_SUFFIX);

		if (n > k && !strcmp(name + n - k, PROTO_IFUNC_SUFFIX))
			return proto_ifunc_resolver();
	}
	return NULL;
}

const struct prototype *proto_db_find_dwarf(struct proto_db *db, const char *name,
					    const char *object_path)
{
	int found;
	struct protolib *lib;

	if (!db || !name || !object_path || !*object_path)
		return NULL;
	lib = shash_get(&db->dwarf, object_path, &found);
	if (!found) {
		struct parse_ctx c;
		struct parse_scope sc = { cb_lookup_type, cb_add_type, cb_add_proto, cb_import,
					  cb_own, &c };

		lib = new_lib(db);
		c.db = db;
		c.lib = lib;
		if (!proto_dwarf_load(object_path, &sc))
			lib = NULL; /* stays in db->all and is freed with it */
		shash_put(&db->dwarf, object_path, lib);
	}
	return lib ? shash_get(&lib->protos, name, NULL) : NULL;
}

static void add_dir(struct proto_db *db, const char *dir)
{
	add_ptr((void ***)&db->dirs, &db->ndirs, &db->capdirs, xstrdup(dir));
}

static void add_dir2(struct proto_db *db, const char *base, const char *sub)
{
	char *p;

	if (!base || !*base)
		return;
	if (asprintf(&p, "%s/%s", base, sub) < 0)
		error_msg_and_die("out of memory");
	add_ptr((void ***)&db->dirs, &db->ndirs, &db->capdirs, p);
}

static void add_implicit(struct proto_db *db, const char *path)
{
	struct protolib *lib = new_lib(db);

	load_into(db, lib, path);
	add_ptr((void ***)&db->implicit, &db->nimplicit, &db->capimplicit, lib);
}

/* The directory of the prototype files shipped with this ltrace, found
 * from where the executable is, so that an ltrace run from its build tree,
 * or installed with DESTDIR and run from there, reads its own files and not
 * those of another version (or none): EXE_DIR/../etc when it holds
 * libc.so.conf (src/ltrace in the source tree), else EXE_DIR/../share/ltrace
 * (an installed prefix, bindir being PREFIX/bin), else the compiled-in
 * PKGDATADIR. Malloced. */
static char *shipped_dir(void)
{
	static const char *const rel[] = { "../etc", "../share/ltrace" };
	char exe[4096], *p;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			slash[1] = '\0';
			for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
				if (asprintf(&p, "%s%s/libc.so.conf", exe, rel[i]) < 0)
					error_msg_and_die("out of memory");
				if (access(p, R_OK) == 0) {
					*strrchr(p, '/') = '\0';
					return p;
				}
				free(p);
			}
		}
	}
	return xstrdup(PKGDATADIR);
}

static char *expand_tilde(const char *path)
{
	const char *home = getenv("HOME");
	char *p;

	if (path[0] != '~' || (path[1] && path[1] != '/') || !home)
		return xstrdup(path);
	if (asprintf(&p, "%s%s", home, path + 1) < 0)
		error_msg_and_die("out of memory");
	return p;
}

struct proto_db *proto_db_load(const struct options *opts, FILE *errout)
{
	struct proto_db *db = xcalloc(1, sizeof(*db));
	const char *home = getenv("HOME");
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *xdgdirs = getenv("XDG_CONFIG_DIRS");
	const char *pkg = getenv("LTRACE_PKGDATADIR");
	char **files = NULL;
	size_t nfiles = 0, capfiles = 0;
	char *legacy;
	struct stat st;

	db->errout = errout;
	/* Sort the -F list into directories (searched) and files (imported). */
	for (char **cp = opts ? opts->config_paths : NULL; cp && *cp; cp++) {
		char *path;

		if (!**cp)
			continue;
		path = expand_tilde(*cp);
		if (stat(path, &st) < 0) {
			error_msg("Couldn't stat %s: %s", path, strerror(errno));
			free(path);
			for (size_t i = 0; i < nfiles; i++)
				free(files[i]);
			free(files);
			proto_db_free(db);
			return NULL;
		}
		if (S_ISDIR(st.st_mode)) {
			add_dir(db, path);
			free(path);
		} else {
			add_ptr((void ***)&files, &nfiles, &capfiles, path);
		}
	}
	if (xdg && *xdg)
		add_dir2(db, xdg, "ltrace");
	else
		add_dir2(db, home, ".config/ltrace");
	add_dir2(db, home, ".ltrace");
	if (!xdgdirs || !*xdgdirs)
		xdgdirs = "/etc/xdg";
	{
		char *copy = xstrdup(xdgdirs), *save = NULL;

		for (char *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save))
			add_dir2(db, d, "ltrace");
		free(copy);
	}
	if (pkg && *pkg)
		add_dir(db, pkg);
	{
		char *shipped = shipped_dir();

		add_dir(db, shipped);
		free(shipped);
	}

	/* Implicit imports: legacy files, then -F files. */
	if (home) {
		if (asprintf(&legacy, "%s/.ltrace.conf", home) < 0)
			error_msg_and_die("out of memory");
		if (access(legacy, R_OK) == 0)
			add_implicit(db, legacy);
		free(legacy);
	}
	if (access(SYSCONFDIR "/ltrace.conf", R_OK) == 0)
		add_implicit(db, SYSCONFDIR "/ltrace.conf");
	for (size_t i = 0; i < nfiles; i++) {
		add_implicit(db, files[i]);
		free(files[i]);
	}
	free(files);
	return db;
}

void proto_db_free(struct proto_db *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->ndirs; i++)
		free(db->dirs[i]);
	free(db->dirs);
	free(db->implicit);
	for (size_t i = 0; i < db->nall; i++) {
		shash_free(&db->all[i]->protos);
		shash_free(&db->all[i]->types);
		free(db->all[i]->imports);
		free(db->all[i]);
	}
	free(db->all);
	for (size_t i = 0; i < db->nowned; i++)
		free(db->owned[i]);
	free(db->owned);
	shash_free(&db->libs);
	shash_free(&db->sonames);
	shash_free(&db->dwarf);
	free(db);
}
