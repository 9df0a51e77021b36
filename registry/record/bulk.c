/*
 * Bulk import and export (see bulk.h).  Import checks each row's columns
 * itself, so that a message names the column at fault, then writes the
 * row's organisation, certificate and events with the checks, in the
 * order and with the values ops_record() gives them (the registry is the
 * same as if each were recorded by a command), but without its savepoint
 * per event and with what the previous row looked up remembered.  The
 * whole file is one transaction: a bad row anywhere writes nothing.
 */
#include "registry/record/bulk.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "registry/rules/creditcode.h"
#include "registry/record/csv.h"
#include "registry/record/csv_ahead.h"
#include "registry/rules/date.h"
#include "registry/base/mem.h"
#include "registry/record/ops.h"
#include "registry/base/clock.h"
#include "registry/record/db_scan.h"

enum column {
	COL_NUMBER,
	COL_CATEGORY,
	COL_LEVEL,
	COL_ISSUED_ON,
	COL_VALID_UNTIL,
	COL_ORG_ID,
	COL_ORG,
	COL_CREDIT_CODE,
	COL_ADDRESS,
	COL_PREDECESSOR,
	COLUMN_COUNT
};

static const char *const COLUMN_NAMES[COLUMN_COUNT] = {
    "number",
    "category",
    "level",
    "issued_on",
    "valid_until",
    "organisation_id",
    "organisation",
    "credit_code",
    "address",
    "predecessor",
};

/* Columns that may be empty in a row. */
static const int OPTIONAL[COLUMN_COUNT] = {
    [COL_VALID_UNTIL] = 1,
    [COL_ORG_ID] = 1,
    [COL_CREDIT_CODE] = 1,
    [COL_ADDRESS] = 1,
    [COL_PREDECESSOR] = 1,
};

/* The size of row_fail()'s message: a check that formats its message
 * first cuts it where row_fail() would. */
#define WHY_BYTES 900

/* What ops_record() allows in an event's reason (ops.c's NOTE_MAX_BYTES). */
#define REASON_MAX_BYTES 2000

/*
 * SQLite's page cache during an import into a registry with rows: 32 MB,
 * half of what db_open() gives.  More cache did not make it faster: the
 * indexes written at random (numbers, credit codes, names) are of about
 * that size, and the pages it drops are in the system's file cache.
 */
#define IMPORT_CACHE "PRAGMA cache_size = -32768"

/*
 * The same into an empty registry: 8 MB.  A first load writes every
 * table in the order of its ids and builds the indexes it would write at
 * random after the rows, so that with 32 MB it took the same CPU time and
 * 25 MB more memory.
 */
#define FIRST_LOAD_CACHE "PRAGMA cache_size = -8192"

/*
 * The page cache while a first load builds its late indexes: SQLite's
 * sorter keeps as much in memory as the cache may hold, in lists it sorts
 * and then merges.  With 32 MB of each the peak was 93 MB; lists of 4 MB
 * took 15 to 25% less CPU time than lists of 8 or 32 MB (the unique index
 * of a million numbers and the other five, built alone by the SQLite shell).
 */
#define INDEX_CACHE "PRAGMA cache_size = -4096"

/* Categories remembered as existing, so that a row does not ask the
 * registry again. */
#define KNOWN_CATEGORIES 16
#define CATEGORY_BYTES 16

/*
 * A map from 32-bit fingerprints of strings to 32-bit references (open
 * addressing; fingerprint 0 marks an empty slot), which answers for an
 * index the import does not keep up as the rows go in.  Strings of the
 * same fingerprint each have a slot of their own: a lookup takes every
 * reference under the string's fingerprint and compares the string the
 * registry holds there.  8 bytes a string, so that the numbers of a
 * million rows take 16 MB.
 */
struct keymap_slot {
	uint32_t fp, ref;
};

struct keymap {
	struct keymap_slot *slots;
	size_t size, count; /* size: 0 or a power of two */
};

/* What keymap_first() and keymap_next() give after the last slot. */
#define KEYMAP_END SIZE_MAX

static uint32_t
fingerprint(const char *text)
{
	uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */

	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		h = (h ^ *p) * 0x100000001b3ULL;
	h ^= h >> 32;
	return (uint32_t)h ? (uint32_t)h : 1;
}

/* Where the probe for `fp` starts. */
static size_t
keymap_home(size_t size, uint32_t fp)
{
	return (size_t)((fp * 0x9E3779B97F4A7C15ULL) >> 20) & (size - 1);
}

/* The first slot from `i` on holding `fp`, or KEYMAP_END at the first
 * empty one. */
static size_t
keymap_scan(const struct keymap *map, uint32_t fp, size_t i)
{
	for (; map->slots[i].fp != 0; i = (i + 1) & (map->size - 1))
		if (map->slots[i].fp == fp)
			return i;
	return KEYMAP_END;
}

/* The first slot of `fp` (KEYMAP_END: none). */
static size_t
keymap_first(const struct keymap *map, uint32_t fp)
{
	return map->size == 0
	           ? KEYMAP_END
	           : keymap_scan(map, fp, keymap_home(map->size, fp));
}

/* The slot of `fp` after slot `i` (KEYMAP_END: none). */
static size_t
keymap_next(const struct keymap *map, uint32_t fp, size_t i)
{
	return keymap_scan(map, fp, (i + 1) & (map->size - 1));
}

/* The first empty slot of the probe for `fp`. */
static size_t
keymap_free_slot(const struct keymap_slot *slots, size_t size, uint32_t fp)
{
	size_t i = keymap_home(size, fp);

	while (slots[i].fp != 0)
		i = (i + 1) & (size - 1);
	return i;
}

/* Adds `ref` under `fp`, beside any other reference it has. */
static void
keymap_add(struct keymap *map, uint32_t fp, uint32_t ref)
{
	if (4 * (map->count + 1) > 3 * map->size) {
		size_t size = map->size ? 2 * map->size : 1024;
		struct keymap_slot *slots = mem_calloc(size, sizeof *slots);
		for (size_t k = 0; k < map->size; k++)
			if (map->slots[k].fp != 0)
				slots[keymap_free_slot(slots, size,
				    map->slots[k].fp)] = map->slots[k];
		free(map->slots);
		map->slots = slots;
		map->size = size;
	}
	map->slots[keymap_free_slot(map->slots, map->size, fp)] =
	    (struct keymap_slot){fp, ref};
	map->count++;
}

