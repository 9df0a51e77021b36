/*
 * Receipts, built and verified (see receipt.h).  The builder and the
 * verifier derive the status and the holder with the same function,
 * derive(), from the decoded entries, so that a receipt built here
 * verifies and a receipt whose status does not follow from its entries
 * does not.
 */
#include "registry/log/receipt.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/base/mem.h"
#include "registry/log/base64.h"
#include "registry/log/checkpoint.h"
#include "registry/rules/date.h"
#include "registry/rules/status.h"
#include "registry/log/why.h"

#define WHY_SIZE 512

/* ---- checks ---- */

static void add_check(struct log_receipt_checks *checks, const char *name,
    const char *subject, int ok, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void
add_check(struct log_receipt_checks *checks, const char *name,
    const char *subject, int ok, const char *fmt, ...)
{
	struct log_receipt_check *c;
	struct buf detail = BUF_INIT;
	va_list ap;

	if (checks->count == checks->cap) {
		checks->cap = checks->cap ? checks->cap * 2 : 16;
		checks->items = mem_realloc(
		    checks->items, checks->cap * sizeof *checks->items);
	}
	c = &checks->items[checks->count++];
	c->name = name;
	c->subject = mem_strdup(subject);
	c->ok = ok;
	va_start(ap, fmt);
	buf_vprintf(&detail, fmt, ap);
	va_end(ap);
	c->detail = buf_detach(&detail);
}

void
log_receipt_checks_free(struct log_receipt_checks *checks)
{
	if (checks == NULL)
		return;
	for (size_t i = 0; i < checks->count; i++) {
		free(checks->items[i].subject);
		free(checks->items[i].detail);
	}
	free(checks->items);
	memset(checks, 0, sizeof *checks);
}

const struct log_receipt_check *
log_receipt_checks_failed(const struct log_receipt_checks *checks)
{
	for (size_t i = 0; i < checks->count; i++)
		if (!checks->items[i].ok)
			return &checks->items[i];
	return NULL;
}

/* ---- JSON values ---- */

static json_t *
json_date(int date)
{
	char text[DATE_BUFSIZE];

	return date == DATE_NONE ? json_null()
	                         : json_string(date_format(date, text));
}

static json_t *
json_base64(const void *data, size_t len)
{
	struct buf b = BUF_INIT;
	json_t *s;

	log_base64_put(&b, data, len);
	s = json_stringn(b.data, b.len);
	buf_free(&b);
	return s;
}

static json_t *
json_proof(const struct log_proof *proof)
{
	json_t *array = json_array();

	for (size_t i = 0; i < proof->count; i++)
		json_array_append_new(
		    array, json_base64(proof->hash[i], LOG_HASH_SIZE));
	return array;
}

/* A base64 string of exactly `size` bytes into out: 0 or -1. */
static int
read_base64(const json_t *value, uint8_t *out, size_t size)
{
	size_t len;

	return json_is_string(value) &&
	               log_base64_decode(json_string_value(value),
	                   json_string_length(value), out, size, &len) == 0 &&
	               len == size
	           ? 0
	           : -1;
}

static int
read_proof(const json_t *value, struct log_proof *out)
{
	size_t i;
	json_t *hash;

	out->count = 0;
	if (!json_is_array(value) || json_array_size(value) > LOG_PROOF_MAX)
		return -1;
	json_array_foreach (value, i, hash) {
		if (read_base64(hash, out->hash[i], LOG_HASH_SIZE) != 0)
			return -1;
		out->count++;
	}
	return 0;
}

/* A JSON integer from 0 to 2^63 - 1 into *out: 0 or -1. */
static int
read_size(const json_t *value, uint64_t *out)
{
	if (!json_is_integer(value) || json_integer_value(value) < 0)
		return -1;
	*out = (uint64_t)json_integer_value(value);
	return 0;
}

/* 0 when `object` has exactly the keys of the NULL-ended list. */
static int
only_keys(
    const json_t *object, const char *const *keys, char *why, size_t why_size)
{
	const char *key;
	json_t *value;

	json_object_foreach ((json_t *)object, key, value) {
		size_t i;

		for (i = 0; keys[i] && strcmp(keys[i], key) != 0; i++)
			;
		if (keys[i] == NULL)
			return log_why(
			    why, why_size, "unknown member \"%s\"", key);
	}
	for (size_t i = 0; keys[i]; i++)
		if (json_object_get(object, keys[i]) == NULL)
			return log_why(
			    why, why_size, "no member \"%s\"", keys[i]);
	return 0;
}

/* ---- what the events say ---- */

static json_t *
json_window(const struct status_window *w)
{
	return json_pack("{s:o,s:o,s:s,s:o}", "start", json_date(w->start),
	    "end", json_date(w->end), "state",
	    status_window_state_name(w->state), "done_on",
	    json_date(w->done_on));
}

/* The status object of a receipt: the API's names for the same facts. */
static json_t *
json_status(const struct status *st, int issued_on)
{
	json_t *flags = json_array();

	for (unsigned bit = 1; bit <= STATUS_FLAG_ANNUAL_CHECK_OVERDUE;
	     bit <<= 1)
		if (st->flags & bit)
			json_array_append_new(
			    flags, json_string(status_flag_name(bit)));
	return json_pack("{s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "status",
	    status_name(st->status), "status_since", json_date(st->since),
	    "issued_on", json_date(issued_on), "valid_until",
	    json_date(st->valid_until), "flags", flags, "warning_until",
	    json_date((st->flags & STATUS_FLAG_WARNING) ? st->warning_until
	                                                : DATE_NONE),
	    "rectification_deadline",
	    json_date((st->flags & STATUS_FLAG_RECTIFICATION)
	                  ? st->rectification_deadline
	                  : DATE_NONE),
	    "annual_check_1", json_window(&st->annual[0]), "annual_check_2",
	    json_window(&st->annual[1]), "renewal", json_window(&st->renewal));
}

static int
is_certificate_event(const struct log_entry *e, const char *number)
{
	return e->number != NULL && strcmp(e->number, number) == 0;
}

/* 1 when organisation `id` (not 0, which is none) is in the list. */
static int
held(const long long *holders, size_t count, long long id)
{
	if (id == 0)
		return 0;
	for (size_t i = 0; i < count; i++)
		if (holders[i] == id)
			return 1;
	return 0;
}

/*
 * The status and holder objects of certificate `number` on `day` from
 * its entries (in the log's order): 0 with two new references, or -1
 * with why the entries are not a certificate's history.
 */
static int
derive(const char *number, const struct log_entry *const *entries, size_t count,
    int day, json_t **status_out, json_t **holder_out, char *why,
    size_t why_size)
{
	const struct log_entry *issue = NULL;
	struct status_event *events = mem_calloc(count + 1, sizeof *events);
	long long *holders = mem_calloc(2 * count + 1, sizeof *holders);
	long long holder = 0;
	const char *name = NULL;
	size_t n = 0, nholders = 0;
	struct status_facts facts;
	struct status st;
	int rc = -1;

	for (size_t i = 0; i < count; i++) {
		const struct log_entry *e = entries[i];

		if (!is_certificate_event(e, number))
			continue;
		if (e->kind == EVENT_ISSUE) {
			if (issue != NULL) {
				log_why(why, why_size,
				    "two issue events of %s: %lld and %lld",
				    number, issue->seq, e->seq);
				goto done;
			}
			issue = e;
			holder = e->organisation_id;
			holders[nholders++] = holder;
		} else if (e->kind == EVENT_TRANSFER) {
			holder = e->organisation_id;
			holders[nholders++] = e->organisation_id;
			holders[nholders++] = e->other_organisation_id;
		}
		events[n++] = (struct status_event){e->seq, e->kind,
		    e->effective_on, e->deadline, e->target_seq};
	}
	if (issue == NULL) {
		log_why(why, why_size, "no event issues %s", number);
		goto done;
	}
	for (size_t i = 0; i < count; i++) {
		const struct log_entry *e = entries[i];
		int org_kind = e->kind == EVENT_ORG_ADD ||
		               e->kind == EVENT_ORG_RENAME ||
		               e->kind == EVENT_ORG_ADDRESS ||
		               e->kind == EVENT_ORG_NAME_EN;

		if (is_certificate_event(e, number))
			continue;
		if (!org_kind || e->number != NULL ||
		    !held(holders, nholders, e->organisation_id)) {
			log_why(why, why_size,
			    "event %lld (%s) is neither of %s nor of an "
			    "organisation that held it",
			    e->seq, event_kind_name(e->kind), number);
			goto done;
		}
	}
	facts.issued_on = issue->effective_on;
	facts.valid_until = status_valid_until(issue->effective_on);
	status_on(&facts, events, n, day, &st);
	/* The holder's name: the latest rename or add of the holder. */
	for (size_t i = 0; i < count; i++)
		if (!is_certificate_event(entries[i], number) &&
		    entries[i]->organisation_id == holder &&
		    (entries[i]->kind == EVENT_ORG_ADD ||
		        entries[i]->kind == EVENT_ORG_RENAME))
			name = entries[i]->new_value;
	*status_out = json_status(&st, issue->effective_on);
	*holder_out = json_pack("{s:I,s:o}", "organisation_id",
	    (json_int_t)holder, "name", name ? json_string(name) : json_null());
	rc = 0;
done:
	free(events);
	free(holders);
	return rc;
}

/* ---- building ---- */

static int
by_index(const void *a, const void *b)
{
	const struct log_receipt_event *x = a, *y = b;

	return x->index < y->index ? -1 : x->index > y->index;
}

/* The checkpoint of a signed note, its signature not checked. */
static int
read_checkpoint(const char *note, size_t len, struct log_checkpoint *out,
    char *why, size_t why_size)
{
	struct log_note opened;

	if (log_note_open(note, len, NULL, 0, &opened, why, why_size) ==
	    LOG_NOTE_MALFORMED)
		return -1;
	return log_checkpoint_parse(
	    opened.text, opened.text_len, out, why, why_size);
}

int
log_receipt_build(const char *number, const struct log_receipt_event *events,
    size_t count, const struct log_tree *tree, const char *note, size_t len,
    struct buf *out, char *why, size_t why_size)
{
	struct log_receipt_event *sorted = NULL;
	const struct log_entry **entries = NULL;
	struct log_checkpoint cp;
	uint8_t root[LOG_HASH_SIZE], leaf[LOG_HASH_SIZE], stored[LOG_HASH_SIZE];
	json_t *receipt = NULL, *list = NULL, *status = NULL, *holder = NULL;
	struct buf entry = BUF_INIT;
	struct log_proof proof;
	char *text = NULL;
	int rc = -1;

	if (read_checkpoint(note, len, &cp, why, why_size) != 0)
		return -1;
	if (log_tree_root(tree, cp.size, root, why, why_size) != 0)
		return -1;
	if (memcmp(root, cp.root, LOG_HASH_SIZE) != 0)
		return log_why(why, why_size,
		    "the log's root at size %llu is not the checkpoint's",
		    (unsigned long long)cp.size);
	if (count == 0 || count > LOG_RECEIPT_EVENTS_MAX)
		return log_why(why, why_size, "a receipt has 1 to %d events",
		    LOG_RECEIPT_EVENTS_MAX);
	sorted = mem_alloc(count * sizeof *sorted);
	memcpy(sorted, events, count * sizeof *sorted);
	qsort(sorted, count, sizeof *sorted, by_index);
	entries = mem_alloc(count * sizeof *entries);
	list = json_array();
	for (size_t i = 0; i < count; i++) {
		const struct log_receipt_event *ev = &sorted[i];

		entries[i] = ev->entry;
		if (i > 0 && ev->index == sorted[i - 1].index) {
			log_why(why, why_size, "leaf %llu is given twice",
			    (unsigned long long)ev->index);
			goto done;
		}
		buf_reset(&entry);
		if (log_entry_encode(ev->entry, &entry, why, why_size) != 0 ||
		    log_tree_inclusion(
		        tree, ev->index, cp.size, &proof, why, why_size) != 0)
			goto done;
		log_merkle_leaf_hash(entry.data, entry.len, leaf);
		log_tree_subtree(tree, 0, ev->index, stored);
		if (memcmp(leaf, stored, LOG_HASH_SIZE) != 0) {
			log_why(why, why_size,
			    "event %lld is not leaf %llu of the log",
			    ev->entry->seq, (unsigned long long)ev->index);
			goto done;
		}
		if (i > 0 && ev->entry->seq <= sorted[i - 1].entry->seq) {
			log_why(why, why_size,
			    "event %lld comes after event %lld in the log",
			    sorted[i - 1].entry->seq, ev->entry->seq);
			goto done;
		}
		json_array_append_new(
		    list, json_pack("{s:I,s:o,s:o,s:o}", "index",
		              (json_int_t)ev->index, "entry",
		              json_base64(entry.data, entry.len), "leaf_hash",
		              json_base64(leaf, LOG_HASH_SIZE), "proof",
		              json_proof(&proof)));
	}
	if (derive(number, entries, count, cp.snapshot_date, &status, &holder,
	        why, why_size) != 0)
		goto done;
	/* json_pack takes the references of "o", even when it fails. */
	receipt = json_pack("{s:i,s:s,s:o,s:s,s:o,s:o,s:o,s:s%}", "receipt",
	    LOG_RECEIPT_VERSION, "number", number, "as_of",
	    json_date(cp.snapshot_date), "snapshot_sha256", cp.snapshot_sha256,
	    "status", status, "holder", holder, "events", list, "checkpoint",
	    note, len);
	list = NULL;
	if (receipt == NULL ||
	    (text = json_dumps(receipt, JSON_INDENT(2))) == NULL) {
		log_why(why, why_size, "the receipt is not valid JSON text");
		goto done;
	}
	buf_puts(out, text);
	buf_putc(out, '\n');
	rc = 0;
done:
	free(text);
	json_decref(list);
	json_decref(receipt);
	buf_free(&entry);
	free(entries);
	free(sorted);
	return rc;
}

/* ---- reading ---- */

struct parsed_event {
	uint64_t index;
	uint8_t *entry;
	size_t entry_len;
	uint8_t leaf_hash[LOG_HASH_SIZE];
	struct log_proof proof;
	struct log_entry decoded;
	int decodes;
};

struct parsed {
	json_t *root;
	const char *number, *sha256, *checkpoint;
	size_t checkpoint_len;
	int as_of;
	json_t *status, *holder;
	struct parsed_event *events;
	size_t count;
};

static void
parsed_free(struct parsed *r)
{
	for (size_t i = 0; i < r->count; i++) {
		free(r->events[i].entry);
		log_entry_clear(&r->events[i].decoded);
	}
	free(r->events);
	json_decref(r->root);
}

static int
parse_event(const json_t *value, size_t i, struct parsed_event *out, char *why,
    size_t why_size)
{
	static const char *const keys[] = {
	    "index", "entry", "leaf_hash", "proof", NULL};
	const json_t *entry = json_object_get(value, "entry");
	char reason[WHY_SIZE];

	if (!json_is_object(value))
		return log_why(
		    why, why_size, "events[%zu] is not an object", i);
	if (only_keys(value, keys, reason, sizeof reason) != 0)
		return log_why(why, why_size, "events[%zu]: %s", i, reason);
	if (read_size(json_object_get(value, "index"), &out->index) != 0)
		return log_why(
		    why, why_size, "events[%zu].index is not a leaf number", i);
	if (!json_is_string(entry))
		return log_why(
		    why, why_size, "events[%zu].entry is not a string", i);
	out->entry = mem_alloc(json_string_length(entry) + 1);
	if (log_base64_decode(json_string_value(entry),
	        json_string_length(entry), out->entry,
	        json_string_length(entry) + 1, &out->entry_len) != 0)
		return log_why(
		    why, why_size, "events[%zu].entry is not base64", i);
	if (read_base64(json_object_get(value, "leaf_hash"), out->leaf_hash,
	        LOG_HASH_SIZE) != 0)
		return log_why(why, why_size,
		    "events[%zu].leaf_hash is not the base64 of 32 bytes", i);
	if (read_proof(json_object_get(value, "proof"), &out->proof) != 0)
		return log_why(why, why_size,
		    "events[%zu].proof is not a list of at most %d base64 "
		    "hashes",
		    i, LOG_PROOF_MAX);
	return 0;
}

static int
parse_receipt(
    const char *json, size_t len, struct parsed *r, char *why, size_t why_size)
{
	static const char *const keys[] = {"receipt", "number", "as_of",
	    "snapshot_sha256", "status", "holder", "events", "checkpoint",
	    NULL};
	json_error_t error;
	json_t *root, *events, *value;
	char reason[WHY_SIZE];
	size_t i;

	memset(r, 0, sizeof *r);
	if (len > LOG_RECEIPT_BYTES_MAX)
		return log_why(why, why_size, "a receipt has at most %d bytes",
		    LOG_RECEIPT_BYTES_MAX);
	root = r->root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &error);
	if (root == NULL)
		return log_why(why, why_size, "not JSON: line %d: %s",
		    error.line, error.text);
	if (!json_is_object(root))
		return log_why(why, why_size, "not a JSON object");
	value = json_object_get(root, "receipt");
	if (!json_is_integer(value))
		return log_why(why, why_size,
		    "not a receipt: no \"receipt\": %d", LOG_RECEIPT_VERSION);
	if (json_integer_value(value) != LOG_RECEIPT_VERSION)
		return log_why(why, why_size,
		    "a receipt of version %lld; this program reads version %d",
		    (long long)json_integer_value(value), LOG_RECEIPT_VERSION);
	if (only_keys(root, keys, reason, sizeof reason) != 0)
		return log_why(why, why_size, "%s", reason);
	r->number = json_string_value(json_object_get(root, "number"));
	r->sha256 = json_string_value(json_object_get(root, "snapshot_sha256"));
	r->checkpoint = json_string_value(json_object_get(root, "checkpoint"));
	r->status = json_object_get(root, "status");
	r->holder = json_object_get(root, "holder");
	if (r->number == NULL || r->sha256 == NULL || r->checkpoint == NULL ||
	    !json_is_object(r->status) || !json_is_object(r->holder))
		return log_why(why, why_size,
		    "number, snapshot_sha256 and checkpoint are strings, "
		    "status and holder objects");
	r->checkpoint_len =
	    json_string_length(json_object_get(root, "checkpoint"));
	value = json_object_get(root, "as_of");
	if (!json_is_string(value) ||
	    date_parse(json_string_value(value), &r->as_of) != 0)
		return log_why(why, why_size, "as_of is not a date YYYY-MM-DD");
	events = json_object_get(root, "events");
	if (!json_is_array(events) || json_array_size(events) == 0 ||
	    json_array_size(events) > LOG_RECEIPT_EVENTS_MAX)
		return log_why(why, why_size,
		    "events is not a list of 1 to %d events",
		    LOG_RECEIPT_EVENTS_MAX);
	r->events = mem_calloc(json_array_size(events), sizeof *r->events);
	json_array_foreach (events, i, value) {
		r->count++;
		if (parse_event(value, i, &r->events[i], why, why_size) != 0)
			return -1;
	}
	return 0;
}

