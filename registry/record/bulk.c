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
#include <time.h>

#include "registry/rules/creditcode.h"
#include "registry/record/csv.h"
#include "registry/rules/date.h"
#include "registry/base/mem.h"
#include "registry/record/ops.h"
#include "registry/record/show.h"

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

#define PROGRESS_EVERY 10000

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

static double
seconds_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) +
	       (double)(now.tv_nsec - start->tv_nsec) / 1e9;
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

/* Finds or creates the row's organisation; its id in *org_id. */
static int
resolve_org(
    struct import *im, int issued_on, long long *org_id, long long *created)
{
	const char *id_text = im->value[COL_ORG_ID];
	const char *name = im->value[COL_ORG];
	const char *code = im->value[COL_CREDIT_CODE];
	const char *address = im->value[COL_ADDRESS];
	struct org org = {0};
	struct ops_request req;
	struct ops_result result;
	long long id = 0;
	int found = 0;

	if (*id_text) {
		char *end;
		id = strtoll(id_text, &end, 10);
		if (*end != '\0' || id <= 0 || strlen(id_text) > 15)
			return row_fail(im, COL_ORG_ID,
			    "not an organisation id: %s", id_text);
		found = db_org_get(im->db, id, &org) == 0;
		if (found && strcmp(org.name, name) != 0) {
			row_fail(im, COL_ORG,
			    "organisation %lld is named %s "
			    "in the registry, not %s",
			    id, org.name, name);
			goto fail;
		}
	} else if (*code) {
		found = db_org_by_code(im->db, code, &org) == 0;
		if (found && strcmp(org.name, name) != 0) {
			row_fail(im, COL_ORG,
			    "credit code %s belongs to %s "
			    "(organisation %lld), not %s",
			    code, org.name, org.id, name);
			goto fail;
		}
	} else {
		found = db_org_by_name(im->db, name, &org) == 0;
	}
	if (found) {
		if ((org.credit_code ? org.credit_code : "")[0] != '\0' ||
		    *code) {
			if (strcmp(org.credit_code ? org.credit_code : "",
			        code) != 0) {
				row_fail(im, COL_CREDIT_CODE,
				    "organisation %lld has credit code "
				    "\"%s\", not \"%s\"",
				    org.id,
				    org.credit_code ? org.credit_code : "",
				    code);
				goto fail;
			}
		}
		if (*address && strcmp(org.address, address) != 0) {
			row_fail(im, COL_ADDRESS,
			    "organisation %lld has the "
			    "address %s",
			    org.id, org.address);
			goto fail;
		}
		*org_id = org.id;
		org_clear(&org);
		return 0;
	}
	ops_request_init(&req, EVENT_ORG_ADD);
	req.org_id = id;
	req.name = name;
	req.credit_code = code;
	req.address = address;
	req.effective_on = issued_on;
	req.reason = im->reason;
	if (ops_record(im->db, &req, &result) != 0) {
		enum column col =
		    strstr(db_error(im->db), "credit code") ? COL_CREDIT_CODE
		    : strstr(db_error(im->db), "address")   ? COL_ADDRESS
		    : id                                    ? COL_ORG_ID
		                                            : COL_ORG;
		char *why = mem_strdup(db_error(im->db));
		row_fail(im, col, "%s", why);
		free(why);
		return -1;
	}
	*org_id = result.org_id;
	(*created)++;
	return 0;
fail:
	org_clear(&org);
	return -1;
}

