/*
 * The documents of one certificate and one organisation (see doc.h).
 */
#include "registry/api/doc.h"

#include "registry/api/cert.h"
#include "registry/api/json.h"

#define MAX_CERTIFICATES                                                       \
	1000 /* per organisation page; far above any real                      \
	        holder's count */

int
api_doc_certificate(
    struct snapshot *s, const char *number, int day, struct buf *b)
{
	struct snapshot_rows *rows = snapshot_cert(s, number);
	struct api_cert cert;
	int rc = api_cert_next(s, rows, day, &cert);

	if (rc != 1) {
		snapshot_rows_done(rows);
		return rc;
	}
	/* The holder's English name, when it has one. */
	struct snapshot_rows *holder =
	    snapshot_org(s, cert.row.organisation_id);
	struct snapshot_org org;
	int found = snapshot_next_org(holder, &org);
	if (found < 0) {
		snapshot_rows_done(holder);
		snapshot_rows_done(rows);
		return -1;
	}
	if (found == 1 && org.name_en && *org.name_en)
		cert.holder_name_en = org.name_en;
	/* The certificate, and its notices as one more member. */
	api_cert_write(s, &cert, NULL, b);
	snapshot_rows_done(holder);
	b->len--;
	buf_puts(b, ",\"notices\":");
	rc = api_cert_write_notices(s, &cert, b);
	snapshot_rows_done(rows);
	if (rc != 0)
		return -1;
	buf_puts(b, "}\n");
	return 1;
}

void
api_doc_put_org(struct buf *b, const struct snapshot_org *org)
{
	buf_puts(b, "{\"id\":");
	api_json_put_int(b, org->id);
	buf_puts(b, ",\"name\":");
	api_json_put_text(b, org->name);
	if (org->name_en && *org->name_en) {
		buf_puts(b, ",\"name_en\":");
		api_json_put_text(b, org->name_en);
	}
	buf_puts(b, ",\"credit_code\":");
	api_json_put_text(b, org->credit_code);
	buf_puts(b, ",\"address\":");
	api_json_put_text(b, org->address);
	buf_puts(b, ",\"certificate_count\":");
	api_json_put_int(b, org->certificate_count);
}

/* ,"former_names":[...]; 0, or -1 when they cannot be read. */
static int
put_former_names(struct snapshot *s, long long id, struct buf *b)
{
	struct snapshot_rows *rows =
	    snapshot_former_names(s, id, SNAPSHOT_BY_ID);
	struct snapshot_former_name name;
	int rc, count = 0;

	buf_puts(b, ",\"former_names\":[");
	while ((rc = snapshot_next_former_name(rows, &name)) == 1) {
		if (count++)
			buf_putc(b, ',');
		buf_puts(b, "{\"name\":");
		api_json_put_text(b, name.name);
		buf_puts(b, ",\"until\":");
		api_json_put_date(b, name.until);
		buf_putc(b, '}');
	}
	snapshot_rows_done(rows);
	buf_putc(b, ']');
	return rc < 0 ? -1 : 0;
}

/* ,"certificates":[...] on `day`; 0, or -1. */
static int
put_certificates(struct snapshot *s, long long id, int day, struct buf *b)
{
	struct snapshot_rows *rows =
	    snapshot_certs_of_org(s, id, SNAPSHOT_BY_NUMBER);
	struct api_cert cert;
	int rc = 0, count = 0;

	buf_puts(b, ",\"certificates\":[");
	while (count < MAX_CERTIFICATES &&
	       (rc = api_cert_next(s, rows, day, &cert)) == 1) {
		if (count++)
			buf_putc(b, ',');
		api_cert_write(s, &cert, NULL, b);
	}
	snapshot_rows_done(rows);
	buf_putc(b, ']');
	return rc < 0 ? -1 : 0;
}

int
api_doc_organisation(struct snapshot *s, long long id, int day, struct buf *b)
{
	struct snapshot_rows *rows = snapshot_org(s, id);
	struct snapshot_org org;
	int rc = snapshot_next_org(rows, &org);

	if (rc == 1)
		api_doc_put_org(b, &org);
	snapshot_rows_done(rows);
	if (rc != 1)
		return rc;
	buf_puts(b, ",\"as_of\":");
	api_json_put_date(b, day);
	if (put_former_names(s, id, b) != 0 ||
	    put_certificates(s, id, day, b) != 0)
		return -1;
	buf_puts(b, "}\n");
	return 1;
}