/* ---- verifying ---- */

/* "event 18 at index 17" */
static char *
subject_of(const struct parsed_event *e, char *buf, size_t size)
{
	if (e->decodes)
		snprintf(buf, size, "event %lld at index %llu", e->decoded.seq,
		    (unsigned long long)e->index);
	else
		snprintf(buf, size, "the event at index %llu",
		    (unsigned long long)e->index);
	return buf;
}

static void
check_events(const struct parsed *r, const struct log_checkpoint *cp,
    struct log_receipt_checks *checks)
{
	char why[WHY_SIZE], subject[96];

	for (size_t i = 0; i < r->count; i++) {
		struct parsed_event *e = &r->events[i];
		uint8_t leaf[LOG_HASH_SIZE];

		e->decodes = log_entry_decode(e->entry, e->entry_len,
		                 &e->decoded, why, sizeof why) == 0;
		subject_of(e, subject, sizeof subject);
		log_merkle_leaf_hash(e->entry, e->entry_len, leaf);
		add_check(checks, "leaf-hash", subject,
		    memcmp(leaf, e->leaf_hash, LOG_HASH_SIZE) == 0,
		    memcmp(leaf, e->leaf_hash, LOG_HASH_SIZE) == 0
		        ? "SHA-256(0x00 || entry) is its leaf_hash"
		        : "SHA-256(0x00 || entry) is not its leaf_hash: the "
		          "entry was changed");
		if (cp != NULL) {
			int ok = log_merkle_verify_inclusion(e->index, cp->size,
			             leaf, &e->proof, cp->root, why,
			             sizeof why) == 0;

			if (ok)
				add_check(checks, "inclusion", subject, 1,
				    "leaf %llu of the tree of %llu signed in "
				    "the checkpoint (%zu hashes)",
				    (unsigned long long)e->index,
				    (unsigned long long)cp->size,
				    e->proof.count);
			else
				add_check(checks, "inclusion", subject, 0,
				    "not shown to be leaf %llu of the tree of "
				    "%llu: %s",
				    (unsigned long long)e->index,
				    (unsigned long long)cp->size, why);
		}
		if (e->decodes)
			add_check(checks, "entry", subject, 1,
			    "%s on %s, recorded %s",
			    event_kind_name(e->decoded.kind),
			    date_format(e->decoded.effective_on,
			        (char[DATE_BUFSIZE]){0}),
			    e->decoded.recorded_at);
		else
			add_check(checks, "entry", subject, 0,
			    "not a canonical entry: %s", why);
	}
}

