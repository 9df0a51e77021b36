/*
 * Whole-registry scans (see db_scan.h).  Certificates and their events are
 * two statements stepped side by side, both in certificate order, so a
 * million certificates take two passes over the disk rather than a
 * million lookups.
 */
#include "registry/record/db_scan.h"

#include <stdlib.h>

#include "registry/base/mem.h"
#include "registry/record/db_stmt.h"

/* Runs `sql`, calling row() on each row until it returns -1; see
 * db_scan.h. */
static int
scan(struct db *db, const char *sql, const char *what,
    int (*row)(sqlite3_stmt *stmt, void *ctx), void *ctx)
{
	sqlite3_stmt *stmt = db_stmt_prepare(db, sql);
	int rc;

	if (stmt == NULL)
		return -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		if (row(stmt, ctx) != 0) {
			db_stmt_release(stmt);
			return -1;
		}
	if (rc != SQLITE_DONE)
		db_stmt_fail(db, what);
	db_stmt_release(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

struct category_scan {
	int (*fn)(void *arg, const struct db_category_row *row);
	void *arg;
};

static int
category_row(sqlite3_stmt *stmt, void *ctx)
{
	struct category_scan *scan = ctx;
	struct db_category_row row = {
	    .code = db_stmt_text(stmt, 0),
	    .position = sqlite3_column_int(stmt, 1),
	    .name_zh = db_stmt_text(stmt, 2),
	    .name_en = db_stmt_text(stmt, 3),
	};
	return scan->fn(scan->arg, &row);
}

int
db_scan_categories(struct db *db,
    int (*fn)(void *arg, const struct db_category_row *row), void *arg)
{
	struct category_scan ctx = {fn, arg};

	return scan(db,
	    "SELECT code, position, name_zh, name_en FROM categories "
	    "ORDER BY code",
	    "reading categories", category_row, &ctx);
}

struct level_scan {
	int (*fn)(void *arg, const struct db_level_row *row);
	void *arg;
};

static int
level_row(sqlite3_stmt *stmt, void *ctx)
{
	struct level_scan *scan = ctx;
	struct db_level_row row = {
	    .level = sqlite3_column_int(stmt, 0),
	    .name_zh = db_stmt_text(stmt, 1),
	    .name_en = db_stmt_text(stmt, 2),
	};
	return scan->fn(scan->arg, &row);
}

int
db_scan_levels(struct db *db,
    int (*fn)(void *arg, const struct db_level_row *row), void *arg)
{
	struct level_scan ctx = {fn, arg};

	return scan(db,
	    "SELECT level, name_zh, name_en FROM levels ORDER BY level",
	    "reading levels", level_row, &ctx);
}

struct org_scan {
	int (*fn)(void *arg, const struct db_org_row *row);
	void *arg;
};

static int
org_row(sqlite3_stmt *stmt, void *ctx)
{
	struct org_scan *scan = ctx;
	struct db_org_row row = {
	    .id = sqlite3_column_int64(stmt, 0),
	    .name = db_stmt_text(stmt, 1),
	    .credit_code = db_stmt_text(stmt, 2),
	    .address = db_stmt_text(stmt, 3),
	    .certificate_count = sqlite3_column_int64(stmt, 4),
	    .name_en = db_stmt_text(stmt, 5),
	};
	return scan->fn(scan->arg, &row);
}

int
db_scan_orgs(struct db *db, int (*fn)(void *arg, const struct db_org_row *row),
    void *arg)
{
	struct org_scan ctx = {fn, arg};

	return scan(db,
	    "SELECT o.id, o.name, o.credit_code, o.address, "
	    "(SELECT count(*) FROM certificates c WHERE c.holder_id = o.id), "
	    "o.name_en FROM organisations o ORDER BY o.id",
	    "reading organisations", org_row, &ctx);
}

struct event_scan {
	int (*fn)(void *arg, const struct db_event_row *row);
	void *arg;
};

static int
event_row(sqlite3_stmt *stmt, void *ctx)
{
	struct event_scan *scan = ctx;
	struct db_event_row row = {
	    .id = sqlite3_column_int64(stmt, 0),
	    .kind = event_kind_of(db_stmt_text(stmt, 1)),
	    .certificate_id = sqlite3_column_int64(stmt, 2),
	    .number = db_stmt_text(stmt, 3),
	    .organisation_id = sqlite3_column_int64(stmt, 4),
	    .effective_on = db_stmt_date(stmt, 5),
	    .recorded_at = db_stmt_text(stmt, 6),
	    .reason = db_stmt_text(stmt, 7),
	    .reference = db_stmt_text(stmt, 8),
	    .deadline = db_stmt_date(stmt, 9),
	    .target_id = sqlite3_column_int64(stmt, 10),
	    .old_value = db_stmt_text(stmt, 11),
	    .new_value = db_stmt_text(stmt, 12),
	    .other_organisation_id = sqlite3_column_int64(stmt, 13),
	    .other_number = db_stmt_text(stmt, 14),
	    .other_certificate_id = sqlite3_column_int64(stmt, 15),
	    .new_value_is_name = sqlite3_column_int(stmt, 16),
	};
	return scan->fn(scan->arg, &row);
}

int
db_scan_events(struct db *db,
    int (*fn)(void *arg, const struct db_event_row *row), void *arg)
{
	struct event_scan ctx = {fn, arg};

	return scan(db,
	    "SELECT e.id, e.kind, e.certificate_id, c.number, "
	    "e.organisation_id, e.effective_on, e.recorded_at, e.reason, "
	    "e.reference, e.deadline, e.target_id, e.old_value, e.new_value, "
	    "e.other_organisation_id, oc.number, e.other_certificate_id, "
	    "CASE WHEN e.kind = 'org-add' THEN e.new_value = "
	    "(SELECT name FROM organisations WHERE id = e.organisation_id) "
	    "END FROM events e "
	    "LEFT JOIN certificates c ON c.id = e.certificate_id "
	    "LEFT JOIN certificates oc ON oc.id = e.other_certificate_id "
	    "ORDER BY e.id",
	    "reading events", event_row, &ctx);
}

struct number_scan {
	int (*fn)(void *arg, long long id, const char *number);
	void *arg;
};

static int
number_row(sqlite3_stmt *stmt, void *ctx)
{
	struct number_scan *scan = ctx;

	return scan->fn(
	    scan->arg, sqlite3_column_int64(stmt, 0), db_stmt_text(stmt, 1));
}

int
db_scan_numbers(struct db *db,
    int (*fn)(void *arg, long long id, const char *number), void *arg)
{
	struct number_scan ctx = {fn, arg};

	/* The numbers' unique index holds both: no sort. */
	return scan(db, "SELECT id, number FROM certificates ORDER BY number",
	    "reading certificates", number_row, &ctx);
}

/* ---- certificates with their events ---- */

#define CERT_SQL                                                               \
	"SELECT c.id, c.number, c.category, c.level, c.issued_on, "            \
	"c.valid_until, c.holder_id, o.name, o.credit_code, o.address, "       \
	"p.number, s.number, c.predecessor_id, c.successor_id "                \
	"FROM certificates c JOIN organisations o ON o.id = c.holder_id "      \
	"LEFT JOIN certificates p ON p.id = c.predecessor_id "                 \
	"LEFT JOIN certificates s ON s.id = c.successor_id ORDER BY c.id"

/* The same without the holder's name, code and address, and the links'
 * numbers. */
#define CERT_FACTS_SQL                                                         \
	"SELECT id, number, category, level, issued_on, valid_until, "         \
	"holder_id, NULL, NULL, NULL, NULL, NULL, predecessor_id, "            \
	"successor_id FROM certificates ORDER BY id"

#define CERT_EVENTS_SQL                                                        \
	"SELECT certificate_id, id, kind, effective_on, deadline, target_id "  \
	"FROM events WHERE certificate_id IS NOT NULL "                        \
	"ORDER BY certificate_id, id"

struct cert_scan {
	struct db *db;
	int (*fn)(void *arg, const struct db_cert_row *row);
	void *arg;
	sqlite3_stmt *events; /* on the next certificate's first event */
	int at;               /* the last step of `events` */
	struct status_event *history;
	size_t cap;
};

/* Steps the events statement; 0, or -1 with db_error(). */
static int
next_event(struct cert_scan *scan)
{
	scan->at = sqlite3_step(scan->events);
	if (scan->at == SQLITE_ROW || scan->at == SQLITE_DONE)
		return 0;
	return db_stmt_fail(scan->db, "reading events");
}

/* The events of certificate `id` into scan->history; how many, or -1. */
static long
gather_events(struct cert_scan *scan, long long id)
{
	sqlite3_stmt *ev = scan->events;
	size_t n = 0;

	while (scan->at == SQLITE_ROW && sqlite3_column_int64(ev, 0) < id)
		if (next_event(scan) != 0)
			return -1;
	while (scan->at == SQLITE_ROW && sqlite3_column_int64(ev, 0) == id) {
		if (n == scan->cap)
			scan->history = mem_realloc(scan->history,
			    (scan->cap *= 2) * sizeof *scan->history);
		scan->history[n++] = (struct status_event){
		    .id = sqlite3_column_int64(ev, 1),
		    .kind = event_kind_of(db_stmt_text(ev, 2)),
		    .effective_on = db_stmt_date(ev, 3),
		    .deadline = db_stmt_date(ev, 4),
		    .target = sqlite3_column_int64(ev, 5),
		};
		if (next_event(scan) != 0)
			return -1;
	}
	return (long)n;
}

static int
cert_row(sqlite3_stmt *stmt, void *ctx)
{
	struct cert_scan *scan = ctx;
	long long id = sqlite3_column_int64(stmt, 0);
	long n = gather_events(scan, id);
	struct db_cert_row row = {
	    .id = id,
	    .number = db_stmt_text(stmt, 1),
	    .category = db_stmt_text(stmt, 2),
	    .level = sqlite3_column_int(stmt, 3),
	    .issued_on = db_stmt_date(stmt, 4),
	    .valid_until = db_stmt_date(stmt, 5),
	    .holder_id = sqlite3_column_int64(stmt, 6),
	    .holder_name = db_stmt_text(stmt, 7),
	    .credit_code = db_stmt_text(stmt, 8),
	    .address = db_stmt_text(stmt, 9),
	    .predecessor = db_stmt_text(stmt, 10),
	    .successor = db_stmt_text(stmt, 11),
	    .predecessor_id = sqlite3_column_int64(stmt, 12),
	    .successor_id = sqlite3_column_int64(stmt, 13),
	    .events = scan->history,
	    .event_count = n < 0 ? 0 : (size_t)n,
	};

	if (n < 0)
		return -1;
	return scan->fn(scan->arg, &row);
}

static int
scan_certs(struct db *db, const char *sql,
    int (*fn)(void *arg, const struct db_cert_row *row), void *arg)
{
	struct cert_scan ctx = {db, fn, arg, NULL, SQLITE_DONE, NULL, 16};
	int rc = -1;

	/* Two cached statements at once: the events one stays stepped
	 * while scan() runs the certificates. */
	ctx.events = db_stmt_prepare(db, CERT_EVENTS_SQL);
	if (ctx.events == NULL || next_event(&ctx) != 0)
		goto done;
	ctx.history = mem_alloc(ctx.cap * sizeof *ctx.history);
	rc = scan(db, sql, "reading certificates", cert_row, &ctx);
done:
	if (ctx.events != NULL)
		db_stmt_release(ctx.events);
	free(ctx.history);
	return rc;
}

int
db_scan_certs(struct db *db,
    int (*fn)(void *arg, const struct db_cert_row *row), void *arg)
{
	return scan_certs(db, CERT_SQL, fn, arg);
}

int
db_scan_cert_facts(struct db *db,
    int (*fn)(void *arg, const struct db_cert_row *row), void *arg)
{
	return scan_certs(db, CERT_FACTS_SQL, fn, arg);
}
