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
#include "registry/snapshot/grams.h"

enum row_kind { ROW_CERT, ROW_EVENT, ROW_ORG, ROW_FORMER, ROW_MATCH, ROW_ANY };

/* The reads, one prepared statement each. */
enum query {
	Q_CERT,                /* ?1 id */
	Q_CERTS,               /* ?1 after id */
	Q_CERTS_BY_STATUS,     /* ?1 status, ?2 after */
	Q_CERTS_BY_LEVEL,      /* ?1 level, ?2 after */
	Q_CERTS_BY_CATEGORY,   /* ?1 category, ?2 after */
	Q_CERTS_BY_CODE,       /* ?1 credit code */
	Q_CERTS_BETWEEN,       /* ?1 after id, ?2 up to id */
	Q_CERTS_OF_ORG,        /* ?1 organisation, by number */
	Q_CERTS_OF_ORG_BY_ID,  /* ?1 organisation */
	Q_CERTS_OF_ORG_BY_DAY, /* ?1 organisation */
	Q_STATUS_EVENTS,       /* ?1 number: what status_on() needs */
	Q_HISTORY,             /* ?1 id */
	Q_EVENTS_AFTER,        /* ?1 seq */
	Q_EVENTS_BEFORE,       /* ?1 seq */
	Q_ORG_EVENTS,          /* ?1 organisation */
	Q_ORG,                 /* ?1 id */
	Q_ORGS,                /* ?1 after id, ?2 limit */
	Q_FORMER,              /* ?1 organisation, by event */
	Q_FORMER_BY_DAY,       /* ?1 organisation */
	Q_SEARCH_PHRASE,       /* ?1 phrase, ?2 after, ?3 last, ?4 limit */
	Q_SEARCH_GRAMS,        /* ?1 gram, ?2 after id */
	Q_PING,
	Q_COUNT
};

_Static_assert(Q_COUNT == SNAPSHOT_QUERIES, "connection.h counts the queries");

/* The columns decode_cert() reads, in its order: the holder's name and
 * credit code are the organisation's. */
#define CERT_COLUMNS                                                           \
	"c.id, c.category, c.level, c.issued_on, c.valid_until, "              \
	"c.organisation_id, o.name, o.credit_code, c.predecessor, "            \
	"c.successor, c.status, c.status_since, c.flags, c.warning_until, "    \
	"c.rectification_deadline, c.windows, c.annual1_done_on, "             \
	"c.annual2_done_on, c.renewal_done_on"

/* The columns decode_event() reads, in its order. */
#define EVENT_COLUMNS                                                          \
	"e.seq, e.kind, e.certificate_id, e.organisation_id, "                 \
	"e.effective_on, e.recorded_at, "                                      \
	"(SELECT text FROM texts WHERE id = e.reason) || "                     \
	"coalesce(e.reason_number, ''), e.reference, e.rare ->> 0, "           \
	"e.rare ->> 1, e.rare ->> 2, "                                         \
	"CASE WHEN typeof(e.new_value) = 'blob' THEN (SELECT name FROM "       \
	"organisations WHERE id = e.organisation_id) ELSE e.new_value END, "   \
	"e.rare ->> 3, e.other_number, e.rare ->> 4"

#define ORG_COLUMNS "id, name, credit_code, address, certificate_count, name_en"
#define FORMER_COLUMNS "organisation_id, event_id, name, until"

/* CROSS JOIN keeps certificates the outer loop (the index of the WHERE
 * drives; each holder is one look-up by id). */
#define CERTS                                                                  \
	"SELECT " CERT_COLUMNS " FROM certificates c CROSS JOIN "              \
	"organisations o ON o.id = c.organisation_id "
#define EVENTS "SELECT " EVENT_COLUMNS " FROM events e "
/* The certificates of one level, category or status after id ?2: its
 * runs of ids drive, in the order of the ids (the runs are disjoint, so
 * by `order`, their first or last id), each a range of rowids, so that
 * the order of (run, id) is the order of the ids and no sort is needed.
 * status_runs, with many runs, is keyed by the last id, so that a page
 * deep in the list seeks to its first run. */
