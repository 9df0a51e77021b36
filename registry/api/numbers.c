/*
 * The bulk check (see numbers.h).
 */
#include "registry/api/numbers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/api/export.h"
#include "registry/api/json.h"
#include "registry/base/mem.h"
#include "registry/rules/creditcode.h"
#include "registry/rules/label.h"

/* The parameters the bulk check takes besides number. */
static const char *const NUMBERS_PARAMS[] = {"number", "as_of", "format", NULL};

static const char CSV_HEADER[] =
    "input,kind,found,note,number,organisation_name,credit_code,"
    "category_name,level,status,status_label,flags,flag_labels,"
    "validity_label,valid_until,status_since,rectification_deadline,"
    "warning_until,as_of,published_at,sha256\r\n";

static const char *
kind_name(enum lookup_kind kind)
{
	switch (kind) {
	case LOOKUP_NUMBER:
		return "number";
	case LOOKUP_CREDIT_CODE:
		return "credit_code";
	default:
		return "invalid";
	}
}

int
api_entry_lookup(struct snapshot *s, const char *input, int day,
    struct api_entry *e, void (*found)(void *arg, const struct api_cert *c),
    void *arg)
{
	struct snapshot_rows *rows = NULL;
	struct api_cert cert;
	char why[120];
	int rc, n = 0;

	memset(e, 0, sizeof *e);
	e->input = input;
	e->kind = lookup_classify(input, e->query);
	if (e->kind == LOOKUP_NUMBER)
		rows = snapshot_cert(s, e->query);
	else if (e->kind == LOOKUP_CREDIT_CODE)
		rows = snapshot_certs_by_credit_code(s, e->query);
	if (rows == NULL) {
		e->kind = LOOKUP_TEXT;
		e->note = "这不是证书编号（如 CNITSEC-CS1-2024-0001）或统一社会"
		          "信用代码（18 位），请核对";
		return 0;
	}
	while ((rc = api_cert_next(s, rows, day, &cert)) == 1) {
		found(arg, &cert);
		n++;
	}
	snapshot_rows_done(rows);
	if (rc < 0)
		return -1;
	if (n > 0)
		return n;
	if (e->kind == LOOKUP_NUMBER) {
		e->note =
		    "名录中没有这个编号：请核对是否输错，并向出示证书的一方"
		    "确认发证机构";
	} else if (creditcode_check(e->query, why, sizeof why) != 0) {
		char want = creditcode_check_char(e->query);
		if (want)
			snprintf(e->note_buf, sizeof e->note_buf,
			    "这个统一社会信用代码的校验位应为 "
			    "%c，可能输错，请核对",
			    want);
		else
			snprintf(e->note_buf, sizeof e->note_buf,
			    "这不是有效的统一社会信用代码（含 I、O、S、V、Z "
			    "等不用的字符），请核对");
		e->note = e->note_buf;
	} else {
		e->note = "名录中没有持有这个统一社会信用代码的组织";
	}
	return 0;
}

/* ---- JSON ---- */

struct json_out {
	struct api_call *c;
	struct buf *b;
	int count;
};

static void
json_found(void *arg, const struct api_cert *cert)
{
	struct json_out *out = arg;

	if (out->count++)
		buf_putc(out->b, ',');
	api_cert_write(out->c->snap, cert, NULL, out->b);
}

/* ---- CSV ---- */

struct csv_out {
	struct api_call *c;
	struct buf *b;
	const struct api_entry *e;
	int count;
};

static void
csv_date(struct buf *b, int date)
{
	char text[DATE_BUFSIZE];
	api_csv_field(b, date == DATE_NONE ? "" : date_format(date, text), ',');
}

/* The columns that follow the certificate's: as_of and the snapshot. */
static void
csv_tail(struct api_call *c, struct buf *b)
{
	const struct snapshot_meta *meta = api_db_meta(c->db);

	csv_date(b, c->day);
	api_csv_field(b, meta->published_at, ',');
	api_csv_field(b, meta->sha256, '\n');
}

static void
csv_entry(struct buf *b, const struct api_entry *e, int found)
{
	api_csv_field(b, e->input, ',');
	api_csv_field(b, kind_name(e->kind), ',');
	api_csv_field(b, found ? "true" : "false", ',');
	api_csv_field(b, e->note ? e->note : "", ',');
}

static void
csv_found(void *arg, const struct api_cert *cert)
{
	struct csv_out *out = arg;
	const struct snapshot_category *cat =
	    snapshot_category(out->c->snap, cert->row.category);
	const struct status *st = &cert->st;
	char flags[128], labels[256] = "", validity[LABEL_VALIDITY_BUFSIZE];
	size_t used = 0;

	for (unsigned bit = 1; bit <= STATUS_FLAG_LAST; bit <<= 1)
		if (st->flags & bit)
			used += (size_t)snprintf(labels + used,
			    sizeof labels - used, "%s%s", used ? "；" : "",
			    label_flag_zh(bit));
	csv_entry(out->b, out->e, 1);
	api_csv_field(out->b, cert->row.number, ',');
	api_csv_field(out->b, cert->row.organisation_name, ',');
	api_csv_field(out->b, cert->row.credit_code, ',');
	api_csv_field(out->b, cat ? cat->name_zh : cert->row.category, ',');
	buf_printf(out->b, "%d,", cert->row.level);
	api_csv_field(out->b, status_name(st->status), ',');
	api_csv_field(out->b, label_status_zh(st->status), ',');
	api_csv_field(out->b,
	    status_flags_format(st->flags, ";", flags, sizeof flags), ',');
	api_csv_field(out->b, labels, ',');
	api_csv_field(out->b, label_validity_zh(st, validity), ',');
	csv_date(out->b, cert->row.valid_until);
	csv_date(out->b, st->since);
	csv_date(out->b, (st->flags & STATUS_FLAGS_ORDERS)
	                     ? st->rectification_deadline
	                     : DATE_NONE);
	csv_date(out->b,
	    (st->flags & STATUS_FLAG_WARNING) ? st->warning_until : DATE_NONE);
	csv_tail(out->c, out->b);
	out->count++;
}

