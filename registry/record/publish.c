/*
 * Publishing (see publish.h): each scan of the registry feeds the
 * snapshot writer a row at a time, so a million certificates take
 * constant memory.  The certificates' status columns are status_on() on
 * the publishing date, from the events db_scan_certs() gives with each.
 */
#include "registry/record/publish.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/base/clock.h"
#include "registry/record/db_scan.h"
#include "registry/record/logpub.h"
#include "registry/snapshot/write.h"

struct publish {
	struct db *db;
	struct snapshot_writer *writer;
	int day;            /* the date statuses are computed for */
	struct logpub *log; /* the signing step, or NULL */
};

/* A row the writer refused: its message becomes the registry's. */
static int
refused(struct publish *p)
{
	return db_fail(p->db, "%s", snapshot_write_error(p->writer));
}

static int
put_category(void *arg, const struct db_category_row *row)
{
	struct publish *p = arg;
	struct snapshot_category c = {
	    row->code, row->position, row->name_zh, row->name_en};

	return snapshot_write_category(p->writer, &c) ? refused(p) : 0;
}

static int
put_level(void *arg, const struct db_level_row *row)
{
	struct publish *p = arg;
	struct snapshot_level l = {row->level, row->name_zh, row->name_en};

	return snapshot_write_level(p->writer, &l) ? refused(p) : 0;
}

static int
put_org(void *arg, const struct db_org_row *row)
{
	struct publish *p = arg;
	struct snapshot_org o = {row->id, row->name, row->credit_code,
	    row->address, row->certificate_count, row->name_en};

	return snapshot_write_org(p->writer, &o) ? refused(p) : 0;
}

static int
put_number(void *arg, long long id, const char *number)
{
	struct publish *p = arg;

	return snapshot_write_number(p->writer, id, number) ? refused(p) : 0;
}

static int
put_cert(void *arg, const struct db_cert_row *row)
{
	struct publish *p = arg;
	struct status_facts facts = {row->issued_on, row->valid_until};
	struct snapshot_cert c = {
	    .id = row->id,
	    .number = row->number,
	    .category = row->category,
	    .level = row->level,
	    .issued_on = row->issued_on,
	    .valid_until = row->valid_until,
	    .organisation_id = row->holder_id,
	    .organisation_name = row->holder_name,
	    .credit_code = row->credit_code,
	    .predecessor = row->predecessor,
	    .successor = row->successor,
	};

	status_on(&facts, row->events, row->event_count, p->day, &c.status);
	return snapshot_write_cert(p->writer, &c) ? refused(p) : 0;
}

/* The event as the next leaf of the log. */
static int
log_event(struct publish *p, const struct db_event_row *row)
{
	char why[1024];

	return logpub_event(p->log, row, why, sizeof why) != 0
	           ? db_fail(p->db, "%s", why)
	           : 0;
}

static int
put_event(void *arg, const struct db_event_row *row)
{
	struct publish *p = arg;
	struct snapshot_event e = {
	    .seq = row->id,
	    .kind = row->kind,
	    .certificate_id = row->certificate_id,
	    .number = row->number,
	    .organisation_id = row->organisation_id,
	    .effective_on = row->effective_on,
	    .recorded_at = row->recorded_at,
	    .reason = row->reason,
	    .reference = row->reference,
	    .deadline = row->deadline,
	    .target_seq = row->target_id,
	    .old_value = row->old_value,
	    .new_value = row->new_value,
	    .other_organisation_id = row->other_organisation_id,
	    .other_number = row->other_number,
	};

	if (snapshot_write_event(p->writer, &e) != 0)
		return refused(p);
	return p->log != NULL ? log_event(p, row) : 0;
}

/* What the snapshot's meta says: the date statuses are for (a sample's
 * own date, else `now`'s in China Standard Time) and whether it is a
 * sample. */
