/*
 * Bulk import and export (see bulk.h).  Import checks each row's columns
 * itself, so that a message names the column at fault, then records the
 * row through ops_record() like any other change: the same rules apply to
 * a million rows as to one.  The whole file is one transaction.
 */
#include "registry/record/bulk.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "registry/rules/creditcode.h"
#include "registry/record/csv.h"
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

struct import {
	struct db *db;
	const char *path;
	long line;
	int index[COLUMN_COUNT]; /* field position of each column */
	const char *value[COLUMN_COUNT];
	char reason[160]; /* "import of FILE line N" */
};

static int row_fail(struct import *im, enum column col, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static int
row_fail(struct import *im, enum column col, const char *format, ...)
{
	char why[900];
	va_list ap;

	va_start(ap, format);
	vsnprintf(why, sizeof why, format, ap);
	va_end(ap);
	return db_fail(im->db, "%s:%ld: %s: %s", im->path, im->line,
	    COLUMN_NAMES[col], why);
}

static int
read_header(struct import *im, const struct csv_record *rec)
{
	for (int c = 0; c < COLUMN_COUNT; c++)
		im->index[c] = -1;
	for (size_t i = 0; i < rec->count; i++) {
		int found = -1;
		for (int c = 0; c < COLUMN_COUNT; c++)
			if (strcmp(rec->fields[i], COLUMN_NAMES[c]) == 0)
				found = c;
		if (found < 0)
			return db_fail(im->db,
			    "%s:%ld: unknown column \"%s\" "
			    "(columns: number, category, level, "
			    "issued_on, valid_until, organisation_id, "
			    "organisation, credit_code, address, "
			    "predecessor)",
			    im->path, rec->line, rec->fields[i]);
		if (im->index[found] >= 0)
			return db_fail(im->db,
			    "%s:%ld: column %s appears twice", im->path,
			    rec->line, COLUMN_NAMES[found]);
		im->index[found] = (int)i;
	}
	for (int c = 0; c < COLUMN_COUNT; c++)
		if (im->index[c] < 0 && !OPTIONAL[c])
			return db_fail(im->db,
			    "%s:%ld: the header has no column "
			    "%s",
			    im->path, rec->line, COLUMN_NAMES[c]);
	return 0;
}

/*
 * Looks up the row's organisation by id, else credit code, else name
 * (found: 0 with *org, none: 1), refusing one whose name or credit code
 * differs from the row's.  -1 with db_error() on a mismatch or a read
 * error.
 */
static int
find_org(struct import *im, long long id, struct org *org)
{
	const char *name = im->value[COL_ORG];
	const char *code = im->value[COL_CREDIT_CODE];
	int rc;

	if (id != 0) {
		rc = db_org_get(im->db, id, org);
		if (rc == 0 && strcmp(org->name, name) != 0)
			return row_fail(im, COL_ORG,
			    "organisation %lld is named %s in the registry, "
			    "not %s",
			    id, org->name, name);
	} else if (*code) {
		rc = db_org_by_code(im->db, code, org);
		if (rc == 0 && strcmp(org->name, name) != 0)
			return row_fail(im, COL_ORG,
			    "credit code %s belongs to %s (organisation "
			    "%lld), not %s",
			    code, org->name, org->id, name);
	} else {
		rc = db_org_by_name(im->db, name, org);
	}
	return rc;
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

/* Adds the row's organisation (with id `id` when not 0). */
static int
add_org(struct import *im, long long id, int issued_on, long long *org_id)
{
	struct ops_request req;
	struct ops_result result;
	enum column col;

	ops_request_init(&req, EVENT_ORG_ADD);
	req.org_id = id;
	req.name = im->value[COL_ORG];
	req.credit_code = im->value[COL_CREDIT_CODE];
	req.address = im->value[COL_ADDRESS];
	req.effective_on = issued_on;
	req.reason = im->reason;
	if (ops_record(im->db, &req, &result) == 0) {
		*org_id = result.org_id;
		return 0;
	}
	col = strstr(db_error(im->db), "credit code") ? COL_CREDIT_CODE
	      : strstr(db_error(im->db), "address")   ? COL_ADDRESS
	      : id                                    ? COL_ORG_ID
	                                              : COL_ORG;
	return row_fail(im, col, "%s", db_error(im->db));
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
	rc = find_org(im, id, &org);
	if (rc == 0 && (rc = check_org(im, &org)) == 0)
		*org_id = org.id;
	org_clear(&org);
	if (rc != 1)
		return rc;
	if (add_org(im, id, issued_on, org_id) != 0)
		return -1;
	(*created)++;
	return 0;
}

/* The row's own columns, before anything is looked up: level and date of
 * issue in *level and *issued_on. */
static int
check_row(struct import *im, int *level, int *issued_on)
{
	const char *const *v = im->value;
	char why[300];
	int valid_until;

	for (int c = 0; c < COLUMN_COUNT; c++)
		if (!OPTIONAL[c] && *v[c] == '\0')
			return row_fail(
			    im, (enum column)c, "must not be empty");
	if (strlen(v[COL_LEVEL]) != 1 || *v[COL_LEVEL] < '1' ||
	    *v[COL_LEVEL] > '5')
		return row_fail(
		    im, COL_LEVEL, "a level is 1 to 5, not %s", v[COL_LEVEL]);
	*level = *v[COL_LEVEL] - '0';
	if (date_parse(v[COL_ISSUED_ON], issued_on) != 0)
		return row_fail(im, COL_ISSUED_ON,
		    "%s is not a date that exists (YYYY-MM-DD)",
		    v[COL_ISSUED_ON]);
	if (*v[COL_VALID_UNTIL]) {
		char expected[DATE_BUFSIZE];
		if (date_parse(v[COL_VALID_UNTIL], &valid_until) != 0)
			return row_fail(im, COL_VALID_UNTIL,
			    "%s is not a date that exists (YYYY-MM-DD)",
			    v[COL_VALID_UNTIL]);
		if (valid_until != status_valid_until(*issued_on))
			return row_fail(im, COL_VALID_UNTIL,
			    "must be %s: three years after issued_on, less "
			    "one day",
			    date_format(
			        status_valid_until(*issued_on), expected));
	}
	switch (db_category_exists(im->db, v[COL_CATEGORY])) {
	case 1:
		break;
	case 0:
		return row_fail(
		    im, COL_CATEGORY, "unknown category %s", v[COL_CATEGORY]);
	default:
		return -1;
	}
	if (number_check(v[COL_NUMBER], v[COL_CATEGORY], *level, *issued_on,
	        why, sizeof why) != 0)
		return row_fail(im, COL_NUMBER, "%s", why);
	if (ops_check_text(v[COL_ORG], 300, why, sizeof why) != 0)
		return row_fail(im, COL_ORG, "%s", why);
	if (ops_check_text(v[COL_ADDRESS], 500, why, sizeof why) != 0)
		return row_fail(im, COL_ADDRESS, "%s", why);
	if (*v[COL_CREDIT_CODE] &&
	    creditcode_check(v[COL_CREDIT_CODE], why, sizeof why) != 0)
		return row_fail(im, COL_CREDIT_CODE, "%s", why);
	return 0;
}

/* Records one request for the row; a refusal is blamed on `col`. */
static int
record(struct import *im, struct ops_request *req, enum column col)
{
	struct ops_result result;

	req->reason = im->reason;
	if (ops_record(im->db, req, &result) != 0)
		return row_fail(im, col, "%s", db_error(im->db));
	return 0;
}

/* A successor: renews or upgrades its predecessor, then moves it to this
 * row's holder if the holder changed since. */
static int
import_successor(struct import *im, int level, int issued_on, long long org_id)
{
	struct ops_request req;
	struct cert predecessor = {0};
	char org_ref[24];
	int rc = -1;

	switch (db_cert_by_number(
	    im->db, im->value[COL_PREDECESSOR], &predecessor)) {
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
	ops_request_init(
	    &req, level > predecessor.level ? EVENT_UPGRADE : EVENT_RENEW);
	req.cert = predecessor.number;
	req.level = level;
	req.number = im->value[COL_NUMBER];
	req.effective_on = issued_on;
	if (record(im, &req, COL_PREDECESSOR) != 0)
		goto done;
	if (predecessor.holder_id != org_id) {
		snprintf(org_ref, sizeof org_ref, "%lld", org_id);
		ops_request_init(&req, EVENT_TRANSFER);
		req.cert = im->value[COL_NUMBER];
		req.to_org = org_ref;
		req.effective_on = issued_on;
		if (record(im, &req, COL_ORG) != 0)
			goto done;
	}
	rc = 0;
done:
	cert_clear(&predecessor);
	return rc;
}

static int
import_row(struct import *im, long long *created)
{
	struct ops_request req;
	struct cert existing = {0};
	char org_ref[24];
	int level = 0, issued_on = DATE_NONE, rc;
	long long org_id = 0;

	if (check_row(im, &level, &issued_on) != 0)
		return -1;
	rc = db_cert_by_number(im->db, im->value[COL_NUMBER], &existing);
	cert_clear(&existing);
	if (rc == 0)
		return row_fail(im, COL_NUMBER, "certificate %s already exists",
		    im->value[COL_NUMBER]);
	if (rc < 0 || resolve_org(im, issued_on, &org_id, created) != 0)
		return -1;
	if (*im->value[COL_PREDECESSOR] != '\0')
		return import_successor(im, level, issued_on, org_id);
	snprintf(org_ref, sizeof org_ref, "%lld", org_id);
	ops_request_init(&req, EVENT_ISSUE);
	req.org = org_ref;
	req.category = im->value[COL_CATEGORY];
	req.level = level;
	req.number = im->value[COL_NUMBER];
	req.effective_on = issued_on;
	return record(im, &req, COL_NUMBER);
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

int
bulk_import_stream(struct db *db, FILE *in, const char *path,
    const struct bulk_progress *progress, struct bulk_summary *summary)
{
	struct import im;
	struct csv_reader *reader = NULL;
	struct csv_record rec;
	double start;
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	int rc, ok = 0, header = 0;

	memset(summary, 0, sizeof *summary);
	memset(&im, 0, sizeof im);
	im.db = db;
	im.path = path;
	start = clock_seconds();
	if (db_begin(db) != 0)
		goto close;
	reader = csv_reader_new(in);
	while ((rc = csv_read(reader, &rec)) == 1) {
		im.line = rec.line;
		if (!header) {
			if (read_header(&im, &rec) != 0)
				goto end;
			header = 1;
			continue;
		}
		size_t expected = 0;
		for (int c = 0; c < COLUMN_COUNT; c++)
			if (im.index[c] >= 0)
				expected++;
		if (rec.count != expected) {
			db_fail(db, "%s:%ld: expected %zu fields, found %zu",
			    path, rec.line, expected, rec.count);
			goto end;
		}
		for (int c = 0; c < COLUMN_COUNT; c++)
			im.value[c] =
			    im.index[c] >= 0 ? rec.fields[im.index[c]] : "";
		snprintf(im.reason, sizeof im.reason, "import of %s line %ld",
		    base, rec.line);
		if (import_row(&im, &summary->organisations) != 0)
			goto end;
		summary->certificates++;
		if (progress &&
		    summary->certificates % BULK_PROGRESS_EVERY == 0)
			progress->report(progress->arg, summary->certificates,
			    clock_seconds() - start);
	}
	if (rc < 0) {
		db_fail(db, "%s:%ld: %s", path, csv_reader_error_line(reader),
		    csv_reader_error(reader));
		goto end;
	}
	if (!header) {
		db_fail(db, "%s: empty file: expected a header line", path);
		goto end;
	}
	ok = 1;
end:
	if (db_end(db, ok) != 0)
		ok = 0;
close:
	csv_reader_free(reader);
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
