/*
 * The CSV reader and writer (registry/record/csv.c): RFC 4180 records, line
 * numbers of records that span lines, and the exact message for each kind
 * of malformed input; the reader that reads ahead (csv_ahead.c) and what
 * it lets the caller see of the records to come.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/record/csv.h"
#include "registry/record/csv_ahead.h"
#include "tests/unit/test_registry.h"

/* Reads all of `text`; writes "line:field|field;line:..." into out, or
 * "error line: message". */
static void
read_all(const char *text, char *out, size_t size)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	struct csv_reader *r = csv_reader_new(in);
	struct csv_record rec;
	size_t used = 0;
	int rc;

	out[0] = '\0';
	while ((rc = csv_read(r, &rec)) == 1) {
		used +=
		    (size_t)snprintf(out + used, size - used, "%ld:", rec.line);
		for (size_t i = 0; i < rec.count; i++)
			used += (size_t)snprintf(out + used, size - used,
			    "%s%s", i ? "|" : "", rec.fields[i]);
		used += (size_t)snprintf(out + used, size - used, ";");
	}
	if (rc < 0)
		snprintf(out + used, size - used, "error %ld: %s",
		    csv_reader_error_line(r), csv_reader_error(r));
	csv_reader_free(r);
	fclose(in);
}

struct csv_case {
	const char *name, *input, *expected;
};

static const struct csv_case csv_cases[] = {
    {"csv-1.1 simple records, CRLF", "a,b\r\nc,d\r\n", "1:a|b;2:c|d;"},
    {"csv-1.2 LF line ends", "a,b\nc,d\n", "1:a|b;2:c|d;"},
    {"csv-1.3 no final line end", "a,b\r\nc,d", "1:a|b;2:c|d;"},
    {"csv-1.4 empty fields", ",,\r\n", "1:||;"},
    {"csv-1.5 quoted comma and quote", "\"a,b\",\"say \"\"hi\"\"\"\r\n",
        "1:a,b|say \"hi\";"},
    {"csv-1.6 quoted line break keeps line numbers", "\"x\r\ny\",z\r\nw\r\n",
        "1:x\r\ny|z;3:w;"},
    {"csv-1.7 empty quoted field", "\"\",a\r\n", "1:|a;"},
    {"csv-1.8 byte-order mark skipped", "\xEF\xBB\xBFnumber,x\r\n",
        "1:number|x;"},
    {"csv-1.9 blank line is one empty field", "a\r\n\r\nb\r\n", "1:a;2:;3:b;"},
    {"csv-1.10 Chinese text", "示例,云安全\r\n", "1:示例|云安全;"},
    {"csv-1.11 empty input", "", ""},
    {"csv-1.12 a first field starting like a byte-order mark",
        "\xEF\xBB\x93,x\r\n", "1:\xEF\xBB\x93|x;"},
    {"csv-1.13 a file that is the start of a byte-order mark", "\xEF\xBB",
        "error 1: invalid UTF-8"},
    {"csv-2.1 quote inside an unquoted field", "a,b\"c\r\n",
        "error 1: quote inside an unquoted field"},
    {"csv-2.2 text after a closing quote", "\"a\"b,c\r\n",
        "error 1: text after a closing quote"},
    {"csv-2.3 carriage return alone", "a\rb\r\n",
        "error 1: carriage return without a line feed"},
    {"csv-2.4 unclosed quote names the record's line", "a\r\n\"b\r\nc\r\n",
        "1:a;error 2: quoted field not closed at the end of the file"},
    {"csv-2.5 invalid UTF-8", "a,\xff\r\n", "error 1: invalid UTF-8"},
    {"csv-2.6 overlong UTF-8", "a,\xc0\xaf\r\n", "error 1: invalid UTF-8"},
    {"csv-2.7 error on a later line", "a\r\nb\r\nc\"\r\n",
        "1:a;2:b;error 3: quote inside an unquoted field"},
};

static void
test_csv_case(void **state)
{
	const struct csv_case *c = *state;
	char out[512];

	read_all(c->input, out, sizeof out);
	if (strcmp(out, c->expected) != 0)
		fail_msg("%s: expected \"%s\", got \"%s\"", c->name,
		    c->expected, out);
}

