/*
 * RFC 4180 CSV: a reader that reports the line each record starts on and
 * says exactly what is wrong with bad input, and a writer that quotes only
 * where needed and ends records with CRLF.
 */
#ifndef REGISTRY_CSV_H
#define REGISTRY_CSV_H

#include <stddef.h>
#include <stdio.h>

#define CSV_MAX_FIELDS 64
#define CSV_MAX_FIELD_BYTES 65536

struct csv_reader; /* opaque */

struct csv_record {
	size_t count;                 /* fields in this record */
	char *fields[CSV_MAX_FIELDS]; /* NUL-terminated; owned by the reader,
	                                 valid until the next read */
	long line;                    /* line the record starts on (1-based) */
};

/* Reads from `in` (not closed by the reader).  Free with csv_reader_free. */
struct csv_reader *csv_reader_new(FILE *in);
void csv_reader_free(struct csv_reader *r); /* accepts NULL */

/*
 * Reads the next record.  Returns 1 with *rec filled, 0 at the end of the
 * input, -1 on malformed input with csv_reader_error() and
 * csv_reader_error_line() saying what and where.  Fields must be UTF-8; a
 * byte-order mark at the very start is skipped.  Blank lines are records of
 * one empty field.
 */
int csv_read(struct csv_reader *r, struct csv_record *rec);
const char *csv_reader_error(const struct csv_reader *r);
long csv_reader_error_line(const struct csv_reader *r);

/* Writes one field (quoted when it holds , " CR or LF), then a comma or,
 * when `last`, CRLF. */
void csv_write_field(FILE *out, const char *text, int last);

#endif
