/*
 * Reading published snapshots (see snapshot.h), and the canonical content
 * hash that publish records and readers can check.
 */
#include "registry/snapshot/snapshot.h"

#include <nettle/sha2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/rules/date.h"
#include "registry/base/mem.h"

struct snapshot {
	sqlite3 *db;
};

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
snapshot_content_hash(sqlite3 *db, const char *schema,
    char hex[SNAPSHOT_SHA256_HEX], char *why, size_t why_size)
{
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];

	sha256_init(&ctx);
	for (size_t t = 0; t < sizeof HASHED_TABLES / sizeof HASHED_TABLES[0];
	     t++) {
		char *sql = mem_printf("SELECT * FROM \"%s\".%s ORDER BY %s",
		    schema, HASHED_TABLES[t][0], HASHED_TABLES[t][1]);
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

struct snapshot *
snapshot_open(const char *path, char *why, size_t why_size)
{
	struct snapshot *s = mem_calloc(1, sizeof *s);
	char *version;

	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		snprintf(why, why_size, "%s: %s", path,
		    s->db ? sqlite3_errmsg(s->db) : "cannot open");
		goto fail;
	}
	sqlite3_busy_timeout(s->db, 5000);
	version = snapshot_meta(s, "schema_version");
	if (version == NULL) {
		snprintf(why, why_size, "%s: not a registry snapshot", path);
		goto fail;
	}
	if (atoi(version) != SNAPSHOT_SCHEMA_VERSION) {
		snprintf(why, why_size,
		    "%s: snapshot schema version %s, this "
		    "program reads %d",
		    path, version, SNAPSHOT_SCHEMA_VERSION);
		free(version);
		goto fail;
	}
	free(version);
	return s;
fail:
	snapshot_close(s);
	return NULL;
}

void
snapshot_close(struct snapshot *s)
{
	if (s == NULL)
		return;
	sqlite3_close(s->db);
	free(s);
}

sqlite3 *
snapshot_db(struct snapshot *s)
{
	return s->db;
}

char *
snapshot_meta(struct snapshot *s, const char *key)
{
	sqlite3_stmt *stmt;
	char *value = NULL;

	if (sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key = ?",
	        -1, &stmt, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		value = mem_strdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	return value;
}

static int
text_date(const unsigned char *text)
{
	int date;
	if (text == NULL || date_parse((const char *)text, &date) != 0)
		return DATE_NONE;
	return date;
}

int
snapshot_cert_load(struct snapshot *s, const char *number,
    struct snapshot_cert *out, char *why, size_t why_size)
{
	sqlite3_stmt *stmt = NULL;
	size_t cap = 8;
	int rc;

	memset(out, 0, sizeof *out);
	if (sqlite3_prepare_v2(s->db,
	        "SELECT id, number, category, level, issued_on, "
	        "valid_until, organisation_id FROM certificates "
	        "WHERE number = ?",
	        -1, &stmt, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_text(stmt, 1, number, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE) {
		sqlite3_finalize(stmt);
		return 1;
	}
	if (rc != SQLITE_ROW)
		goto fail;
	out->id = sqlite3_column_int64(stmt, 0);
	out->number = mem_strdup((const char *)sqlite3_column_text(stmt, 1));
	out->category = mem_strdup((const char *)sqlite3_column_text(stmt, 2));
	out->level = sqlite3_column_int(stmt, 3);
	out->facts.issued_on = text_date(sqlite3_column_text(stmt, 4));
	out->facts.valid_until = text_date(sqlite3_column_text(stmt, 5));
	out->organisation_id = sqlite3_column_int64(stmt, 6);
	sqlite3_finalize(stmt);
	stmt = NULL;

	if (sqlite3_prepare_v2(s->db,
	        "SELECT seq, kind, effective_on, deadline, "
	        "target_seq FROM events WHERE number = ? "
	        "ORDER BY effective_on, seq",
	        -1, &stmt, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_text(stmt, 1, number, -1, SQLITE_TRANSIENT);
	out->events = mem_alloc(cap * sizeof *out->events);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct status_event *e;
		int kind = event_kind_parse(
		    (const char *)sqlite3_column_text(stmt, 1));
		if (out->event_count == cap)
			out->events = mem_realloc(
			    out->events, (cap *= 2) * sizeof *out->events);
		e = &out->events[out->event_count++];
		e->id = sqlite3_column_int64(stmt, 0);
		e->kind = kind < 0 ? EVENT_KIND_COUNT : (enum event_kind)kind;
		e->effective_on = text_date(sqlite3_column_text(stmt, 2));
		e->deadline = text_date(sqlite3_column_text(stmt, 3));
		e->target = sqlite3_column_int64(stmt, 4);
	}
	if (rc != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(stmt);
	return 0;
fail:
	snprintf(why, why_size, "reading certificate %s: %s", number,
	    sqlite3_errmsg(s->db));
	sqlite3_finalize(stmt);
	snapshot_cert_clear(out);
	return -1;
}

void
snapshot_cert_clear(struct snapshot_cert *cert)
{
	free(cert->number);
	free(cert->category);
	free(cert->events);
	memset(cert, 0, sizeof *cert);
}

void
snapshot_cert_status(
    const struct snapshot_cert *cert, int day, struct status *out)
{
	status_on(&cert->facts, cert->events, cert->event_count, day, out);
}

int
snapshot_verify(struct snapshot *s, char *why, size_t why_size)
{
	sqlite3_stmt *stmt;
	char hex[SNAPSHOT_SHA256_HEX], *recorded;
	int ok = 0;

	if (sqlite3_prepare_v2(s->db, "PRAGMA integrity_check", -1, &stmt,
	        NULL) != SQLITE_OK) {
		snprintf(why, why_size, "%s", sqlite3_errmsg(s->db));
		return -1;
	}
	if (sqlite3_step(stmt) == SQLITE_ROW)
		ok = strcmp((const char *)sqlite3_column_text(stmt, 0), "ok") ==
		     0;
	if (!ok)
		snprintf(why, why_size, "integrity check failed: %s",
		    sqlite3_column_text(stmt, 0)
		        ? (const char *)sqlite3_column_text(stmt, 0)
		        : sqlite3_errmsg(s->db));
	sqlite3_finalize(stmt);
	if (!ok)
		return -1;
	if (snapshot_content_hash(s->db, "main", hex, why, why_size) != 0)
		return -1;
	recorded = snapshot_meta(s, "sha256");
	ok = recorded != NULL && strcmp(recorded, hex) == 0;
	if (!ok)
		snprintf(why, why_size, "content hash is %s, meta says %s", hex,
		    recorded ? recorded : "nothing");
	free(recorded);
	return ok ? 0 : -1;
}