static void
test_csv_too_many_fields(void **state)
{
	char input[CSV_MAX_FIELDS * 2 + 8], out[512];
	(void)state;
	memset(input, ',', CSV_MAX_FIELDS);
	strcpy(input + CSV_MAX_FIELDS, "\r\n");
	read_all(input, out, sizeof out);
	assert_string_equal(out, "error 1: too many fields");
}

static void
test_csv_field_too_long(void **state)
{
	size_t n = CSV_MAX_FIELD_BYTES + 10;
	char *input = malloc(n + 4), out[512];
	(void)state;
	input[0] = '"';
	memset(input + 1, 'x', n);
	strcpy(input + 1 + n, "\r\n");
	read_all(input, out, sizeof out);
	assert_string_equal(out, "error 1: field too long");
	/* The longest allowed field is read whole. */
	input[0] = 'y';
	memset(input + 1, 'x', CSV_MAX_FIELD_BYTES - 1);
	strcpy(input + CSV_MAX_FIELD_BYTES, ",z\r\n");
	FILE *in = fmemopen(input, strlen(input), "r");
	struct csv_reader *r = csv_reader_new(in);
	struct csv_record rec;
	assert_int_equal(csv_read(r, &rec), 1);
	assert_int_equal(strlen(rec.fields[0]), CSV_MAX_FIELD_BYTES);
	assert_string_equal(rec.fields[1], "z");
	csv_reader_free(r);
	fclose(in);
	free(input);
}

/* The reader takes its input a block (64 KB) at a time and runs of
 * ordinary bytes at once: records that straddle blocks, with quoted line
 * breaks and quotes, read as they would byte by byte. */
static void
test_csv_across_blocks(void **state)
{
	enum { RECORDS = 5000 };
	size_t size = RECORDS * 64, used = 0;
	char *input = malloc(size), expected[64], got[64];
	FILE *in;
	struct csv_reader *r;
	struct csv_record rec;
	(void)state;
	for (int i = 0; i < RECORDS; i++)
		used += (size_t)snprintf(input + used, size - used,
		    "%d,\"q\"\"%d\r\nx\",plain text %d,\r\n", i, i, i);
	in = fmemopen(input, used, "r");
	r = csv_reader_new(in);
	for (int i = 0; i < RECORDS; i++) {
		assert_int_equal(csv_read(r, &rec), 1);
		assert_int_equal(rec.line, 1 + 2 * i);
		assert_int_equal(rec.count, 4);
		snprintf(expected, sizeof expected,
		    "%d|q\"%d\r\nx|plain text %d|", i, i, i);
		snprintf(got, sizeof got, "%s|%s|%s|%s", rec.fields[0],
		    rec.fields[1], rec.fields[2], rec.fields[3]);
		assert_string_equal(got, expected);
	}
	assert_int_equal(csv_read(r, &rec), 0);
	csv_reader_free(r);
	fclose(in);
	free(input);
}

/* An unquoted field one byte too long is refused as a quoted one is. */
static void
test_csv_unquoted_too_long(void **state)
{
	size_t n = CSV_MAX_FIELD_BYTES + 1;
	char *input = malloc(n + 8), out[512];
	(void)state;
	strcpy(input, "a\r\n");
	memset(input + 3, 'x', n);
	strcpy(input + 3 + n, "\r\n");
	read_all(input, out, sizeof out);
	assert_string_equal(out, "1:a;error 2: field too long");
	free(input);
}

/* The csv_ahead prepare function of the tests: the record's first field
 * as a number. */
static void
note_first_field(void *arg, const struct csv_record *rec, void *out)
{
	long value = rec->count > 0 ? strtol(rec->fields[0], NULL, 10) : -1;

	(void)arg;
	memcpy(out, &value, sizeof value);
}

static long
note_value(const void *note)
{
	long value;

	memcpy(&value, note, sizeof value);
	return value;
}

/*
 * A regular file is read ahead in a second thread, in batches: every
 * record comes in order with its note, and csv_ahead_peek() shows the
 * notes of the records that follow the one given last, as far as the
 * batch being read goes, never one that is not there.  A pipe (no thread)
 * shows none.
 */