static int
import_row(struct import *im, long long *created)
{
	struct ops_request req;
	struct ops_result result;
	struct cert predecessor = {0};
	char why[300], org_ref[24];
	int level, issued_on, valid_until;
	long long org_id = 0;
	int rc = -1;

	for (int c = 0; c < COLUMN_COUNT; c++)
		if (!OPTIONAL[c] && *im->value[c] == '\0')
			return row_fail(
			    im, (enum column)c, "must not be empty");
	if (strlen(im->value[COL_LEVEL]) != 1 || *im->value[COL_LEVEL] < '1' ||
	    *im->value[COL_LEVEL] > '5')
		return row_fail(im, COL_LEVEL, "a level is 1 to 5, not %s",
		    im->value[COL_LEVEL]);
	level = *im->value[COL_LEVEL] - '0';
	if (date_parse(im->value[COL_ISSUED_ON], &issued_on) != 0)
		return row_fail(im, COL_ISSUED_ON,
		    "%s is not a date that exists (YYYY-MM-DD)",
		    im->value[COL_ISSUED_ON]);
	if (*im->value[COL_VALID_UNTIL]) {
		char expected[DATE_BUFSIZE];
		if (date_parse(im->value[COL_VALID_UNTIL], &valid_until) != 0)
			return row_fail(im, COL_VALID_UNTIL,
			    "%s is not a date that exists "
			    "(YYYY-MM-DD)",
			    im->value[COL_VALID_UNTIL]);
		if (valid_until != status_valid_until(issued_on))
			return row_fail(im, COL_VALID_UNTIL,
			    "must be %s: three years after issued_on, "
			    "less one day",
			    date_format(
			        status_valid_until(issued_on), expected));
	}
	switch (db_category_exists(im->db, im->value[COL_CATEGORY])) {
	case 1:
		break;
	case 0:
		return row_fail(im, COL_CATEGORY, "unknown category %s",
		    im->value[COL_CATEGORY]);
	default:
		return -1;
	}
	if (ops_check_number(im->value[COL_NUMBER], im->value[COL_CATEGORY],
	        level, issued_on, why, sizeof why) != 0)
		return row_fail(im, COL_NUMBER, "%s", why);
	if (ops_check_text(im->value[COL_ORG], 300, why, sizeof why) != 0)
		return row_fail(im, COL_ORG, "%s", why);
	if (ops_check_text(im->value[COL_ADDRESS], 500, why, sizeof why) != 0)
		return row_fail(im, COL_ADDRESS, "%s", why);
	if (*im->value[COL_CREDIT_CODE] &&
	    creditcode_check(im->value[COL_CREDIT_CODE], why, sizeof why) != 0)
		return row_fail(im, COL_CREDIT_CODE, "%s", why);
	if (db_cert_by_number(im->db, im->value[COL_NUMBER], &predecessor) ==
	    0) {
		cert_clear(&predecessor);
		return row_fail(im, COL_NUMBER, "certificate %s already exists",
		    im->value[COL_NUMBER]);
	}
	if (resolve_org(im, issued_on, &org_id, created) != 0)
		return -1;
	snprintf(org_ref, sizeof org_ref, "%lld", org_id);

	if (*im->value[COL_PREDECESSOR] == '\0') {
		ops_request_init(&req, EVENT_ISSUE);
		req.org = org_ref;
		req.category = im->value[COL_CATEGORY];
		req.level = level;
		req.number = im->value[COL_NUMBER];
		req.effective_on = issued_on;
		req.reason = im->reason;
		if (ops_record(im->db, &req, &result) != 0)
			return row_fail(im, COL_NUMBER, "%s", db_error(im->db));
		return 0;
	}

	/* A successor: renew or upgrade its predecessor, then move it to
	 * this row's holder if the holder changed since. */
	if (db_cert_by_number(
	        im->db, im->value[COL_PREDECESSOR], &predecessor) != 0)
		return row_fail(im, COL_PREDECESSOR,
		    "no certificate %s (a predecessor must come "
		    "earlier in the file or be in the registry)",
		    im->value[COL_PREDECESSOR]);
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
	req.reason = im->reason;
	if (ops_record(im->db, &req, &result) != 0) {
		char *message = mem_strdup(db_error(im->db));
		row_fail(im, COL_PREDECESSOR, "%s", message);
		free(message);
		goto done;
	}
	if (predecessor.holder_id != org_id) {
		ops_request_init(&req, EVENT_TRANSFER);
		req.cert = im->value[COL_NUMBER];
		req.to_org = org_ref;
		req.effective_on = issued_on;
		req.reason = im->reason;
		if (ops_record(im->db, &req, &result) != 0) {
			char *message = mem_strdup(db_error(im->db));
			row_fail(im, COL_ORG, "%s", message);
			free(message);
			goto done;
		}
	}
	rc = 0;
done:
	cert_clear(&predecessor);
	return rc;
}

int
bulk_import(
    struct db *db, const char *path, int progress, struct bulk_summary *summary)
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
bulk_import_stream(struct db *db, FILE *in, const char *path, int progress,
    struct bulk_summary *summary)
{
	struct import im;
	struct csv_reader *reader = NULL;
	struct csv_record rec;
	struct timespec start;
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	int rc, ok = 0, header = 0;