/* ---- the call ---- */

/* The entries of `list`, at most LOOKUP_ENTRIES_MAX; -1 with a 400. */
static int
split(struct api_call *c, const char *list, char (*entries)[LOOKUP_MAX],
    int *count)
{
	const char *p = list;
	char entry[LOOKUP_MAX];

	*count = 0;
	while (lookup_next(&p, entry) == 0) {
		if (*count == LOOKUP_ENTRIES_MAX) {
			api_call_problem(c, 400, "number",
			    "number takes at most %d entries; check the rest "
			    "in another call",
			    LOOKUP_ENTRIES_MAX);
			return -1;
		}
		memcpy(entries[(*count)++], entry, LOOKUP_MAX);
	}
	if (*count == 0) {
		api_call_problem(c, 400, "number",
		    "number needs certificate numbers or credit codes, "
		    "separated by commas");
		return -1;
	}
	return 0;
}

void
api_numbers(struct api_call *c, const char *list)
{
	const struct snapshot_meta *meta = api_db_meta(c->db);
	const char *format = api_query_get(&c->query, "format");
	const char *unknown = api_query_unknown(&c->query, NUMBERS_PARAMS);
	char(*entries)[LOOKUP_MAX];
	struct buf *b = &c->resp->body;
	int count, csv, found = 0;

	if (unknown) {
		api_call_problem(c, 400, unknown,
		    "%s cannot be combined with number: the bulk check "
		    "takes only number, as_of and format",
		    unknown);
		return;
	}
	if (format && strcmp(format, "json") != 0 &&
	    strcmp(format, "csv") != 0) {
		api_call_problem(
		    c, 400, "format", "format must be json or csv");
		return;
	}
	csv = format && strcmp(format, "csv") == 0;
	entries = mem_alloc(LOOKUP_ENTRIES_MAX * sizeof *entries);
	if (split(c, list, entries, &count) != 0) {
		free(entries);
		return;
	}
	if (csv) {
		buf_puts(b, CSV_HEADER);
	} else {
		buf_puts(b, "{\"as_of\":");
		api_json_put_date(b, c->day);
		buf_puts(b, ",\"published_at\":");
		api_json_put_text(b, meta->published_at);
		buf_puts(b, ",\"sha256\":");
		api_json_put_text(b, meta->sha256);
		buf_printf(b, ",\"entries\":%d,\"results\":[", count);
	}
	for (int i = 0; i < count; i++) {
		struct api_entry e;
		struct buf certs = BUF_INIT;
		struct json_out jo = {c, &certs, 0};
		struct csv_out co = {c, b, &e, 0};
		int n = csv ? api_entry_lookup(c->snap, entries[i], c->day, &e,
		                  csv_found, &co)
		            : api_entry_lookup(c->snap, entries[i], c->day, &e,
		                  json_found, &jo);
		if (n < 0) {
			buf_free(&certs);
			free(entries);
			api_call_failed(c);
			return;
		}
		found += n > 0;
		if (csv) {
			if (n == 0) {
				csv_entry(b, &e, 0);
				/* number to warning_until: empty */
				buf_puts(b, ",,,,,,,,,,,,,,");
				csv_tail(c, b);
			}
			continue;
		}
		buf_puts(b, i ? ",{\"input\":" : "{\"input\":");
		api_json_put_text(b, entries[i]);
		buf_puts(b, ",\"kind\":\"");
		buf_puts(b, kind_name(e.kind));
		buf_puts(b, "\",\"query\":");
		api_json_put_text(b, e.kind == LOOKUP_TEXT ? NULL : e.query);
		buf_puts(b, n > 0 ? ",\"found\":true" : ",\"found\":false");
		buf_puts(b, ",\"note\":");
		api_json_put_text(b, e.note);
		buf_puts(b, ",\"certificates\":[");
		if (certs.len)
			buf_put(b, certs.data, certs.len);
		buf_puts(b, "]}");
		buf_free(&certs);
	}
	free(entries);
	if (csv) {
		char day[DATE_BUFSIZE];
		c->resp->status = 200;
		buf_printf(&c->resp->headers,
		    "Content-Type: text/csv; charset=utf-8; header=present\r\n"
		    "Content-Disposition: attachment; "
		    "filename=\"registry-check-%s.csv\"\r\n",
		    date_format(c->day, day));
		return;
	}
	buf_printf(b, "],\"found\":%d}\n", found);
	api_call_ok(c);
}
