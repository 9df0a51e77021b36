/*
 * The snapshot's reads (see snapshot.h): every query readers run,
 * prepared once per connection and kept, with the row decoders beside
 * the column lists they decode.  The tables are described in schema.h.
 */
#include "registry/snapshot/snapshot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/base/mem.h"
#include "registry/snapshot/connection.h"

enum row_kind { ROW_CERT, ROW_EVENT, ROW_ORG, ROW_FORMER, ROW_MATCH, ROW_ANY };

/* The reads, one prepared statement each. */
enum query {
	Q_CERT,                /* ?1 number */
	Q_CERTS,               /* ?1 after number */
	Q_CERTS_BY_STATUS,     /* ?1 status, ?2 after */
	Q_CERTS_BY_LEVEL,      /* ?1 level, ?2 after */
	Q_CERTS_BY_CATEGORY,   /* ?1 category, ?2 after */
	Q_CERTS_BY_CODE,       /* ?1 credit code */
	Q_CERTS_BETWEEN,       /* ?1 after, ?2 below */
	Q_CERTS_OF_ORG,        /* ?1 organisation, by number */
	Q_CERTS_OF_ORG_BY_ID,  /* ?1 organisation */
	Q_CERTS_OF_ORG_BY_DAY, /* ?1 organisation */
	Q_STATUS_EVENTS,       /* ?1 number: what status_on() needs */
	Q_HISTORY,             /* ?1 number */
	Q_EVENTS_AFTER,        /* ?1 seq */
	Q_EVENTS_BEFORE,       /* ?1 seq */
	Q_ORG_EVENTS,          /* ?1 organisation */
	Q_ORG,                 /* ?1 id */
	Q_ORGS,                /* ?1 after id, ?2 limit */
	Q_FORMER,              /* ?1 organisation, by event */
	Q_FORMER_BY_DAY,       /* ?1 organisation */
	Q_SEARCH_PHRASE,       /* ?1 phrase, ?2 after, ?3 last, ?4 limit */
	Q_SEARCH_NAMES,        /* ?1 text, ?2-?4 as above, ?5 ignore case */
	Q_SEARCH_FORMER,       /* the same over former names */
	Q_PING,
	Q_COUNT
};

_Static_assert(Q_COUNT == SNAPSHOT_QUERIES, "connection.h counts the queries");

/* The columns decode_cert() reads, in its order. */
#define CERT_COLUMNS                                                           \
	"id, number, category, level, issued_on, valid_until, "                \
	"organisation_id, organisation_name, credit_code, predecessor, "       \
	"successor, status, status_since, flags, warning_until, "              \
	"rectification_deadline, "                                             \
	"annual1_start, annual1_end, annual1_state, annual1_done_on, "         \
	"annual2_start, annual2_end, annual2_state, annual2_done_on, "         \
	"renewal_start, renewal_end, renewal_state, renewal_done_on"
#define CERT_FIRST_WINDOW 16 /* annual1_start; each window 4 columns */

/* The columns decode_event() reads, in its order. */
#define EVENT_COLUMNS                                                          \
	"seq, kind, certificate_id, number, organisation_id, effective_on, "   \
	"recorded_at, reason, reference, deadline, target_seq, old_value, "    \
	"new_value, other_organisation_id, other_number, voided_by"

#define ORG_COLUMNS "id, name, credit_code, address, certificate_count, name_en"
#define FORMER_COLUMNS "organisation_id, event_id, name, until"

#define CERTS "SELECT " CERT_COLUMNS " FROM certificates "
#define EVENTS "SELECT " EVENT_COLUMNS " FROM events "
#define ORGS "SELECT " ORG_COLUMNS " FROM organisations "
#define FORMER "SELECT " FORMER_COLUMNS " FROM former_names "