static int
read_meta(struct db *db, long long now, struct snapshot_write_meta *meta)
{
	char *sample_today = NULL, *sample = NULL;
	int rc = -1;

	meta->published_at = now;
	meta->as_of = date_from_epoch(now);
	meta->generator = "registryctl " VERSION;
	if (db_meta_get(db, "sample_today", &sample_today) != 0 ||
	    db_meta_get(db, "sample", &sample) != 0)
		goto done;
	if (sample_today != NULL)
		date_parse(sample_today, &meta->as_of);
	meta->sample = sample != NULL && strcmp(sample, "1") == 0;
	rc = 0;
done:
	free(sample_today);
	free(sample);
	return rc;
}

/* Every row of the registry into the writer, in one read transaction. */
static int
copy_registry(struct publish *p)
{
	int rc;

	if (db_begin_read(p->db) != 0)
		return -1;
	rc = db_scan_categories(p->db, put_category, p) ||
	     db_scan_levels(p->db, put_level, p) ||
	     db_scan_orgs(p->db, put_org, p) ||
	     db_scan_numbers(p->db, put_number, p) ||
	     db_scan_certs(p->db, put_cert, p) ||
	     db_scan_events(p->db, put_event, p);
	return db_end(p->db, rc == 0) != 0 || rc != 0 ? -1 : 0;
}

/* A leftover temporary file removed: named in the summary. */
static void
leftover(void *arg, const char *path, long long bytes)
{
	struct publish_summary *summary = arg;
	size_t used = strlen(summary->leftover_names);

	summary->leftovers++;
	summary->leftover_bytes += bytes;
	snprintf(summary->leftover_names + used,
	    sizeof summary->leftover_names - used, "%s%s", used ? ", " : "",
	    path);
}

int
publish_snapshot(struct db *db, const char *target, long long now,
    struct publish_summary *summary)
{
	return publish_snapshot_signed(db, target, now, NULL, summary);
}

int
publish_snapshot_signed(struct db *db, const char *target, long long now,
    const struct publish_signing *signing, struct publish_summary *summary)
{
	struct publish p = {db, NULL, DATE_NONE, NULL};
	struct snapshot_write_meta meta = {0};
	struct snapshot_write_summary written;
	double start;
	char why[1024];
	int ok = 0;

	memset(summary, 0, sizeof *summary);
	start = clock_seconds();
	if (read_meta(db, now, &meta) != 0)
		goto done;
	p.day = meta.as_of;
	date_format(p.day, summary->as_of);
	/* A folder that cannot be read fails at the writer below. */
	snapshot_write_sweep(target, leftover, summary, why, sizeof why);
	if ((p.writer = snapshot_write_begin(target, why, sizeof why)) ==
	    NULL) {
		db_fail(db, "%s", why);
		goto done;
	}
	if (signing != NULL &&
	    (p.log = logpub_begin(signing->key_path, signing->log_dir, why,
	         sizeof why)) == NULL) {
		db_fail(db, "%s", why);
		goto done;
	}
	if (copy_registry(&p) != 0)
		goto done;
	if (p.log != NULL && logpub_check(p.log, why, sizeof why) != 0) {
		db_fail(db, "%s", why);
		goto done;
	}
	if (snapshot_write_commit(p.writer, &meta, &written) != 0) {
		refused(&p);
		goto done;
	}
	if (p.log != NULL && logpub_sign(p.log, meta.as_of, written.sha256,
	                         &summary->log, why, sizeof why) != 0) {
		db_fail(
		    db, "the snapshot is published but not signed: %s", why);
		goto done;
	}
	summary->certificates = written.certificates;
	summary->organisations = written.organisations;
	summary->events = written.events;
	memcpy(summary->sha256, written.sha256, sizeof summary->sha256);
	ok = 1;
done:
	logpub_free(p.log);
	snapshot_write_free(p.writer);
	summary->seconds = clock_seconds() - start;
	if (!ok) {
		snprintf(why, sizeof why, "%s", db_error(db));
		db_fail(db, "publish: %s", why);
	}
	return ok ? 0 : -1;
}