/* order, certificate, status, holder */
static void
check_history(const struct parsed *r, struct log_receipt_checks *checks)
{
	const struct log_entry **entries =
	    mem_alloc(r->count * sizeof *entries);
	json_t *status = NULL, *holder = NULL;
	char why[WHY_SIZE] = "";
	int ordered = 1, decoded = 1;

	for (size_t i = 0; i < r->count; i++) {
		const struct parsed_event *e = &r->events[i];

		entries[i] = &e->decoded;
		decoded &= e->decodes;
		if (i > 0 && ordered &&
		    (e->index <= r->events[i - 1].index ||
		        (e->decodes && r->events[i - 1].decodes &&
		            e->decoded.seq <= r->events[i - 1].decoded.seq))) {
			ordered = 0;
			snprintf(why, sizeof why,
			    "events[%zu] (index %llu) does not come after "
			    "events[%zu] (index %llu) in the log",
			    i, (unsigned long long)e->index, i - 1,
			    (unsigned long long)r->events[i - 1].index);
		}
	}
	if (ordered)
		add_check(checks, "order", NULL, 1,
		    "%zu events in the log's order", r->count);
	else
		add_check(checks, "order", NULL, 0, "%s", why);
	if (!decoded)
		add_check(checks, "certificate", NULL, 0,
		    "not every entry decodes, so the history cannot be read");
	else if (derive(r->number, entries, r->count, r->as_of, &status,
	             &holder, why, sizeof why) != 0)
		add_check(checks, "certificate", NULL, 0, "%s", why);
	else {
		add_check(checks, "certificate", NULL, 1,
		    "every event is of %s or of an organisation that held it",
		    r->number);
		if (json_equal(status, r->status))
			add_check(checks, "status", NULL, 1,
			    "%s on %s, as its events give",
			    json_string_value(
			        json_object_get(status, "status")),
			    json_string_value(
			        json_object_get(r->root, "as_of")));
		else
			add_check(checks, "status", NULL, 0,
			    "the events give %s since %s on %s, not what the "
			    "receipt states",
			    json_string_value(
			        json_object_get(status, "status")),
			    json_string_value(
			        json_object_get(status, "status_since")),
			    json_string_value(
			        json_object_get(r->root, "as_of")));
		add_check(checks, "holder", NULL, json_equal(holder, r->holder),
		    json_equal(holder, r->holder)
		        ? "the holder is the one its events give"
		        : "the events give another holder than the receipt "
		          "states");
	}
	json_decref(status);
	json_decref(holder);
	free(entries);
}

