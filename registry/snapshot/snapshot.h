/*
 * Published snapshots: the read side.  A snapshot is an SQLite file that
 * `registryctl publish` writes once and never changes; registryd and
 * sitegen open it read-only.  Its tables (schema version 1):
 *
 *   meta(key, value)        schema_version, published_at (UTC timestamp),
 *                           as_of (date the status columns were computed
 *                           for), sha256, sample ("1" for sample data),
 *                           certificates, organisations, events (counts),
 *                           generator
 *   categories(code, position, name_zh, name_en)
 *   levels(level, name_zh, name_en)
 *   organisations(id, name, credit_code, address, certificate_count)
 *   former_names(organisation_id, event_id, name, until)
 *   certificates(id, number, category, level, issued_on, valid_until,
 *                organisation_id, organisation_name, credit_code,
 *                predecessor, successor, status, status_since, flags,
 *                warning_until, rectification_deadline,
 *                annual1_start, annual1_end, annual1_state, annual1_done_on,
 *                annual2_start, annual2_end, annual2_state, annual2_done_on,
 *                renewal_start, renewal_end, renewal_state,
 *                renewal_done_on)
 *                status columns as of meta.as_of; flags comma-separated
 *   events(seq, kind, certificate_id, number, organisation_id,
 *          effective_on, recorded_at, reason, reference, deadline,
 *          target_seq, old_value, new_value, other_organisation_id,
 *          other_number, voided_by)
 *                seq is the change feed's cursor (ascending, gap-free
 *                only in the registry's order of recording)
 *   organisation_search     FTS5 trigram over current and former names;
 *                           rowid = organisations.id
 *
 * Dates are ISO text; absent values are NULL.  meta.sha256 is the SHA-256
 * of the canonical content (snapshot_content_hash()), so the same registry
 * published for the same as_of has the same hash whenever it is published.
 */
#ifndef REGISTRY_SNAPSHOT_H
#define REGISTRY_SNAPSHOT_H

#include <sqlite3.h>
#include <stddef.h>

#include "registry/rules/status.h"

#define SNAPSHOT_SCHEMA_VERSION 1
#define SNAPSHOT_SHA256_HEX 65 /* 64 hex digits and a NUL */

struct snapshot; /* opaque */

/*
 * A certificate as the status rules need it: facts and every event,
 * oldest first.  Free with snapshot_cert_clear().
 */
struct snapshot_cert {
	long long id;
	char *number;
	char *category;
	int level;
	long long organisation_id;
	struct status_facts facts;
	struct status_event *events;
	size_t event_count;
};

/*
 * Opens a snapshot read-only.  Returns NULL with a message in `why` when it
 * cannot be opened or is not a snapshot of a schema version this code
 * reads.  Safe to share between threads only with SQLite's serialized
 * mode; registryd may open one per thread.  Close with snapshot_close().
 */
struct snapshot *snapshot_open(const char *path, char *why, size_t why_size);
void snapshot_close(struct snapshot *s); /* accepts NULL */

/* The SQLite handle, for queries of the tables above.  Owned by s. */
sqlite3 *snapshot_db(struct snapshot *s);

/* A meta value as a new string (caller frees), or NULL. */
char *snapshot_meta(struct snapshot *s, const char *key);

/*
 * Loads certificate `number`.  0 found, 1 no such certificate, -1 error
 * (message in `why`).
 */
int snapshot_cert_load(struct snapshot *s, const char *number,
    struct snapshot_cert *out, char *why, size_t why_size);
void snapshot_cert_clear(struct snapshot_cert *cert); /* accepts zeroed */

/* The status of a loaded certificate on `day` (status_on()). */
void snapshot_cert_status(
    const struct snapshot_cert *cert, int day, struct status *out);

/*
 * Runs PRAGMA integrity_check and recomputes the content hash against
 * meta.sha256.  0 when both hold, else -1 with the reason in `why`.
 */
int snapshot_verify(struct snapshot *s, char *why, size_t why_size);

/*
 * The SHA-256 (lower-case hex) of the canonical content of the snapshot
 * tables in database `schema` ("main", or an attached name) of `db`:
 * categories, levels, organisations, former_names, certificates, events,
 * each in primary-key order, every value tagged with its type and length.
 * 0, or -1 with the reason in `why`.
 */
int snapshot_content_hash(sqlite3 *db, const char *schema,
    char hex[SNAPSHOT_SHA256_HEX], char *why, size_t why_size);

#endif