static const struct {
	enum row_kind kind;
	const char *sql;
} QUERIES[Q_COUNT] = {
    [Q_CERT] = {ROW_CERT, CERTS "WHERE number = ?1"},
    [Q_CERTS] = {ROW_CERT, CERTS "WHERE number > ?1 ORDER BY number"},
    [Q_CERTS_BY_STATUS] = {ROW_CERT,
        CERTS "WHERE status = ?1 AND number > ?2 ORDER BY number"},
    [Q_CERTS_BY_LEVEL] = {ROW_CERT,
        CERTS "WHERE level = ?1 AND number > ?2 ORDER BY number"},
    [Q_CERTS_BY_CATEGORY] = {ROW_CERT,
        CERTS "WHERE category = ?1 AND number > ?2 ORDER BY number"},
    [Q_CERTS_BY_CODE] = {ROW_CERT,
        CERTS "WHERE credit_code = ?1 ORDER BY number"},
    [Q_CERTS_BETWEEN] = {ROW_CERT,
        CERTS "WHERE number > ?1 AND number < ?2 ORDER BY number"},
    [Q_CERTS_OF_ORG] = {ROW_CERT,
        CERTS "WHERE organisation_id = ?1 ORDER BY number"},
    [Q_CERTS_OF_ORG_BY_ID] = {ROW_CERT,
        CERTS "WHERE organisation_id = ?1 ORDER BY id"},
    [Q_CERTS_OF_ORG_BY_DAY] = {ROW_CERT,
        CERTS "WHERE organisation_id = ?1 ORDER BY issued_on, number"},
    [Q_STATUS_EVENTS] = {ROW_ANY,
        "SELECT seq, kind, effective_on, deadline, target_seq FROM events "
        "WHERE number = ?1 ORDER BY effective_on, seq"},
    [Q_HISTORY] = {ROW_EVENT,
        EVENTS "WHERE number = ?1 ORDER BY effective_on, seq"},
    [Q_EVENTS_AFTER] = {ROW_EVENT, EVENTS "WHERE seq > ?1 ORDER BY seq"},
    [Q_EVENTS_BEFORE] = {ROW_EVENT, EVENTS "WHERE seq < ?1 ORDER BY seq DESC"},
    [Q_ORG_EVENTS] = {ROW_EVENT,
        EVENTS "WHERE organisation_id = ?1 ORDER BY seq DESC"},
    [Q_ORG] = {ROW_ORG, ORGS "WHERE id = ?1"},
    [Q_ORGS] = {ROW_ORG, ORGS "WHERE id > ?1 ORDER BY id LIMIT ?2"},
    [Q_FORMER] = {ROW_FORMER,
        FORMER "WHERE organisation_id = ?1 ORDER BY event_id"},
    [Q_FORMER_BY_DAY] = {ROW_FORMER,
        FORMER "WHERE organisation_id = ?1 ORDER BY until, event_id"},
    /* The FTS index drives; organisations is probed by rowid. */
    [Q_SEARCH_PHRASE] = {ROW_MATCH,
        "SELECT o.id, o.name FROM organisation_search s "
        "JOIN organisations o ON o.id = s.rowid "
        "WHERE organisation_search MATCH ?1 AND s.rowid > ?2 "
        "AND s.rowid <= ?3 ORDER BY s.rowid LIMIT ?4"},
    /* One or two characters: the trigram index cannot help, so the
     * names are scanned in id order over an id range the caller keeps
     * short, each scan stopping at its limit. */
    [Q_SEARCH_NAMES] = {ROW_MATCH,
        "SELECT id, name FROM organisations WHERE id > ?2 AND id <= ?3 "
        "AND (instr(name, ?1) > 0 OR (?5 AND instr(lower(name), ?1) > 0)) "
        "ORDER BY id LIMIT ?4"},
    [Q_SEARCH_FORMER] = {ROW_MATCH,
        "SELECT DISTINCT f.organisation_id, o.name FROM former_names f "
        "JOIN organisations o ON o.id = f.organisation_id "
        "WHERE f.organisation_id > ?2 AND f.organisation_id <= ?3 "
        "AND (instr(f.name, ?1) > 0 OR (?5 AND instr(lower(f.name), ?1) > "
        "0)) ORDER BY f.organisation_id LIMIT ?4"},
    [Q_PING] = {ROW_ANY, "SELECT count(*) FROM meta"},
};