static int
failed_since(const struct log_receipt_checks *checks, size_t from)
{
	for (size_t i = from; i < checks->count; i++)
		if (!checks->items[i].ok)
			return 1;
	return 0;
}

int
log_receipt_verify(const char *json, size_t len,
    const struct log_receipt_options *options,
    struct log_receipt_checks *checks)
{
	struct parsed r;
	struct log_checkpoint cp;
	struct log_note note;
	enum log_note_result result;
	char why[WHY_SIZE];
	size_t first = checks->count;
	int have_cp;

	if (parse_receipt(json, len, &r, why, sizeof why) != 0) {
		add_check(checks, "receipt", NULL, 0, "%s", why);
		parsed_free(&r);
		return -1;
	}
	add_check(checks, "receipt", NULL, 1,
	    "a receipt of %s as of %s with %zu events", r.number,
	    json_string_value(json_object_get(r.root, "as_of")), r.count);

	have_cp = read_checkpoint(r.checkpoint, r.checkpoint_len, &cp, why,
	              sizeof why) == 0;
	if (have_cp)
		add_check(checks, "checkpoint", NULL, 1,
		    "%s, tree of %llu signed with the snapshot of %s",
		    cp.origin, (unsigned long long)cp.size,
		    date_format(cp.snapshot_date, (char[DATE_BUFSIZE]){0}));
	else
		add_check(checks, "checkpoint", NULL, 0, "%s", why);

