/*
 * The snapshot's tables as SQL, and the canonical digest of their content
 * (see schema.h).
 */
#include "registry/snapshot/schema.h"

#include <nettle/sha2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/base/mem.h"

const char SNAPSHOT_SCHEMA_TABLES[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)\n"
    "  WITHOUT ROWID;\n"
    "CREATE TABLE categories(code TEXT PRIMARY KEY,\n"
    "  position INTEGER NOT NULL, name_zh TEXT NOT NULL,\n"
    "  name_en TEXT NOT NULL) WITHOUT ROWID;\n"
    "CREATE TABLE levels(level INTEGER PRIMARY KEY,\n"
    "  name_zh TEXT NOT NULL, name_en TEXT NOT NULL);\n"
    "CREATE TABLE kinds(code INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"
    "CREATE TABLE organisations(id INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL, credit_code TEXT, address TEXT NOT NULL,\n"
    "  certificate_count INTEGER NOT NULL, name_en TEXT);\n"
    "CREATE TABLE former_names(organisation_id INTEGER NOT NULL,\n"
    "  event_id INTEGER NOT NULL, name TEXT NOT NULL,\n"
    "  until INTEGER NOT NULL,\n"
    "  PRIMARY KEY (organisation_id, event_id)) WITHOUT ROWID;\n"
    "CREATE TABLE certificates(id INTEGER PRIMARY KEY,\n"
    "  recorded INTEGER NOT NULL, category TEXT NOT NULL,\n"
    "  level INTEGER NOT NULL, issued_on INTEGER NOT NULL,\n"
    "  valid_until INTEGER NOT NULL, organisation_id INTEGER NOT NULL,\n"
    "  predecessor, successor, status INTEGER NOT NULL,\n"
    "  status_since INTEGER, flags INTEGER NOT NULL,\n"
    "  warning_until INTEGER, rectification_deadline INTEGER,\n"
    "  windows INTEGER NOT NULL, annual1_done_on INTEGER,\n"
    "  annual2_done_on INTEGER, renewal_done_on INTEGER);\n"
    "CREATE TABLE events(seq INTEGER PRIMARY KEY, kind INTEGER NOT NULL,\n"
    "  certificate_id INTEGER, organisation_id INTEGER NOT NULL,\n"
    "  effective_on INTEGER NOT NULL, recorded_at NOT NULL,\n"
    "  reason INTEGER NOT NULL, reason_number INTEGER,\n"
    "  reference TEXT NOT NULL, new_value TEXT, other_number,\n"
    "  rare TEXT);\n"
    "CREATE TABLE number_runs(first_id INTEGER PRIMARY KEY,\n"
    "  prefix TEXT NOT NULL, width INTEGER NOT NULL,\n"
    "  first INTEGER NOT NULL);\n"
    "CREATE TABLE category_runs(category TEXT NOT NULL,\n"
    "  first_id INTEGER NOT NULL, last_id INTEGER NOT NULL,\n"
    "  PRIMARY KEY (category, first_id)) WITHOUT ROWID;\n"
    "CREATE TABLE level_runs(level INTEGER NOT NULL,\n"
    "  first_id INTEGER NOT NULL, last_id INTEGER NOT NULL,\n"
    "  PRIMARY KEY (level, first_id)) WITHOUT ROWID;\n"
    "CREATE TABLE status_runs(status INTEGER NOT NULL,\n"
    "  last_id INTEGER NOT NULL, first_id INTEGER NOT NULL,\n"
    "  PRIMARY KEY (status, last_id)) WITHOUT ROWID;\n"
    "CREATE TABLE texts(id INTEGER PRIMARY KEY, text TEXT NOT NULL);\n"
    "CREATE TABLE name_grams(gram TEXT NOT NULL, last_id INTEGER NOT NULL,\n"
    "  ids BLOB NOT NULL, PRIMARY KEY (gram, last_id)) WITHOUT ROWID;\n"
    "CREATE VIRTUAL TABLE organisation_search USING fts5(names,\n"
    "  tokenize = 'trigram', content = '', columnsize = 0);\n";