/* ---- reads ---- */

/* Read `q`, reset, its statement prepared on first use; NULL (with
 * s->error) when SQLite refuses the query. */
static struct snapshot_rows *
start(struct snapshot *s, enum query q)
{
	struct snapshot_rows *rows = &s->rows[q];

	if (rows->stmt == NULL) {
		if (sqlite3_prepare_v3(s->db, QUERIES[q].sql, -1,
		        SQLITE_PREPARE_PERSISTENT, &rows->stmt,
		        NULL) != SQLITE_OK) {
			snapshot_failed(s);
			return NULL;
		}
	} else {
		sqlite3_reset(rows->stmt);
		sqlite3_clear_bindings(rows->stmt);
	}
	return rows;
}

/* Binding results: `rc` (OR-ed SQLite codes) other than SQLITE_OK makes
 * the read fail, so a read never runs with a parameter missing. */
static struct snapshot_rows *
bound(struct snapshot_rows *rows, int rc)
{
	if (rows == NULL)
		return NULL;
	if (rc != SQLITE_OK) {
		snapshot_failed(rows->snapshot);
		sqlite3_reset(rows->stmt);
		return NULL;
	}
	return rows;
}

static int
bind_text(struct snapshot_rows *rows, int i, const char *value)
{
	return sqlite3_bind_text(rows->stmt, i, value, -1, SQLITE_TRANSIENT);
}

/* A read with one text parameter. */
static struct snapshot_rows *
by_text(struct snapshot *s, enum query q, const char *value)
{
	struct snapshot_rows *rows = start(s, q);
	return rows ? bound(rows, bind_text(rows, 1, value)) : NULL;
}

/* A read with one integer parameter. */
static struct snapshot_rows *
by_int(struct snapshot *s, enum query q, long long value)
{
	struct snapshot_rows *rows = start(s, q);
	return rows ? bound(rows, sqlite3_bind_int64(rows->stmt, 1, value))
	            : NULL;
}

/* Steps a read of kind `kind`: 1 with a row, 0 at the end, -1 on an
 * error (kept for snapshot_error()). */
static int
step(struct snapshot_rows *rows, enum row_kind kind)
{
	int rc;

	if (rows == NULL)
		return -1;
	if (QUERIES[rows - rows->snapshot->rows].kind != kind &&
	    kind != ROW_ANY) {
		snprintf(rows->snapshot->error, sizeof rows->snapshot->error,
		    "a read of one kind of row taken for another");
		return -1;
	}
	rc = sqlite3_step(rows->stmt);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return snapshot_failed(rows->snapshot);
}

void
snapshot_rows_done(struct snapshot_rows *rows)
{
	if (rows != NULL && rows->stmt != NULL)
		sqlite3_reset(rows->stmt);
}

int
snapshot_ping(struct snapshot *s)
{
	struct snapshot_rows *rows = start(s, Q_PING);
	int rc = step(rows, ROW_ANY);

	snapshot_rows_done(rows);
	return rc == 1;
}

/* ---- certificates ---- */

struct snapshot_rows *
snapshot_cert(struct snapshot *s, const char *number)
{
	return by_text(s, Q_CERT, number);
}

struct snapshot_rows *
snapshot_certs(struct snapshot *s, const char *after)
{
	return by_text(s, Q_CERTS, after);
}

/* A list read: the filter value bound by the caller, then `after`. */
static struct snapshot_rows *
after_filter(struct snapshot_rows *rows, int rc, const char *after)
{
	if (rows == NULL)
		return NULL;
	return bound(rows, rc | bind_text(rows, 2, after));
}

struct snapshot_rows *
snapshot_certs_by_status(
    struct snapshot *s, enum cert_status status, const char *after)
{
	struct snapshot_rows *rows = start(s, Q_CERTS_BY_STATUS);
	return rows ? after_filter(
	                  rows, bind_text(rows, 1, status_name(status)), after)
	            : NULL;
}

