/*
 * Writing snapshots (see write.h; the tables are schema.h's).  The file
 * is built on a connection of its own without a journal (a failed build
 * is simply deleted) and made durable by one fsync before the rename.
 */
#include "registry/snapshot/write.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <dirent.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "registry/base/buf.h"
#include "registry/base/mem.h"
#include "registry/snapshot/grams.h"
#include "registry/snapshot/runs.h"
#include "registry/snapshot/schema.h"

enum insert {
	I_CATEGORY,
	I_LEVEL,
	I_KIND,
	I_ORG,
	I_FORMER,
	I_VOIDED,
	I_SEARCH,
	I_SEARCH_NAMES,
	I_SEARCH_DROP,
	I_CERT,
	I_EVENT,
	I_META,
	I_GRAM,
	I_TEXT,
	I_TEXT_ID,
	I_TEXT_FIND,
	I_RUN,
	I_CATEGORY_RUN,
	I_LEVEL_RUN,
	I_STATUS_RUN,
	I_COUNT
};

static const char *const INSERTS[I_COUNT] = {
    [I_CATEGORY] = "INSERT INTO categories(code, position, name_zh, "
                   "name_en) VALUES (?, ?, ?, ?)",
    [I_LEVEL] = "INSERT INTO levels(level, name_zh, name_en) "
                "VALUES (?, ?, ?)",
    [I_KIND] = "INSERT INTO kinds(code, name) VALUES (?, ?)",
    [I_ORG] = "INSERT INTO organisations(id, name, credit_code, address, "
              "certificate_count, name_en) VALUES (?, ?, ?, ?, ?, ?)",
    [I_FORMER] = "INSERT INTO former_names(organisation_id, event_id, "
                 "name, until) VALUES (?, ?, ?, ?)",
    [I_CERT] = "INSERT INTO certificates(id, recorded, category, "
               "level, issued_on, valid_until, organisation_id, "
               "predecessor, successor, status, status_since, flags, "
               "warning_until, rectification_deadline, windows, "
               "annual1_done_on, annual2_done_on, renewal_done_on) "
               "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    /* deadline ?10, target_seq ?11, old_value ?12 and
     * other_organisation_id ?14 into `rare` (schema.h) */
    [I_EVENT] = "INSERT INTO events(seq, kind, certificate_id, "
                "organisation_id, effective_on, recorded_at, reason, "
                "reason_number, reference, new_value, other_number, rare) "
                "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?13,?15,"
                "CASE WHEN coalesce(?10, ?11, ?12, ?14) IS NULL THEN NULL "
                "ELSE json_array(?10, ?11, ?12, ?14, NULL) END)",
    /* An event's voided_by, the fifth of `rare` (schema.h). */
    [I_VOIDED] = "UPDATE events SET rare = json_set(coalesce(rare, "
                 "json_array(NULL, NULL, NULL, NULL, NULL)), '$[4]', ?2) "
                 "WHERE seq = ?1",
    [I_SEARCH] = SNAPSHOT_SCHEMA_SEARCH,
    [I_SEARCH_NAMES] = SNAPSHOT_SCHEMA_SEARCH_NAMES,
    [I_SEARCH_DROP] = SNAPSHOT_SCHEMA_SEARCH_DROP,
    [I_META] = "INSERT INTO meta(key, value) VALUES (?, ?)",
    [I_GRAM] = "INSERT INTO name_grams(gram, last_id, ids) VALUES (?, ?, ?)",
    [I_TEXT] = "INSERT INTO texts(id, text) VALUES (?, ?)",
    [I_TEXT_ID] = "INSERT INTO temp.text_ids(text, id) VALUES (?, ?)",
    [I_TEXT_FIND] = "SELECT id FROM temp.text_ids WHERE text = ?",
    [I_RUN] = "INSERT INTO number_runs(first_id, prefix, width, first) "
              "VALUES (?, ?, ?, ?)",
    [I_CATEGORY_RUN] = "INSERT INTO category_runs(category, first_id, "
                       "last_id) VALUES (?, ?, ?)",
    [I_LEVEL_RUN] = "INSERT INTO level_runs(level, first_id, last_id) "
                    "VALUES (?, ?, ?)",
    [I_STATUS_RUN] = "INSERT INTO status_runs(status, last_id, first_id) "
                     "VALUES (?, ?, ?)",
};

struct snapshot_writer {
	char *target, *temp;
	int lock_fd; /* the temporary file, flock()ed while it is written */
	sqlite3 *db;
	sqlite3_stmt *insert[I_COUNT];
	long long certificates, organisations, events;
	/* The snapshot's id of each certificate by the caller's id (0 for
	 * none), from snapshot_write_number(). */
	int32_t *cert_ids;
	long long cert_ids_len;
	long long numbered; /* certificates numbered so far */
	/* Finding a certificate by its number: each id's number_hash()
	 * (index 0 unused), and an open-addressing table of ids by hash
	 * (0 for a free slot; `slots` a power of two, 0 until the first
	 * lookup). */
	uint32_t *hashes;
	uint32_t *slots;
	size_t slot_count;
	int settled;              /* every certificate written */
	struct cert_spill *spill; /* certificates not yet in their table */
	/* What the filters go by, for each snapshot id (index 0 unused),
	 * kept as the certificates are written so that their runs come
	 * from memory (cert_keys_runs()); the categories by their index. */
	struct cert_keys *keys;
	char **categories;
	size_t category_count;
	struct number_runs runs; /* the numbers, in the order of the ids */
	long long texts;         /* rows in texts */
	char *last_text;         /* the last text looked up, or NULL */
	long long last_id;       /* its id */
	/* Each void's (target, void) seq, kept as the events go in so that
	 * the voided events get their voided_by without a scan of them all. */
	struct buf voids; /* long long pairs */
	/* The organisations' indexes built while the caller has nothing to
	 * give (snapshot_write_idle()): the trigram index by current names
	 * of organisations 1 to `searched`, the credit codes' index; the
	 * organisations renamed, indexed again at commit with their former
	 * names. */
	long long org_max; /* the largest organisation id written */
	long long searched;
	int credit_indexed;
	struct buf renamed; /* long longs */
	int committed;      /* renamed into place */
	char error[1024];
};

/* A certificate's category (an index into the writer's categories),
 * level and status. */
struct cert_keys {
	int32_t level;
	uint16_t category;
	uint8_t status;
};

struct cert_spill;
static void cert_spill_free(struct cert_spill *s);

