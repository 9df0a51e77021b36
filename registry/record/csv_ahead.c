/*
 * Reading a CSV file ahead of its import (see csv_ahead.h).  A second
 * thread runs csv_read() and copies each record into one of two batches;
 * the caller takes the records of one batch while the thread fills the
 * other, so that parsing and checking the bytes (UTF-8, quotes, lines)
 * costs the import no time of its own on a machine with two cores.  A
 * batch ends with the stream's end or the reader's error, which the
 * caller then gets after the records that came before it, as from
 * csv_read().
 */
#include "registry/record/csv_ahead.h"

#include <assert.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "registry/base/mem.h"

/* Records and bytes of text a batch takes at most. */
#define AHEAD_ROWS 2048
#define AHEAD_TEXT (1 << 20)

struct batch {
	size_t rows;
	long line[AHEAD_ROWS];
	size_t count[AHEAD_ROWS]; /* fields of each record */
	size_t first[AHEAD_ROWS]; /* its first field in `offsets` */
	_Alignas(16) unsigned char note[AHEAD_ROWS][CSV_AHEAD_NOTE_BYTES];
	size_t *offsets; /* each field's start in `text` */
	size_t offset_count, offset_cap;
	char *text; /* the fields, NUL-terminated */
	size_t len, cap;
	int end;  /* after these records: 0 more, 1 the end, -1 an error */
	int full; /* filled and not yet given back (under the lock) */
};

struct csv_ahead {
	struct csv_reader *reader;
	struct csv_ahead_prepare prepare;
	_Alignas(
	    16) unsigned char note[CSV_AHEAD_NOTE_BYTES]; /* without a thread */
	int threaded;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	int stop; /* the caller wants no more (under the lock) */
	struct batch batches[2];
	int taking;      /* the batch the caller reads */
	size_t next;     /* its next record */
	int have;        /* whether the caller holds batches[taking] */
	char error[200]; /* the reader's, copied when it fails */
	long error_line;
};

static void
batch_add(struct csv_ahead *a, struct batch *b, const struct csv_record *rec)
{
	size_t r = b->rows++;

	if (a->prepare.prepare)
		a->prepare.prepare(a->prepare.arg, rec, b->note[r]);
	b->line[r] = rec->line;
	b->count[r] = rec->count;
	b->first[r] = b->offset_count;
	if (b->offset_count + rec->count > b->offset_cap) {
		while (b->offset_count + rec->count > b->offset_cap)
			b->offset_cap =
			    b->offset_cap ? 2 * b->offset_cap : 4096;
		b->offsets =
		    mem_realloc(b->offsets, b->offset_cap * sizeof *b->offsets);
	}
	for (size_t i = 0; i < rec->count; i++) {
		size_t n = strlen(rec->fields[i]) + 1;
		if (b->len + n > b->cap) {
			while (b->len + n > b->cap)
				b->cap = b->cap ? 2 * b->cap : AHEAD_TEXT;
			b->text = mem_realloc(b->text, b->cap);
		}
		memcpy(b->text + b->len, rec->fields[i], n);
		b->offsets[b->offset_count++] = b->len;
		b->len += n;
	}
}

/* Fills `b` from the reader: the records up to a batch's size, the end
 * or an error. */
static void
batch_fill(struct csv_ahead *a, struct batch *b)
{
	struct csv_record rec;
	int rc;

	b->rows = b->offset_count = b->len = 0;
	b->end = 0;
	while (b->rows < AHEAD_ROWS && b->len < AHEAD_TEXT) {
		rc = csv_read(a->reader, &rec);
		if (rc == 1) {
			batch_add(a, b, &rec);
			continue;
		}
		b->end = rc == 0 ? 1 : -1;
		if (rc < 0) {
			snprintf(a->error, sizeof a->error, "%s",
			    csv_reader_error(a->reader));
			a->error_line = csv_reader_error_line(a->reader);
		}
		break;
	}
}

