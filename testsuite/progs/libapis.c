/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A few calls into zlib, SQLite and libacl, traced with the shipped prototype files
 * libz.so.conf, libsqlite3.so.conf and libacl.so.conf (libapis.test). Built by the test,
 * since the development packages are test dependencies. Exits 0 when every result is the
 * expected one. */
#include <acl/libacl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/acl.h>
#include <zlib.h>

static int zlib_part(void)
{
	static const char text[] = "hello hello hello hello";
	unsigned char packed[128], plain[64];
	uLongf plen = sizeof(packed), ulen = sizeof(plain);
	uLong crc;

	if (compress2(packed, &plen, (const Bytef *)text, sizeof(text), 9) != Z_OK)
		return 1;
	if (uncompress(plain, &ulen, packed, plen) != Z_OK || ulen != sizeof(text) ||
	    memcmp(plain, text, ulen))
		return 1;
	crc = crc32(0, (const Bytef *)text, sizeof(text) - 1);
	return crc != 0x9b79e1c2 && crc != crc32(0, plain, ulen - 1);
}

static int sqlite_part(void)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int ok;

	if (sqlite3_open(":memory:", &db) != SQLITE_OK)
		return 1;
	if (sqlite3_exec(db, "create table t(x text); insert into t values('row one')", NULL, NULL,
			 NULL) != SQLITE_OK)
		return 1;
	if (sqlite3_prepare_v2(db, "select x from t", -1, &st, NULL) != SQLITE_OK)
		return 1;
	ok = sqlite3_step(st) == SQLITE_ROW &&
	     !strcmp((const char *)sqlite3_column_text(st, 0), "row one") &&
	     sqlite3_step(st) == SQLITE_DONE;
	sqlite3_finalize(st);
	sqlite3_close(db);
	return !ok;
}

static int acl_part(void)
{
	acl_t acl = acl_from_text("u::rw-,g::r--,o::---");
	char *text;
	int ok;

	if (!acl)
		return 1;
	text = acl_to_text(acl, NULL);
	ok = text && acl_valid(acl) == 0;
	acl_free(text);
	acl_free(acl);
	return !ok;
}

int main(void)
{
	int bad = zlib_part() | sqlite_part() << 1 | acl_part() << 2;

	printf("libapis: %d\n", bad);
	return bad;
}
