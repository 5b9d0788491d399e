// SPDX-License-Identifier: GPL-2.0-or-later
/* Reading ELF objects: functions, PLT stubs and GOT calls, SONAME.
 *
 * PLT stubs are found by decoding them rather than by assuming the layout
 * of one linker: every 8-byte aligned position of .plt, .plt.sec and
 * .plt.got is checked for an indirect jump through a RIP-relative GOT slot
 * (optionally behind endbr64 and a bnd prefix); the slot then names the
 * symbol through its JUMP_SLOT or GLOB_DAT relocation. This covers lazy and
 * -z now PLTs, IBT .plt.sec and .plt.got alike. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"
#include "elf_file.h"

static char *why_with(const char *what, const char *detail)
{
	char *s;
	if (asprintf(&s, "%s: %s", what, detail) < 0)
		error_msg_and_die("out of memory");
	return s;
}

/* A GOT slot named by a relocation. */
struct got_slot {
	uint64_t got;
	char *name;
	bool used;
};

struct reader {
	Elf *elf;
	struct elf_file *ef;
	struct got_slot *slots;
	size_t nslots, cslots;
	size_t csyms, cplts;
};

static int cmp_sym_addr(const void *a, const void *b)
{
	const struct elf_sym *x = a, *y = b;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	/* Shortest name first, then exported, so the merge keeps it. */
	size_t lx = strlen(x->name), ly = strlen(y->name);
	if (lx != ly)
		return lx < ly ? -1 : 1;
	return strcmp(x->name, y->name);
}

static char *strip_version(const char *name)
{
	const char *at = strchr(name, '@');
	return at ? xstrndup(name, (size_t)(at - name)) : xstrdup(name);
}

static void add_sym(struct reader *r, const char *name, uint64_t addr, bool ifunc, bool exported)
{
	struct elf_file *ef = r->ef;
	grow_array((void **)&ef->syms, &r->csyms, ef->nsyms + 1, sizeof(*ef->syms));
	ef->syms[ef->nsyms++] = (struct elf_sym){ strip_version(name), addr, ifunc, exported };
}

static void read_symtab(struct reader *r, Elf_Scn *scn, GElf_Shdr *sh)
{
	bool dyn = sh->sh_type == SHT_DYNSYM;
	Elf_Data *data = elf_getdata(scn, NULL);
	if (!data || !sh->sh_entsize)
		return;
	size_t n = sh->sh_size / sh->sh_entsize;
	for (size_t i = 1; i < n; i++) {
		GElf_Sym sym;
		if (!gelf_getsym(data, (int)i, &sym))
			break;
		int type = GELF_ST_TYPE(sym.st_info);
		if (type != STT_FUNC && type != STT_GNU_IFUNC)
			continue;
		if (sym.st_shndx == SHN_UNDEF || sym.st_value == 0)
			continue;
		const char *name = elf_strptr(r->elf, sh->sh_link, sym.st_name);
		if (!name || !*name)
			continue;
		add_sym(r, name, sym.st_value, type == STT_GNU_IFUNC,
			dyn && GELF_ST_BIND(sym.st_info) != STB_LOCAL);
	}
}

/* Sort by address, aliases together with the shortest name first. The
 * same name found in .symtab and .dynsym is kept once. */
static void merge_syms(struct elf_file *ef)
{
	if (!ef->nsyms)
		return;
	qsort(ef->syms, ef->nsyms, sizeof(*ef->syms), cmp_sym_addr);
	size_t out = 0;
	for (size_t i = 0; i < ef->nsyms; i++) {
		if (out && ef->syms[out - 1].addr == ef->syms[i].addr &&
		    !strcmp(ef->syms[out - 1].name, ef->syms[i].name)) {
			ef->syms[out - 1].exported |= ef->syms[i].exported;
			ef->syms[out - 1].ifunc |= ef->syms[i].ifunc;
			free(ef->syms[i].name);
			continue;
		}
		ef->syms[out++] = ef->syms[i];
	}
	ef->nsyms = out;
}