static int fail(struct snapshot_writer *w, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

static int
fail(struct snapshot_writer *w, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	vsnprintf(w->error, sizeof w->error, format, ap);
	va_end(ap);
	return -1;
}

static int
sql_fail(struct snapshot_writer *w, const char *what)
{
	return fail(w, "%s: %s", what, sqlite3_errmsg(w->db));
}

static int
exec(struct snapshot_writer *w, const char *sql, const char *what)
{
	if (sqlite3_exec(w->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return sql_fail(w, what);
	return 0;
}

static int run(
    struct snapshot_writer *w, enum insert which, int bound, const char *what);

const char *
snapshot_write_error(const struct snapshot_writer *w)
{
	return w->error;
}

struct snapshot_writer *
snapshot_write_begin(const char *target, char *why, size_t why_size)
{
	struct snapshot_writer *w = mem_calloc(1, sizeof *w);
	int fd;

	w->target = mem_strdup(target);
	w->lock_fd = -1;
	w->temp = mem_printf("%s.tmp-XXXXXX", target);
	if ((fd = mkstemp(w->temp)) < 0) {
		snprintf(why, why_size,
		    "%s: cannot create a temporary file beside it: %s", target,
		    strerror(errno));
		free(w->temp);
		w->temp = NULL;
		goto fail;
	}
	/* Held until the writer is freed: a file nobody holds is one a
	 * killed publish left (snapshot_write_sweep()). */
	flock(fd, LOCK_EX);
	fchmod(fd, 0644);
	w->lock_fd = fd;
	if (sqlite3_open_v2(w->temp, &w->db,
	        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
	        NULL) != SQLITE_OK ||
	    exec(w,
	        "PRAGMA page_size = 4096; PRAGMA journal_mode = OFF; "
	        "PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE; "
	        "PRAGMA cache_size = -16384; PRAGMA temp_store = FILE; "
	        "PRAGMA temp.cache_size = -4096; BEGIN",
	        "starting") != 0 ||
	    exec(w, SNAPSHOT_SCHEMA_TABLES, "creating the tables") != 0 ||
	    exec(w,
	        "CREATE TEMP TABLE text_ids(text TEXT PRIMARY KEY, "
	        "id INTEGER NOT NULL) WITHOUT ROWID",
	        "creating the tables") != 0)
		goto sql_error;
	for (int i = 0; i < I_COUNT; i++)
		if (sqlite3_prepare_v3(w->db, INSERTS[i], -1,
		        SQLITE_PREPARE_PERSISTENT, &w->insert[i],
		        NULL) != SQLITE_OK)
			goto sql_error;
	/* Kinds go by name: a reader maps the stored codes back. */
	for (int k = 0; k < EVENT_KIND_COUNT; k++) {
		sqlite3_stmt *stmt = w->insert[I_KIND];
		if (run(w, I_KIND,
		        sqlite3_bind_int(stmt, 1, k) |
		            sqlite3_bind_text(stmt, 2,
		                event_kind_name((enum event_kind)k), -1,
		                SQLITE_STATIC),
		        "kinds") != 0) {
			snprintf(why, why_size, "%s: %s", w->temp, w->error);
			goto fail;
		}
	}
	return w;
sql_error:
	snprintf(why, why_size, "%s: %s", w->temp,
	    w->db ? sqlite3_errmsg(w->db) : "cannot open");
fail:
	snapshot_write_free(w);
	return NULL;
}

void
snapshot_write_free(struct snapshot_writer *w)
{
	if (w == NULL)
		return;
	for (int i = 0; i < I_COUNT; i++)
		sqlite3_finalize(w->insert[i]);
	sqlite3_close(w->db);
	if (w->temp != NULL && !w->committed)
		unlink(w->temp);
	if (w->lock_fd >= 0)
		close(w->lock_fd);
	cert_spill_free(w->spill);
	free(w->cert_ids);
	free(w->hashes);
	free(w->slots);
	number_runs_free(&w->runs);
	free(w->last_text);
	buf_free(&w->voids);
	buf_free(&w->renamed);
	free(w->keys);
	for (size_t i = 0; i < w->category_count; i++)
		free(w->categories[i]);
	free(w->categories);
	free(w->temp);
	free(w->target);
	free(w);
}

int
snapshot_write_sweep(const char *target,
    void (*removed)(void *arg, const char *path, long long bytes), void *arg,
    char *why, size_t why_size)
{
	char *copy = mem_strdup(target), *copy2 = mem_strdup(target);
	const char *folder = dirname(copy), *base = basename(copy2);
	char *prefix = mem_printf("%s.tmp-", base);
	size_t prefix_len = strlen(prefix);
	DIR *dir = opendir(folder);
	struct dirent *e;
	int count = 0;

	if (dir == NULL) {
		snprintf(why, why_size, "%s: %s", folder, strerror(errno));
		count = -1;
		goto done;
	}
	while ((e = readdir(dir)) != NULL) {
		char *path;
		struct stat st;
		int fd;
		/* mkstemp()'s names: the prefix and six characters. */
		if (strncmp(e->d_name, prefix, prefix_len) != 0 ||
		    strlen(e->d_name) != prefix_len + 6)
			continue;
		path = mem_printf("%s/%s", folder, e->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		/* A writer alive holds its lock: leave its file alone. */
		if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
		    flock(fd, LOCK_EX | LOCK_NB) == 0 && unlink(path) == 0) {
			count++;
			if (removed != NULL)
				removed(arg, path, (long long)st.st_size);
		}
		if (fd >= 0)
			close(fd);
		free(path);
	}
	closedir(dir);
done:
	free(prefix);
	free(copy);
	free(copy2);
	return count;
}

/* ---- rows ---- */

/* Text that lives until the insert has run (every insert runs within
 * the call that binds it): not copied. */
static int
bind_text(sqlite3_stmt *stmt, int i, const char *text)
{
	if (text == NULL)
		return sqlite3_bind_null(stmt, i);
	return sqlite3_bind_text(stmt, i, text, -1, SQLITE_STATIC);
}

/* A date as its day number; DATE_NONE as NULL. */
static int
bind_date(sqlite3_stmt *stmt, int i, int date)
{
	if (date == DATE_NONE)
		return sqlite3_bind_null(stmt, i);
	return sqlite3_bind_int(stmt, i, date);
}

/* A UTC timestamp as Unix time when that gives back the same text, else
 * the text as it is. */
static int
bind_timestamp(sqlite3_stmt *stmt, int i, const char *text)
{
	char back[TIMESTAMP_BUFSIZE];
	long long seconds;

	if (text != NULL && date_parse_timestamp(text, &seconds) == 0 &&
	    strcmp(date_format_timestamp(seconds, back), text) == 0)
		return sqlite3_bind_int64(stmt, i, seconds);
	return bind_text(stmt, i, text);
}

/* An id or count where 0 means none: SQL NULL. */
static int
bind_id(sqlite3_stmt *stmt, int i, long long id)
{
	if (id == 0)
		return sqlite3_bind_null(stmt, i);
	return sqlite3_bind_int64(stmt, i, id);
}

/*
 * Runs insert `which` with the values bound (`bound`: their OR-ed
 * results).  0, or -1 with "writing `what`: why".  Every caller binds
 * each parameter of its insert on every run, so the bindings are not
 * cleared (a cost on each of millions of rows).
 */
static int
run(struct snapshot_writer *w, enum insert which, int bound, const char *what)
{
	sqlite3_stmt *stmt = w->insert[which];
	char message[64];
	int rc = bound == SQLITE_OK && sqlite3_step(stmt) == SQLITE_DONE;

	if (!rc) {
		snprintf(message, sizeof message, "writing %s", what);
		sql_fail(w, message);
	}
	sqlite3_reset(stmt);
	return rc ? 0 : -1;
}

int
snapshot_write_category(
    struct snapshot_writer *w, const struct snapshot_category *c)
{
	sqlite3_stmt *stmt = w->insert[I_CATEGORY];

	return run(w, I_CATEGORY,
	    bind_text(stmt, 1, c->code) |
	        sqlite3_bind_int(stmt, 2, c->position) |
	        bind_text(stmt, 3, c->name_zh) | bind_text(stmt, 4, c->name_en),
	    "categories");
}

int
snapshot_write_level(struct snapshot_writer *w, const struct snapshot_level *l)
{
	sqlite3_stmt *stmt = w->insert[I_LEVEL];

	return run(w, I_LEVEL,
	    sqlite3_bind_int(stmt, 1, l->level) |
	        bind_text(stmt, 2, l->name_zh) | bind_text(stmt, 3, l->name_en),
	    "levels");
}

int
snapshot_write_org(struct snapshot_writer *w, const struct snapshot_org *o)
{
	sqlite3_stmt *stmt = w->insert[I_ORG];

	if (w->searched > 0 || w->credit_indexed)
		return fail(w,
		    "writing organisations: organisation %lld after their "
		    "indexes were begun",
		    o->id);
	if (run(w, I_ORG,
	        sqlite3_bind_int64(stmt, 1, o->id) |
	            bind_text(stmt, 2, o->name) |
	            bind_text(stmt, 3, o->credit_code) |
	            bind_text(stmt, 4, o->address) |
	            sqlite3_bind_int64(stmt, 5, o->certificate_count) |
	            bind_text(stmt, 6, o->name_en),
	        "organisations") != 0)
		return -1;
	w->organisations++;
	if (o->id > w->org_max)
		w->org_max = o->id;
	return 0;
}

/* The three windows' states in one integer: annual 1 in bits 0-3,
 * annual 2 in bits 4-7, renewal in bits 8-11.  Their first and last days
 * follow from the certificate's dates (status_annual_window(),
 * status_renewal_window()) and are not stored. */
static int
pack_windows(const struct status *st)
{
	return (int)st->annual[0].state | (int)st->annual[1].state << 4 |
	       (int)st->renewal.state << 8;
}

/* FNV-1a of a certificate number. */
static uint32_t
number_hash(const char *text)
{
	uint32_t h = 2166136261u;

	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}

int
snapshot_write_number(
    struct snapshot_writer *w, long long recorded, const char *number)
{
	char why[256];
	long long len = w->cert_ids_len > 0 ? w->cert_ids_len : 1024;

	if (w->certificates > 0 || w->spill != NULL || w->settled)
		return fail(w,
		    "writing certificates: the number of certificate %lld "
		    "after the first certificate",
		    recorded);
	if (recorded < 1 || w->numbered >= INT32_MAX)
		return fail(w,
		    "writing certificates: certificate id %lld out of range",
		    recorded);
	if (recorded >= w->cert_ids_len) {
		while (len <= recorded)
			len *= 2;
		w->cert_ids =
		    mem_realloc(w->cert_ids, (size_t)len * sizeof *w->cert_ids);
		memset(w->cert_ids + w->cert_ids_len, 0,
		    (size_t)(len - w->cert_ids_len) * sizeof *w->cert_ids);
		w->cert_ids_len = len;
	}
	if (w->cert_ids[recorded] != 0)
		return fail(w,
		    "writing certificates: certificate %lld numbered twice",
		    recorded);
	if (number_runs_add(
	        &w->runs, w->numbered + 1, number, why, sizeof why) != 0)
		return fail(w, "writing certificates: %s", why);
	w->cert_ids[recorded] = (int32_t)++w->numbered;
	if ((w->numbered & (w->numbered - 1)) == 0) /* 1, 2, 4 …: full */
		w->hashes = mem_realloc(
		    w->hashes, 2 * (size_t)w->numbered * sizeof *w->hashes);
	w->hashes[w->numbered] = number_hash(number);
	return 0;
}

/* The table of ids by their numbers' hashes, for numbers_find(). */
static void
number_slots_build(struct snapshot_writer *w)
{
	size_t count = 1024;

	while (count < 2 * (size_t)w->numbered)
		count *= 2;
	w->slots = mem_calloc(count, sizeof *w->slots);
	w->slot_count = count;
	for (long long id = 1; id <= w->numbered; id++) {
		size_t at = w->hashes[id] & (count - 1);
		while (w->slots[at] != 0)
			at = (at + 1) & (count - 1);
		w->slots[at] = (uint32_t)id;
	}
}

/* The snapshot's id of the certificate numbered `text`, or 0: the ids
 * of the same hash, each checked against its number. */
static long long
numbers_find(struct snapshot_writer *w, const char *text)
{
	uint32_t hash = number_hash(text);
	char number[SNAPSHOT_NUMBER_MAX];
	size_t at;

	if (w->numbered == 0)
		return 0;
	if (w->slots == NULL)
		number_slots_build(w);
	for (at = hash & (w->slot_count - 1); w->slots[at] != 0;
	     at = (at + 1) & (w->slot_count - 1)) {
		uint32_t id = w->slots[at];
		if (w->hashes[id] == hash &&
		    number_runs_format(&w->runs, id, number) != NULL &&
		    strcmp(number, text) == 0)
			return id;
	}
	return 0;
}

/* The snapshot's id of the caller's certificate `id` (0: none), or -1
 * when no certificate of that id was numbered. */
static long long
cert_id(struct snapshot_writer *w, long long id)
{
	if (id == 0)
		return 0;
	if (id < 0 || id >= w->cert_ids_len || w->cert_ids[id] == 0)
		return -1;
	return w->cert_ids[id];
}

static int bind_number(struct snapshot_writer *w, sqlite3_stmt *stmt, int i,
    const char *number, long long caller_id);

/* 0 when a certificate named by the caller's id alone is one the writer
 * numbered, else -1 with "writing certificates: certificate 5's
 * predecessor 4 was not numbered" (`table`, `row`'s kind, `link`). */
static int
link_known(struct snapshot_writer *w, const char *number, long long caller_id,
    const char *table, const char *kind, long long row, const char *link)
{
	if (caller_id <= 0 || number != NULL || cert_id(w, caller_id) > 0)
		return 0;
	return fail(w, "writing %s: %s %lld's %s %lld was not numbered", table,
	    kind, row, link, caller_id);
}

/* The index of `category` among the writer's categories, added when
 * new: there are few, and certificates of one category come together. */
static long long
category_index(struct snapshot_writer *w, const char *category)
{
	for (size_t i = w->category_count; i-- > 0;)
		if (strcmp(w->categories[i], category) == 0)
			return (long long)i;
	if (w->category_count > UINT16_MAX)
		return -1;
	w->categories = mem_realloc(
	    w->categories, (w->category_count + 1) * sizeof *w->categories);
	w->categories[w->category_count] = mem_strdup(category);
	return (long long)w->category_count++;
}

/* Certificate `id`'s category, level and status kept for its runs (its
 * row is in, so its category is not NULL). */
static int
cert_keys_keep(
    struct snapshot_writer *w, long long id, const struct snapshot_cert *c)
{
	long long category = category_index(w, c->category);

	if (category < 0)
		return fail(w, "writing certificates: more than %d categories",
		    UINT16_MAX + 1);
	if (w->keys == NULL)
		w->keys = mem_calloc((size_t)w->numbered + 1, sizeof *w->keys);
	w->keys[id].level = c->level;
	w->keys[id].category = (uint16_t)category;
	w->keys[id].status = (uint8_t)c->status.status;
	return 0;
}

/*
 * The certificates on their way to their table.  They come in the
 * caller's order (the registry's), not the order of their ids; inserted
 * so, they land all over the table's b-tree, whose pages split and stay
 * part empty (4 MB of a million certificates' 48).  So
 * snapshot_write_cert() resolves a row's values (ids, category index,
 * dates, status) into a record of varints (cert_record_encode(), some
 * 30 bytes), followed by the text of a predecessor or successor the
 * snapshot does not hold, and appends it to the bucket of its range of
 * ids; from the first event on, cert_spill_drain() takes the buckets in
 * order, decodes each one's records into an array by id and inserts them
 * in the order of the ids, CERT_DRAIN_PER_EVENT at each event and the
 * rest at commit.  A bucket's records wait in a buffer of
 * CERT_BUFFER bytes, appended to a file when it is full: one file for
 * every bucket, each bucket keeping where its chunks are.  The file is
 * made beside the target, the folder a publish must be able to write and
 * on the disk that takes the snapshot anyway (TMPDIR may be a small
 * tmpfs, that is memory), and unlinked at once, so that its space goes
 * back when the writer closes it or dies.  A snapshot whose certificates
 * fit in their buffers never makes the file.
 */
#define CERT_BUCKETS_MAX 128
#define CERT_BUCKET_MIN_IDS 2048 /* few certificates: few buckets */
#define CERT_BUFFER (32 * 1024)
/* Certificates inserted at each event, once they are all in (a million
 * certificates have some 1.5 million events): spread over the events
 * instead of all at the first event, where a caller that reads ahead
 * (publish's feed, through a queue of batches) would stop for a second.  On
 * the million-certificate benchmark the two take the same time (the
 * writer is the slower of the two there); with a writer that waits for
 * its events, the inserts fill that time. */
#define CERT_DRAIN_PER_EVENT 1

/* A certificate's row as snapshot_write_cert() resolved it: the values
 * bound to I_CERT, dates as day numbers or DATE_NONE. */
struct cert_record {
	const char *texts; /* read back: its texts, in the bucket's bytes */
	int64_t recorded, organisation_id;
	int32_t id, level, issued_on, valid_until;
	/* The certificate's id, 0 for none, or CERT_TEXT: a text follows the
	 * record, NUL-terminated (the predecessor's first). */
	int32_t predecessor, successor;
	int32_t status_since, warning_until, rectification_deadline;
	int32_t annual1_done_on, annual2_done_on, renewal_done_on;
	uint32_t flags;
	int32_t windows;
	uint16_t category; /* an index into the writer's categories */
	uint8_t status;
};

#define CERT_TEXT (-1)

/* A record's values, each a varint (7 bits a byte, low first, the top
 * bit set on all but the last); signed ones zigzagged (0, -1, 1, -2 …
 * as 0, 1, 2, 3 …).  Dates but issued_on are their distance from
 * issued_on (valid_until is some 1,095 days on, a window's day within
 * it), plus 1, with 0 for DATE_NONE; a link is 0 for none, 1 for a
 * text, else the id plus 1; the id is its distance from the bucket's
 * first. */
enum { CERT_VALUES = 18 };
#define CERT_RECORD_MAX (CERT_VALUES * 10)

static uint64_t
zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (v < 0 ? UINT64_MAX : 0);
}

static int64_t
unzigzag(uint64_t v)
{
	return (v & 1) ? -(int64_t)(v >> 1) - 1 : (int64_t)(v >> 1);
}

static uint64_t
date_code(int32_t day, int32_t base)
{
	return day == DATE_NONE ? 0 : zigzag((int64_t)day - base) + 1;
}

/* Back to a date; -1 when the code is no date of int range. */
static int
date_decode(uint64_t code, int32_t base, int32_t *day)
{
	int64_t d;

	if (code == 0) {
		*day = DATE_NONE;
		return 0;
	}
	if (code - 1 > (uint64_t)1 << 34)
		return -1;
	d = unzigzag(code - 1) + base;
	if (d <= INT32_MIN || d > INT32_MAX)
		return -1;
	*day = (int32_t)d;
	return 0;
}

static uint64_t
link_code(int32_t link)
{
	return link == CERT_TEXT ? 1 : link == 0 ? 0 : (uint64_t)link + 1;
}

/* `r` (of a bucket whose first id is `first`) into `out`
 * (CERT_RECORD_MAX bytes); how many bytes it took. */
static size_t
cert_record_encode(
    const struct cert_record *r, long long first, unsigned char *out)
{
	int32_t base = r->issued_on == DATE_NONE ? 0 : r->issued_on;
	const uint64_t v[CERT_VALUES] = {
	    (uint64_t)(r->id - first),
	    zigzag(r->recorded),
	    zigzag(r->organisation_id),
	    zigzag(r->level),
	    r->category,
	    r->status,
	    r->flags,
	    zigzag(r->windows),
	    date_code(r->issued_on, 0),
	    date_code(r->valid_until, base),
	    date_code(r->status_since, base),
	    date_code(r->warning_until, base),
	    date_code(r->rectification_deadline, base),
	    date_code(r->annual1_done_on, base),
	    date_code(r->annual2_done_on, base),
	    date_code(r->renewal_done_on, base),
	    link_code(r->predecessor),
	    link_code(r->successor),
	};
	unsigned char *p = out;

	for (int i = 0; i < CERT_VALUES; i++) {
		uint64_t x = v[i];
		while (x >= 0x80) {
			*p++ = (unsigned char)(x | 0x80);
			x >>= 7;
		}
		*p++ = (unsigned char)x;
	}
	return (size_t)(p - out);
}

/* The record at *at (before `end`, of a bucket of ids first..last) into
 * `r`, *at moved past it; -1 when those bytes are not such a record. */
static int
cert_record_decode(const unsigned char **at, const unsigned char *end,
    long long first, long long last, struct cert_record *r)
{
	const unsigned char *p = *at;
	uint64_t v[CERT_VALUES];
	int32_t base;

	for (int i = 0; i < CERT_VALUES; i++) {
		uint64_t x = 0;
		int shift = 0;
		do {
			if (p == end || shift > 63)
				return -1;
			x |= (uint64_t)(*p & 0x7f) << shift;
			shift += 7;
		} while (*p++ & 0x80);
		v[i] = x;
	}
	if (v[0] > (uint64_t)(last - first) || v[3] > UINT32_MAX ||
	    v[4] > UINT16_MAX || v[5] > UINT8_MAX || v[6] > UINT32_MAX ||
	    v[7] > UINT32_MAX || v[16] > (uint64_t)INT32_MAX + 1 ||
	    v[17] > (uint64_t)INT32_MAX + 1)
		return -1;
	r->id = (int32_t)(first + (long long)v[0]);
	r->recorded = unzigzag(v[1]);
	r->organisation_id = unzigzag(v[2]);
	r->level = (int32_t)unzigzag(v[3]);
	r->category = (uint16_t)v[4];
	r->status = (uint8_t)v[5];
	r->flags = (uint32_t)v[6];
	r->windows = (int32_t)unzigzag(v[7]);
	if (date_decode(v[8], 0, &r->issued_on) != 0)
		return -1;
	base = r->issued_on == DATE_NONE ? 0 : r->issued_on;
	if (date_decode(v[9], base, &r->valid_until) != 0 ||
	    date_decode(v[10], base, &r->status_since) != 0 ||
	    date_decode(v[11], base, &r->warning_until) != 0 ||
	    date_decode(v[12], base, &r->rectification_deadline) != 0 ||
	    date_decode(v[13], base, &r->annual1_done_on) != 0 ||
	    date_decode(v[14], base, &r->annual2_done_on) != 0 ||
	    date_decode(v[15], base, &r->renewal_done_on) != 0)
		return -1;
	r->predecessor =
	    v[16] == 1 ? CERT_TEXT : (int32_t)(v[16] ? v[16] - 1 : 0);
	r->successor =
	    v[17] == 1 ? CERT_TEXT : (int32_t)(v[17] ? v[17] - 1 : 0);
	*at = p;
	return 0;
}

/* Bytes of a bucket appended to the file at `offset`. */
struct cert_chunk {
	long long offset;
	size_t len;
};

struct cert_bucket {
	unsigned char *buffer; /* CERT_BUFFER bytes of the spill's block */
	size_t used;           /* in the buffer */
	struct cert_chunk *chunks;
	size_t chunk_count, chunk_cap;
	size_t bytes;      /* every byte of its records, appended or not */
	long long records; /* how many */
};

struct cert_spill {
	int fd;         /* the unlinked file, -1 until a buffer is full */
	long long size; /* bytes appended */
	long long ids_per_bucket;
	size_t bucket_count;
	struct cert_bucket *buckets;
	unsigned char *buffers; /* the buckets', pages touched as needed */
	uint8_t *written;       /* a bit per snapshot id: written once only */
	/* Once settled, the buckets on their way into the table: the next
	 * to read back, and the one read back (`data`, of `data_size`,
	 * decoded into `records` by id) with its first id, the next to
	 * insert and its last (next_id > last_id: none). */
	size_t next_bucket;
	unsigned char *data;
	size_t data_size;
	struct cert_record *records;
	long long first_id, next_id, last_id;
};

/* `size` bytes of pages of their own, zero until written, or NULL when
 * there is no memory; freed with pages_unmap().  Mapped, not malloc()ed,
 * so that they go back to the system when unmapped (the heap keeps what
 * is freed when anything lives above it) and the next block faults in no
 * pages until it is used. */
static void *
pages_map(size_t size)
{
	void *p = mmap(NULL, size ? size : 1, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void
pages_unmap(void *p, size_t size)
{
	if (p != NULL)
		munmap(p, size ? size : 1);
}

static struct cert_spill *
cert_spill_new(long long numbered)
{
	struct cert_spill *s = mem_calloc(1, sizeof *s);
	long long per = (numbered + CERT_BUCKETS_MAX - 1) / CERT_BUCKETS_MAX;

	s->fd = -1;
	s->ids_per_bucket =
	    per < CERT_BUCKET_MIN_IDS ? CERT_BUCKET_MIN_IDS : per;
	s->bucket_count =
	    (size_t)((numbered + s->ids_per_bucket - 1) / s->ids_per_bucket);
	s->buckets = mem_calloc(
	    s->bucket_count ? s->bucket_count : 1, sizeof *s->buckets);
	if ((s->buffers = pages_map(s->bucket_count * CERT_BUFFER)) == NULL) {
		free(s->buckets);
		free(s);
		return NULL;
	}
	for (size_t i = 0; i < s->bucket_count; i++)
		s->buckets[i].buffer = s->buffers + i * CERT_BUFFER;
	s->written = mem_calloc((size_t)numbered / 8 + 1, 1);
	return s;
}

static void
cert_spill_free(struct cert_spill *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->bucket_count; i++)
		free(s->buckets[i].chunks);
	pages_unmap(s->buffers, s->bucket_count * CERT_BUFFER);
	pages_unmap(s->data, s->data_size);
	free(s->records);
	free(s->buckets);
	free(s->written);
	if (s->fd >= 0)
		close(s->fd);
	free(s);
}

/* The file, made and unlinked; 0 or -1 (the writer failed). */
static int
cert_spill_open(struct snapshot_writer *w, struct cert_spill *s)
{
	char *path = mem_printf("%s.tmp-XXXXXX", w->target);
	int rc = 0;

	/* The name of a temporary snapshot: should this process die
	 * before the unlink, snapshot_write_sweep() removes it (and one
	 * that another publish's sweep removed first is as good). */
	if ((s->fd = mkstemp(path)) < 0)
		rc = fail(w,
		    "writing certificates: %s: cannot create a temporary "
		    "file beside it: %s",
		    w->target, strerror(errno));
	else if (unlink(path) != 0 && errno != ENOENT)
		rc = fail(w, "writing certificates: %s: cannot remove: %s",
		    path, strerror(errno));
	free(path);
	return rc;
}

/* A bucket's buffer to the end of the file. */
static int
cert_spill_flush(
    struct snapshot_writer *w, struct cert_spill *s, struct cert_bucket *b)
{
	const unsigned char *at = b->buffer;
	size_t left = b->used;

	if (s->fd < 0 && cert_spill_open(w, s) != 0)
		return -1;
	while (left > 0) {
		ssize_t n = write(s->fd, at, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return fail(w,
			    "writing certificates: a temporary file beside "
			    "%s: %s",
			    w->target,
			    n < 0 ? strerror(errno) : "nothing written");
		at += n;
		left -= (size_t)n;
	}
	if (b->chunk_count == b->chunk_cap) {
		b->chunk_cap = b->chunk_cap ? 2 * b->chunk_cap : 16;
		b->chunks =
		    mem_realloc(b->chunks, b->chunk_cap * sizeof *b->chunks);
	}
	b->chunks[b->chunk_count++] = (struct cert_chunk){s->size, b->used};
	s->size += (long long)b->used;
	b->used = 0;
	return 0;
}

/* `len` bytes at `bytes` to the end of bucket `b`'s records. */
static int
cert_spill_put(struct snapshot_writer *w, struct cert_spill *s,
    struct cert_bucket *b, const void *bytes, size_t len)
{
	const unsigned char *at = bytes;

	b->bytes += len;
	while (len > 0) {
		size_t room = CERT_BUFFER - b->used,
		       n = len < room ? len : room;
		memcpy(b->buffer + b->used, at, n);
		b->used += n;
		at += n;
		len -= n;
		if (b->used == CERT_BUFFER && cert_spill_flush(w, s, b) != 0)
			return -1;
	}
	return 0;
}

/* The snapshot's id of a certificate the caller names by its own id
 * (`caller_id`, when it is one the writer numbered) or by its number
 * (found among the numbers), or 0 when it holds no such certificate. */
static long long
linked_id(struct snapshot_writer *w, const char *number, long long caller_id)
{
	long long id = caller_id > 0 ? cert_id(w, caller_id) : -1;

	if (id > 0)
		return id;
	return number ? numbers_find(w, number) : 0;
}

/* A predecessor's or successor's column: the certificate's id when the
 * snapshot holds it (schema.h), CERT_TEXT for the text, 0 for none. */
static int32_t
cert_link(struct snapshot_writer *w, const char *number, long long caller_id)
{
	long long id = linked_id(w, number, caller_id);

	if (id > 0)
		return (int32_t)id;
	return number ? CERT_TEXT : 0;
}

/* Into the bucket of its id; the row goes into the table at
 * settle_certs(). */
int
snapshot_write_cert(struct snapshot_writer *w, const struct snapshot_cert *c)
{
	long long id = c->id > 0 ? cert_id(w, c->id) : -1;
	const struct status *st = &c->status;
	struct cert_record r;
	unsigned char record[CERT_RECORD_MAX];
	struct cert_bucket *b;
	struct cert_spill *s;
	long long k;

	if (w->settled)
		return fail(w,
		    "writing certificates: certificate %lld after "
		    "the first event",
		    c->id);
	if (id < 0)
		return fail(w,
		    "writing certificates: certificate %lld was not numbered",
		    c->id);
	if (c->category == NULL)
		return fail(w,
		    "writing certificates: certificate %lld has no category",
		    c->id);
	if (w->spill == NULL)
		w->spill = cert_spill_new(w->numbered);
	if (w->spill == NULL)
		return fail(w,
		    "writing certificates: out of memory for %lld "
		    "certificates' buffers",
		    w->numbered);
	s = w->spill;
	if (s->written[id / 8] & (1u << (id % 8)))
		return fail(w,
		    "writing certificates: certificate %lld written twice",
		    c->id);
	if (cert_keys_keep(w, id, c) != 0)
		return -1;
	r.texts = NULL;
	r.recorded = c->id;
	r.organisation_id = c->organisation_id;
	r.id = (int32_t)id;
	r.level = c->level;
	r.issued_on = c->issued_on;
	r.valid_until = c->valid_until;
	if (link_known(w, c->predecessor, c->predecessor_id, "certificates",
	        "certificate", c->id, "predecessor") != 0 ||
	    link_known(w, c->successor, c->successor_id, "certificates",
	        "certificate", c->id, "successor") != 0)
		return -1;
	r.predecessor = cert_link(w, c->predecessor, c->predecessor_id);
	r.successor = cert_link(w, c->successor, c->successor_id);
	r.status_since = st->since;
	r.warning_until =
	    (st->flags & STATUS_FLAG_WARNING) ? st->warning_until : DATE_NONE;
	r.rectification_deadline = st->rectification_deadline;
	r.annual1_done_on = st->annual[0].done_on;
	r.annual2_done_on = st->annual[1].done_on;
	r.renewal_done_on = st->renewal.done_on;
	r.flags = st->flags;
	r.windows = pack_windows(st);
	r.category = w->keys[id].category;
	r.status = (uint8_t)st->status;
	k = (id - 1) / s->ids_per_bucket;
	b = &s->buckets[k];
	if (cert_spill_put(w, s, b, record,
	        cert_record_encode(&r, k * s->ids_per_bucket + 1, record)) !=
	        0 ||
	    (r.predecessor == CERT_TEXT &&
	        cert_spill_put(w, s, b, c->predecessor,
	            strlen(c->predecessor) + 1) != 0) ||
	    (r.successor == CERT_TEXT && cert_spill_put(w, s, b, c->successor,
	                                     strlen(c->successor) + 1) != 0))
		return -1;
	b->records++;
	s->written[id / 8] |= (uint8_t)(1u << (id % 8));
	w->certificates++;
	return 0;
}

/* Column `i`, a predecessor or successor: its id, its text (the next of
 * the record's texts, at *text, which moves past it) or NULL. */
static int
bind_link(sqlite3_stmt *stmt, int i, int32_t link, const char **text)
{
	const char *at = *text;

	if (link != CERT_TEXT)
		return bind_id(stmt, i, link);
	*text += strlen(at) + 1;
	return sqlite3_bind_text(stmt, i, at, -1, SQLITE_STATIC);
}

/* A record into certificates; its texts at `text`. */
static int
cert_record_insert(
    struct snapshot_writer *w, const struct cert_record *r, const char *text)
{
	sqlite3_stmt *stmt = w->insert[I_CERT];

	return run(w, I_CERT,
	    sqlite3_bind_int64(stmt, 1, r->id) |
	        sqlite3_bind_int64(stmt, 2, r->recorded) |
	        bind_text(stmt, 3, w->categories[r->category]) |
	        sqlite3_bind_int(stmt, 4, r->level) |
	        bind_date(stmt, 5, r->issued_on) |
	        bind_date(stmt, 6, r->valid_until) |
	        sqlite3_bind_int64(stmt, 7, r->organisation_id) |
	        bind_link(stmt, 8, r->predecessor, &text) |
	        bind_link(stmt, 9, r->successor, &text) |
	        sqlite3_bind_int(stmt, 10, r->status) |
	        bind_date(stmt, 11, r->status_since) |
	        sqlite3_bind_int(stmt, 12, (int)r->flags) |
	        bind_date(stmt, 13, r->warning_until) |
	        bind_date(stmt, 14, r->rectification_deadline) |
	        sqlite3_bind_int(stmt, 15, r->windows) |
	        bind_date(stmt, 16, r->annual1_done_on) |
	        bind_date(stmt, 17, r->annual2_done_on) |
	        bind_date(stmt, 18, r->renewal_done_on),
	    "certificates");
}

/* Bucket `b`'s records, in the order they came, into `data`
 * (b->bytes). */
static int
cert_bucket_load(struct snapshot_writer *w, const struct cert_spill *s,
    const struct cert_bucket *b, unsigned char *data)
{
	unsigned char *at = data;

	for (size_t i = 0; i < b->chunk_count; i++) {
		size_t left = b->chunks[i].len;
		off_t offset = (off_t)b->chunks[i].offset;
		while (left > 0) {
			ssize_t n = pread(s->fd, at, left, offset);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				return fail(w,
				    "writing certificates: reading back a "
				    "temporary file beside %s: %s",
				    w->target,
				    n < 0 ? strerror(errno) : "it ended early");
			at += n;
			offset += n;
			left -= (size_t)n;
		}
	}
	memcpy(at, b->buffer, b->used);
	return 0;
}

/* Ready to read the buckets back: one block for the largest, its pages
 * faulted in once, and the array of its records by id.  0, or -1 when
 * there is no memory for the block. */
static int
cert_spill_start(struct snapshot_writer *w, struct cert_spill *s)
{
	for (size_t k = 0; k < s->bucket_count; k++)
		if (s->buckets[k].bytes > s->data_size)
			s->data_size = s->buckets[k].bytes;
	if ((s->data = pages_map(s->data_size)) == NULL)
		return fail(w,
		    "writing certificates: out of memory for a bucket of "
		    "%zu bytes",
		    s->data_size);
	s->records = mem_alloc((size_t)s->ids_per_bucket * sizeof *s->records);
	s->first_id = s->next_id = 1;
	s->last_id = 0;
	return 0;
}

/*
 * The next bucket read back and decoded into s->records by id.  Every
 * record is checked to be of the bucket and every id of its range found,
 * so that a file read back wrong fails the publish instead of leaving a
 * short table.
 */
static int
cert_spill_load(struct snapshot_writer *w, struct cert_spill *s)
{
	size_t k = s->next_bucket++, per = (size_t)s->ids_per_bucket;
	struct cert_bucket *b = &s->buckets[k];
	long long first = (long long)k * s->ids_per_bucket + 1;
	long long last = first + s->ids_per_bucket - 1, count = 0;
	const unsigned char *p = s->data, *end = s->data + b->bytes;
	struct cert_record *records = s->records;
	int bad = 0;

	if (last > w->numbered)
		last = w->numbered;
	if (cert_bucket_load(w, s, b, s->data) != 0)
		return -1;
	for (size_t i = 0; i < per; i++)
		records[i].id = 0;
	while (!bad && p < end) {
		struct cert_record r;
		int texts;
		if (cert_record_decode(&p, end, first, last, &r) != 0 ||
		    records[r.id - first].id != 0) {
			bad = 1;
			break;
		}
		r.texts = (const char *)p;
		texts =
		    (r.predecessor == CERT_TEXT) + (r.successor == CERT_TEXT);
		for (; texts > 0 && !bad; texts--) {
			const unsigned char *nul =
			    memchr(p, '\0', (size_t)(end - p));
			bad = nul == NULL;
			p = nul ? nul + 1 : p;
		}
		records[r.id - first] = r;
		count++;
	}
	for (long long i = 0; !bad && i <= last - first; i++)
		bad = records[i].id == 0;
	if (bad || count != b->records)
		return fail(w,
		    "writing certificates: the records of ids %lld to %lld "
		    "read back wrong",
		    first, last);
	s->first_id = s->next_id = first;
	s->last_id = last;
	return 0;
}

/*
 * Up to `count` more certificates (every one left for -1) into their
 * table, in the order of the ids; the spill freed once they are all in.
 * The writer calls it a little at each event, so that the inserts fill
 * the time it waits for the caller's next rows, and then at commit.
 */
static int
cert_spill_drain(struct snapshot_writer *w, long long count)
{
	struct cert_spill *s = w->spill;

	for (; count != 0; count--) {
		const struct cert_record *r;
		if (s->next_id > s->last_id) {
			if (s->next_bucket == s->bucket_count) {
				cert_spill_free(s);
				w->spill = NULL;
				return 0;
			}
			if (cert_spill_load(w, s) != 0)
				return -1;
		}
		r = &s->records[s->next_id++ - s->first_id];
		if (cert_record_insert(w, r, r->texts) != 0)
			return -1;
	}
	return 0;
}

/* The numbers' runs (runs.h) into number_runs: certificate 1 has the
 * first number. */
static int
number_runs_write(struct snapshot_writer *w)
{
	sqlite3_stmt *add = w->insert[I_RUN];

	for (size_t i = 0; i < w->runs.count; i++) {
		const struct number_run *r = &w->runs.runs[i];
		if (run(w, I_RUN,
		        sqlite3_bind_int64(add, 1, r->first_id) |
		            bind_text(add, 2, r->prefix) |
		            sqlite3_bind_int(add, 3, r->width) |
		            sqlite3_bind_int64(add, 4, r->first),
		        "number runs") != 0)
			return -1;
	}
	return 0;
}

/* Column 13 of an event, its new value: for an organisation's entry
 * that names it as it is named now (the caller says so), an empty blob
 * (schema.h), read back as the organisation's name; else the text. */
static int
bind_new_value(sqlite3_stmt *stmt, const struct snapshot_event *e)
{
	if (e->kind == EVENT_ORG_ADD && e->new_value != NULL &&
	    e->new_value_is_name)
		return sqlite3_bind_zeroblob(stmt, 13, 0);
	return bind_text(stmt, 13, e->new_value);
}

/* A certificate's number: the certificate's id when the snapshot holds
 * it (schema.h), else the text; NULL for none. */
static int
bind_number(struct snapshot_writer *w, sqlite3_stmt *stmt, int i,
    const char *number, long long caller_id)
{
	long long id = linked_id(w, number, caller_id);

	if (id > 0)
		return sqlite3_bind_int64(stmt, i, id);
	return bind_text(stmt, i, number);
}

/* A run of ids first..last of category `category` (an index into the
 * writer's categories). */
static int
category_run(struct snapshot_writer *w, uint16_t category, long long first,
    long long last)
{
	sqlite3_stmt *stmt = w->insert[I_CATEGORY_RUN];

	return run(w, I_CATEGORY_RUN,
	    bind_text(stmt, 1, w->categories[category]) |
	        sqlite3_bind_int64(stmt, 2, first) |
	        sqlite3_bind_int64(stmt, 3, last),
	    "category runs");
}

/* A run of ids first..last of one level or status (`which`: I_LEVEL_RUN
 * or I_STATUS_RUN, whose columns are in a different order). */
static int
number_run(struct snapshot_writer *w, enum insert which, int value,
    long long first, long long last)
{
	sqlite3_stmt *stmt = w->insert[which];
	int first_column = which == I_STATUS_RUN ? 3 : 2;

	return run(w, which,
	    sqlite3_bind_int(stmt, 1, value) |
	        sqlite3_bind_int64(stmt, first_column, first) |
	        sqlite3_bind_int64(stmt, 5 - first_column, last),
	    which == I_STATUS_RUN ? "status runs" : "level runs");
}

/* A status's run of ids, to be sorted before it is written. */
struct status_run {
	long long first, last;
	int status;
};

static int
compare_status_runs(const void *a, const void *b)
{
	const struct status_run *x = a, *y = b;

	if (x->status != y->status)
		return x->status < y->status ? -1 : 1;
	return x->first < y->first ? -1 : x->first > y->first;
}

/* status_runs in the order of its key (status, last_id), so that its
 * b-tree is filled left to right. */
static int
status_runs_write(
    struct snapshot_writer *w, struct status_run *runs, size_t count)
{
	qsort(runs, count, sizeof *runs, compare_status_runs);
	for (size_t i = 0; i < count; i++)
		if (number_run(w, I_STATUS_RUN, runs[i].status, runs[i].first,
		        runs[i].last) != 0)
			return -1;
	return 0;
}

/*
 * category_runs, level_runs and status_runs (schema.h): the ids of each
 * category, level and status as runs of consecutive ids, from the keys
 * kept as the certificates went in (one pass over memory, none over
 * the table).  Categories and levels follow the numbers, so their runs
 * are few; a status's runs are many.
 */
static int
cert_keys_runs(struct snapshot_writer *w)
{
	const struct cert_keys *k = w->keys;
	struct status_run *runs = NULL;
	size_t count = 0, cap = 0;
	long long category_from = 1, level_from = 1, status_from = 1;
	int failed = 0;

	for (long long id = 2; !failed && id <= w->numbered + 1; id++) {
		int end = id > w->numbered; /* past the last: every run ends */
		if (end || k[id].category != k[id - 1].category) {
			failed = category_run(
			    w, k[id - 1].category, category_from, id - 1);
			category_from = id;
		}
		if (!failed && (end || k[id].level != k[id - 1].level)) {
			failed = number_run(w, I_LEVEL_RUN, k[id - 1].level,
			    level_from, id - 1);
			level_from = id;
		}
		if (end || k[id].status != k[id - 1].status) {
			if (count == cap) {
				cap = cap ? 2 * cap : 1024;
				runs = mem_realloc(runs, cap * sizeof *runs);
			}
			runs[count++] = (struct status_run){
			    status_from, id - 1, k[id - 1].status};
			status_from = id;
		}
	}
	if (!failed)
		failed = status_runs_write(w, runs, count);
	free(runs);
	return failed ? -1 : 0;
}

/*
 * After the last certificate: the runs of their numbers, categories and
 * levels; every certificate numbered must have been written.
 */
static int
settle_certs(struct snapshot_writer *w)
{
	if (w->certificates != w->numbered)
		return fail(w,
		    "writing certificates: %lld numbered but %lld written",
		    w->numbered, w->certificates);
	if (number_runs_write(w) != 0 ||
	    (w->certificates > 0 && cert_keys_runs(w) != 0))
		return -1;
	if (w->spill != NULL && cert_spill_start(w, w->spill) != 0)
		return -1;
	w->settled = 1;
	return 0;
}

/*
 * Where an event's reason splits (schema.h): before its decimal tail,
 * the digits at its end from the first that is not 0, at most 15; at
 * `len` when there is none.
 */
static size_t
tail_start(const char *text, size_t len)
{
	size_t n = len;

	while (
	    n > 0 && len - n < 15 && text[n - 1] >= '0' && text[n - 1] <= '9')
		n--;
	while (n < len && text[n] == '0')
		n++;
	return n;
}

/* The id in texts of the `len` bytes at `text`, added when new; -1 on
 * an error. */
static long long
text_id(struct snapshot_writer *w, const char *text, size_t len)
{
	sqlite3_stmt *find = w->insert[I_TEXT_FIND];
	long long id = 0;
	int rc;

	if (w->last_text != NULL && strlen(w->last_text) == len &&
	    memcmp(w->last_text, text, len) == 0)
		return w->last_id;
	rc = sqlite3_bind_text(find, 1, text, (int)len, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(find);
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(find, 0);
	sqlite3_reset(find);
	sqlite3_clear_bindings(find);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sql_fail(w, "writing texts");
	if (id == 0) {
		sqlite3_stmt *add = w->insert[I_TEXT],
		             *index = w->insert[I_TEXT_ID];
		id = ++w->texts;
		if (run(w, I_TEXT,
		        sqlite3_bind_int64(add, 1, id) |
		            sqlite3_bind_text(
		                add, 2, text, (int)len, SQLITE_STATIC),
		        "texts") != 0 ||
		    run(w, I_TEXT_ID,
		        sqlite3_bind_text(
		            index, 1, text, (int)len, SQLITE_STATIC) |
		            sqlite3_bind_int64(index, 2, id),
		        "texts") != 0)
			return -1;
	}
	free(w->last_text);
	w->last_text = mem_alloc(len + 1);
	memcpy(w->last_text, text, len);
	w->last_text[len] = '\0';
	w->last_id = id;
	return id;
}

/* Columns 7 and 8 of an event: its reason as the id of the text before
 * its decimal tail and the tail's value (NULL when there is none). */
static int
bind_reason(struct snapshot_writer *w, sqlite3_stmt *stmt, const char *reason)
{
	const char *text = reason != NULL ? reason : "";
	size_t len = strlen(text), at = tail_start(text, len);
	long long id = text_id(w, text, at);

	if (id < 0)
		return SQLITE_ERROR;
	return sqlite3_bind_int64(stmt, 7, id) |
	       (at < len ? sqlite3_bind_int64(stmt, 8, atoll(text + at))
	                 : sqlite3_bind_null(stmt, 8));
}

int
snapshot_write_event(struct snapshot_writer *w, const struct snapshot_event *e)
{
	sqlite3_stmt *stmt = w->insert[I_EVENT];
	long long cert;
	int bound;

	if ((int)e->kind < 0 || e->kind >= EVENT_KIND_COUNT)
		return fail(
		    w, "writing events: event %lld of no known kind", e->seq);
	if (!w->settled && settle_certs(w) != 0)
		return -1;
	if (w->spill != NULL && cert_spill_drain(w, CERT_DRAIN_PER_EVENT) != 0)
		return -1;
	if (link_known(w, e->other_number, e->other_certificate_id, "events",
	        "event", e->seq, "other certificate") != 0)
		return -1;
	if ((cert = cert_id(w, e->certificate_id)) < 0)
		return fail(w,
		    "writing events: event %lld of certificate %lld, which "
		    "was not written",
		    e->seq, e->certificate_id);
	bound =
	    sqlite3_bind_int64(stmt, 1, e->seq) |
	    sqlite3_bind_int(stmt, 2, (int)e->kind) | bind_id(stmt, 3, cert) |
	    sqlite3_bind_int64(stmt, 4, e->organisation_id) |
	    bind_date(stmt, 5, e->effective_on) |
	    bind_timestamp(stmt, 6, e->recorded_at) |
	    bind_reason(w, stmt, e->reason) | bind_text(stmt, 9, e->reference) |
	    bind_date(stmt, 10, e->deadline) |
	    bind_id(stmt, 11, e->target_seq) |
	    bind_text(stmt, 12, e->old_value) | bind_new_value(stmt, e) |
	    bind_id(stmt, 14, e->other_organisation_id) |
	    bind_number(w, stmt, 15, e->other_number, e->other_certificate_id);

	if (run(w, I_EVENT, bound, "events") != 0)
		return -1;
	w->events++;
	if (e->kind == EVENT_ORG_RENAME) {
		buf_put(&w->renamed, &e->organisation_id,
		    sizeof e->organisation_id);
	}
	if (e->kind == EVENT_VOID && e->target_seq > 0) {
		long long pair[2] = {e->target_seq, e->seq};
		buf_put(&w->voids, pair, sizeof pair);
	}
	if (e->kind != EVENT_ORG_RENAME)
		return 0;
	stmt = w->insert[I_FORMER];
	return run(w, I_FORMER,
	    sqlite3_bind_int64(stmt, 1, e->organisation_id) |
	        sqlite3_bind_int64(stmt, 2, e->seq) |
	        bind_text(stmt, 3, e->old_value) |
	        bind_date(stmt, 4, e->effective_on - 1),
	    "former names");
}

/* ---- commit ---- */

static int
put_meta(struct snapshot_writer *w, const char *key, const char *value)
{
	sqlite3_stmt *stmt = w->insert[I_META];

	return run(w, I_META,
	    bind_text(stmt, 1, key) | bind_text(stmt, 2, value), "meta");
}

static int
put_count(struct snapshot_writer *w, const char *key, long long n)
{
	char number[32];

	snprintf(number, sizeof number, "%lld", n);
	return put_meta(w, key, number);
}

/* Every meta row, with the digest in summary->sha256, in a transaction
 * of their own. */
static int
write_meta(struct snapshot_writer *w, const struct snapshot_write_meta *meta,
    struct snapshot_write_summary *summary)
{
	char stamp[TIMESTAMP_BUFSIZE], day[DATE_BUFSIZE];

	if (exec(w, "BEGIN", "writing the meta") != 0 ||
	    put_count(w, "schema_version", SNAPSHOT_SCHEMA_VERSION) ||
	    put_meta(w, "published_at",
	        date_format_timestamp(meta->published_at, stamp)) ||
	    put_meta(w, "as_of", date_format(meta->as_of, day)) ||
	    put_meta(w, "sha256", summary->sha256) ||
	    put_meta(w, "sample", meta->sample ? "1" : "0") ||
	    put_meta(w, "generator", meta->generator) ||
	    put_count(w, "certificates", w->certificates) ||
	    put_count(w, "organisations", w->organisations) ||
	    put_count(w, "events", w->events) ||
	    exec(w, "COMMIT", "committing the meta") != 0)
		return -1;
	summary->certificates = w->certificates;
	summary->organisations = w->organisations;
	summary->events = w->events;
	return 0;
}

/* The digest of the committed rows, computed on a read-only connection
 * of its own so that it runs beside integrity_ok() on the writer's. */
struct digest_job {
	const char *path; /* the temporary file */
	struct snapshot_digest *digest;
	char why[600];
	int rc;
};

/* The events' hash (schema.h) on a read-only connection to the
 * temporary file without locks ("unix-none"): the writer keeps its
 * exclusive lock and writes nothing until this connection is closed. */
static void *
digest_run(void *arg)
{
	struct digest_job *job = arg;
	sqlite3 *db = NULL;

	job->rc = -1;
	if (sqlite3_open_v2(job->path, &db,
	        SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
	        "unix-none") != SQLITE_OK)
		snprintf(job->why, sizeof job->why, "%s: %s", job->path,
		    db != NULL ? sqlite3_errmsg(db) : "cannot open");
	else
		job->rc = snapshot_schema_digest_part(
		    db, 1, job->digest, job->why, sizeof job->why);
	sqlite3_close(db);
	return NULL;
}

/* `PRAGMA quick_check`, or with `table` only that table's b-trees. */
static int
integrity_ok(struct snapshot_writer *w, const char *table)
{
	sqlite3_stmt *stmt;
	const char *result;
	char sql[64];
	int rc;

	/* quick_check reads every page and checks each b-tree's structure;
	 * integrity_check's comparison of every index with its table costs
	 * more than the rest of a publish, for a file built in one go. */
	snprintf(sql, sizeof sql, "PRAGMA quick_check%s%s%s", table ? "(" : "",
	    table ? table : "", table ? ")" : "");
	if (sqlite3_prepare_v2(w->db, sql, -1, &stmt, NULL) != SQLITE_OK)
		return sql_fail(w, "integrity check");
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		rc = sql_fail(w, "integrity check");
	} else {
		result = (const char *)sqlite3_column_text(stmt, 0);
		rc = result && strcmp(result, "ok") == 0
		         ? 0
		         : fail(w, "integrity check failed: %s",
		               result ? result : "");
	}
	sqlite3_finalize(stmt);
	return rc;
}

static int
fsync_path(const char *path, int directory)
{
	int fd = open(path, directory ? O_RDONLY | O_DIRECTORY : O_RDONLY);
	int rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/* Closes the connection, so the file is complete on disk, and makes it
 * durable. */
static int
close_file(struct snapshot_writer *w)
{
	for (int i = 0; i < I_COUNT; i++) {
		sqlite3_finalize(w->insert[i]);
		w->insert[i] = NULL;
	}
	if (sqlite3_close(w->db) != SQLITE_OK)
		return sql_fail(w, "closing");
	w->db = NULL;
	if (fsync_path(w->temp, 0) != 0)
		return fail(w, "%s: fsync: %s", w->temp, strerror(errno));
	return 0;
}

/*
 * The committed rows' digest into summary->sha256, and the file checked:
 * the events (most of the rows) hashed on a thread of their own while
 * this one hashes the other tables and then runs quick_check, both on
 * the writer's connection, so that two cores share the work about
 * evenly.  The writer keeps its exclusive lock (so the file's header
 * counts one change, as when the meta was in the same transaction): the
 * events' reader takes none.
 */
static int
check_and_digest(
    struct snapshot_writer *w, struct snapshot_write_summary *summary)
{
	struct snapshot_digest digest;
	struct digest_job job = {.path = w->temp, .digest = &digest};
	pthread_t thread;
	char why[600];
	int rest, checked;

	if (pthread_create(&thread, NULL, digest_run, &job) != 0)
		return fail(w, "%s: cannot start the digest: %s", w->temp,
		    strerror(errno));
	rest = snapshot_schema_digest_part(w->db, 0, &digest, why, sizeof why);
	checked = rest == 0 ? integrity_ok(w, NULL) : -1;
	pthread_join(thread, NULL);
	if (rest != 0)
		return fail(w, "%s", why);
	if (checked != 0)
		return -1;
	if (job.rc != 0)
		return fail(w, "%s", job.why);
	snapshot_schema_digest_hex(&digest, summary->sha256);
	return 0;
}

#define SEARCH_CHUNK 2048 /* organisation ids indexed at each idle step */

int
snapshot_write_idle(struct snapshot_writer *w)
{
	sqlite3_stmt *stmt = w->insert[I_SEARCH_NAMES];

	/* Every organisation is in once the numbers have begun. */
	if (w->numbered == 0 || w->org_max == 0)
		return 0;
	if (w->searched < w->org_max) {
		long long last = w->searched + SEARCH_CHUNK < w->org_max
		                     ? w->searched + SEARCH_CHUNK
		                     : w->org_max;
		if (run(w, I_SEARCH_NAMES,
		        sqlite3_bind_int64(stmt, 1, w->searched + 1) |
		            sqlite3_bind_int64(stmt, 2, last),
		        "the trigram index") != 0)
			return -1;
		w->searched = last;
		return 1;
	}
	if (!w->credit_indexed) {
		if (exec(w, SNAPSHOT_SCHEMA_CREDIT_CODES, "indexing") != 0)
			return -1;
		w->credit_indexed = 1;
		return 1;
	}
	return 0;
}

static int
compare_ids(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* The organisations' indexes completed: each renamed organisation
 * already indexed by its current name indexed again with its former
 * names, then those not indexed yet, then the credit codes. */
static int
org_indexes_finish(struct snapshot_writer *w)
{
	sqlite3_stmt *drop = w->insert[I_SEARCH_DROP],
	             *add = w->insert[I_SEARCH];

	long long *renamed = (long long *)(void *)w->renamed.data;
	size_t count = w->renamed.len / sizeof *renamed;

	if (count > 0) /* else no array: qsort() takes none */
		qsort(renamed, count, sizeof *renamed, compare_ids);
	for (size_t i = 0; i < count; i++) {
		long long id = renamed[i];
		if ((i > 0 && id == renamed[i - 1]) || id < 1 ||
		    id > w->searched)
			continue;
		if (run(w, I_SEARCH_DROP, sqlite3_bind_int64(drop, 1, id),
		        "the trigram index") != 0 ||
		    run(w, I_SEARCH,
		        sqlite3_bind_int64(add, 1, id) |
		            sqlite3_bind_int64(add, 2, id),
		        "the trigram index") != 0)
			return -1;
	}
	if (w->searched < w->org_max &&
	    run(w, I_SEARCH,
	        sqlite3_bind_int64(add, 1, w->searched + 1) |
	            sqlite3_bind_int64(add, 2, w->org_max),
	        "the trigram index") != 0)
		return -1;
	w->searched = w->org_max;
	if (!w->credit_indexed &&
	    exec(w, SNAPSHOT_SCHEMA_CREDIT_CODES, "indexing") != 0)
		return -1;
	w->credit_indexed = 1;
	return 0;
}

/* Each voided event's voided_by, from the voids kept. */
static int
voided_by_write(struct snapshot_writer *w)
{
	sqlite3_stmt *stmt = w->insert[I_VOIDED];
	const long long(*voids)[2] = (const void *)w->voids.data;
	size_t count = w->voids.len / sizeof *voids;

	for (size_t i = 0; i < count; i++)
		if (run(w, I_VOIDED,
		        sqlite3_bind_int64(stmt, 1, voids[i][0]) |
		            sqlite3_bind_int64(stmt, 2, voids[i][1]),
		        "voided events") != 0)
			return -1;
	return 0;
}

int
snapshot_write_commit(struct snapshot_writer *w,
    const struct snapshot_write_meta *meta,
    struct snapshot_write_summary *summary)
{
	char *dir;

	char why[600];

	memset(summary, 0, sizeof *summary);
	if (!w->settled && settle_certs(w) != 0)
		return -1;
	if (w->spill != NULL && cert_spill_drain(w, -1) != 0)
		return -1;
	if (snapshot_grams_build(w->db, w->insert[I_GRAM], why, sizeof why) !=
	    0)
		return fail(w, "%s", why);
	if (voided_by_write(w) != 0 || org_indexes_finish(w) != 0 ||
	    exec(w, SNAPSHOT_SCHEMA_FINISH, "indexing") != 0 ||
	    exec(w, "COMMIT", "committing") != 0 ||
	    check_and_digest(w, summary) || write_meta(w, meta, summary) != 0 ||
	    integrity_ok(w, "meta") != 0 || close_file(w) != 0)
		return -1;
	if (rename(w->temp, w->target) != 0)
		return fail(w, "cannot rename %s to %s: %s", w->temp, w->target,
		    strerror(errno));
	w->committed = 1;
	dir = mem_strdup(w->target);
	fsync_path(dirname(dir), 1);
	free(dir);
	return 0;
}