	memset(summary, 0, sizeof *summary);
	memset(&im, 0, sizeof im);
	im.db = db;
	im.path = path;
	clock_gettime(CLOCK_MONOTONIC, &start);
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
		if (progress && summary->certificates % PROGRESS_EVERY == 0)
			fprintf(stderr,
			    "\rimporting: %lld certificates, %.0f s",
			    summary->certificates, seconds_since(&start));
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
	if (progress && summary->certificates >= PROGRESS_EVERY)
		fputs("\r\033[K", stderr);
	if (db_end(db, ok) != 0)
		ok = 0;
close:
	csv_reader_free(reader);
	summary->seconds = seconds_since(&start);
	if (!ok) {
		summary->certificates = 0;
		summary->organisations = 0;
	}
	return ok ? 0 : -1;
}

#define EXPORT_SQL                                                             \
	"SELECT c.number, c.category, c.level, c.issued_on, c.valid_until, "   \
	"o.id, o.name, o.credit_code, o.address, p.number, c.id "              \
	"FROM certificates c JOIN organisations o ON o.id = c.holder_id "      \
	"LEFT JOIN certificates p ON p.id = c.predecessor_id ORDER BY c.id"

int
bulk_export_csv(struct db *db, FILE *out)
{
	sqlite3_stmt *stmt;
	int rc;

	if (sqlite3_prepare_v2(db_handle(db), EXPORT_SQL, -1, &stmt, NULL) !=
	    SQLITE_OK)
		return db_fail(db, "export: %s", sqlite3_errmsg(db_handle(db)));
	for (int c = 0; c < COLUMN_COUNT; c++)
		csv_write_field(out, COLUMN_NAMES[c], c == COLUMN_COUNT - 1);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		for (int c = 0; c < COLUMN_COUNT; c++)
			csv_write_field(out,
			    (const char *)sqlite3_column_text(stmt, c),
			    c == COLUMN_COUNT - 1);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE)
		return db_fail(db, "export: %s", sqlite3_errmsg(db_handle(db)));
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
json_text(const unsigned char *text)
{
	json_t *value = text ? json_string((const char *)text) : NULL;
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

int
bulk_export_ndjson(struct db *db, int day, FILE *out)
{
	sqlite3_stmt *stmt;
	int rc;

	if (sqlite3_prepare_v2(db_handle(db), EXPORT_SQL, -1, &stmt, NULL) !=
	    SQLITE_OK)
		return db_fail(db, "export: %s", sqlite3_errmsg(db_handle(db)));
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct cert cert = {0};
		struct status st;
		json_t *flags = json_array(), *obj;
		char *line;

		if (db_cert_get(db, sqlite3_column_int64(stmt, 10), &cert) !=
		        0 ||
		    show_status(db, &cert, day, &st) != 0) {
			cert_clear(&cert);
			json_decref(flags);
			sqlite3_finalize(stmt);
			return -1;
		}
		for (unsigned bit = 1; bit <= STATUS_FLAG_ANNUAL_CHECK_OVERDUE;
		     bit <<= 1)
			if (st.flags & bit)
				json_array_append_new(
				    flags, json_string(status_flag_name(bit)));
		obj = json_pack(
		    "{s:o, s:o, s:i, s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:o, "
		    "s:{s:I, s:o, s:o, s:o}, s:o, s:o, s:o, s:o}",
		    "number", json_text(sqlite3_column_text(stmt, 0)),
		    "category", json_text(sqlite3_column_text(stmt, 1)),
		    "level", sqlite3_column_int(stmt, 2), "issued_on",
		    json_text(sqlite3_column_text(stmt, 3)), "valid_until",
		    json_text(sqlite3_column_text(stmt, 4)), "status",
		    status_name(st.status), "status_since", json_date(st.since),
		    "flags", flags, "warning_until",
		    json_date(st.warning_until), "rectification_deadline",
		    json_date(st.rectification_deadline), "as_of",
		    json_date(day), "organisation", "id",
		    (json_int_t)sqlite3_column_int64(stmt, 5), "name",
		    json_text(sqlite3_column_text(stmt, 6)), "credit_code",
		    json_text(sqlite3_column_text(stmt, 7)), "address",
		    json_text(sqlite3_column_text(stmt, 8)), "predecessor",
		    json_text(sqlite3_column_text(stmt, 9)), "annual_check_1",
		    json_window(&st.annual[0]), "annual_check_2",
		    json_window(&st.annual[1]), "renewal",
		    json_window(&st.renewal));
		cert_clear(&cert);
		if (obj == NULL) {
			sqlite3_finalize(stmt);
			return db_fail(
			    db, "export: cannot encode a certificate");
		}
		line = json_dumps(obj, JSON_COMPACT);
		json_decref(obj);
		fprintf(out, "%s\n", line);
		free(line);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE)
		return db_fail(db, "export: %s", sqlite3_errmsg(db_handle(db)));
	return 0;
}