static const char *dynsym_name(struct reader *r, Elf_Data *symdata, size_t strndx, size_t idx,
			       bool want_func)
{
	GElf_Sym sym;
	if (!symdata || !gelf_getsym(symdata, (int)idx, &sym))
		return NULL;
	int type = GELF_ST_TYPE(sym.st_info);
	if (want_func && type != STT_FUNC && type != STT_GNU_IFUNC)
		return NULL;
	return elf_strptr(r->elf, strndx, sym.st_name);
}

static void add_slot(struct reader *r, uint64_t got, const char *name)
{
	grow_array((void **)&r->slots, &r->cslots, r->nslots + 1, sizeof(*r->slots));
	r->slots[r->nslots++] = (struct got_slot){ got, strip_version(name), false };
}

static void read_relocs(struct reader *r, Elf_Scn *scn, GElf_Shdr *sh)
{
	Elf_Scn *symscn = elf_getscn(r->elf, sh->sh_link);
	GElf_Shdr symsh;
	if (!symscn || !gelf_getshdr(symscn, &symsh) || symsh.sh_type != SHT_DYNSYM)
		return;
	Elf_Data *symdata = elf_getdata(symscn, NULL);
	Elf_Data *data = elf_getdata(scn, NULL);
	if (!data || !sh->sh_entsize)
		return;
	size_t n = sh->sh_size / sh->sh_entsize;
	for (size_t i = 0; i < n; i++) {
		GElf_Rela rela;
		if (!gelf_getrela(data, (int)i, &rela))
			break;
		unsigned type = GELF_R_TYPE(rela.r_info);
		size_t symi = GELF_R_SYM(rela.r_info);
		const char *name = NULL;
		if (type == R_X86_64_JUMP_SLOT) {
			name = dynsym_name(r, symdata, symsh.sh_link, symi, false);
		} else if (type == R_X86_64_GLOB_DAT) {
			/* Only functions: data objects are not calls. */
			name = dynsym_name(r, symdata, symsh.sh_link, symi, true);
		} else if (type == R_X86_64_IRELATIVE) {
			/* Named after the resolver once symbols are known. */
			char buf[40];
			snprintf(buf, sizeof(buf), "IREL.%#llx", (unsigned long long)rela.r_addend);
			add_slot(r, rela.r_offset, buf);
			continue;
		}
		if (name && *name)
			add_slot(r, rela.r_offset, name);
	}
}

static int cmp_slot(const void *a, const void *b)
{
	const struct got_slot *x = a, *y = b;
	return x->got < y->got ? -1 : x->got > y->got;
}

static struct got_slot *find_slot(struct reader *r, uint64_t got)
{
	struct got_slot key = { .got = got };
	if (!r->nslots)
		return NULL;
	return bsearch(&key, r->slots, r->nslots, sizeof(*r->slots), cmp_slot);
}

static void add_plt(struct reader *r, struct got_slot *slot, uint64_t stub)
{
	struct elf_file *ef = r->ef;
	grow_array((void **)&ef->plts, &r->cplts, ef->nplts + 1, sizeof(*ef->plts));
	ef->plts[ef->nplts++] = (struct elf_plt){ xstrdup(slot->name), stub, slot->got };
	slot->used = true;
}

/* Length of a "jmp *disp32(%rip)" at P (with optional endbr64 and bnd
 * prefix), storing the RIP-relative displacement's end offset and value. */
static size_t decode_got_jump(const unsigned char *p, size_t avail, size_t *disp_end, int32_t *disp)
{
	size_t i = 0;
	if (avail >= 4 && p[0] == 0xf3 && p[1] == 0x0f && p[2] == 0x1e && p[3] == 0xfa)
		i = 4;
	if (i < avail && p[i] == 0xf2)
		i++;
	if (i + 6 > avail || p[i] != 0xff || p[i + 1] != 0x25)
		return 0;
	memcpy(disp, p + i + 2, 4);
	*disp_end = i + 6;
	return i + 6;
}

void elf_scan_stubs(const unsigned char *buf, size_t size, uint64_t addr,
		    void (*found)(void *ctx, uint64_t stub, uint64_t got), void *ctx)
{
	for (size_t off = 0; off + 6 <= size; off += 8) {
		size_t end;
		int32_t disp;
		if (decode_got_jump(buf + off, size - off, &end, &disp))
			found(ctx, addr + off, addr + off + end + (int64_t)disp);
	}
}