/*
 * What the reading thread finds about a row (csv_ahead.h): whether it
 * passed check_facts() and check_texts(), and if so its level and date
 * of issue.  A row that did not is checked again by the import, which
 * then says why.  And the fingerprints of its number and predecessor (0:
 * none), so that the import can fetch their slots of its map of numbers
 * a few rows before it needs them.
 */
struct row_ahead {
	int passed, level, issued_on;
	uint32_t number_fp, predecessor_fp;
};

/* A renewal's or upgrade's link from predecessor to successor. */
struct link {
	long long predecessor, successor;
};

struct import {
	struct db *db;
	const char *path;
	long line;
	int index[COLUMN_COUNT]; /* field position of each column */
	size_t fields;           /* fields each row must have */
	const char *value[COLUMN_COUNT];
	char reason[160];    /* "import of FILE line N" */
	size_t reason_fixed; /* bytes of reason before N */
	/* 1 once check_reason() passed: N is ASCII digits, so that whether
	 * a reason passes depends on the text before it alone. */
	int reason_passed;
	/*
	 * Whether the registry had certificates and organisations before.
	 * When it had none, a first load builds the indexes of numbers, credit
	 * codes and names after the rows (db_late_indexes()), and these maps
	 * answer for them meanwhile: the certificates this import added by
	 * number (referring to their ids), and its organisations by credit
	 * code and, those without one, by name (referring to their place in
	 * org_ids).  A number, credit code or name not there is in no one's
	 * hands.
	 */
	int had_certs, had_orgs;
	struct keymap numbers;
	struct keymap codes;
	struct keymap names;
	long long *org_ids;
	size_t org_count, org_cap;
	/*
	 * The organisation of the previous row as the registry holds it (id
	 * 0: none).  Nothing but this import writes meanwhile, and it only
	 * adds, so a row that looks up the same organisation finds these
	 * values again; `by_name` says whether a lookup by name would (it
	 * was found or created by name: the namesake without a credit code
	 * with the lowest id).
	 */
	struct org last;
	int last_by_name;
	char categories[KNOWN_CATEGORIES][CATEGORY_BYTES];
	int category_count;
	/*
	 * The predecessors' successor_id, set after the rows in the
	 * predecessors' order (set_successors()) instead of by rewriting
	 * each row where it lies: nothing in an import reads it (a second
	 * renewal is refused by the predecessor's events).
	 */
	struct link *links;
	size_t link_count, link_cap;
	/*
	 * When the registry had no certificates: the events this import
	 * recorded on each of its certificates (by id), which are then all
	 * it has, so that a renewal need not read them back.
	 */
	unsigned char *histories;
	size_t history_cap;
};

/* What an import recorded on one of its certificates. */
enum history {
	HISTORY_UNKNOWN,     /* not one of this import's */
	HISTORY_ISSUED,      /* its issue */
	HISTORY_TRANSFERRED, /* its issue, then its transfer (same day) */
	HISTORY_SUCCEEDED,   /* a renewal or upgrade too */
};

static void
set_history(struct import *im, long long cert_id, enum history h)
{
	size_t id = (size_t)cert_id;

	if (im->had_certs || cert_id <= 0)
		return;
	if (id >= im->history_cap) {
		size_t cap = im->history_cap ? im->history_cap : 1 << 16;
		while (cap <= id)
			cap *= 2;
		im->histories = mem_realloc(im->histories, cap);
		memset(im->histories + im->history_cap, HISTORY_UNKNOWN,
		    cap - im->history_cap);
		im->history_cap = cap;
	}
	im->histories[id] = (unsigned char)h;
}

