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
    "CREATE TABLE organisations(id INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL, credit_code TEXT, address TEXT NOT NULL,\n"
    "  certificate_count INTEGER NOT NULL, name_en TEXT);\n"
    "CREATE TABLE former_names(organisation_id INTEGER NOT NULL,\n"
    "  event_id INTEGER NOT NULL, name TEXT NOT NULL, until TEXT NOT NULL,\n"
    "  PRIMARY KEY (organisation_id, event_id)) WITHOUT ROWID;\n"
    "CREATE TABLE certificates(id INTEGER PRIMARY KEY,\n"
    "  number TEXT NOT NULL, category TEXT NOT NULL,\n"
    "  level INTEGER NOT NULL, issued_on TEXT NOT NULL,\n"
    "  valid_until TEXT NOT NULL, organisation_id INTEGER NOT NULL,\n"
    "  organisation_name TEXT NOT NULL, credit_code TEXT,\n"
    "  predecessor TEXT, successor TEXT, status TEXT NOT NULL,\n"
    "  status_since TEXT, flags TEXT NOT NULL, warning_until TEXT,\n"
    "  rectification_deadline TEXT,\n"
    "  annual1_start TEXT, annual1_end TEXT, annual1_state TEXT,\n"
    "  annual1_done_on TEXT,\n"
    "  annual2_start TEXT, annual2_end TEXT, annual2_state TEXT,\n"
    "  annual2_done_on TEXT,\n"
    "  renewal_start TEXT, renewal_end TEXT, renewal_state TEXT,\n"
    "  renewal_done_on TEXT);\n"
    "CREATE TABLE events(seq INTEGER PRIMARY KEY, kind TEXT NOT NULL,\n"
    "  certificate_id INTEGER, number TEXT,\n"
    "  organisation_id INTEGER NOT NULL, effective_on TEXT NOT NULL,\n"
    "  recorded_at TEXT NOT NULL, reason TEXT NOT NULL,\n"
    "  reference TEXT NOT NULL, deadline TEXT, target_seq INTEGER,\n"
    "  old_value TEXT, new_value TEXT, other_organisation_id INTEGER,\n"
    "  other_number TEXT, voided_by INTEGER);\n"
    "CREATE VIRTUAL TABLE organisation_search USING fts5(names,\n"
    "  tokenize = 'trigram');\n";

const char SNAPSHOT_SCHEMA_FINISH[] =
    "UPDATE events SET voided_by = v.seq\n"
    "  FROM (SELECT seq, target_seq FROM events WHERE kind = 'void') v\n"
    "  WHERE events.seq = v.target_seq;\n"
    "INSERT INTO organisation_search(rowid, names)\n"
    "  SELECT o.id, o.name || coalesce(char(10) ||\n"
    "    (SELECT group_concat(f.name, char(10)) FROM former_names f\n"
    "     WHERE f.organisation_id = o.id), '')\n"
    "  FROM organisations o ORDER BY o.id;\n"
    "CREATE UNIQUE INDEX certificates_number ON certificates(number);\n"
    "CREATE INDEX certificates_status ON certificates(status, number);\n"
    "CREATE INDEX certificates_level ON certificates(level, number);\n"
    "CREATE INDEX certificates_category\n"
    "  ON certificates(category, number);\n"
    "CREATE INDEX certificates_organisation\n"
    "  ON certificates(organisation_id);\n"
    "CREATE INDEX certificates_credit_code ON certificates(credit_code)\n"
    "  WHERE credit_code IS NOT NULL;\n"
    "CREATE INDEX organisations_credit_code\n"
    "  ON organisations(credit_code) WHERE credit_code IS NOT NULL;\n"
    "CREATE INDEX events_number ON events(number, effective_on, seq)\n"
    "  WHERE number IS NOT NULL;\n"
    "CREATE INDEX events_organisation ON events(organisation_id);\n";

/* Tables covered by the hash, and the order of their rows. */
static const char *const HASHED_TABLES[][2] = {
    {"categories", "code"},
    {"levels", "level"},
    {"organisations", "id"},
    {"former_names", "organisation_id, event_id"},
    {"certificates", "id"},
    {"events", "seq"},
};

static void
hash_u64(struct sha256_ctx *ctx, uint64_t v)
{
	uint8_t b[8];
	for (int i = 7; i >= 0; i--, v >>= 8)
		b[i] = (uint8_t)v;
	sha256_update(ctx, 8, b);
}

int
snapshot_schema_digest(
    sqlite3 *db, char hex[SNAPSHOT_SHA256_HEX], char *why, size_t why_size)
{
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];

	sha256_init(&ctx);
	for (size_t t = 0; t < sizeof HASHED_TABLES / sizeof HASHED_TABLES[0];
	     t++) {
		char *sql = mem_printf("SELECT * FROM %s ORDER BY %s",
		    HASHED_TABLES[t][0], HASHED_TABLES[t][1]);
		sqlite3_stmt *stmt;
		int rc;

		rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
		free(sql);
		if (rc != SQLITE_OK) {
			snprintf(why, why_size, "hashing %s: %s",
			    HASHED_TABLES[t][0], sqlite3_errmsg(db));
			return -1;
		}
		sha256_update(&ctx, strlen(HASHED_TABLES[t][0]) + 1,
		    (const uint8_t *)HASHED_TABLES[t][0]);
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			int n = sqlite3_column_count(stmt);
			sha256_update(&ctx, 1, (const uint8_t *)"R");
			for (int c = 0; c < n; c++) {
				switch (sqlite3_column_type(stmt, c)) {
				case SQLITE_NULL:
					sha256_update(
					    &ctx, 1, (const uint8_t *)"N");
					break;
				case SQLITE_INTEGER:
					sha256_update(
					    &ctx, 1, (const uint8_t *)"I");
					hash_u64(&ctx,
					    (uint64_t)sqlite3_column_int64(
					        stmt, c));
					break;
				default: {
					const unsigned char *text =
					    sqlite3_column_text(stmt, c);
					size_t len =
					    (size_t)sqlite3_column_bytes(
					        stmt, c);
					sha256_update(
					    &ctx, 1, (const uint8_t *)"T");
					hash_u64(&ctx, len);
					sha256_update(&ctx, len, text);
				}
				}
			}
		}
		sqlite3_finalize(stmt);
		if (rc != SQLITE_DONE) {
			snprintf(why, why_size, "hashing %s: %s",
			    HASHED_TABLES[t][0], sqlite3_errmsg(db));
			return -1;
		}
	}
	sha256_digest(&ctx, SHA256_DIGEST_SIZE, digest);
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	return 0;
}