/* The trigram index: the organisations of ids ?1 to ?2, by their
 * current names and former ones, a line each. */
const char SNAPSHOT_SCHEMA_SEARCH[] =
    "INSERT INTO organisation_search(rowid, names)\n"
    "  SELECT o.id, o.name || coalesce(char(10) ||\n"
    "    (SELECT group_concat(f.name, char(10)) FROM former_names f\n"
    "     WHERE f.organisation_id = o.id), '')\n"
    "  FROM organisations o WHERE o.id BETWEEN ?1 AND ?2 ORDER BY o.id";

/* The same by current names only, before the former ones are known. */
const char SNAPSHOT_SCHEMA_SEARCH_NAMES[] =
    "INSERT INTO organisation_search(rowid, names)\n"
    "  SELECT id, name FROM organisations WHERE id BETWEEN ?1 AND ?2\n"
    "  ORDER BY id";

/* Organisation ?1 out of the trigram index, where it was by its
 * current name only (an index without content is told what to drop). */
const char SNAPSHOT_SCHEMA_SEARCH_DROP[] =
    "INSERT INTO organisation_search(organisation_search, rowid, names)\n"
    "  SELECT 'delete', id, name FROM organisations WHERE id = ?1";

/* From the ninth character (the organisation code and the check
 * character), which nearly always tells holders apart: the reader
 * compares the whole code in the row. */
const char SNAPSHOT_SCHEMA_CREDIT_CODES[] =
    "CREATE INDEX organisations_credit_code\n"
    "  ON organisations(substr(credit_code, 9))\n"
    "  WHERE credit_code IS NOT NULL";

const char SNAPSHOT_SCHEMA_FINISH[] =
    "CREATE INDEX certificates_organisation\n"
    "  ON certificates(organisation_id);\n"
    /* By (certificate_id, effective_on, seq): seq is the rowid, which
     * every index entry ends with, so it is not a column of the key. */
    "CREATE INDEX events_certificate\n"
    "  ON events(certificate_id, effective_on)\n"
    "  WHERE certificate_id IS NOT NULL;\n"
    "CREATE INDEX events_organisation ON events(organisation_id);\n";

/* The columns of the events as the hash covers them, in the order of
 * schema version 5, whose digests they keep: the rare ones from `rare`. */
#define HASHED_EVENTS                                                          \
	"(SELECT seq, kind, certificate_id, organisation_id, effective_on, "   \
	"recorded_at, reason, reason_number, reference, rare ->> 0, "          \
	"rare ->> 1, rare ->> 2, new_value, rare ->> 3, other_number, "        \
	"rare ->> 4 FROM events)"

/* Tables covered by the hash (the name hashed, where its rows come
 * from), and the order of their rows. */
static const char *const HASHED_TABLES[][3] = {
    {"categories", "categories", "code"},
    {"levels", "levels", "level"},
    {"kinds", "kinds", "code"},
    {"organisations", "organisations", "id"},
    {"former_names", "former_names", "organisation_id, event_id"},
    {"certificates", "certificates", "id"},
    {"events", HASHED_EVENTS, "seq"},
    {"texts", "texts", "id"},
    {"number_runs", "number_runs", "first_id"},
};

/* Bytes to hash, gathered so that SHA-256 sees few long updates rather
 * than several tiny ones per value. */
struct hasher {
	struct sha256_ctx ctx;
	size_t used;
	uint8_t buf[16384];
};

static void
hash_bytes(struct hasher *h, size_t len, const uint8_t *data)
{
	if (h->used + len > sizeof h->buf) {
		sha256_update(&h->ctx, h->used, h->buf);
		h->used = 0;
		if (len > sizeof h->buf) {
			sha256_update(&h->ctx, len, data);
			return;
		}
	}
	memcpy(h->buf + h->used, data, len);
	h->used += len;
}