struct snapshot_rows *
snapshot_certs_by_level(struct snapshot *s, int level, const char *after)
{
	struct snapshot_rows *rows = start(s, Q_CERTS_BY_LEVEL);
	return rows ? after_filter(
	                  rows, sqlite3_bind_int(rows->stmt, 1, level), after)
	            : NULL;
}

struct snapshot_rows *
snapshot_certs_by_category(
    struct snapshot *s, const char *category, const char *after)
{
	struct snapshot_rows *rows = start(s, Q_CERTS_BY_CATEGORY);
	return rows ? after_filter(rows, bind_text(rows, 1, category), after)
	            : NULL;
}

struct snapshot_rows *
snapshot_certs_by_credit_code(struct snapshot *s, const char *code)
{
	return by_text(s, Q_CERTS_BY_CODE, code);
}

struct snapshot_rows *
snapshot_certs_between(struct snapshot *s, const char *after, const char *below)
{
	struct snapshot_rows *rows = start(s, Q_CERTS_BETWEEN);
	return rows ? bound(rows,
	                  bind_text(rows, 1, after) | bind_text(rows, 2, below))
	            : NULL;
}

struct snapshot_rows *
snapshot_certs_of_org(
    struct snapshot *s, long long org, enum snapshot_order order)
{
	return by_int(s,
	    order == SNAPSHOT_BY_ID     ? Q_CERTS_OF_ORG_BY_ID
	    : order == SNAPSHOT_BY_DATE ? Q_CERTS_OF_ORG_BY_DAY
	                                : Q_CERTS_OF_ORG,
	    org);
}

/* Four columns from `col`: start, end, state, done_on. */
static void
decode_window(sqlite3_stmt *stmt, int col, struct status_window *w)
{
	int state =
	    snapshot_text(stmt, col + 2)
	        ? status_window_state_parse(snapshot_text(stmt, col + 2))
	        : -1;

	w->start = date_parse_or_none(snapshot_text(stmt, col));
	w->end = date_parse_or_none(snapshot_text(stmt, col + 1));
	w->state = state < 0 ? WINDOW_UPCOMING : (enum window_state)state;
	w->done_on = date_parse_or_none(snapshot_text(stmt, col + 3));
}

/* The stored status columns (11 to 27 of CERT_COLUMNS). */
static void
decode_status(sqlite3_stmt *stmt, struct status *st)
{
	int status = status_parse(
	    snapshot_text(stmt, 11) ? snapshot_text(stmt, 11) : "");

	memset(st, 0, sizeof *st);
	st->status = status < 0 ? STATUS_VALID : (enum cert_status)status;
	st->since = date_parse_or_none(snapshot_text(stmt, 12));
	st->flags = status_flags_parse(snapshot_text(stmt, 13));
	st->warning_until = date_parse_or_none(snapshot_text(stmt, 14));
	st->rectification_deadline =
	    date_parse_or_none(snapshot_text(stmt, 15));
	decode_window(stmt, CERT_FIRST_WINDOW, &st->annual[0]);
	decode_window(stmt, CERT_FIRST_WINDOW + 4, &st->annual[1]);
	decode_window(stmt, CERT_FIRST_WINDOW + 8, &st->renewal);
	st->valid_until = date_parse_or_none(snapshot_text(stmt, 5));
}

int
snapshot_next_cert(struct snapshot_rows *rows, struct snapshot_cert *out)
{
	sqlite3_stmt *stmt;
	int rc = step(rows, ROW_CERT);

	if (rc != 1)
		return rc;
	stmt = rows->stmt;
	out->id = sqlite3_column_int64(stmt, 0);
	out->number = snapshot_text(stmt, 1);
	out->category = snapshot_text(stmt, 2);
	out->level = sqlite3_column_int(stmt, 3);
	out->issued_on = date_parse_or_none(snapshot_text(stmt, 4));
	out->valid_until = date_parse_or_none(snapshot_text(stmt, 5));
	out->organisation_id = sqlite3_column_int64(stmt, 6);
	out->organisation_name = snapshot_text(stmt, 7);
	out->credit_code = snapshot_text(stmt, 8);
	out->predecessor = snapshot_text(stmt, 9);
	out->successor = snapshot_text(stmt, 10);
	decode_status(stmt, &out->status);
	if (out->number == NULL || out->category == NULL) {
		snprintf(rows->snapshot->error, sizeof rows->snapshot->error,
		    "a certificate without a number or category");
		return -1;
	}
	return 1;
}

