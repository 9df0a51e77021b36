/*
 * A CSV reader that reads ahead in a second thread (see csv_ahead.c):
 * the records, their line numbers and the reader's errors are those of
 * csv_read() on the same stream, in the same order.
 */
#ifndef REGISTRY_RECORD_CSV_AHEAD_H
#define REGISTRY_RECORD_CSV_AHEAD_H

#include <stdio.h>

#include "registry/record/csv.h"

struct csv_ahead;

/*
 * What the reading thread does with each record besides copying it:
 * writes `size` bytes about it to `out` (given to the caller with the
 * record).  It runs beside the caller, so it may only read what the
 * caller does not change while it reads.
 */
struct csv_ahead_prepare {
	void (*prepare)(void *arg, const struct csv_record *rec, void *out);
	void *arg;
	size_t size; /* at most CSV_AHEAD_NOTE_BYTES */
};

#define CSV_AHEAD_NOTE_BYTES 24

/*
 * Reads `in` (not closed) ahead of the caller: in a second thread when
 * `in` is a regular file, else in the caller's own (a pipe or terminal
 * may never end, and the caller must be able to stop at once).  `prepare`
 * (NULL: none; copied) is run on each record in the reading order.  Free
 * with csv_ahead_free().
 */
struct csv_ahead *csv_ahead_new(
    FILE *in, const struct csv_ahead_prepare *prepare);

/* Stops the reading thread, if any, and frees; NULL is fine. */
void csv_ahead_free(struct csv_ahead *a);

/*
 * As csv_read(): 1 with *rec (its fields valid until the next call) and
 * what the prepare function wrote about it in *note (NULL without one),
 * 0 at the end, -1 on an error (csv_ahead_error(),
 * csv_ahead_error_line()) once every record before it has been given.
 */
int csv_ahead_read(
    struct csv_ahead *a, struct csv_record *rec, const void **note);
const char *csv_ahead_error(const struct csv_ahead *a);

/*
 * What the prepare function wrote about the record `ahead` (1 or more)
 * places after the one csv_ahead_read() gave last, when the reading
 * thread has it ready in the batch being read; else NULL (also without a
 * thread).  For hints only, such as what memory to fetch early: the
 * record itself comes from csv_ahead_read().
 */
const void *csv_ahead_peek(const struct csv_ahead *a, size_t ahead);
long csv_ahead_error_line(const struct csv_ahead *a);

#endif