static void *
read_ahead(void *arg)
{
	struct csv_ahead *a = arg;
	int filling = 0, end = 0;

	while (!end) {
		struct batch *b = &a->batches[filling];
		pthread_mutex_lock(&a->lock);
		while (b->full && !a->stop)
			pthread_cond_wait(&a->changed, &a->lock);
		end = a->stop;
		pthread_mutex_unlock(&a->lock);
		if (end)
			break;
		batch_fill(a, b);
		end = b->end != 0;
		pthread_mutex_lock(&a->lock);
		b->full = 1;
		pthread_cond_broadcast(&a->changed);
		pthread_mutex_unlock(&a->lock);
		filling = !filling;
	}
	return NULL;
}

struct csv_ahead *
csv_ahead_new(FILE *in, const struct csv_ahead_prepare *prepare)
{
	struct csv_ahead *a = mem_calloc(1, sizeof *a);
	struct stat st;

	if (prepare) {
		assert(prepare->size <= CSV_AHEAD_NOTE_BYTES);
		a->prepare = *prepare;
	}
	a->reader = csv_reader_new(in);
	if (fstat(fileno(in), &st) != 0 || !S_ISREG(st.st_mode))
		return a;
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->changed, NULL);
	if (pthread_create(&a->thread, NULL, read_ahead, a) != 0) {
		pthread_cond_destroy(&a->changed);
		pthread_mutex_destroy(&a->lock);
		return a;
	}
	a->threaded = 1;
	return a;
}

void
csv_ahead_free(struct csv_ahead *a)
{
	if (a == NULL)
		return;
	if (a->threaded) {
		pthread_mutex_lock(&a->lock);
		a->stop = 1;
		pthread_cond_broadcast(&a->changed);
		pthread_mutex_unlock(&a->lock);
		pthread_join(a->thread, NULL);
		pthread_cond_destroy(&a->changed);
		pthread_mutex_destroy(&a->lock);
	}
	for (int i = 0; i < 2; i++) {
		free(a->batches[i].offsets);
		free(a->batches[i].text);
	}
	csv_reader_free(a->reader);
	free(a);
}

int
csv_ahead_read(struct csv_ahead *a, struct csv_record *rec, const void **note)
{
	struct batch *b;

	if (!a->threaded) {
		int rc = csv_read(a->reader, rec);
		if (rc == 1 && a->prepare.prepare) {
			a->prepare.prepare(a->prepare.arg, rec, a->note);
			*note = a->note;
		} else {
			*note = NULL;
		}
		if (rc < 0) {
			snprintf(a->error, sizeof a->error, "%s",
			    csv_reader_error(a->reader));
			a->error_line = csv_reader_error_line(a->reader);
		}
		return rc;
	}
	for (;;) {
		b = &a->batches[a->taking];
		if (a->have && a->next < b->rows)
			break;
		if (a->have) {
			if (b->end != 0)
				return b->end > 0 ? 0 : -1;
			pthread_mutex_lock(&a->lock);
			b->full = 0;
			pthread_cond_broadcast(&a->changed);
			pthread_mutex_unlock(&a->lock);
			a->taking = !a->taking;
			a->have = 0;
			continue;
		}
		pthread_mutex_lock(&a->lock);
		while (!b->full)
			pthread_cond_wait(&a->changed, &a->lock);
		pthread_mutex_unlock(&a->lock);
		a->have = 1;
		a->next = 0;
	}
	rec->line = b->line[a->next];
	rec->count = b->count[a->next];
	for (size_t i = 0; i < rec->count; i++)
		rec->fields[i] = b->text + b->offsets[b->first[a->next] + i];
	*note = a->prepare.prepare ? b->note[a->next] : NULL;
	a->next++;
	return 1;
}

const void *
csv_ahead_peek(const struct csv_ahead *a, size_t ahead)
{
	const struct batch *b = &a->batches[a->taking];
	size_t at = a->next + ahead - 1;

	if (!a->threaded || !a->have || !a->prepare.prepare || ahead == 0 ||
	    at >= b->rows)
		return NULL;
	return b->note[at];
}

const char *
csv_ahead_error(const struct csv_ahead *a)
{
	return a->error;
}

long
csv_ahead_error_line(const struct csv_ahead *a)
{
	return a->error_line;
}
