/*
 * Receipts: what the registry said about one certificate, checkable
 * offline by anyone who has the log's verifier key.  A receipt (JSON,
 * UTF-8) holds the certificate's status and holder as of a signed
 * checkpoint, the log entries they follow from, each entry's inclusion
 * proof, and the signed checkpoint itself:
 *
 *   {
 *     "receipt": 1,
 *     "number": "CNITSEC-CS1-2024-0001",
 *     "as_of": "2026-01-01",                 the checkpoint's snapshot date
 *     "snapshot_sha256": "3a7b...",          the checkpoint's snapshot digest
 *     "status": {"status": "valid", "status_since": "2024-03-01",
 *                "issued_on": "2024-03-01", "valid_until": "2027-02-28",
 *                "flags": [], "warning_until": null,
 *                "rectification_deadline": null,
 *                "annual_check_1": {"start": ..., "end": ..., "state": ...,
 *                                   "done_on": ...},
 *                "annual_check_2": {...}, "renewal": {...}},
 *     "holder": {"organisation_id": 7, "name": "青岚云安全有限公司"},
 *     "events": [
 *       {"index": 12,                        its leaf number in the log
 *        "entry": "AQEAAjEz...",             base64 of the entry (entry.h)
 *        "leaf_hash": "hD3w...",             base64 SHA-256(0x00 || entry)
 *        "proof": ["q1E...", ...]},          base64 inclusion proof hashes
 *       ...],
 *     "checkpoint": "registry.example.org/log\n841\n...\n\n— ...\n"
 *   }
 *
 * The events are the certificate's (entries whose number is its number)
 * and the organisation events (org-add, org-rename, org-address,
 * org-name-en) of the
 * organisations that held it, in the log's order.  "status" is
 * status_on() (rules/status.h) of the certificate's events on as_of, in
 * the field names of the API's certificate; "holder" is the organisation
 * of the latest transfer (else of the issue) with the name of its latest
 * org-add or org-rename among the events (null when none is included).
 *
 * Verifying runs named checks, each with a result and a message, so that
 * a verifier can print them one per line:
 *
 *   receipt       the document is a version-1 receipt (stops here if not)
 *   checkpoint    its checkpoint is a signed note of a checkpoint of ours
 *   signature     the checkpoint is signed by the key given
 *   snapshot      as_of and snapshot_sha256 are the checkpoint's (and the
 *                 digest expected, when one is given)
 *   leaf-hash     per event: SHA-256(0x00 || entry) is its leaf_hash
 *   inclusion     per event: its proof leads from the entry's leaf hash
 *                 at its index to the checkpoint's root
 *   entry         per event: the entry decodes (a canonical entry)
 *   order         indexes and seqs strictly ascending
 *   certificate   every event is the certificate's or its holders', and
 *                 one is its issue
 *   status        "status" is what the events give on as_of
 *   holder        "holder" is what the events give
 *
 * and, given a consistency document (below), whether the receipt's
 * checkpoint is still part of the log's history:
 *
 *   consistency-document  the document parses
 *   newer-signature       its checkpoint is signed by the key, same origin
 *   consistency           its proof shows the receipt's tree is the
 *                         beginning of the newer one (a fork fails here)
 *
 * A consistency document (JSON), what /v1 serves to bring an old receipt
 * up to date:
 *
 *   {"old_size": 700, "new_size": 841, "proof": ["...", ...],
 *    "checkpoint": "<the signed checkpoint of size new_size>"}
 *
 * What a receipt does not prove: that the certificate has no event it
 * leaves out after the last one it shows (the log proves what is in it,
 * not what is not); a status edited to match a shortened list of events
 * passes.  Take receipts from the registry, not from the certificate's
 * holder, and compare as_of with the latest checkpoint.
 */
#ifndef REGISTRY_LOG_RECEIPT_H
#define REGISTRY_LOG_RECEIPT_H

#include <stddef.h>
#include <stdint.h>

#include "registry/base/buf.h"
#include "registry/log/entry.h"
#include "registry/log/merkle.h"
#include "registry/log/note.h"
#include "registry/log/tree.h"

#define LOG_RECEIPT_VERSION 1
#define LOG_RECEIPT_EVENTS_MAX 10000
#define LOG_RECEIPT_BYTES_MAX (16 * 1024 * 1024)

/* An event for a receipt: its entry and its leaf number in the log. */
struct log_receipt_event {
	uint64_t index;
	const struct log_entry *entry;
};

/*
 * Appends the receipt of certificate `number` to `out`: from the `count`
 * events (the certificate's and its holders' organisation events, in any
 * order), the tree they are leaves of, and the signed checkpoint `note`
 * (len bytes) of a size of that tree.  Checks what a verifier will: the
 * tree's root at the checkpoint's size is the checkpoint's, each entry
 * is the leaf at its index, every event belongs.  0, or -1 with the
 * reason in `why` (and `out` as it was).
 */
int log_receipt_build(const char *number,
    const struct log_receipt_event *events, size_t count,
    const struct log_tree *tree, const char *note, size_t len, struct buf *out,
    char *why, size_t why_size);

/* One check and its result. */
struct log_receipt_check {
	const char *name; /* "signature", "inclusion" ... (static) */
	char *subject;    /* "event 18 at index 17", or NULL */
	int ok;           /* 1 passed, 0 failed */
	char *detail;     /* what was found */
};

/* The checks run, in order; free with log_receipt_checks_free(). */
struct log_receipt_checks {
	struct log_receipt_check *items;
	size_t count, cap;
};

void log_receipt_checks_free(struct log_receipt_checks *checks); /* NULL ok */

/* The first check that failed, or NULL when all passed. */
const struct log_receipt_check *log_receipt_checks_failed(
    const struct log_receipt_checks *checks);

struct log_receipt_options {
	/* The log's key: without it the signature check fails. */
	const struct log_note_verifier *key;
	/* The snapshot digest expected (hex), or NULL. */
	const char *snapshot_sha256;
	/* A consistency document to a newer checkpoint, or NULL. */
	const char *consistency;
	size_t consistency_len;
};

/*
 * Verifies the receipt `json` (len bytes), appending every check run to
 * *checks (start from a zeroed struct).  0 when every check passed, else
 * -1.  Never stops at a failure it can check past.
 */
int log_receipt_verify(const char *json, size_t len,
    const struct log_receipt_options *options,
    struct log_receipt_checks *checks);

/*
 * The consistency checks alone: is the signed checkpoint `old_note`
 * (old_len bytes) the beginning of the newer one of the consistency
 * document `doc`, both signed by `key`?  Appends the checks; 0 or -1.
 */
int log_receipt_verify_consistency(const char *old_note, size_t old_len,
    const char *doc, size_t doc_len, const struct log_note_verifier *key,
    struct log_receipt_checks *checks);

/*
 * Appends the consistency document from the tree of old_size leaves to
 * the signed checkpoint `note` (of its size new_size) to `out`.
 */
void log_receipt_consistency_write(uint64_t old_size, uint64_t new_size,
    const struct log_proof *proof, const char *note, size_t note_len,
    struct buf *out);

#endif