static void on_stub(void *ctx, uint64_t stub, uint64_t got)
{
	struct reader *r = ctx;
	struct got_slot *slot = find_slot(r, got);
	if (slot && !slot->used)
		add_plt(r, slot, stub);
}

static void scan_plt_section(struct reader *r, Elf_Scn *scn, GElf_Shdr *sh)
{
	if (sh->sh_type != SHT_PROGBITS)
		return;
	Elf_Data *data = elf_getdata(scn, NULL);
	if (!data || !data->d_buf || data->d_size < 6)
		return;
	elf_scan_stubs(data->d_buf, data->d_size, sh->sh_addr, on_stub, r);
}

static void read_dynamic(struct reader *r, Elf_Scn *scn, GElf_Shdr *sh)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	r->ef->dynamic = sh->sh_addr;
	if (!data || !sh->sh_entsize)
		return;
	size_t n = sh->sh_size / sh->sh_entsize;
	for (size_t i = 0; i < n; i++) {
		GElf_Dyn dyn;
		if (!gelf_getdyn(data, (int)i, &dyn) || dyn.d_tag == DT_NULL)
			break;
		if (dyn.d_tag == DT_SONAME) {
			const char *s = elf_strptr(r->elf, sh->sh_link, dyn.d_un.d_val);
			if (s && *s && !r->ef->soname)
				r->ef->soname = xstrdup(s);
		}
	}
}

static char *check_header(Elf *elf, GElf_Ehdr *eh)
{
	if (elf_kind(elf) != ELF_K_ELF)
		return xstrdup("not an ELF file");
	char *id = elf_getident(elf, NULL);
	if (!id)
		return xstrdup("truncated ELF header");
	if (id[EI_CLASS] == ELFCLASS32)
		return xstrdup("32-bit ELF objects are not supported (only x86_64)");
	if (id[EI_CLASS] != ELFCLASS64)
		return xstrdup("unknown ELF class");
	if (!gelf_getehdr(elf, eh))
		return why_with("corrupt ELF header", elf_errmsg(-1));
	if (eh->e_machine != EM_X86_64)
		return xstrdup("ELF objects for this machine are not supported (only x86_64)");
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return xstrdup("not an executable or shared object");
	return NULL;
}

static void index_names(struct elf_file *ef);

