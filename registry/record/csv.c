/*
 * RFC 4180 reader and writer.  The reader is a small state machine over
 * bytes: fields are unquoted (no quotes inside) or quoted (quotes doubled,
 * may span lines); records end with LF or CRLF; a lone CR outside quotes
 * is refused, so a record's line number is always right.  Input is read a
 * block at a time, and runs of ordinary bytes are copied at once: the
 * reader is the first step of an import of a million rows.
 */
#include "registry/record/csv.h"

#include <stdlib.h>
#include <string.h>

#include "registry/base/mem.h"
#include "registry/rules/text.h"

#define CSV_BLOCK 65536

struct csv_reader {
	FILE *in;
	unsigned char block[CSV_BLOCK]; /* read from `in`, not yet taken */
	size_t pos, end;
	long line;              /* current line */
	int at_start;           /* nothing read yet (for the byte-order mark) */
	unsigned char ahead[4]; /* bytes read ahead, the next one last */
	int n_ahead;
	char *buf; /* all fields of the record, NUL-separated */
	size_t len, cap;
	size_t starts[CSV_MAX_FIELDS];
	size_t field_start; /* offset of the field being read */
	char error[200];
	long error_line;
};

struct csv_reader *
csv_reader_new(FILE *in)
{
	struct csv_reader *r = mem_calloc(1, sizeof *r);

	r->in = in;
	r->line = 1;
	r->at_start = 1;
	r->cap = 256;
	r->buf = mem_alloc(r->cap);
	return r;
}

void
csv_reader_free(struct csv_reader *r)
{
	if (r == NULL)
		return;
	free(r->buf);
	free(r);
}

const char *
csv_reader_error(const struct csv_reader *r)
{
	return r->error;
}

long
csv_reader_error_line(const struct csv_reader *r)
{
	return r->error_line;
}

static int
fail(struct csv_reader *r, const char *message)
{
	snprintf(r->error, sizeof r->error, "%s", message);
	r->error_line = r->line;
	return -1;
}

/* Makes room for `n` more bytes in the record's buffer. */
static void
reserve(struct csv_reader *r, size_t n)
{
	while (r->cap - r->len < n)
		r->buf = mem_realloc(r->buf, r->cap *= 2);
}

/* Appends a byte to the current field; -1 when the field is too long, so
 * a runaway quoted field cannot take all memory. */
static int
put(struct csv_reader *r, char c)
{
	if (r->len - r->field_start >= CSV_MAX_FIELD_BYTES)
		return fail(r, "field too long");
	if (r->len == r->cap)
		r->buf = mem_realloc(r->buf, r->cap *= 2);
	r->buf[r->len++] = c;
	return 0;
}

/*
 * Appends the run of bytes that follows in the block up to the first
 * that ends a run of a field, quoted or not (which put() would have
 * appended one by one): 0, or -1 when the field would grow too long, as
 * put() would say.
 */
static int
put_run(struct csv_reader *r, int quoted)
{
	const unsigned char *start = r->block + r->pos, *p = start;
	const unsigned char *end = r->block + r->end;
	size_t n;

	if (r->n_ahead > 0)
		return 0;
	if (quoted)
		while (p < end && *p != '"' && *p != '\n')
			p++;
	else
		while (p < end && *p != ',' && *p != '\n' && *p != '\r' &&
		       *p != '"')
			p++;
	n = (size_t)(p - start);
	if (n == 0)
		return 0;
	if (r->len - r->field_start + n > CSV_MAX_FIELD_BYTES)
		return fail(r, "field too long");
	reserve(r, n);
	memcpy(r->buf + r->len, start, n);
	r->len += n;
	r->pos += n;
	return 0;
}

/* Ends the current field; -1 when the record has too many. */
static int
end_field(struct csv_reader *r, struct csv_record *rec, size_t field_start)
{
	size_t bad;

	if (!text_valid_utf8(r->buf + field_start, r->len - field_start, &bad))
		return fail(r, "invalid UTF-8");
	if (memchr(r->buf + field_start, '\0', r->len - field_start))
		return fail(r, "NUL byte in a field");
	if (rec->count == CSV_MAX_FIELDS)
		return fail(r, "too many fields");
	if (r->len == r->cap)
		r->buf = mem_realloc(r->buf, r->cap *= 2);
	r->buf[r->len++] = '\0';
	r->starts[rec->count++] = field_start;
	r->field_start = r->len;
	return 0;
}