/* A tag byte and a 64-bit big-endian value. */
static void
hash_tagged(struct hasher *h, char tag, uint64_t v)
{
	uint8_t b[9];

	b[0] = (uint8_t)tag;
	for (int i = 8; i >= 1; i--, v >>= 8)
		b[i] = (uint8_t)v;
	hash_bytes(h, 9, b);
}

#define HASHED_COUNT (sizeof HASHED_TABLES / sizeof HASHED_TABLES[0])
_Static_assert(HASHED_COUNT == SNAPSHOT_HASHED_TABLES, "one hash a table");
#define EVENTS_TABLE 6 /* HASHED_TABLES' events */

/* Table `t`'s hash into `out`: SHA-256 of its name and NUL, then of each
 * row an "R" and its values tagged.  0, or -1 with the reason. */
static int
hash_table(sqlite3 *db, size_t t, uint8_t out[SHA256_DIGEST_SIZE], char *why,
    size_t why_size)
{
	struct hasher *h = mem_alloc(sizeof *h);
	char *sql = mem_printf("SELECT * FROM %s ORDER BY %s",
	    HASHED_TABLES[t][1], HASHED_TABLES[t][2]);
	sqlite3_stmt *stmt;
	int rc;

	sha256_init(&h->ctx);
	h->used = 0;
	rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
	free(sql);
	if (rc != SQLITE_OK) {
		snprintf(why, why_size, "hashing %s: %s", HASHED_TABLES[t][0],
		    sqlite3_errmsg(db));
		free(h);
		return -1;
	}
	hash_bytes(h, strlen(HASHED_TABLES[t][0]) + 1,
	    (const uint8_t *)HASHED_TABLES[t][0]);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int n = sqlite3_column_count(stmt);
		hash_bytes(h, 1, (const uint8_t *)"R");
		for (int c = 0; c < n; c++) {
			switch (sqlite3_column_type(stmt, c)) {
			case SQLITE_NULL:
				hash_bytes(h, 1, (const uint8_t *)"N");
				break;
			case SQLITE_INTEGER:
				hash_tagged(h, 'I',
				    (uint64_t)sqlite3_column_int64(stmt, c));
				break;
			default: {
				const unsigned char *text =
				    sqlite3_column_text(stmt, c);
				size_t len =
				    (size_t)sqlite3_column_bytes(stmt, c);
				hash_tagged(h, 'T', len);
				hash_bytes(h, len, text);
			}
			}
		}
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		snprintf(why, why_size, "hashing %s: %s", HASHED_TABLES[t][0],
		    sqlite3_errmsg(db));
		free(h);
		return -1;
	}
	sha256_update(&h->ctx, h->used, h->buf);
	sha256_digest(&h->ctx, SHA256_DIGEST_SIZE, out);
	free(h);
	return 0;
}

int
snapshot_schema_digest_part(sqlite3 *db, int events,
    struct snapshot_digest *digest, char *why, size_t why_size)
{
	for (size_t t = 0; t < HASHED_COUNT; t++)
		if ((t == EVENTS_TABLE) == (events != 0) &&
		    hash_table(db, t, digest->hashes[t], why, why_size) != 0)
			return -1;
	return 0;
}

void
snapshot_schema_digest_hex(
    const struct snapshot_digest *digest, char hex[SNAPSHOT_SHA256_HEX])
{
	uint8_t out[SHA256_DIGEST_SIZE];
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, sizeof digest->hashes, digest->hashes[0]);
	sha256_digest(&ctx, SHA256_DIGEST_SIZE, out);
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", out[i]);
}

int
snapshot_schema_digest(
    sqlite3 *db, char hex[SNAPSHOT_SHA256_HEX], char *why, size_t why_size)
{
	struct snapshot_digest digest;

	if (snapshot_schema_digest_part(db, 0, &digest, why, why_size) != 0 ||
	    snapshot_schema_digest_part(db, 1, &digest, why, why_size) != 0)
		return -1;
	snapshot_schema_digest_hex(&digest, hex);
	return 0;
}
