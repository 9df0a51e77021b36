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
 *   kinds(code, name)       the event kinds by name (rules/event.c): events
 *                           store the code, so a reader maps names, never
 *                           its own enum's order
 *   organisations(id, name, credit_code, address, certificate_count,
 *                 name_en: the English name, or NULL)
 *   former_names(organisation_id, event_id, name, until)
 *                one row per rename: the name before it, until the day
 *                before it took effect
 *   certificates(id, recorded, category, level, issued_on,
 *                valid_until, organisation_id, predecessor, successor,
 *                status,
 *                status_since, flags, warning_until,
 *                rectification_deadline, windows, annual1_done_on,
 *                annual2_done_on, renewal_done_on)
 *                id 1, 2, … in the order of the numbers (so that by
 *                id is by number; the numbers are number_runs'),
 *                recorded the registry's id (the order of recording);
 *                predecessor and successor the certificate's id, or
 *                the number as text when the snapshot holds no
 *                certificate of that number; status columns as of
 *                meta.as_of:
 *                status the code of enum cert_status, flags the bits
 *                of enum status_flag, windows the three window states
 *                (enum window_state)
 *                in bits 0-3 (annual 1), 4-7 (annual 2) and 8-11
 *                (renewal); the windows' first and last days are not
 *                stored (status_annual_window() and
 *                status_renewal_window() of issued_on and valid_until);
 *                warning_until only while the warning flag is set.  The
 *                holder's name and credit code are the organisation's
 *   events(seq, kind, certificate_id, organisation_id, effective_on,
 *          recorded_at, reason, reason_number, reference, new_value,
 *          other_number, rare)
 *                seq is the change feed's cursor (ascending, gap-free
 *                only in the registry's order of recording); kind a code
 *                of kinds; the certificate's number is the
 *                certificate's; recorded_at Unix time when that writes
 *                back to the registry's text, else the text;
 *                other_number a certificate's id or text as
 *                predecessor is; new_value an empty blob when an
 *                organisation's entry (kind org-add) names it as
 *                organisations.name does; the
 *                reason is texts.text of id reason followed by
 *                reason_number in decimal (NULL: nothing): the digits
 *                at its end from the first that is not 0, at most 15;
 *                rare NULL when the event has none of deadline,
 *                target_seq, old_value, other_organisation_id and
 *                voided_by, else the JSON array of the five in that
 *                order (null for those it has not): a column SQLite
 *                stores costs a byte in every row even when NULL, and
 *                most events have none of them
 *   number_runs(first_id, prefix, width, first)
 *                the certificates' numbers as runs (runs.h): certificate
 *                first_id + k, up to the next run's first_id, is
 *                numbered prefix and first + k in `width` digits (width
 *                0: the prefix alone, a run of one)
 *   category_runs(category, first_id, last_id),
 *   level_runs(level, first_id, last_id),
 *   status_runs(status, last_id, first_id)
 *                the ids of each category, level and status as runs of
 *                consecutive ids, for the filters by category, level
 *                and status (status_runs is keyed by its runs' last
 *                ids: a status has many runs); the writer makes all
 *                three from what it kept of each certificate
 *   texts(id, text)         the reasons' shared texts
 *   organisation_search     FTS5 trigram over current and former names,
 *                           without a copy of them; rowid =
 *                           organisations.id (three characters or more)
 *   name_grams(gram, last_id, ids)
 *                           the ids of the organisations whose names
 *                           hold each one- or two-character piece
 *                           (grams.h), for shorter searches
 *
 * Dates are day numbers (days since 1970-01-01, rules/date.h); absent
 * values are NULL.  Version 3 changed the encodings above from the ISO
 * text and names of version 2; version 4 numbered the certificates in
 * the order of their numbers and split the reasons; version 5 stored
 * the numbers as runs, the certificates named by number as ids and the
 * categories and levels as runs of ids; version 6 the statuses as runs
 * of ids too, in place of an index, slimmer indexes and the events'
 * rare columns in one; version 7 changed only the digest (below) to a
 * hash of each table's hash, so that the events are hashed beside the
 * rest.  Indexes,
 * built once the rows are in: certificates by organisation;
 * organisations by the credit code from its ninth character (the
 * organisation code and the check character: a reader compares the
 * whole code in the row); events by (certificate_id, effective_on),
 * which is by (certificate_id, effective_on, seq) without storing seq
 * twice, and by organisation.
 */
#ifndef REGISTRY_SNAPSHOT_SCHEMA_H
#define REGISTRY_SNAPSHOT_SCHEMA_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "registry/snapshot/snapshot.h"

/* The tables, empty. */
extern const char SNAPSHOT_SCHEMA_TABLES[];

/* The trigram index of organisations ?1 to ?2 by current and former
 * names; by current names only (once every organisation is in, before
 * the events); and one organisation indexed by its current name only
 * dropped from it (to be indexed again with its former names). */
extern const char SNAPSHOT_SCHEMA_SEARCH[];
extern const char SNAPSHOT_SCHEMA_SEARCH_NAMES[];
extern const char SNAPSHOT_SCHEMA_SEARCH_DROP[];

/* The index of the credit codes, once every organisation is in. */
extern const char SNAPSHOT_SCHEMA_CREDIT_CODES[];

/* Run once every row is in (and name_grams, grams.h, and the voided
 * events' voided_by, which the writer sets from the voids it wrote):
 * the certificates' and events' indexes. */
extern const char SNAPSHOT_SCHEMA_FINISH[];

/*
 * The SHA-256 (lower-case hex) of the canonical content of the snapshot
 * open on `db`: categories, levels, kinds, organisations, former_names,
 * certificates, events, texts and number_runs, each hashed on its own
 * (SHA-256 of its name and a NUL, then of each row in primary-key order
 * an "R" and its values, every value tagged with its type and length),
 * and the digest the SHA-256 of those nine hashes in that order; meta
 * and the search indexes are not covered.  The same registry published
 * for the same as_of has the same digest.  0, or -1 with the reason in
 * `why`.
 */
int snapshot_schema_digest(
    sqlite3 *db, char hex[SNAPSHOT_SHA256_HEX], char *why, size_t why_size);

/* The digest in two parts that can be computed at once, on two
 * connections to the same file: the events' hash (`events` 1; most of
 * the rows) and every other table's (`events` 0), each into `digest`;
 * then the digest of the nine from snapshot_schema_digest_hex(). */
#define SNAPSHOT_HASHED_TABLES 9
struct snapshot_digest {
	uint8_t hashes[SNAPSHOT_HASHED_TABLES][32];
};
int snapshot_schema_digest_part(sqlite3 *db, int events,
    struct snapshot_digest *digest, char *why, size_t why_size);
void snapshot_schema_digest_hex(
    const struct snapshot_digest *digest, char hex[SNAPSHOT_SHA256_HEX]);

#endif