	if (options->key == NULL)
		add_check(checks, "signature", NULL, 0,
		    "no verifier key was given to check it with");
	else if ((result = log_note_open(r.checkpoint, r.checkpoint_len,
	              options->key, 1, &note, why, sizeof why)) ==
	         LOG_NOTE_VERIFIED)
		add_check(checks, "signature", NULL, 1, "signed by %s+%08x",
		    options->key->name, (unsigned)options->key->key_hash);
	else
		add_check(checks, "signature", NULL, 0, "%s", why);

	if (have_cp) {
		int same = cp.snapshot_date == r.as_of &&
		           strcmp(cp.snapshot_sha256, r.sha256) == 0;
		int expected = options->snapshot_sha256 == NULL ||
		               strcmp(options->snapshot_sha256, r.sha256) == 0;

		if (!same)
			add_check(checks, "snapshot", NULL, 0,
			    "as_of and snapshot_sha256 are not the "
			    "checkpoint's (%s, %s)",
			    date_format(
			        cp.snapshot_date, (char[DATE_BUFSIZE]){0}),
			    cp.snapshot_sha256);
		else if (!expected)
			add_check(checks, "snapshot", NULL, 0,
			    "the snapshot signed is %s, not the %s expected",
			    r.sha256, options->snapshot_sha256);
		else
			add_check(checks, "snapshot", NULL, 1,
			    "the snapshot of %s with SHA-256 %s",
			    date_format(
			        cp.snapshot_date, (char[DATE_BUFSIZE]){0}),
			    r.sha256);
	}