static void
test_csv_ahead_peek(void **state)
{
	enum { RECORDS = 5000 };
	struct csv_ahead_prepare prepare = {
	    note_first_field, NULL, sizeof(long)};
	FILE *in = tmpfile();
	struct csv_ahead *a;
	struct csv_record rec;
	const void *note;
	long shown = 0;
	(void)state;
	assert_non_null(in);
	for (int i = 0; i < RECORDS; i++)
		fprintf(in, "%d,x\r\n", i);
	rewind(in);
	a = csv_ahead_new(in, &prepare);
	assert_null(csv_ahead_peek(a, 1)); /* nothing read yet */
	for (long i = 0; i < RECORDS; i++) {
		assert_int_equal(csv_ahead_read(a, &rec, &note), 1);
		assert_int_equal(note_value(note), i);
		assert_int_equal(strtol(rec.fields[0], NULL, 10), i);
		assert_null(csv_ahead_peek(a, 0));
		for (size_t ahead = 1; ahead <= 8; ahead++) {
			const void *next = csv_ahead_peek(a, ahead);
			if (next == NULL)
				continue;
			assert_true(i + (long)ahead < RECORDS);
			assert_int_equal(note_value(next), i + (long)ahead);
			shown++;
		}
	}
	assert_null(csv_ahead_peek(a, 1));
	assert_int_equal(csv_ahead_read(a, &rec, &note), 0);
	/* all but the last few of each batch of 2,048 were shown 8 times */
	assert_true(shown > 7 * RECORDS);
	csv_ahead_free(a);
	fclose(in);

	in = fmemopen("1,x\r\n2,y\r\n", 10, "r");
	a = csv_ahead_new(in, &prepare);
	assert_int_equal(csv_ahead_read(a, &rec, &note), 1);
	assert_int_equal(note_value(note), 1);
	assert_null(csv_ahead_peek(a, 1)); /* not a regular file */
	assert_int_equal(csv_ahead_read(a, &rec, &note), 1);
	assert_int_equal(note_value(note), 2);
	csv_ahead_free(a);
	fclose(in);
}

static void
test_csv_writer(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	(void)state;
	csv_write_field(out, "plain", 0);
	csv_write_field(out, "a,b", 0);
	csv_write_field(out, "say \"hi\"", 0);
	csv_write_field(out, "two\nlines", 0);
	csv_write_field(out, NULL, 0);
	csv_write_field(out, "\xEF\xBB\xBFmark", 1);
	fclose(out);
	assert_string_equal(buf,
	    "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,"
	    "\"\xEF\xBB\xBFmark\"\r\n");
	char back[512];
	read_all(buf, back, sizeof back);
	assert_string_equal(back, "1:plain|a,b|say \"hi\"|two\nlines||"
	                          "\xEF\xBB\xBFmark;");
	free(buf);
}

int
test_registry_csv(void)
{
	static const struct CMUnitTest fixed[] = {
	    cmocka_unit_test(test_csv_too_many_fields),
	    cmocka_unit_test(test_csv_field_too_long),
	    cmocka_unit_test(test_csv_across_blocks),
	    cmocka_unit_test(test_csv_unquoted_too_long),
	    cmocka_unit_test(test_csv_ahead_peek),
	    cmocka_unit_test(test_csv_writer),
	};
	size_t n_fixed = sizeof fixed / sizeof fixed[0];
	size_t n_cases = sizeof csv_cases / sizeof csv_cases[0];
	struct CMUnitTest *tests = calloc(n_fixed + n_cases, sizeof *tests);
	int failed;

	for (size_t i = 0; i < n_fixed; i++)
		tests[i] = fixed[i];
	for (size_t i = 0; i < n_cases; i++)
		tests[n_fixed + i] = (struct CMUnitTest){csv_cases[i].name,
		    test_csv_case, NULL, NULL, (void *)&csv_cases[i]};
	failed = _cmocka_run_group_tests(
	    "registry_csv", tests, n_fixed + n_cases, NULL, NULL);
	free(tests);
	return failed;
}
