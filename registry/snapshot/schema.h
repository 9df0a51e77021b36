/*
 * The snapshot's tables (schema version SNAPSHOT_SCHEMA_VERSION), for the
 * files of registry/snapshot/ only: write.c creates and fills them,
 * snapshot.c reads them.  Nothing outside this folder knows a table or a
 * column; it sees the typed rows of snapshot.h.
 *
 *   meta(key, value)        schema_version, published_at (UTC timestamp),
 *                           as_of (date the status columns were computed
 *                           for), sha256, sample ("1" for sample data),
 *                           certificates, organisations, events (counts),
 *                           generator
 *   categories(code, position, name_zh, name_en)
 *   levels(level, name_zh, name_en)
 *   organisations(id, name, credit_code, address, certificate_count,
 *                 name_en: the English name, or NULL; version 3)
 *   former_names(organisation_id, event_id, name, until)
 *                one row per rename: the name before it, until the day
 *                before it took effect
 *   certificates(id, number, category, level, issued_on, valid_until,
 *                organisation_id, organisation_name, credit_code,
 *                predecessor, successor, status, status_since, flags,
 *                warning_until, rectification_deadline,
 *                annual1_start, annual1_end, annual1_state, annual1_done_on,
 *                annual2_start, annual2_end, annual2_state, annual2_done_on,
 *                renewal_start, renewal_end, renewal_state,
 *                renewal_done_on)
 *                status columns as of meta.as_of; flags comma-separated;
 *                warning_until only while the warning flag is set.
 *                Version 2 (the same tables as 1) adds the flag
 *                rectification_overdue and the window state ended,
 *                which a reader of version 1 would misread
 *   events(seq, kind, certificate_id, number, organisation_id,
 *          effective_on, recorded_at, reason, reference, deadline,
 *          target_seq, old_value, new_value, other_organisation_id,
 *          other_number, voided_by)
 *                seq is the change feed's cursor (ascending, gap-free
 *                only in the registry's order of recording)
 *   organisation_search     FTS5 trigram over current and former names;
 *                           rowid = organisations.id.  It finds nothing
 *                           for one or two Chinese characters: readers
 *                           search those with instr() on the names.
 *
 * Dates are ISO text; absent values are NULL.  Indexes: certificates by
 * number (unique, for keyset pagination), by (status, number), (level,
 * number), (category, number), organisation and credit code;
 * organisations by credit code; events by (number, effective_on, seq)
 * and organisation.
 */
#ifndef REGISTRY_SNAPSHOT_SCHEMA_H
#define REGISTRY_SNAPSHOT_SCHEMA_H

#include <sqlite3.h>
#include <stddef.h>

#include "registry/snapshot/snapshot.h"

/* The tables, empty. */
extern const char SNAPSHOT_SCHEMA_TABLES[];

/* Run once every row is in: voided_by, the search index, the indexes. */
extern const char SNAPSHOT_SCHEMA_FINISH[];

/*
 * The SHA-256 (lower-case hex) of the canonical content of the snapshot
 * open on `db`: categories, levels, organisations, former_names,
 * certificates, events, each in primary-key order, every value tagged
 * with its type and length; meta and the search index are not covered.
 * The same registry published for the same as_of has the same digest.
 * 0, or -1 with the reason in `why`.
 */
int snapshot_schema_digest(
    sqlite3 *db, char hex[SNAPSHOT_SHA256_HEX], char *why, size_t why_size);

#endif
