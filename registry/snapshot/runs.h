/*
 * Certificate numbers as runs (schema.h's number_runs): the snapshot's
 * certificates are numbered 1, 2, … in the order of their numbers, and
 * most numbers follow the one before them in a series
 * ("CNITSEC-CS1-2024-0041" after "…-0040"), so a run keeps the first id,
 * the text before the decimal tail, the tail's width and its first value,
 * and every number of the run is that text and the value counted up from
 * the first id.  A number without a decimal tail, or one that does not
 * follow, starts a run of its own: the runs hold any numbers, only more
 * of them.  For the writer, which adds the numbers in order, and the
 * reader, which maps ids to numbers and back without an index.
 */
#ifndef REGISTRY_SNAPSHOT_RUNS_H
#define REGISTRY_SNAPSHOT_RUNS_H

#include <stddef.h>

/* The longest number a snapshot holds, and its NUL. */
#define SNAPSHOT_NUMBER_MAX 128

struct number_run {
	long long first_id;
	char *prefix;     /* the text before the tail */
	int width;        /* the tail's digits; 0: none (a run of one) */
	long long first;  /* the tail's value at first_id */
	char *first_text; /* the run's first number */
};

struct number_runs {
	struct number_run *runs; /* by first_id */
	size_t count, cap;
	long long last_id; /* the last certificate's id; 0: none */
};

/* Adds the number of certificate `id`, one more than the last one added
 * and greater than its number.  0, or -1 with the reason in `why`. */
int number_runs_add(struct number_runs *r, long long id, const char *number,
    char *why, size_t why_size);

/* Adds a stored run (the reader); runs come in the order of first_id. */
int number_runs_load(struct number_runs *r, long long first_id,
    const char *prefix, int width, long long first, char *why, size_t why_size);

/* The number of certificate `id` in `out`, or NULL when there is none. */
const char *number_runs_format(
    const struct number_runs *r, long long id, char out[SNAPSHOT_NUMBER_MAX]);

/* The last id whose number is at most `text` (below it when `strict`),
 * 0 when there is none; NULL counts as below every number. */
long long number_runs_up_to(
    const struct number_runs *r, const char *text, int strict);

/* The id of the certificate numbered `text`, or 0. */
long long number_runs_find(const struct number_runs *r, const char *text);

void number_runs_free(struct number_runs *r);

#endif
