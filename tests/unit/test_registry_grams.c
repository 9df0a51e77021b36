/*
 * The index of short name pieces (registry/snapshot/grams.c): built from
 * a table of names, every gram's blocks decoded back give the ids whose
 * names hold it, counted over the names themselves, in both encodings of
 * a block (varints for a rare gram, the bitmap for one most names hold,
 * and for a block that starts at id 0); malformed blocks are refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/snapshot/grams.h"
#include "tests/unit/test_registry.h"

#define ORGS 1400 /* ids 0 to ORGS - 1: several blocks of a common gram */

/* The name of organisation `id`: every name holds "公司"; "Qz" (upper
 * case, indexed as "qz") only every 97th, from id 0. */
static void
name_of(long long id, char *out, size_t size)
{
	snprintf(out, size, "%s%lld科技公司", id % 97 == 0 ? "Qz" : "", id);
}

/* A former name of every 250th organisation holds "旧". */
static int
has_former(long long id)
{
	return id % 250 == 3;
}

static sqlite3 *
built(void)
{
	sqlite3 *db;
	sqlite3_stmt *org, *former, *insert;
	char why[200], name[64];

	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(
	    sqlite3_exec(db,
	        "CREATE TABLE organisations(id INTEGER PRIMARY KEY, name);"
	        "CREATE TABLE former_names(organisation_id, name);"
	        "CREATE TABLE name_grams(gram, last_id, ids,"
	        "  PRIMARY KEY (gram, last_id)) WITHOUT ROWID;",
	        NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(
	    sqlite3_prepare_v2(
	        db, "INSERT INTO organisations VALUES (?, ?)", -1, &org, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
	                     "INSERT INTO former_names VALUES (?, '旧名')", -1,
	                     &former, NULL),
	    SQLITE_OK);
	for (long long id = 0; id < ORGS; id++) {
		name_of(id, name, sizeof name);
		sqlite3_bind_int64(org, 1, id);
		sqlite3_bind_text(org, 2, name, -1, SQLITE_TRANSIENT);
		assert_int_equal(sqlite3_step(org), SQLITE_DONE);
		sqlite3_reset(org);
		if (has_former(id)) {
			sqlite3_bind_int64(former, 1, id);
			assert_int_equal(sqlite3_step(former), SQLITE_DONE);
			sqlite3_reset(former);
		}
	}
	sqlite3_finalize(org);
	sqlite3_finalize(former);
	assert_int_equal(
	    sqlite3_prepare_v2(db, "INSERT INTO name_grams VALUES (?, ?, ?)",
	        -1, &insert, NULL),
	    SQLITE_OK);
	if (snapshot_grams_build(db, insert, why, sizeof why) != 0)
		fail_msg("build: %s", why);
	sqlite3_finalize(insert);
	return db;
}

/* Decodes gram's blocks in order into ids[] (room for ORGS); how many.
 * Counts the blocks of each encoding into bitmaps and varints. */
static long long
decoded(
    sqlite3 *db, const char *gram, long long *ids, int *bitmaps, int *varints)
{
	sqlite3_stmt *stmt;
	long long n = 0;

	*bitmaps = *varints = 0;
	assert_int_equal(sqlite3_prepare_v2(db,
	                     "SELECT last_id, ids FROM name_grams "
	                     "WHERE gram = ? ORDER BY last_id",
	                     -1, &stmt, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(stmt, 1, gram, -1, SQLITE_STATIC);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		long long block[SNAPSHOT_GRAMS_BLOCK];
		const unsigned char *data = sqlite3_column_blob(stmt, 1);
		int size = sqlite3_column_bytes(stmt, 1);
		int count = snapshot_grams_decode(data, (size_t)size, block);
		if (count <= 0)
			fail_msg("gram %s: a block decodes to %d", gram, count);
		if (block[count - 1] != sqlite3_column_int64(stmt, 0))
			fail_msg("gram %s: block ends at %lld, last_id %lld",
			    gram, block[count - 1],
			    sqlite3_column_int64(stmt, 0));
		if (data[0] == 0)
			(*bitmaps)++;
		else
			(*varints)++;
		assert_true(n + count <= ORGS);
		memcpy(ids + n, block, (size_t)count * sizeof *block);
		n += count;
	}
	sqlite3_finalize(stmt);
	return n;
}

/* Gram's ids decoded equal those counted over the names. */
static void
check_gram(sqlite3 *db, const char *gram, const char *in_name, int want_bitmaps,
    int want_varints)
{
	long long *ids = malloc(ORGS * sizeof *ids), n;
	long long expected = 0;
	int bitmaps, varints;
	char name[64];

	n = decoded(db, gram, ids, &bitmaps, &varints);
	for (long long id = 0; id < ORGS; id++) {
		name_of(id, name, sizeof name);
		if (strstr(name, in_name) == NULL &&
		    !(has_former(id) && strstr("旧名", in_name) != NULL))
			continue;
		if (expected >= n || ids[expected] != id)
			fail_msg("gram %s: id %lld expected at %lld, got %lld",
			    gram, id, expected,
			    expected < n ? ids[expected] : -1);
		expected++;
	}
	assert_int_equal(n, expected);
	if (want_bitmaps >= 0)
		assert_int_equal(bitmaps, want_bitmaps);
	if (want_varints >= 0)
		assert_int_equal(varints, want_varints);
	free(ids);
}

static void
test_grams_dense_as_bitmaps(void **state)
{
	sqlite3 *db = built();

	(void)state;
	/* 1400 ids: blocks of 512, 512 and 376, all bitmaps */
	check_gram(db, "公司", "公司", 3, 0);
	check_gram(db, "司", "司", 3, 0);
	sqlite3_close(db);
}

static void
test_grams_sparse_as_varints(void **state)
{
	sqlite3 *db = built();

	(void)state;
	/* ids 0, 97, …: one block, and from id 0 a bitmap */
	check_gram(db, "qz", "Qz", 1, 0);
	/* former names only: 3, 253, …: varints */
	check_gram(db, "旧", "旧", 0, 1);
	check_gram(db, "旧名", "旧名", 0, 1);
	/* digits: either encoding, the same ids */
	check_gram(db, "13", "13", -1, -1);
	check_gram(db, "7", "7", -1, -1);
	sqlite3_close(db);
}

static void
test_grams_malformed(void **state)
{
	long long ids[SNAPSHOT_GRAMS_BLOCK];
	unsigned char many[2 + SNAPSHOT_GRAMS_BLOCK / 8 + 1];
	static const unsigned char cut_varint[] = {0x05, 0x80};
	static const unsigned char cut_bitmap[] = {0x00, 0x80};
	static const unsigned char huge_first[] = {
	    0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x01};
	static const unsigned char bitmap[] = {0x00, 0x0a, 0x05, 0x80};

	(void)state;
	assert_int_equal(snapshot_grams_decode(cut_varint, 2, ids), -1);
	assert_int_equal(snapshot_grams_decode(cut_bitmap, 2, ids), -1);
	assert_int_equal(
	    snapshot_grams_decode(huge_first, sizeof huge_first, ids), -1);
	/* more ids than a block holds */
	memset(many, 0xff, sizeof many);
	many[0] = 0;
	many[1] = 1;
	assert_int_equal(snapshot_grams_decode(many, sizeof many, ids), -1);
	/* 10 + bits 0, 2 and 15 */
	assert_int_equal(snapshot_grams_decode(bitmap, sizeof bitmap, ids), 3);
	assert_int_equal(ids[0], 10);
	assert_int_equal(ids[1], 12);
	assert_int_equal(ids[2], 25);
}

int
test_registry_grams(void)
{
	static const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_grams_dense_as_bitmaps),
	    cmocka_unit_test(test_grams_sparse_as_varints),
	    cmocka_unit_test(test_grams_malformed),
	};
	return cmocka_run_group_tests_name("registry_grams", tests, NULL, NULL);
}