	check_events(&r, have_cp ? &cp : NULL, checks);
	check_history(&r, checks);
	if (options->consistency != NULL)
		log_receipt_verify_consistency(r.checkpoint, r.checkpoint_len,
		    options->consistency, options->consistency_len,
		    options->key, checks);
	parsed_free(&r);
	return failed_since(checks, first) ? -1 : 0;
}

/* ---- consistency ---- */

void
log_receipt_consistency_write(uint64_t old_size, uint64_t new_size,
    const struct log_proof *proof, const char *note, size_t note_len,
    struct buf *out)
{
	json_t *doc = json_pack("{s:I,s:I,s:o,s:s%}", "old_size",
	    (json_int_t)old_size, "new_size", (json_int_t)new_size, "proof",
	    json_proof(proof), "checkpoint", note, note_len);
	char *text = doc ? json_dumps(doc, JSON_INDENT(2)) : NULL;

	if (text != NULL) {
		buf_puts(out, text);
		buf_putc(out, '\n');
	}
	free(text);
	json_decref(doc);
}

int
log_receipt_verify_consistency(const char *old_note, size_t old_len,
    const char *doc, size_t doc_len, const struct log_note_verifier *key,
    struct log_receipt_checks *checks)
{
	static const char *const keys[] = {
	    "old_size", "new_size", "proof", "checkpoint", NULL};
	struct log_checkpoint old_cp, new_cp;
	struct log_note note;
	struct log_proof proof;
	uint64_t old_size, new_size;
	const char *new_note;
	size_t new_len, first = checks->count;
	json_error_t error;
	json_t *root;
	char why[WHY_SIZE];