#define CERTS_IN_RUNS(runs, column, order)                                     \
	"SELECT " CERT_COLUMNS " FROM " runs " r CROSS JOIN certificates c "   \
	"CROSS JOIN organisations o ON o.id = c.organisation_id "              \
	"WHERE r." column " = ?1 AND r.last_id > ?2 "                          \
	"AND c.id >= r.first_id AND c.id <= r.last_id AND c.id > ?2 "          \
	"ORDER BY r." order ", c.id"
#define ORGS "SELECT " ORG_COLUMNS " FROM organisations "
#define FORMER "SELECT " FORMER_COLUMNS " FROM former_names "

static const struct {
	enum row_kind kind;
	const char *sql;
} QUERIES[Q_COUNT] = {
    [Q_CERT] = {ROW_CERT, CERTS "WHERE c.id = ?1"},
    [Q_CERTS] = {ROW_CERT, CERTS "WHERE c.id > ?1 ORDER BY c.id"},
    [Q_CERTS_BY_STATUS] = {ROW_CERT,
        CERTS_IN_RUNS("status_runs", "status", "last_id")},
    [Q_CERTS_BY_LEVEL] = {ROW_CERT,
        CERTS_IN_RUNS("level_runs", "level", "first_id")},
    [Q_CERTS_BY_CATEGORY] = {ROW_CERT,
        CERTS_IN_RUNS("category_runs", "category", "first_id")},
    /* The holders with that code drive, then their certificates.  The
     * index holds the codes from their ninth character (schema.c) and
     * only those not NULL; the unary + keeps SQLite from putting ?1 in
     * place of the column in the index's expression. */
    [Q_CERTS_BY_CODE] = {ROW_CERT,
        "SELECT " CERT_COLUMNS " FROM organisations o CROSS JOIN "
        "certificates c ON c.organisation_id = o.id "
        "WHERE o.credit_code IS NOT NULL "
        "AND substr(o.credit_code, 9) = substr(?1, 9) "
        "AND +o.credit_code = ?1 ORDER BY c.id"},
    [Q_CERTS_BETWEEN] = {ROW_CERT,
        CERTS "WHERE c.id > ?1 AND c.id <= ?2 ORDER BY c.id"},
    [Q_CERTS_OF_ORG] = {ROW_CERT,
        CERTS "WHERE c.organisation_id = ?1 ORDER BY c.id"},
    [Q_CERTS_OF_ORG_BY_ID] = {ROW_CERT,
        CERTS "WHERE c.organisation_id = ?1 ORDER BY c.recorded"},
    [Q_CERTS_OF_ORG_BY_DAY] = {ROW_CERT,
        CERTS "WHERE c.organisation_id = ?1 ORDER BY c.issued_on, c.id"},
    [Q_STATUS_EVENTS] = {ROW_ANY,
        "SELECT seq, kind, effective_on, rare ->> 0, rare ->> 1 FROM events "
        "WHERE certificate_id = ?1 ORDER BY effective_on, seq"},
    [Q_HISTORY] = {ROW_EVENT,
        EVENTS "WHERE e.certificate_id = ?1 ORDER BY e.effective_on, e.seq"},
    [Q_EVENTS_AFTER] = {ROW_EVENT, EVENTS "WHERE e.seq > ?1 ORDER BY e.seq"},
    [Q_EVENTS_BEFORE] = {ROW_EVENT,
        EVENTS "WHERE e.seq < ?1 ORDER BY e.seq DESC"},
    [Q_ORG_EVENTS] = {ROW_EVENT,
        EVENTS "WHERE e.organisation_id = ?1 ORDER BY e.seq DESC"},
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
    /* One or two characters: the blocks of the gram's ids after ?2. */
    [Q_SEARCH_GRAMS] = {ROW_ANY,
        "SELECT ids FROM name_grams WHERE gram = ?1 AND last_id > ?2 "
        "ORDER BY last_id"},
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
	return by_int(s, Q_CERT, number_runs_find(&s->runs, number));
}