int
snapshot_cert_status_from_events(struct snapshot *s,
    const struct snapshot_cert *cert, int day, struct status *out)
{
	struct status_event local[16], *events = local;
	struct status_facts facts = {cert->issued_on, cert->valid_until};
	struct snapshot_rows *rows = by_text(s, Q_STATUS_EVENTS, cert->number);
	size_t count = 0, cap = 16;
	int rc;

	while ((rc = step(rows, ROW_ANY)) == 1) {
		sqlite3_stmt *stmt = rows->stmt;
		if (count == cap) {
			struct status_event *more =
			    mem_alloc(2 * cap * sizeof *more);
			memcpy(more, events, count * sizeof *more);
			if (events != local)
				free(events);
			events = more;
			cap *= 2;
		}
		events[count++] = (struct status_event){
		    .id = sqlite3_column_int64(stmt, 0),
		    .kind = event_kind_of(snapshot_text(stmt, 1)),
		    .effective_on = date_parse_or_none(snapshot_text(stmt, 2)),
		    .deadline = date_parse_or_none(snapshot_text(stmt, 3)),
		    .target = sqlite3_column_int64(stmt, 4),
		};
	}
	snapshot_rows_done(rows);
	if (rc == 0)
		status_on(&facts, events, count, day, out);
	if (events != local)
		free(events);
	return rc == 0 ? 0 : -1;
}

int
snapshot_cert_status(struct snapshot *s, const struct snapshot_cert *cert,
    int day, struct status *out)
{
	if (day == s->meta.as_of) {
		*out = cert->status;
		return 0;
	}
	return snapshot_cert_status_from_events(s, cert, day, out);
}

/* ---- events ---- */

struct snapshot_rows *
snapshot_history(struct snapshot *s, const char *number)
{
	return by_text(s, Q_HISTORY, number);
}

struct snapshot_rows *
snapshot_events_after(struct snapshot *s, long long seq)
{
	return by_int(s, Q_EVENTS_AFTER, seq);
}

struct snapshot_rows *
snapshot_events_before(struct snapshot *s, long long seq)
{
	return by_int(s, Q_EVENTS_BEFORE, seq);
}

struct snapshot_rows *
snapshot_org_events(struct snapshot *s, long long org)
{
	return by_int(s, Q_ORG_EVENTS, org);
}

int
snapshot_next_event(struct snapshot_rows *rows, struct snapshot_event *out)
{
	sqlite3_stmt *stmt;
	int rc = step(rows, ROW_EVENT);

	if (rc != 1)
		return rc;
	stmt = rows->stmt;
	out->seq = sqlite3_column_int64(stmt, 0);
	out->kind = event_kind_of(snapshot_text(stmt, 1));
	out->kind_name = snapshot_text(stmt, 1);
	out->certificate_id = sqlite3_column_int64(stmt, 2);
	out->number = snapshot_text(stmt, 3);
	out->organisation_id = sqlite3_column_int64(stmt, 4);
	out->effective_on = date_parse_or_none(snapshot_text(stmt, 5));
	out->recorded_at = snapshot_text(stmt, 6);
	out->reason = snapshot_text(stmt, 7);
	out->reference = snapshot_text(stmt, 8);
	out->deadline = date_parse_or_none(snapshot_text(stmt, 9));
	out->target_seq = sqlite3_column_int64(stmt, 10);
	out->old_value = snapshot_text(stmt, 11);
	out->new_value = snapshot_text(stmt, 12);
	out->other_organisation_id = sqlite3_column_int64(stmt, 13);
	out->other_number = snapshot_text(stmt, 14);
	out->voided_by = sqlite3_column_int64(stmt, 15);
	return 1;
}