	root = json_loadb(doc, doc_len, JSON_REJECT_DUPLICATES, &error);
	if (root == NULL || !json_is_object(root) ||
	    only_keys(root, keys, why, sizeof why) != 0 ||
	    read_size(json_object_get(root, "old_size"), &old_size) != 0 ||
	    read_size(json_object_get(root, "new_size"), &new_size) != 0 ||
	    read_proof(json_object_get(root, "proof"), &proof) != 0 ||
	    !json_is_string(json_object_get(root, "checkpoint"))) {
		add_check(checks, "consistency-document", NULL, 0,
		    "not a consistency document (old_size, new_size, proof, "
		    "checkpoint)%s%s",
		    root == NULL ? ": " : "", root == NULL ? error.text : "");
		json_decref(root);
		return -1;
	}
	new_note = json_string_value(json_object_get(root, "checkpoint"));
	new_len = json_string_length(json_object_get(root, "checkpoint"));
	if (read_checkpoint(new_note, new_len, &new_cp, why, sizeof why) != 0) {
		add_check(checks, "consistency-document", NULL, 0,
		    "its checkpoint: %s", why);
		json_decref(root);
		return -1;
	}
	add_check(checks, "consistency-document", NULL, 1,
	    "a proof from size %llu to the checkpoint of size %llu",
	    (unsigned long long)old_size, (unsigned long long)new_size);