/* The next byte: one read ahead, else the block's, else the stream's. */
static int
next_byte(struct csv_reader *r)
{
	if (r->n_ahead > 0)
		return r->ahead[--r->n_ahead];
	if (r->pos == r->end) {
		r->pos = 0;
		r->end = fread(r->block, 1, sizeof r->block, r->in);
		if (r->end == 0)
			return EOF;
	}
	return r->block[r->pos++];
}

/* Gives back byte c (the last one read first). */
static void
unread(struct csv_reader *r, int c)
{
	if (c != EOF)
		r->ahead[r->n_ahead++] = (unsigned char)c;
}

/* A byte-order mark (EF BB BF) at the very start is skipped; other bytes
 * are left to read, so a first field may start with U+FExx. */
static void
skip_bom(struct csv_reader *r)
{
	int c1, c2, c3;

	r->at_start = 0;
	if ((c1 = next_byte(r)) != 0xEF) {
		unread(r, c1);
	} else if ((c2 = next_byte(r)) != 0xBB) {
		unread(r, c2);
		unread(r, c1);
	} else if ((c3 = next_byte(r)) != 0xBF) {
		unread(r, c3);
		unread(r, c2);
		unread(r, c1);
	}
}

/* A CR outside quotes must be followed by LF (which is left to read). */
static int
carriage_return(struct csv_reader *r)
{
	int next = next_byte(r);

	if (next != '\n')
		return fail(r, "carriage return without a line feed");
	unread(r, next);
	return 0;
}

/*
 * A separator `c` (',', '\n' or EOF) ends the field begun at
 * *field_start: 1 when it also ends the record, 0 when another field
 * follows, -1 on an error.
 */
static int
separator(
    struct csv_reader *r, struct csv_record *rec, int c, size_t *field_start)
{
	if (end_field(r, rec, *field_start) != 0)
		return -1;
	*field_start = r->len;
	if (c == '\n')
		r->line++;
	return c != ',';
}

int
csv_read(struct csv_reader *r, struct csv_record *rec)
{
	enum { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED } state;
	size_t field_start = 0;
	int c, end = 0;

	r->len = 0;
	r->field_start = 0;
	rec->count = 0;
	rec->line = r->line;
	state = FIELD_START;
	if (r->at_start)
		skip_bom(r);
	c = next_byte(r);
	if (c == EOF)
		return ferror(r->in) ? fail(r, "read error") : 0;
	while (end == 0) {
		int quoted = state == QUOTED || state == QUOTE_IN_QUOTED;
		if (state == QUOTED && c == EOF) {
			fail(r, "quoted field not closed at the end of the "
			        "file");
			r->error_line = rec->line;
			return -1;
		} else if (state == QUOTED && c == '"') {
			state = QUOTE_IN_QUOTED;
		} else if (state == QUOTED) {
			if (c == '\n')
				r->line++;
			end = put(r, (char)c);
			if (end == 0)
				end = put_run(r, 1);
		} else if (c == ',' || c == '\n' || c == EOF) {
			end = separator(r, rec, c, &field_start);
			state = FIELD_START;
		} else if (c == '\r') {
			end = carriage_return(r);
		} else if (c == '"' && state == QUOTE_IN_QUOTED) {
			state = QUOTED;
			end = put(r, '"');
		} else if (quoted) {
			return fail(r, "text after a closing quote");
		} else if (c == '"' && state == UNQUOTED) {
			return fail(r, "quote inside an unquoted field");
		} else if (c == '"') {
			state = QUOTED;
		} else {
			state = UNQUOTED;
			end = put(r, (char)c);
			if (end == 0)
				end = put_run(r, 0);
		}
		if (end == 0)
			c = next_byte(r);
	}
	if (end < 0)
		return -1;
	if (ferror(r->in))
		return fail(r, "read error");
	for (size_t i = 0; i < rec->count; i++)
		rec->fields[i] = r->buf + r->starts[i];
	return 1;
}

void
csv_write_field(FILE *out, const char *text, int last)
{
	if (text == NULL)
		text = "";
	/* A leading byte-order mark is quoted so a reader keeps it. */
	if (strpbrk(text, ",\"\r\n") == NULL &&
	    strncmp(text, "\xEF\xBB\xBF", 3) != 0) {
		fputs(text, out);
	} else {
		putc('"', out);
		for (const char *p = text; *p; p++) {
			if (*p == '"')
				putc('"', out);
			putc(*p, out);
		}
		putc('"', out);
	}
	fputs(last ? "\r\n" : ",", out);
}