static int row_fail(struct import *im, enum column col, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static int
row_fail(struct import *im, enum column col, const char *format, ...)
{
	char why[WHY_BYTES];
	va_list ap;

	va_start(ap, format);
	vsnprintf(why, sizeof why, format, ap);
	va_end(ap);
	return db_fail(im->db, "%s:%ld: %s: %s", im->path, im->line,
	    COLUMN_NAMES[col], why);
}

/* A refusal from the registry (db_error()) blamed on `col`. */
static int
db_row_fail(struct import *im, enum column col)
{
	return row_fail(im, col, "%s", db_error(im->db));
}

enum header_fault { HEADER_OK, HEADER_UNKNOWN, HEADER_TWICE, HEADER_MISSING };

/*
 * The field position of each column in the header `rec` (-1: absent) and
 * the fields each row must have; on a fault, *at is the field (unknown),
 * or the column (twice, missing).
 */
static enum header_fault
header_map(const struct csv_record *rec, int index[COLUMN_COUNT],
    size_t *fields, size_t *at)
{
	for (int c = 0; c < COLUMN_COUNT; c++)
		index[c] = -1;
	for (size_t i = 0; i < rec->count; i++) {
		int found = -1;
		for (int c = 0; c < COLUMN_COUNT; c++)
			if (strcmp(rec->fields[i], COLUMN_NAMES[c]) == 0)
				found = c;
		*at = found < 0 ? i : (size_t)found;
		if (found < 0)
			return HEADER_UNKNOWN;
		if (index[found] >= 0)
			return HEADER_TWICE;
		index[found] = (int)i;
	}
	*fields = 0;
	for (int c = 0; c < COLUMN_COUNT; c++) {
		*at = (size_t)c;
		if (index[c] < 0 && !OPTIONAL[c])
			return HEADER_MISSING;
		if (index[c] >= 0)
			(*fields)++;
	}
	return HEADER_OK;
}

static int
read_header(struct import *im, const struct csv_record *rec)
{
	size_t at = 0;

	switch (header_map(rec, im->index, &im->fields, &at)) {
	case HEADER_OK:
		return 0;
	case HEADER_UNKNOWN:
		return db_fail(im->db,
		    "%s:%ld: unknown column \"%s\" "
		    "(columns: number, category, level, "
		    "issued_on, valid_until, organisation_id, "
		    "organisation, credit_code, address, "
		    "predecessor)",
		    im->path, rec->line, rec->fields[at]);
	case HEADER_TWICE:
		return db_fail(im->db, "%s:%ld: column %s appears twice",
		    im->path, rec->line, COLUMN_NAMES[at]);
	case HEADER_MISSING:
		break;
	}
	return db_fail(im->db, "%s:%ld: the header has no column %s", im->path,
	    rec->line, COLUMN_NAMES[at]);
}

/* Each column's value in a row of the header `index` maps. */
static void
row_values(const int index[COLUMN_COUNT], const struct csv_record *rec,
    const char *value[COLUMN_COUNT])
{
	for (int c = 0; c < COLUMN_COUNT; c++)
		value[c] = index[c] >= 0 ? rec->fields[index[c]] : "";
}

/*
 * The name the row gives must be the registry's for the organisation
 * found by its id or credit code.
 */
static int
check_name(struct import *im, long long id, const struct org *org)
{
	const char *name = im->value[COL_ORG];
	const char *code = im->value[COL_CREDIT_CODE];

	if (strcmp(org->name, name) == 0 || (id == 0 && *code == '\0'))
		return 0;
	if (id != 0)
		return row_fail(im, COL_ORG,
		    "organisation %lld is named %s in the registry, not %s", id,
		    org->name, name);
	return row_fail(im, COL_ORG,
	    "credit code %s belongs to %s (organisation %lld), not %s", code,
	    org->name, org->id, name);
}

/*
 * The organisation this import added (into a registry that had none)
 * with the credit code `key` (`by_code`), or else the one without a
 * credit code named `key` with the lowest id: what db_org_by_code() and
 * db_org_by_name() would find.  0 with *org, 1 none, -1 with db_error()
 * on a read error.
 */
static int
added_org(struct import *im, const char *key, int by_code, struct org *org)
{
	const struct keymap *map = by_code ? &im->codes : &im->names;
	uint32_t fp = fingerprint(key);
	struct org candidate = {0};
	int found = 1;

	for (size_t i = keymap_first(map, fp); i != KEYMAP_END;
	     i = keymap_next(map, fp, i)) {
		long long id = im->org_ids[map->slots[i].ref];
		const char *has;
		int rc;

		if (found == 0 && id > org->id)
			continue;
		if ((rc = db_org_get(im->db, id, &candidate)) != 0) {
			if (rc == 1)
				continue;
			if (found == 0)
				org_clear(org);
			return -1;
		}
		has = by_code ? candidate.credit_code : candidate.name;
		if (has == NULL || strcmp(has, key) != 0 ||
		    (!by_code && candidate.credit_code != NULL)) {
			org_clear(&candidate);
			continue;
		}
		if (found == 0)
			org_clear(org);
		*org = candidate;
		memset(&candidate, 0, sizeof candidate);
		found = 0;
	}
	return found;
}

/* The organisation with credit code `code` (0 with *org, 1 none, -1 on
 * a read error). */
static int
org_by_code(struct import *im, const char *code, struct org *org)
{
	return im->had_orgs ? db_org_by_code(im->db, code, org)
	                    : added_org(im, code, 1, org);
}

/* Records that this import added `org` (when the registry had no
 * organisations before it, added_org() then finds it). */
static void
remember_org(struct import *im, const struct org *org)
{
	if (im->had_orgs)
		return;
	if (im->org_count == im->org_cap) {
		im->org_cap = im->org_cap ? 2 * im->org_cap : 1024;
		im->org_ids =
		    mem_realloc(im->org_ids, im->org_cap * sizeof *im->org_ids);
	}
	im->org_ids[im->org_count] = org->id;
	if (org->credit_code != NULL)
		keymap_add(&im->codes, fingerprint(org->credit_code),
		    (uint32_t)im->org_count);
	else
		keymap_add(&im->names, fingerprint(org->name),
		    (uint32_t)im->org_count);
	im->org_count++;
}

/*
 * The certificate numbered `number`, as db_cert_by_number() finds it
 * (0 with *cert, 1 none, -1 with db_error() on a read error): when the
 * registry had none before this import, among those it added.
 */
static int
cert_by_number(struct import *im, const char *number, struct cert *cert)
{
	uint32_t fp;

	if (im->had_certs)
		return db_cert_by_number(im->db, number, cert);
	fp = fingerprint(number);
	for (size_t i = keymap_first(&im->numbers, fp); i != KEYMAP_END;
	     i = keymap_next(&im->numbers, fp, i)) {
		int rc = db_cert_get(im->db, im->numbers.slots[i].ref, cert);
		if (rc < 0)
			return -1;
		if (rc == 0 && strcmp(cert->number, number) == 0)
			return 0;
		cert_clear(cert);
	}
	return 1;
}

/* 1 when a certificate is numbered `number`, 0 when not, -1 with
 * db_error() on a read error. */
static int
number_taken(struct import *im, const char *number)
{
	struct cert cert = {0};
	int rc;

	if (im->had_certs)
		return db_cert_number_taken(im->db, number);
	rc = cert_by_number(im, number, &cert);
	cert_clear(&cert);
	return rc < 0 ? -1 : rc == 0;
}

/*
 * Looks up the row's organisation by id, else credit code, else name
 * (found: 0 with *org, none: 1).  -1 with db_error() on a read error.
 */
static int
find_org(struct import *im, long long id, struct org *org)
{
	const char *code = im->value[COL_CREDIT_CODE];

	const char *name = im->value[COL_ORG];

	if (id != 0)
		return db_org_get(im->db, id, org);
	if (*code)
		return org_by_code(im, code, org);
	return im->had_orgs ? db_org_by_name(im->db, name, org)
	                    : added_org(im, name, 0, org);
}

/* Whether the lookup find_org() would make is the previous row's, and
 * would find im->last. */
static int
same_as_last(const struct import *im, long long id)
{
	const char *code = im->value[COL_CREDIT_CODE];

	if (im->last.id == 0)
		return 0;
	if (id != 0)
		return im->last.id == id;
	if (*code)
		return im->last.credit_code &&
		       strcmp(im->last.credit_code, code) == 0;
	return im->last_by_name &&
	       strcmp(im->last.name, im->value[COL_ORG]) == 0;
}

/* Makes `org` (taken over) the one the next row may reuse. */
static void
keep_last(struct import *im, struct org *org, int by_name)
{
	org_clear(&im->last);
	im->last = *org;
	im->last_by_name = by_name;
	memset(org, 0, sizeof *org);
}

/* An organisation found for the row must have its credit code and, when
 * the row gives one, its address. */
static int
check_org(struct import *im, const struct org *org)
{
	const char *code = im->value[COL_CREDIT_CODE];
	const char *address = im->value[COL_ADDRESS];
	const char *has = org->credit_code ? org->credit_code : "";

	if ((*has || *code) && strcmp(has, code) != 0)
		return row_fail(im, COL_CREDIT_CODE,
		    "organisation %lld has credit code \"%s\", not \"%s\"",
		    org->id, has, code);
	if (*address && strcmp(org->address, address) != 0)
		return row_fail(im, COL_ADDRESS,
		    "organisation %lld has the address %s", org->id,
		    org->address);
	return 0;
}

/* An event of the row (with no certificate when `cert_id` is 0) about
 * organisation `org_id`, effective on `effective_on`: the row's reason,
 * no reference, deadline, target or values. */
static void
row_event(struct import *im, struct event_record *e, enum event_kind kind,
    long long cert_id, long long org_id, int effective_on)
{
	memset(e, 0, sizeof *e);
	e->kind = kind;
	e->certificate_id = cert_id;
	e->organisation_id = org_id;
	e->effective_on = effective_on;
	e->deadline = DATE_NONE;
	e->reason = im->reason;
	e->reference = "";
}

/* A refusal while adding the row's organisation, blamed on the column
 * the message is about (as ops_record()'s refusals are). */
static int
org_fail(struct import *im, long long id)
{
	const char *why = db_error(im->db);

	return db_row_fail(im, strstr(why, "credit code") ? COL_CREDIT_CODE
	                       : strstr(why, "address")   ? COL_ADDRESS
	                       : id                       ? COL_ORG_ID
	                                                  : COL_ORG);
}

/*
 * Adds the row's organisation (with id `id` when not 0) and its org-add
 * event, as ops_record() would: check_row() has checked the name,
 * address and credit code with the same rules, and find_org() found no
 * organisation with this id or (without an id) this credit code.
 */
static int
add_org(struct import *im, long long id, int issued_on, long long *org_id)
{
	const char *code = im->value[COL_CREDIT_CODE];
	struct org org = {0}, other = {0};
	struct event_record e = {0};
	int rc;

	if (id != 0 && *code) {
		rc = org_by_code(im, code, &other);
		if (rc == 0)
			db_fail(im->db,
			    "credit code %s already belongs to organisation "
			    "%lld (%s)",
			    code, other.id, other.name);
		org_clear(&other);
		if (rc != 1)
			return org_fail(im, id);
	}
	org.id = id;
	org.name = mem_strdup(im->value[COL_ORG]);
	org.credit_code = *code ? mem_strdup(code) : NULL;
	org.address = mem_strdup(im->value[COL_ADDRESS]);
	if (db_org_insert(im->db, &org) != 0)
		goto fail;
	row_event(im, &e, EVENT_ORG_ADD, 0, org.id, issued_on);
	e.new_value = org.name;
	if (db_event_insert(im->db, &e) != 0)
		goto fail;
	free(e.recorded_at);
	*org_id = org.id;
	remember_org(im, &org);
	keep_last(im, &org, id == 0 && *code == '\0');
	return 0;
fail:
	free(e.recorded_at);
	org_clear(&org);
	return org_fail(im, id);
}

/* Finds or creates the row's organisation; its id in *org_id, and
 * *created counts the new ones. */
static int
resolve_org(
    struct import *im, int issued_on, long long *org_id, long long *created)
{
	const char *id_text = im->value[COL_ORG_ID];
	struct org org = {0};
	long long id = 0;
	int rc;

	if (*id_text) {
		char *end;
		id = strtoll(id_text, &end, 10);
		if (*end != '\0' || id <= 0 || strlen(id_text) > 15)
			return row_fail(im, COL_ORG_ID,
			    "not an organisation id: %s", id_text);
	}
	if (same_as_last(im, id)) {
		if (check_name(im, id, &im->last) != 0 ||
		    check_org(im, &im->last) != 0)
			return -1;
		*org_id = im->last.id;
		return 0;
	}
	rc = find_org(im, id, &org);
	if (rc == 0 && (rc = check_name(im, id, &org)) == 0 &&
	    (rc = check_org(im, &org)) == 0) {
		*org_id = org.id;
		keep_last(im, &org, id == 0 && !*im->value[COL_CREDIT_CODE]);
	}
	org_clear(&org);
	if (rc != 1)
		return rc;
	if (add_org(im, id, issued_on, org_id) != 0)
		return -1;
	(*created)++;
	return 0;
}

/* 1 when the category exists (asking the registry once for each), 0
 * when not, -1 on a read error. */
static int
category_exists(struct import *im, const char *code)
{
	int rc;

	for (int i = 0; i < im->category_count; i++)
		if (strcmp(im->categories[i], code) == 0)
			return 1;
	rc = db_category_exists(im->db, code);
	if (rc == 1 && im->category_count < KNOWN_CATEGORIES &&
	    strlen(code) < CATEGORY_BYTES)
		strcpy(im->categories[im->category_count++], code);
	return rc;
}

/* A check's refusal: the column at fault and the message. */
struct refusal {
	enum column col;
	char why[WHY_BYTES];
};

static int refuse(struct refusal *r, enum column col, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static int
refuse(struct refusal *r, enum column col, const char *format, ...)
{
	va_list ap;

	r->col = col;
	va_start(ap, format);
	vsnprintf(r->why, sizeof r->why, format, ap);
	va_end(ap);
	return -1;
}

/* The row's columns that need nothing looked up and come before its
 * category: none missing, the level, the dates (level and date of issue
 * in *level and *issued_on). */
static int
check_facts(const char *const *v, int *level, int *issued_on, struct refusal *r)
{
	int valid_until;

	for (int c = 0; c < COLUMN_COUNT; c++)
		if (!OPTIONAL[c] && *v[c] == '\0')
			return refuse(r, (enum column)c, "must not be empty");
	if (v[COL_LEVEL][0] < '1' || v[COL_LEVEL][0] > '5' ||
	    v[COL_LEVEL][1] != '\0')
		return refuse(
		    r, COL_LEVEL, "a level is 1 to 5, not %s", v[COL_LEVEL]);
	*level = *v[COL_LEVEL] - '0';
	if (date_parse(v[COL_ISSUED_ON], issued_on) != 0)
		return refuse(r, COL_ISSUED_ON,
		    "%s is not a date that exists (YYYY-MM-DD)",
		    v[COL_ISSUED_ON]);
	if (*v[COL_VALID_UNTIL]) {
		char expected[DATE_BUFSIZE];
		if (date_parse(v[COL_VALID_UNTIL], &valid_until) != 0)
			return refuse(r, COL_VALID_UNTIL,
			    "%s is not a date that exists (YYYY-MM-DD)",
			    v[COL_VALID_UNTIL]);
		if (valid_until != status_valid_until(*issued_on))
			return refuse(r, COL_VALID_UNTIL,
			    "must be %s: three years after issued_on, less "
			    "one day",
			    date_format(
			        status_valid_until(*issued_on), expected));
	}
	return 0;
}

/* The row's columns that need nothing looked up and come after its
 * category: the number, the texts, the credit code. */
static int
check_texts(const char *const *v, int level, int issued_on, struct refusal *r)
{
	char why[300];

	if (number_check(v[COL_NUMBER], v[COL_CATEGORY], level, issued_on, why,
	        sizeof why) != 0)
		return refuse(r, COL_NUMBER, "%s", why);
	if (ops_check_text(v[COL_ORG], 300, why, sizeof why) != 0)
		return refuse(r, COL_ORG, "%s", why);
	if (ops_check_text(v[COL_ADDRESS], 500, why, sizeof why) != 0)
		return refuse(r, COL_ADDRESS, "%s", why);
	if (*v[COL_CREDIT_CODE] &&
	    creditcode_check(v[COL_CREDIT_CODE], why, sizeof why) != 0)
		return refuse(r, COL_CREDIT_CODE, "%s", why);
	return 0;
}

/*
 * The row's own columns, before anything is looked up: level and date of
 * issue in *level and *issued_on.  `ahead` (NULL: not known) is what the
 * reading thread found: when it says the row passed check_facts() and
 * check_texts(), only the category is left.
 */
static int
check_row(struct import *im, const struct row_ahead *ahead, int *level,
    int *issued_on)
{
	const char *const *v = im->value;
	int passed = ahead != NULL && ahead->passed;
	struct refusal r;

	if (passed) {
		*level = ahead->level;
		*issued_on = ahead->issued_on;
	} else if (check_facts(v, level, issued_on, &r) != 0) {
		return row_fail(im, r.col, "%s", r.why);
	}
	switch (category_exists(im, v[COL_CATEGORY])) {
	case 1:
		break;
	case 0:
		return row_fail(
		    im, COL_CATEGORY, "unknown category %s", v[COL_CATEGORY]);
	default:
		return -1;
	}
	if (!passed && check_texts(v, *level, *issued_on, &r) != 0)
		return row_fail(im, r.col, "%s", r.why);
	return 0;
}

/* The events' reason must be text ops_record() takes (the file's name
 * is in it); a refusal is blamed on `col`. */
static int
check_reason(struct import *im, enum column col)
{
	char why[128];

	if (im->reason_passed)
		return 0;
	if (ops_check_text(im->reason, REASON_MAX_BYTES, why, sizeof why) != 0)
		return row_fail(im, col, "reason: %s", why);
	im->reason_passed = 1;
	return 0;
}

/*
 * Replays a certificate's history (`count` events, oldest first, with
 * room for one more) with `candidate` added, as ops_record() does before
 * it records an event; the rule's refusal is blamed on `col`.
 */
static int
check_history(struct import *im, const struct cert *cert,
    struct status_event *history, size_t count,
    const struct event_record *candidate, enum column col)
{
	struct status_facts facts = {cert->issued_on, cert->valid_until};
	char why[600];

	history[count].id = STATUS_NEW_EVENT;
	history[count].kind = candidate->kind;
	history[count].effective_on = candidate->effective_on;
	history[count].deadline = candidate->deadline;
	history[count].target = candidate->target_id;
	if (status_validate(&facts, history, count + 1, why, sizeof why) != 0)
		return row_fail(im, col, "%s: %s", cert->number, why);
	return 0;
}

/* The same for a certificate whose history is in the registry (in a
 * first load, read without the index of events by certificate, which it
 * builds at the end: once, on the way to a refusal). */
static int
check_recorded_history(struct import *im, const struct cert *cert,
    const struct event_record *candidate, enum column col)
{
	struct event_record *events = NULL;
	struct status_event *history;
	size_t count = 0;
	int rc;

	if (db_cert_events(im->db, cert->id, &events, &count) != 0)
		return db_row_fail(im, col);
	history = db_status_events(events, count);
	rc = check_history(im, cert, history, count, candidate, col);
	free(history);
	event_records_free(events, count);
	return rc;
}

/*
 * The same as check_recorded_history(), but for a certificate this import
 * recorded everything on, without reading its events back: a history
 * that passes passes; one that does not (or any other certificate) is
 * checked on what the registry holds, which also gives the message.
 */
static int
check_known_history(struct import *im, const struct cert *cert,
    const struct event_record *candidate, enum column col)
{
	enum history h = cert->id > 0 && (size_t)cert->id < im->history_cap
	                     ? (enum history)im->histories[cert->id]
	                     : HISTORY_UNKNOWN;
	struct status_facts facts = {cert->issued_on, cert->valid_until};
	struct status_event history[3];
	size_t count = 0;
	char why[600];

	if (h == HISTORY_ISSUED || h == HISTORY_TRANSFERRED) {
		/* ids in the registry's order; only their order counts */
		history[count++] = (struct status_event){
		    1, EVENT_ISSUE, cert->issued_on, DATE_NONE, 0};
		if (h == HISTORY_TRANSFERRED)
			history[count++] = (struct status_event){
			    2, EVENT_TRANSFER, cert->issued_on, DATE_NONE, 0};
		history[count] = (struct status_event){STATUS_NEW_EVENT,
		    candidate->kind, candidate->effective_on,
		    candidate->deadline, candidate->target_id};
		if (status_validate(
		        &facts, history, count + 1, why, sizeof why) == 0)
			return 0;
	}
	return check_recorded_history(im, cert, candidate, col);
}

/*
 * Inserts the row's certificate (its facts checked by check_row()) held
 * by `holder`, succeeding `predecessor_id` when not 0, and its issue
 * event: *cert and *issue_id say what was written.
 */
static int
insert_cert(struct import *im, int level, int issued_on, long long holder,
    long long predecessor_id, struct cert *cert, long long *issue_id,
    enum column col)
{
	struct event_record e = {0};
	int rc;

	memset(cert, 0, sizeof *cert);
	cert->number = (char *)im->value[COL_NUMBER];
	cert->category = (char *)im->value[COL_CATEGORY];
	cert->level = level;
	cert->issued_on = issued_on;
	cert->valid_until = status_valid_until(issued_on);
	cert->holder_id = holder;
	cert->predecessor_id = predecessor_id;
	if (db_cert_insert(im->db, cert) != 0)
		return db_row_fail(im, col);
	set_history(im, cert->id, HISTORY_ISSUED);
	if (!im->had_certs) {
		if (cert->id > UINT32_MAX)
			return row_fail(im, col,
			    "more certificates than one import can add");
		keymap_add(&im->numbers, fingerprint(cert->number),
		    (uint32_t)cert->id);
	}
	row_event(im, &e, EVENT_ISSUE, cert->id, holder, issued_on);
	e.other_certificate_id = predecessor_id;
	rc = db_event_insert(im->db, &e);
	free(e.recorded_at);
	*issue_id = e.id;
	return rc == 0 ? 0 : db_row_fail(im, col);
}

/* Inserts an event; a refusal is blamed on `col`. */
static int
insert_event(struct import *im, struct event_record *e, enum column col)
{
	int rc = db_event_insert(im->db, e);

	free(e->recorded_at);
	e->recorded_at = NULL;
	return rc == 0 ? 0 : db_row_fail(im, col);
}

static void
add_link(struct import *im, long long predecessor, long long successor)
{
	if (im->link_count == im->link_cap) {
		im->link_cap = im->link_cap ? 2 * im->link_cap : 1024;
		im->links =
		    mem_realloc(im->links, im->link_cap * sizeof *im->links);
	}
	im->links[im->link_count].predecessor = predecessor;
	im->links[im->link_count].successor = successor;
	im->link_count++;
}

static int
link_order(const void *a, const void *b)
{
	const struct link *x = a, *y = b;

	return (x->predecessor > y->predecessor) -
	       (x->predecessor < y->predecessor);
}

/* Sets the successor of every predecessor the rows linked, in the order
 * of their ids (each page of certificates once). */
static int
set_successors(struct import *im)
{
	char why[600];

	if (im->link_count > 1) /* links is NULL when there are none */
		qsort(im->links, im->link_count, sizeof *im->links, link_order);
	for (size_t i = 0; i < im->link_count; i++)
		if (db_cert_set_successor(im->db, im->links[i].predecessor,
		        im->links[i].successor) != 0) {
			snprintf(why, sizeof why, "%s", db_error(im->db));
			return db_fail(im->db, "%s: linking successors: %s",
			    im->path, why);
		}
	return 0;
}

/*
 * A successor: renews or upgrades its predecessor, then moves it to this
 * row's holder if the holder changed since.  The writes, their order and
 * their checks are those of ops_record() for `renew` (or `upgrade`) and
 * `transfer`, so that the registry is the same as if each were recorded
 * on its own.
 */
static int
import_successor(struct import *im, int level, int issued_on, long long org_id)
{
	struct cert predecessor = {0}, successor;
	struct event_record e = {0};
	struct status_event history[2];
	long long issue_id;
	int rc = -1;

	switch (cert_by_number(im, im->value[COL_PREDECESSOR], &predecessor)) {
	case 0:
		break;
	case 1:
		row_fail(im, COL_PREDECESSOR,
		    "no certificate %s (a predecessor must come earlier in "
		    "the file or be in the registry)",
		    im->value[COL_PREDECESSOR]);
		goto done;
	default:
		goto done;
	}
	if (strcmp(predecessor.category, im->value[COL_CATEGORY]) != 0 ||
	    level < predecessor.level) {
		row_fail(im, COL_PREDECESSOR,
		    "%s is category %s level %d: a successor keeps the "
		    "category and does not go down a level",
		    predecessor.number, predecessor.category,
		    predecessor.level);
		goto done;
	}
	/* renew or upgrade, recorded on the predecessor */
	row_event(im, &e,
	    level > predecessor.level ? EVENT_UPGRADE : EVENT_RENEW,
	    predecessor.id, predecessor.holder_id, issued_on);
	if (check_reason(im, COL_PREDECESSOR) != 0 ||
	    check_known_history(im, &predecessor, &e, COL_PREDECESSOR) != 0)
		goto done;
	if (insert_cert(im, level, issued_on, predecessor.holder_id,
	        predecessor.id, &successor, &issue_id, COL_PREDECESSOR) != 0)
		goto done;
	e.other_certificate_id = successor.id;
	if (insert_event(im, &e, COL_PREDECESSOR) != 0)
		goto done;
	set_history(im, predecessor.id, HISTORY_SUCCEEDED);
	add_link(im, predecessor.id, successor.id);
	if (predecessor.holder_id != org_id) {
		/* transfer, recorded on the successor, whose one event so
		 * far is its issue */
		row_event(
		    im, &e, EVENT_TRANSFER, successor.id, org_id, issued_on);
		e.other_organisation_id = predecessor.holder_id;
		history[0].id = issue_id;
		history[0].kind = EVENT_ISSUE;
		history[0].effective_on = issued_on;
		history[0].deadline = DATE_NONE;
		history[0].target = 0;
		if (check_reason(im, COL_ORG) != 0 ||
		    check_history(im, &successor, history, 1, &e, COL_ORG) !=
		        0 ||
		    insert_event(im, &e, COL_ORG) != 0)
			goto done;
		set_history(im, successor.id, HISTORY_TRANSFERRED);
		successor.holder_id = org_id;
		if (db_cert_update(im->db, &successor) != 0) {
			db_row_fail(im, COL_ORG);
			goto done;
		}
	}
	rc = 0;
done:
	cert_clear(&predecessor);
	return rc;
}

static int
import_row(struct import *im, const struct row_ahead *ahead, long long *created)
{
	const char *number = im->value[COL_NUMBER];
	struct cert cert;
	long long org_id = 0, issue_id;
	int level = 0, issued_on = DATE_NONE;

	if (check_row(im, ahead, &level, &issued_on) != 0)
		return -1;
	switch (number_taken(im, number)) {
	case 0:
		break;
	case 1:
		return row_fail(
		    im, COL_NUMBER, "certificate %s already exists", number);
	default:
		return -1;
	}
	if (resolve_org(im, issued_on, &org_id, created) != 0)
		return -1;
	if (*im->value[COL_PREDECESSOR] != '\0')
		return import_successor(im, level, issued_on, org_id);
	if (check_reason(im, COL_NUMBER) != 0)
		return -1;
	return insert_cert(
	    im, level, issued_on, org_id, 0, &cert, &issue_id, COL_NUMBER);
}

/* The reading thread's own state: the header's columns. */
struct ahead_state {
	int header; /* 1: read, 0: not yet, -1: a fault (nothing passes) */
	int index[COLUMN_COUNT];
	size_t fields;
};

/* The csv_ahead prepare function of an import: runs in the reading
 * thread, on its own state and the record only. */
static void
prepare_row(void *arg, const struct csv_record *rec, void *out)
{
	struct ahead_state *st = arg;
	struct row_ahead ahead = {0, 0, 0, 0, 0};
	const char *value[COLUMN_COUNT];
	struct refusal r;
	size_t at;

	if (st->header == 0) {
		st->header =
		    header_map(rec, st->index, &st->fields, &at) == HEADER_OK
		        ? 1
		        : -1;
	} else if (st->header > 0 && rec->count == st->fields) {
		row_values(st->index, rec, value);
		ahead.number_fp = fingerprint(value[COL_NUMBER]);
		if (*value[COL_PREDECESSOR])
			ahead.predecessor_fp =
			    fingerprint(value[COL_PREDECESSOR]);
		ahead.passed =
		    check_facts(value, &ahead.level, &ahead.issued_on, &r) ==
		        0 &&
		    check_texts(value, ahead.level, ahead.issued_on, &r) == 0;
	}
	memcpy(out, &ahead, sizeof ahead);
}

/* Rows ahead of the one being imported whose slots in the map of
 * numbers are fetched early: a few rows' time is enough for the memory
 * to answer. */
#define PREFETCH_ROWS 8

/* Where the probe for `fp` in `map` starts (NULL: the map is empty or
 * `fp` is none). */
static const struct keymap_slot *
keymap_home_slot(const struct keymap *map, uint32_t fp)
{
	return map->size > 0 && fp != 0
	           ? &map->slots[keymap_home(map->size, fp)]
	           : NULL;
}

int
bulk_import(struct db *db, const char *path,
    const struct bulk_progress *progress, struct bulk_summary *summary)
{
	FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	int rc;

	memset(summary, 0, sizeof *summary);
	if (in == NULL)
		return db_fail(
		    db, "%s: cannot read: %s", path, strerror(errno));
	rc = bulk_import_stream(db, in, path, progress, summary);
	if (in != stdin)
		fclose(in);
	return rc;
}

/* The events' reason for the row on `line`: what snprintf() of "import
 * of %s line %ld" would write, without parsing the format each row. */
static void
set_reason(struct import *im, long line)
{
	char digits[24];
	size_t n = 0, at = im->reason_fixed;

	do
		digits[n++] = (char)('0' + line % 10);
	while ((line /= 10) > 0);
	while (n > 0 && at < sizeof im->reason - 1)
		im->reason[at++] = digits[--n];
	im->reason[at] = '\0';
}

int
bulk_import_stream(struct db *db, FILE *in, const char *path,
    const struct bulk_progress *progress, struct bulk_summary *summary)
{
	struct import im;
	struct csv_ahead *reader = NULL;
	struct ahead_state ahead_state = {0};
	struct csv_ahead_prepare prepare = {
	    prepare_row, &ahead_state, sizeof(struct row_ahead)};
	struct csv_record rec;
	const void *note;
	const struct row_ahead *next;
	double start;
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	long long count;
	int rc, n, ok = 0, header = 0, bulk = 0;

	memset(summary, 0, sizeof *summary);
	memset(&im, 0, sizeof im);
	im.db = db;
	im.path = path;
	start = clock_seconds();
	/* The first load: the registry has nothing yet that others could
	 * want to read meanwhile. */
	if (db_count(db, DB_CERTIFICATES, &count) != 0)
		goto close;
	if (count == 0 && (bulk = db_journal_bulk(db, 1)) < 0)
		goto close;
	/* Every key a row writes is one the import found or wrote itself. */
	if (db_foreign_keys(db, 0) != 0 || db_begin(db) != 0)
		goto close;
	if (db_count(db, DB_CERTIFICATES, &count) != 0)
		goto end;
	im.had_certs = count > 0;
	if (db_count(db, DB_ORGANISATIONS, &count) != 0)
		goto end;
	im.had_orgs = count > 0;
	if (db_exec(db, im.had_orgs ? IMPORT_CACHE : FIRST_LOAD_CACHE) != 0)
		goto end;
	if ((!im.had_certs &&
	        db_late_indexes(db, DB_SCHEMA_LATE_CERTIFICATES, 0) != 0) ||
	    (!im.had_orgs &&
	        db_late_indexes(db, DB_SCHEMA_LATE_ORGANISATIONS, 0) != 0))
		goto end;
	n = snprintf(im.reason, sizeof im.reason, "import of %s line ", base);
	im.reason_fixed = n < 0                           ? 0
	                  : (size_t)n >= sizeof im.reason ? sizeof im.reason - 1
	                                                  : (size_t)n;
	reader = csv_ahead_new(in, &prepare);
	while ((rc = csv_ahead_read(reader, &rec, &note)) == 1) {
		im.line = rec.line;
		if (!header) {
			if (read_header(&im, &rec) != 0)
				goto end;
			header = 1;
			continue;
		}
		if (rec.count != im.fields) {
			db_fail(db, "%s:%ld: expected %zu fields, found %zu",
			    path, rec.line, im.fields, rec.count);
			goto end;
		}
		row_values(im.index, &rec, im.value);
		set_reason(&im, rec.line);
		/* A first load looks up every row's number, and a
		 * successor's predecessor, in a map too large for the
		 * processor's caches, at random: their slots for a row a few
		 * places ahead are fetched while this one is imported (the
		 * prefetch is written here, not in a function of its own,
		 * which the compiler would find has no effect and drop). */
		if (!im.had_certs &&
		    (next = csv_ahead_peek(reader, PREFETCH_ROWS)) != NULL) {
			const struct keymap_slot *slot;
			if ((slot = keymap_home_slot(
			         &im.numbers, next->number_fp)) != NULL)
				__builtin_prefetch(slot);
			if ((slot = keymap_home_slot(
			         &im.numbers, next->predecessor_fp)) != NULL)
				__builtin_prefetch(slot);
		}
		if (import_row(&im, note, &summary->organisations) != 0)
			goto end;
		summary->certificates++;
		if (progress &&
		    summary->certificates % BULK_PROGRESS_EVERY == 0)
			progress->report(progress->arg, summary->certificates,
			    clock_seconds() - start);
	}
	if (rc < 0) {
		db_fail(db, "%s:%ld: %s", path, csv_ahead_error_line(reader),
		    csv_ahead_error(reader));
		goto end;
	}
	if (!header) {
		db_fail(db, "%s: empty file: expected a header line", path);
		goto end;
	}
	if (set_successors(&im) != 0)
		goto end;
	if ((!im.had_certs || !im.had_orgs) &&
	    (db_exec(db, INDEX_CACHE) != 0 ||
	        (!im.had_certs &&
	            db_late_indexes(db, DB_SCHEMA_LATE_CERTIFICATES, 1) != 0) ||
	        (!im.had_orgs && db_late_indexes(db,
	                             DB_SCHEMA_LATE_ORGANISATIONS, 1) != 0))) {
		char why[600];
		snprintf(why, sizeof why, "%s", db_error(db));
		db_fail(db, "%s: building indexes: %s", path, why);
		goto end;
	}
	ok = 1;
end:
	if (db_end(db, ok) != 0)
		ok = 0;
close:
	if (bulk > 0)
		db_journal_bulk(db, 0);
	db_foreign_keys(db, 1);
	db_restore_cache(db);
	csv_ahead_free(reader);
	org_clear(&im.last);
	free(im.numbers.slots);
	free(im.codes.slots);
	free(im.names.slots);
	free(im.org_ids);
	free(im.links);
	free(im.histories);
	summary->seconds = clock_seconds() - start;
	if (!ok) {
		summary->certificates = 0;
		summary->organisations = 0;
	}
	return ok ? 0 : -1;
}

/* ---- export ---- */

struct export
{
	struct db *db;
	FILE *out;
	int day; /* NDJSON: the statuses' date */
};

static int
csv_row(void *arg, const struct db_cert_row *row)
{
	struct export *ex = arg;
	char level[16], holder[24], d1[DATE_BUFSIZE], d2[DATE_BUFSIZE];
	const char *fields[COLUMN_COUNT] = {
	    [COL_NUMBER] = row->number,
	    [COL_CATEGORY] = row->category,
	    [COL_LEVEL] = level,
	    [COL_ISSUED_ON] = date_format(row->issued_on, d1),
	    [COL_VALID_UNTIL] = date_format(row->valid_until, d2),
	    [COL_ORG_ID] = holder,
	    [COL_ORG] = row->holder_name,
	    [COL_CREDIT_CODE] = row->credit_code,
	    [COL_ADDRESS] = row->address,
	    [COL_PREDECESSOR] = row->predecessor,
	};

	snprintf(level, sizeof level, "%d", row->level);
	snprintf(holder, sizeof holder, "%lld", row->holder_id);
	for (int c = 0; c < COLUMN_COUNT; c++)
		csv_write_field(ex->out, fields[c], c == COLUMN_COUNT - 1);
	return 0;
}

int
bulk_export_csv(struct db *db, FILE *out)
{
	struct export ex = {db, out, DATE_NONE};
	int rc;

	for (int c = 0; c < COLUMN_COUNT; c++)
		csv_write_field(out, COLUMN_NAMES[c], c == COLUMN_COUNT - 1);
	if (db_begin_read(db) != 0)
		return -1;
	rc = db_scan_certs(db, csv_row, &ex);
	if (db_end(db, rc == 0) != 0 || rc != 0)
		return db_fail(db, "export: %s", db_error(db));
	return 0;
}

static json_t *
json_date(int date)
{
	char buf[DATE_BUFSIZE];
	return date == DATE_NONE ? json_null()
	                         : json_string(date_format(date, buf));
}

static json_t *
json_text(const char *text)
{
	json_t *value = text ? json_string(text) : NULL;
	return value ? value : json_null();
}

static json_t *
json_window(const struct status_window *w)
{
	return json_pack("{s:o, s:o, s:s, s:o}", "start", json_date(w->start),
	    "end", json_date(w->end), "state",
	    status_window_state_name(w->state), "done_on",
	    json_date(w->done_on));
}

static json_t *
json_flags(unsigned flags)
{
	json_t *list = json_array();

	for (unsigned bit = 1; bit <= STATUS_FLAG_LAST; bit <<= 1)
		if (flags & bit)
			json_array_append_new(
			    list, json_string(status_flag_name(bit)));
	return list;
}

static int
ndjson_row(void *arg, const struct db_cert_row *row)
{
	struct export *ex = arg;
	struct status_facts facts = {row->issued_on, row->valid_until};
	struct status st;
	json_t *obj;
	char *line;

	status_on(&facts, row->events, row->event_count, ex->day, &st);
	obj = json_pack(
	    "{s:o, s:o, s:i, s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:o, "
	    "s:{s:I, s:o, s:o, s:o}, s:o, s:o, s:o, s:o}",
	    "number", json_text(row->number), "category",
	    json_text(row->category), "level", row->level, "issued_on",
	    json_date(row->issued_on), "valid_until",
	    json_date(row->valid_until), "status", status_name(st.status),
	    "status_since", json_date(st.since), "flags", json_flags(st.flags),
	    "warning_until", json_date(st.warning_until),
	    "rectification_deadline", json_date(st.rectification_deadline),
	    "as_of", json_date(ex->day), "organisation", "id",
	    (json_int_t)row->holder_id, "name", json_text(row->holder_name),
	    "credit_code", json_text(row->credit_code), "address",
	    json_text(row->address), "predecessor", json_text(row->predecessor),
	    "annual_check_1", json_window(&st.annual[0]), "annual_check_2",
	    json_window(&st.annual[1]), "renewal", json_window(&st.renewal));
	if (obj == NULL)
		return db_fail(
		    ex->db, "cannot encode certificate %s", row->number);
	line = json_dumps(obj, JSON_COMPACT);
	json_decref(obj);
	fprintf(ex->out, "%s\n", line);
	free(line);
	return 0;
}

int
bulk_export_ndjson(struct db *db, int day, FILE *out)
{
	struct export ex = {db, out, day};
	int rc;

	if (db_begin_read(db) != 0)
		return -1;
	rc = db_scan_certs(db, ndjson_row, &ex);
	if (db_end(db, rc == 0) != 0 || rc != 0)
		return db_fail(db, "export: %s", db_error(db));
	return 0;
}