struct elf_file *elf_read(const char *path, char **why)
{
	*why = NULL;
	if (elf_version(EV_CURRENT) == EV_NONE) {
		*why = xstrdup("libelf is out of date");
		return NULL;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*why = xstrdup(strerror(errno));
		return NULL;
	}
	Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf) {
		*why = why_with("cannot read ELF", elf_errmsg(-1));
		close(fd);
		return NULL;
	}
	GElf_Ehdr eh;
	*why = check_header(elf, &eh);
	if (*why) {
		elf_end(elf);
		close(fd);
		return NULL;
	}

	struct elf_file *ef = xcalloc(1, sizeof(*ef));
	struct reader r = { .elf = elf, .ef = ef };
	ef->path = xstrdup(path);
	ef->type = eh.e_type;
	ef->entry = eh.e_entry;
	ef->lo = UINT64_MAX;

	size_t phnum = 0;
	if (elf_getphdrnum(elf, &phnum) != 0)
		phnum = 0;
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(elf, (int)i, &ph))
			continue;
		if (ph.p_type == PT_INTERP) {
			ef->has_interp = true;
			size_t size = 0;
			const char *raw = elf_rawfile(elf, &size);
			if (raw && ph.p_offset < size && ph.p_filesz > 1 &&
			    ph.p_filesz <= size - ph.p_offset && !ef->interp)
				ef->interp = xstrndup(raw + ph.p_offset, ph.p_filesz);
		}
		if (ph.p_type == PT_LOAD) {
			if (ph.p_vaddr < ef->lo)
				ef->lo = ph.p_vaddr;
			if (ph.p_vaddr + ph.p_memsz > ef->hi)
				ef->hi = ph.p_vaddr + ph.p_memsz;
		}
	}
	if (ef->lo == UINT64_MAX) {
		*why = xstrdup("no loadable segments (corrupt ELF file?)");
		elf_end(elf);
		close(fd);
		elf_free(ef);
		return NULL;
	}

	size_t shstrndx, shnum = 0;
	if (elf_getshdrstrndx(elf, &shstrndx) != 0)
		shstrndx = 0;
	if (elf_getshdrnum(elf, &shnum) != 0 || shnum == 0 || !elf_nextscn(elf, NULL))
		ef->no_sections = true;
	/* Pass 1: symbols, relocations, dynamic section. */
	bool dynsym = false;
	for (Elf_Scn *scn = elf_nextscn(elf, NULL); scn; scn = elf_nextscn(elf, scn)) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh))
			continue;
		dynsym |= sh.sh_type == SHT_DYNSYM;
		if (sh.sh_type == SHT_SYMTAB || sh.sh_type == SHT_DYNSYM)
			read_symtab(&r, scn, &sh);
		else if (sh.sh_type == SHT_RELA)
			read_relocs(&r, scn, &sh);
		else if (sh.sh_type == SHT_DYNAMIC)
			read_dynamic(&r, scn, &sh);
	}
	/* A dynamically linked program always has a .dynsym: section headers that name none
	 * (garbage, or zeroed) are as good as missing. */
	if (ef->has_interp && !dynsym)
		ef->no_sections = true;
	merge_syms(ef);
	index_names(ef);
	/* IRELATIVE slots are named after the resolver they are bound by. */
	for (size_t i = 0; i < r.nslots; i++) {
		if (strncmp(r.slots[i].name, "IREL.", 5))
			continue;
		uint64_t resolver = strtoull(r.slots[i].name + 5, NULL, 16);
		const struct elf_sym *s = elf_sym_exact(ef, resolver);
		if (s) {
			free(r.slots[i].name);
			r.slots[i].name = xstrdup(s->name);
		}
	}
	if (r.nslots)
		qsort(r.slots, r.nslots, sizeof(*r.slots), cmp_slot);
	/* Pass 2: decode PLT stubs. */
	for (Elf_Scn *scn = elf_nextscn(elf, NULL); scn; scn = elf_nextscn(elf, scn)) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh))
			continue;
		const char *name = shstrndx ? elf_strptr(elf, shstrndx, sh.sh_name) : NULL;
		if (name && (!strcmp(name, ".plt") || !strcmp(name, ".plt.sec") ||
			     !strcmp(name, ".plt.got")))
			scan_plt_section(&r, scn, &sh);
	}
	/* GOT slots of functions without a stub are called directly (-fno-plt). */
	for (size_t i = 0; i < r.nslots; i++) {
		if (!r.slots[i].used && strncmp(r.slots[i].name, "IREL.", 5))
			add_plt(&r, &r.slots[i], 0);
		free(r.slots[i].name);
	}
	free(r.slots);
	elf_end(elf);
	close(fd);
	return ef;
}

void elf_free(struct elf_file *ef)
{
	if (!ef)
		return;
	for (size_t i = 0; i < ef->nsyms; i++)
		free(ef->syms[i].name);
	for (size_t i = 0; i < ef->nplts; i++)
		free(ef->plts[i].name);
	free(ef->syms);
	free(ef->by_name);
	free(ef->plts);
	free(ef->soname);
	free(ef->interp);
	free(ef->path);
	free(ef);
}

