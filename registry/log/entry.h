/*
 * The log's entries: each event of the registry, in the order recorded
 * (voids included), as one canonical byte string, the leaf of the Merkle
 * tree.  The encoding, version 1:
 *
 *   entry  = 0x01 field*             the version byte, then the fields
 *   field  = tag len value           tag: 1 byte; len: 2 bytes, big-endian
 *
 * Fields come in ascending order of tag, each at most once, and a field
 * is left out when it has no value (a NULL string, an id of 0, no date;
 * reason and reference, which the registry keeps as "" for none, when
 * empty).  Every value is UTF-8 text without NUL:
 *
 *   tag  field                  value
 *   1    seq                    decimal, no leading zero      required
 *   2    kind                   the stored name ("suspend")   required
 *   3    number                 the certificate's number
 *   4    organisation_id        decimal
 *   5    effective_on           YYYY-MM-DD                    required
 *   6    recorded_at            YYYY-MM-DDTHH:MM:SSZ (UTC)    required
 *   7    reason
 *   8    reference
 *   9    deadline               YYYY-MM-DD
 *   10   target_seq             decimal
 *   11   old_value
 *   12   new_value
 *   13   other_organisation_id  decimal
 *   14   other_number           a certificate's number
 *
 * Why it cannot drift: the field order is fixed by the tags, not by a
 * serialiser; there are no maps, floats, escapes or optional whitespace;
 * a kind is written by its stored name, never by its place in enum
 * event_kind; numbers and dates have one text each.  The decoder accepts
 * only what the encoder writes (tags in order, canonical numbers and
 * dates, no trailing bytes), so encode(decode(x)) == x for every entry
 * it accepts, and the unit tests pin the bytes and leaf hash of known
 * events.  A change of any of this is version 2, never a silent change
 * of version 1.  An entry is at most LOG_ENTRY_MAX bytes, the most a
 * tlog-tiles entry bundle can hold.
 *
 * Not in an entry: the internal certificate id and voided_by, which a
 * later void event states (target_seq) rather than a change of the
 * voided entry.
 */
#ifndef REGISTRY_LOG_ENTRY_H
#define REGISTRY_LOG_ENTRY_H

#include <stddef.h>
#include <stdint.h>

#include "registry/base/buf.h"
#include "registry/rules/event.h"

#define LOG_ENTRY_VERSION 1
#define LOG_ENTRY_MAX 65535

/* An event as the log records it (the events of snapshot.h, less the
 * internal certificate id and voided_by). */
struct log_entry {
	long long seq;                  /* the registry's event number, > 0 */
	enum event_kind kind;           /* a kind this program knows */
	const char *number;             /* the certificate's, or NULL */
	long long organisation_id;      /* the organisation concerned, or 0 */
	int effective_on;               /* date */
	const char *recorded_at;        /* "YYYY-MM-DDTHH:MM:SSZ" */
	const char *reason, *reference; /* "" when none (NULL counts as "") */
	int deadline;                   /* date, or DATE_NONE */
	long long target_seq;           /* the event voided or closed, or 0 */
	const char *old_value, *new_value; /* or NULL */
	long long other_organisation_id;   /* or 0 */
	const char *other_number;          /* or NULL */
	char *storage_; /* log_entry_decode()'s strings; log_entry_clear() */
};

/*
 * Appends the canonical encoding of `e` to `out`.  0, or -1 with the
 * reason in `why` (and `out` as it was) when a field cannot be encoded:
 * no seq, an unknown kind, no date, a recorded_at that is not a
 * canonical UTC timestamp, text that is not UTF-8 or holds NUL, or more
 * than LOG_ENTRY_MAX bytes in all.
 */
int log_entry_encode(
    const struct log_entry *e, struct buf *out, char *why, size_t why_size);

/*
 * Decodes the `len` bytes of an entry into *out, whose strings belong to
 * it until log_entry_clear(out).  0, or -1 with the reason in `why` ("at
 * byte 12: field 4 after field 5") when the bytes are not a canonical
 * version-1 entry; *out is then cleared.
 */
int log_entry_decode(const uint8_t *data, size_t len, struct log_entry *out,
    char *why, size_t why_size);

/* Frees what log_entry_decode() gave `e` and zeroes it; accepts a zeroed
 * or encoded-only struct. */
void log_entry_clear(struct log_entry *e);

#endif