/* ---- organisations ---- */

struct snapshot_rows *
snapshot_org(struct snapshot *s, long long id)
{
	return by_int(s, Q_ORG, id);
}

struct snapshot_rows *
snapshot_orgs(struct snapshot *s, long long after, long long limit)
{
	struct snapshot_rows *rows = start(s, Q_ORGS);
	return rows ? bound(rows, sqlite3_bind_int64(rows->stmt, 1, after) |
	                              sqlite3_bind_int64(rows->stmt, 2, limit))
	            : NULL;
}

int
snapshot_next_org(struct snapshot_rows *rows, struct snapshot_org *out)
{
	int rc = step(rows, ROW_ORG);

	if (rc != 1)
		return rc;
	out->id = sqlite3_column_int64(rows->stmt, 0);
	out->name = snapshot_text(rows->stmt, 1);
	out->credit_code = snapshot_text(rows->stmt, 2);
	out->address = snapshot_text(rows->stmt, 3);
	out->certificate_count = sqlite3_column_int64(rows->stmt, 4);
	out->name_en = snapshot_text(rows->stmt, 5);
	return 1;
}

struct snapshot_rows *
snapshot_former_names(
    struct snapshot *s, long long org, enum snapshot_order order)
{
	return by_int(
	    s, order == SNAPSHOT_BY_DATE ? Q_FORMER_BY_DAY : Q_FORMER, org);
}

int
snapshot_next_former_name(
    struct snapshot_rows *rows, struct snapshot_former_name *out)
{
	int rc = step(rows, ROW_FORMER);

	if (rc != 1)
		return rc;
	out->organisation_id = sqlite3_column_int64(rows->stmt, 0);
	out->event_id = sqlite3_column_int64(rows->stmt, 1);
	out->name = snapshot_text(rows->stmt, 2);
	out->until = date_parse_or_none(snapshot_text(rows->stmt, 3));
	return 1;
}

/* A search read: `text` as ?1, the id range and limit as ?2 to ?4. */
static struct snapshot_rows *
search(struct snapshot *s, enum query q, const char *text, long long after,
    long long last, long long limit, int ignore_case)
{
	struct snapshot_rows *rows = start(s, q);
	int rc;

	if (rows == NULL)
		return NULL;
	rc = bind_text(rows, 1, text) |
	     sqlite3_bind_int64(rows->stmt, 2, after) |
	     sqlite3_bind_int64(rows->stmt, 3, last) |
	     sqlite3_bind_int64(rows->stmt, 4, limit);
	if (q != Q_SEARCH_PHRASE)
		rc |= sqlite3_bind_int(rows->stmt, 5, ignore_case);
	return bound(rows, rc);
}

struct snapshot_rows *
snapshot_search_phrase(struct snapshot *s, const char *phrase, long long after,
    long long last, long long limit)
{
	return search(s, Q_SEARCH_PHRASE, phrase, after, last, limit, 0);
}

struct snapshot_rows *
snapshot_search_names(struct snapshot *s, const char *text, long long after,
    long long last, long long limit, int ignore_case)
{
	return search(s, Q_SEARCH_NAMES, text, after, last, limit, ignore_case);
}

struct snapshot_rows *
snapshot_search_former_names(struct snapshot *s, const char *text,
    long long after, long long last, long long limit, int ignore_case)
{
	return search(
	    s, Q_SEARCH_FORMER, text, after, last, limit, ignore_case);
}

int
snapshot_next_match(struct snapshot_rows *rows, struct snapshot_match *out)
{
	int rc = step(rows, ROW_MATCH);

	if (rc != 1)
		return rc;
	out->organisation_id = sqlite3_column_int64(rows->stmt, 0);
	out->name = snapshot_text(rows->stmt, 1);
	return 1;
}