struct snapshot_rows *
snapshot_certs(struct snapshot *s, const char *after)
{
	return by_int(s, Q_CERTS, number_runs_up_to(&s->runs, after, 0));
}

/* A list read: the filter value bound by the caller, then `after`. */
static struct snapshot_rows *
after_filter(struct snapshot_rows *rows, int rc, const char *after)
{
	if (rows == NULL)
		return NULL;
	return bound(
	    rows, rc | sqlite3_bind_int64(rows->stmt, 2,
	                   number_runs_up_to(&rows->snapshot->runs, after, 0)));
}

struct snapshot_rows *
snapshot_certs_by_status(
    struct snapshot *s, enum cert_status status, const char *after)
{
	struct snapshot_rows *rows = start(s, Q_CERTS_BY_STATUS);
	return rows ? after_filter(rows,
	                  sqlite3_bind_int(rows->stmt, 1, (int)status), after)
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
	return rows
	           ? bound(rows, sqlite3_bind_int64(rows->stmt, 1,
	                             number_runs_up_to(&s->runs, after, 0)) |
	                             sqlite3_bind_int64(rows->stmt, 2,
	                                 number_runs_up_to(&s->runs, below, 1)))
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

/* A column of a certificate's number (schema.h): the certificate's id,
 * formatted into rows->number[buf], or the number as text; NULL. */
static const char *
column_number(struct snapshot_rows *rows, int col, int buf)
{
	if (sqlite3_column_type(rows->stmt, col) == SQLITE_INTEGER)
		return number_runs_format(&rows->snapshot->runs,
		    sqlite3_column_int64(rows->stmt, col), rows->number[buf]);
	return snapshot_text(rows->stmt, col);
}

/* A date column: its day number, or DATE_NONE for NULL. */
static int
column_date(sqlite3_stmt *stmt, int col)
{
	return sqlite3_column_type(stmt, col) == SQLITE_NULL
	           ? DATE_NONE
	           : sqlite3_column_int(stmt, col);
}

/* A window state of the packed column, or WINDOW_UPCOMING when the
 * value is none this program knows. */
static enum window_state
window_state(int packed, int shift)
{
	int state = (packed >> shift) & 0xf;

	return state > WINDOW_ENDED ? WINDOW_UPCOMING
	                            : (enum window_state)state;
}

/* The stored status columns (10 to 18 of CERT_COLUMNS); the windows'
 * days follow from issued_on and valid_until. */
static void
decode_status(
    sqlite3_stmt *stmt, int issued_on, int valid_until, struct status *st)
{
	int status = sqlite3_column_int(stmt, 10);
	int windows = sqlite3_column_int(stmt, 15);

	memset(st, 0, sizeof *st);
	st->status = status < 0 || status > STATUS_SUPERSEDED
	                 ? STATUS_VALID
	                 : (enum cert_status)status;
	st->since = column_date(stmt, 11);
	st->flags = (unsigned)sqlite3_column_int(stmt, 12);
	st->warning_until = column_date(stmt, 13);
	st->rectification_deadline = column_date(stmt, 14);
	for (int k = 0; k < 2; k++) {
		status_annual_window(
		    issued_on, k + 1, &st->annual[k].start, &st->annual[k].end);
		st->annual[k].state = window_state(windows, 4 * k);
		st->annual[k].done_on = column_date(stmt, 16 + k);
	}
	status_renewal_window(
	    valid_until, &st->renewal.start, &st->renewal.end);
	st->renewal.state = window_state(windows, 8);
	st->renewal.done_on = column_date(stmt, 18);
	st->valid_until = valid_until;
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
	out->number =
	    number_runs_format(&rows->snapshot->runs, out->id, rows->number[0]);
	out->category = snapshot_text(stmt, 1);
	out->level = sqlite3_column_int(stmt, 2);
	out->issued_on = column_date(stmt, 3);
	out->valid_until = column_date(stmt, 4);
	out->organisation_id = sqlite3_column_int64(stmt, 5);
	out->organisation_name = snapshot_text(stmt, 6);
	out->credit_code = snapshot_text(stmt, 7);
	out->predecessor = column_number(rows, 8, 1);
	out->successor = column_number(rows, 9, 2);
	decode_status(stmt, out->issued_on, out->valid_until, &out->status);
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
	struct snapshot_rows *rows = by_int(s, Q_STATUS_EVENTS, cert->id);
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
		    .kind = snapshot_kind(s, sqlite3_column_int(stmt, 1)),
		    .effective_on = column_date(stmt, 2),
		    .deadline = column_date(stmt, 3),
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
	return by_int(s, Q_HISTORY, number_runs_find(&s->runs, number));
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
	struct snapshot *s;
	int code;
	int rc = step(rows, ROW_EVENT);

	if (rc != 1)
		return rc;
	stmt = rows->stmt;
	s = rows->snapshot;
	code = sqlite3_column_int(stmt, 1);
	out->seq = sqlite3_column_int64(stmt, 0);
	out->kind = snapshot_kind(s, code);
	out->kind_name = code >= 0 && (size_t)code < s->kind_count
	                     ? s->kind_names[code]
	                     : "";
	out->certificate_id = sqlite3_column_int64(stmt, 2);
	out->number =
	    number_runs_format(&s->runs, out->certificate_id, rows->number[0]);
	out->organisation_id = sqlite3_column_int64(stmt, 3);
	out->effective_on = column_date(stmt, 4);
	if (sqlite3_column_type(stmt, 5) == SQLITE_INTEGER)
		out->recorded_at = date_format_timestamp(
		    sqlite3_column_int64(stmt, 5), rows->stamp);
	else
		out->recorded_at = snapshot_text(stmt, 5);
	out->reason = snapshot_text(stmt, 6);
	out->reference = snapshot_text(stmt, 7);
	out->deadline = column_date(stmt, 8);
	out->target_seq = sqlite3_column_int64(stmt, 9);
	out->old_value = snapshot_text(stmt, 10);
	out->new_value = snapshot_text(stmt, 11);
	out->other_organisation_id = sqlite3_column_int64(stmt, 12);
	out->other_number = column_number(rows, 13, 1);
	out->voided_by = sqlite3_column_int64(stmt, 14);
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
	out->until = column_date(rows->stmt, 3);
	return 1;
}

struct snapshot_rows *
snapshot_search_phrase(struct snapshot *s, const char *phrase, long long after,
    long long last, long long limit)
{
	struct snapshot_rows *rows = start(s, Q_SEARCH_PHRASE);

	if (rows == NULL)
		return NULL;
	return bound(rows, bind_text(rows, 1, phrase) |
	                       sqlite3_bind_int64(rows->stmt, 2, after) |
	                       sqlite3_bind_int64(rows->stmt, 3, last) |
	                       sqlite3_bind_int64(rows->stmt, 4, limit));
}

long long
snapshot_search_short(struct snapshot *s, const char *text, long long after,
    long long last, long long limit, long long *ids)
{
	struct snapshot_rows *rows = by_text(s, Q_SEARCH_GRAMS, text);
	long long block[SNAPSHOT_GRAMS_BLOCK], n = 0;
	int rc = 0;

	if (rows == NULL)
		return -1;
	if (sqlite3_bind_int64(rows->stmt, 2, after) != SQLITE_OK) {
		rc = snapshot_failed(s);
		goto done;
	}
	while (n < limit && (rc = step(rows, ROW_ANY)) == 1) {
		int count =
		    snapshot_grams_decode(sqlite3_column_blob(rows->stmt, 0),
		        (size_t)sqlite3_column_bytes(rows->stmt, 0), block);
		if (count < 0) {
			snprintf(s->error, sizeof s->error,
			    "a malformed block of the name index");
			rc = -1;
			break;
		}
		for (int i = 0; i < count && n < limit; i++) {
			if (block[i] <= after)
				continue;
			if (block[i] > last) {
				rc = 0;
				goto done;
			}
			ids[n++] = block[i];
		}
	}
	if (rc == 1)
		rc = 0;
done:
	snapshot_rows_done(rows);
	return rc < 0 ? -1 : n;
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
