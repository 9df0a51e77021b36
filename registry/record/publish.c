/*
 * Publishing (see publish.h): each scan of the registry feeds the
 * snapshot writer a row at a time, so a million certificates take
 * constant memory.  The certificates' status columns are status_on() on
 * the publishing date, from the events db_scan_cert_facts() gives with
 * each.  The organisations, numbers, certificates and events, all but a
 * few rows, are read (the statuses computed, and with a key the events
 * encoded for the log) on a thread of their own, the feed, while this one
 * writes them: rows pass in batches through a bounded queue, and while
 * none is ready the writer does what it can ahead (snapshot_write_idle()).
 */
#include "registry/record/publish.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/base/clock.h"
#include "registry/base/queue.h"
#include "registry/record/db_scan.h"
#include "registry/record/logpub.h"
#include "registry/snapshot/write.h"

struct publish {
	struct db *db;
	struct snapshot_writer *writer;
	int day;            /* the date statuses are computed for */
	struct logpub *log; /* the signing step, or NULL */
	char why[1024];     /* why a row fed was refused */
};

#define FEED_BATCH (64 * 1024) /* rows handed over at once */

/* The feed: the thread that reads the registry's rows. */
struct feed {
	struct publish *p; /* only its db, day and log, until joined */
	struct queue queue;
	struct buf batch; /* rows not handed over yet */
	pthread_t thread;
	int rc; /* the scans' result (db_error() says why), once joined */
	int log_failed; /* an event the log refused: why in log_why */
	char log_why[1024];
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

/* ---- the feed ---- */

/* A string into a batch: its length (UINT32_MAX for NULL), then its
 * bytes and NUL. */
static void
pack_str(struct buf *b, const char *text)
{
	uint32_t len = text == NULL ? UINT32_MAX : (uint32_t)strlen(text);

	buf_put(b, &len, sizeof len);
	if (text != NULL)
		buf_put(b, text, (size_t)len + 1);
}

/* The string packed at *at, which moves past it: it points into the
 * batch. */
static const char *
unpack_str(const char **at)
{
	const char *text;
	uint32_t len;

	memcpy(&len, *at, sizeof len);
	*at += sizeof len;
	if (len == UINT32_MAX)
		return NULL;
	text = *at;
	*at += (size_t)len + 1;
	return text;
}

/* The batch to the writer when it is full: 0, or -1 when the writer
 * has stopped. */
static int
feed_flush(struct feed *f)
{
	return f->batch.len >= FEED_BATCH ? queue_put(&f->queue, &f->batch) : 0;
}

/* An organisation: a tag 'O', its id and count, then its strings. */
static int
feed_org(void *arg, const struct db_org_row *row)
{
	struct feed *f = arg;

	buf_putc(&f->batch, 'O');
	buf_put(&f->batch, &row->id, sizeof row->id);
	buf_put(
	    &f->batch, &row->certificate_count, sizeof row->certificate_count);
	pack_str(&f->batch, row->name);
	pack_str(&f->batch, row->credit_code);
	pack_str(&f->batch, row->address);
	pack_str(&f->batch, row->name_en);
	return feed_flush(f);
}

/* A certificate's number, in the order of the numbers: a tag 'N', the
 * certificate's id, then the number. */
static int
feed_number(void *arg, long long id, const char *number)
{
	struct feed *f = arg;

	buf_putc(&f->batch, 'N');
	buf_put(&f->batch, &id, sizeof id);
	pack_str(&f->batch, number);
	return feed_flush(f);
}

/* A certificate with its status on the publishing date: a tag 'C', the
 * struct, then its strings. */
static int
feed_cert(void *arg, const struct db_cert_row *row)
{
	struct feed *f = arg;
	struct status_facts facts = {row->issued_on, row->valid_until};
	struct snapshot_cert c = {
	    .id = row->id,
	    .level = row->level,
	    .issued_on = row->issued_on,
	    .valid_until = row->valid_until,
	    .organisation_id = row->holder_id,
	    .predecessor_id = row->predecessor_id,
	    .successor_id = row->successor_id,
	};

	status_on(&facts, row->events, row->event_count, f->p->day, &c.status);
	buf_putc(&f->batch, 'C');
	buf_put(&f->batch, &c, sizeof c);
	pack_str(&f->batch, row->number);
	pack_str(&f->batch, row->category);
	pack_str(&f->batch, row->predecessor);
	pack_str(&f->batch, row->successor);
	return feed_flush(f);
}

/* An event: with a key, into the log (the log is the feed's until it is
 * joined); a tag 'E', the struct, then its strings. */
static int
feed_event(void *arg, const struct db_event_row *row)
{
	struct feed *f = arg;

	if (f->p->log != NULL &&
	    logpub_event(f->p->log, row, f->log_why, sizeof f->log_why) != 0) {
		f->log_failed = 1;
		return -1;
	}
	buf_putc(&f->batch, 'E');
	buf_put(&f->batch, row, sizeof *row);
	pack_str(&f->batch, row->number);
	pack_str(&f->batch, row->recorded_at);
	pack_str(&f->batch, row->reason);
	pack_str(&f->batch, row->reference);
	pack_str(&f->batch, row->old_value);
	pack_str(&f->batch, row->new_value);
	pack_str(&f->batch, row->other_number);
	return feed_flush(f);
}

static void *
feed_run(void *arg)
{
	struct feed *f = arg;

	f->rc = db_scan_orgs(f->p->db, feed_org, f) ||
	                db_scan_numbers(f->p->db, feed_number, f) ||
	                db_scan_cert_facts(f->p->db, feed_cert, f) ||
	                db_scan_events(f->p->db, feed_event, f) ||
	                queue_put(&f->queue, &f->batch)
	            ? -1
	            : 0;
	queue_close(&f->queue);
	return NULL;
}

/* The writer's answer to a row from the feed: 0, or -1 with its
 * refusal in p->why. */
static int
taken(struct publish *p, int rc)
{
	if (rc == 0)
		return 0;
	snprintf(p->why, sizeof p->why, "%s", snapshot_write_error(p->writer));
	return -1;
}

/* An organisation from the feed to the writer. */
static int
take_org(struct publish *p, const char **at)
{
	struct snapshot_org o;

	memcpy(&o.id, *at, sizeof o.id);
	*at += sizeof o.id;
	memcpy(&o.certificate_count, *at, sizeof o.certificate_count);
	*at += sizeof o.certificate_count;
	o.name = unpack_str(at);
	o.credit_code = unpack_str(at);
	o.address = unpack_str(at);
	o.name_en = unpack_str(at);
	return taken(p, snapshot_write_org(p->writer, &o));
}

/* A certificate's number from the feed to the writer. */
static int
take_number(struct publish *p, const char **at)
{
	long long id;
	const char *number;

	memcpy(&id, *at, sizeof id);
	*at += sizeof id;
	number = unpack_str(at);
	return taken(p, snapshot_write_number(p->writer, id, number));
}

/* A certificate from the feed to the writer. */
static int
take_cert(struct publish *p, const char **at)
{
	struct snapshot_cert c;

	memcpy(&c, *at, sizeof c);
	*at += sizeof c;
	c.number = unpack_str(at);
	c.category = unpack_str(at);
	c.predecessor = unpack_str(at);
	c.successor = unpack_str(at);
	return taken(p, snapshot_write_cert(p->writer, &c));
}

/* An event from the feed to the writer. */
static int
take_event(struct publish *p, const char **at)
{
	struct db_event_row row;

	memcpy(&row, *at, sizeof row);
	*at += sizeof row;
	row.number = unpack_str(at);
	row.recorded_at = unpack_str(at);
	row.reason = unpack_str(at);
	row.reference = unpack_str(at);
	row.old_value = unpack_str(at);
	row.new_value = unpack_str(at);
	row.other_number = unpack_str(at);
	struct snapshot_event e = {
	    .seq = row.id,
	    .kind = row.kind,
	    .certificate_id = row.certificate_id,
	    .number = row.number,
	    .organisation_id = row.organisation_id,
	    .effective_on = row.effective_on,
	    .recorded_at = row.recorded_at,
	    .reason = row.reason,
	    .reference = row.reference,
	    .deadline = row.deadline,
	    .target_seq = row.target_id,
	    .old_value = row.old_value,
	    .new_value = row.new_value,
	    .other_organisation_id = row.other_organisation_id,
	    .other_number = row.other_number,
	    .other_certificate_id = row.other_certificate_id,
	    .new_value_is_name = row.new_value_is_name,
	};

	return taken(p, snapshot_write_event(p->writer, &e));
}

/*
 * The organisations, the numbers, the certificates and the events: read
 * by the feed, written here.  On a
 * refusal the feed is stopped, and the refusal is the registry's
 * message once the feed has ended (the registry's connection is the
 * feed's until then).
 */
static int
copy_rows(struct publish *p)
{
	struct feed f = {.p = p};
	struct buf batch = BUF_INIT;
	int rc = 0, err;

	queue_init(&f.queue);
	if ((err = pthread_create(&f.thread, NULL, feed_run, &f)) != 0) {
		queue_free(&f.queue);
		return db_fail(p->db, "cannot start reading the registry: %s",
		    strerror(err));
	}
	for (;;) {
		int idle = 1;
		/* While the feed has nothing ready, the writer's work that
		 * waits for no row. */
		while (idle > 0 && !queue_ready(&f.queue))
			idle = snapshot_write_idle(p->writer);
		if (idle < 0) {
			snprintf(p->why, sizeof p->why, "%s",
			    snapshot_write_error(p->writer));
			rc = -1;
		}
		if (rc != 0 || !queue_take(&f.queue, &batch))
			break;
		const char *at = batch.data, *end = at + batch.len;
		while (rc == 0 && at < end) {
			switch (*at++) {
			case 'O':
				rc = take_org(p, &at);
				break;
			case 'N':
				rc = take_number(p, &at);
				break;
			case 'C':
				rc = take_cert(p, &at);
				break;
			default:
				rc = take_event(p, &at);
			}
		}
	}
	if (rc != 0)
		queue_stop(&f.queue);
	pthread_join(f.thread, NULL);
	queue_free(&f.queue);
	buf_free(&f.batch);
	buf_free(&batch);
	if (rc != 0)
		return db_fail(p->db, "%s", p->why);
	if (f.log_failed)
		return db_fail(p->db, "%s", f.log_why);
	return f.rc;
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
	     db_scan_levels(p->db, put_level, p) || copy_rows(p);
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
	struct publish p = {db, NULL, DATE_NONE, NULL, ""};
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