static size_t sym_upper_bound(const struct elf_file *ef, uint64_t addr)
{
	size_t lo = 0, hi = ef->nsyms;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (ef->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct elf_sym *elf_sym_at(const struct elf_file *ef, uint64_t addr)
{
	size_t i = sym_upper_bound(ef, addr);
	if (!i)
		return NULL;
	/* The first of a group of aliases has the shortest name. */
	i--;
	while (i && ef->syms[i - 1].addr == ef->syms[i].addr)
		i--;
	return &ef->syms[i];
}

bool elf_sym_is_alias(const struct elf_file *ef, const struct elf_sym *s)
{
	return s > ef->syms && s[-1].addr == s->addr;
}

const struct elf_sym *elf_sym_exact(const struct elf_file *ef, uint64_t addr)
{
	const struct elf_sym *s = elf_sym_at(ef, addr);
	return s && s->addr == addr ? s : NULL;
}

static const struct elf_file *sort_ef;

static int cmp_by_name(const void *a, const void *b)
{
	const struct elf_sym *x = &sort_ef->syms[*(const size_t *)a];
	const struct elf_sym *y = &sort_ef->syms[*(const size_t *)b];
	return strcmp(x->name, y->name);
}

static void index_names(struct elf_file *ef)
{
	ef->by_name = xmalloc((ef->nsyms ? ef->nsyms : 1) * sizeof(*ef->by_name));
	for (size_t i = 0; i < ef->nsyms; i++)
		ef->by_name[i] = i;
	sort_ef = ef;
	qsort(ef->by_name, ef->nsyms, sizeof(*ef->by_name), cmp_by_name);
	sort_ef = NULL;
}

size_t elf_syms_named(const struct elf_file *ef, const char *name, size_t *first)
{
	size_t lo = 0, hi = ef->nsyms;
	while (lo < hi) { /* the first name not below NAME */
		size_t mid = (lo + hi) / 2;
		if (strcmp(ef->syms[ef->by_name[mid]].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	size_t n = 0;
	while (lo + n < ef->nsyms && !strcmp(ef->syms[ef->by_name[lo + n]].name, name))
		n++;
	return n;
}

const struct elf_sym *elf_sym_named(const struct elf_file *ef, const char *name)
{
	size_t lo = 0, hi = ef->nsyms;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct elf_sym *s = &ef->syms[ef->by_name[mid]];
		int c = strcmp(s->name, name);
		if (!c)
			return s;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Objects are read once: a library loaded again (dlclose then dlopen, at
 * the same or another address, or in another process) shares what was
 * read, as long as the file is the same (device, inode, size, mtime). */
struct cached {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	struct elf_file *ef;
};
static struct cached *cache;
static size_t ncache, ccache;

struct elf_file *elf_get(const char *path, char **why)
{
	struct stat st;
	*why = NULL;
	if (stat(path, &st) != 0) {
		*why = xstrdup(strerror(errno));
		return NULL;
	}
	for (size_t i = 0; i < ncache; i++) {
		struct cached *c = &cache[i];
		if (c->dev == st.st_dev && c->ino == st.st_ino && c->size == st.st_size &&
		    c->mtime.tv_sec == st.st_mtim.tv_sec && c->mtime.tv_nsec == st.st_mtim.tv_nsec) {
			c->ef->refs++;
			return c->ef;
		}
	}
	struct elf_file *ef = elf_read(path, why);
	if (!ef)
		return NULL;
	grow_array((void **)&cache, &ccache, ncache + 1, sizeof(*cache));
	cache[ncache++] = (struct cached){ st.st_dev, st.st_ino, st.st_size, st.st_mtim, ef };
	ef->refs = 2; /* the cache's and the caller's */
	return ef;
}

void elf_put(struct elf_file *ef)
{
	if (ef && ef->refs && --ef->refs == 0)
		elf_free(ef);
}

void elf_cache_clear(void)
{
	for (size_t i = 0; i < ncache; i++)
		elf_put(cache[i].ef);
	free(cache);
	cache = NULL;
	ncache = ccache = 0;
}

uint64_t elf_symbol_value(const char *path, const char *name)
{
	if (elf_version(EV_CURRENT) == EV_NONE)
		return 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
	uint64_t value = 0;
	for (Elf_Scn *scn = elf ? elf_nextscn(elf, NULL) : NULL; scn && !value;
	     scn = elf_nextscn(elf, scn)) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || (sh.sh_type != SHT_DYNSYM && sh.sh_type != SHT_SYMTAB) ||
		    !sh.sh_entsize)
			continue;
		Elf_Data *data = elf_getdata(scn, NULL);
		size_t n = sh.sh_size / sh.sh_entsize;
		for (size_t i = 1; data && i < n; i++) {
			GElf_Sym sym;
			if (!gelf_getsym(data, (int)i, &sym))
				break;
			const char *sname = elf_strptr(elf, sh.sh_link, sym.st_name);
			if (sname && sym.st_shndx != SHN_UNDEF && !strcmp(sname, name)) {
				value = sym.st_value;
				break;
			}
		}
	}
	if (elf)
		elf_end(elf);
	close(fd);
	return value;
}