	if (key == NULL)
		add_check(checks, "newer-signature", NULL, 0,
		    "no verifier key was given to check it with");
	else if (log_note_open(new_note, new_len, key, 1, &note, why,
	             sizeof why) != LOG_NOTE_VERIFIED)
		add_check(checks, "newer-signature", NULL, 0, "%s", why);
	else
		add_check(checks, "newer-signature", NULL, 1,
		    "the checkpoint of %s is signed by %s+%08x",
		    date_format(new_cp.snapshot_date, (char[DATE_BUFSIZE]){0}),
		    key->name, (unsigned)key->key_hash);

	if (read_checkpoint(old_note, old_len, &old_cp, why, sizeof why) != 0)
		add_check(checks, "consistency", NULL, 0,
		    "the old checkpoint: %s", why);
	else if (strcmp(old_cp.origin, new_cp.origin) != 0)
		add_check(checks, "consistency", NULL, 0,
		    "the checkpoints are of two logs, %s and %s", old_cp.origin,
		    new_cp.origin);
	else if (old_size != old_cp.size || new_size != new_cp.size)
		add_check(checks, "consistency", NULL, 0,
		    "the proof is from size %llu to %llu, the checkpoints are "
		    "of %llu and %llu",
		    (unsigned long long)old_size, (unsigned long long)new_size,
		    (unsigned long long)old_cp.size,
		    (unsigned long long)new_cp.size);
	else if (log_merkle_verify_consistency(old_cp.size, new_cp.size,
	             old_cp.root, new_cp.root, &proof, why, sizeof why) != 0)
		add_check(checks, "consistency", NULL, 0,
		    "the tree of %llu is not shown to be the beginning of the "
		    "tree of %llu: %s",
		    (unsigned long long)old_cp.size,
		    (unsigned long long)new_cp.size, why);
	else
		add_check(checks, "consistency", NULL, 1,
		    "the tree of %llu is the beginning of the tree of %llu",
		    (unsigned long long)old_cp.size,
		    (unsigned long long)new_cp.size);
	json_decref(root);
	return failed_since(checks, first) ? -1 : 0;
}
