/*
 * The canonical encoding of events (see entry.h).  One table, FIELDS,
 * says each field's tag, type and place in struct log_entry; the encoder
 * and the decoder both walk it, so that they cannot disagree about the
 * order or the form of a field.
 */
#include "registry/log/entry.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/base/mem.h"
#include "registry/rules/date.h"
#include "registry/rules/text.h"
#include "registry/log/why.h"

enum field_type {
	TYPE_ID,        /* long long > 0; 0 is absent */
	TYPE_KIND,      /* enum event_kind by stored name */
	TYPE_DATE,      /* int date; DATE_NONE is absent */
	TYPE_TIMESTAMP, /* canonical UTC timestamp text */
	TYPE_TEXT,      /* NULL is absent; "" is a value */
	TYPE_NOTE,      /* reason, reference: "" (or NULL) is absent */
};

struct field {
	int tag;
	const char *name;
	enum field_type type;
	int required;
	size_t offset; /* in struct log_entry */
};

#define FIELD(tag, member, type, required)                                     \
	{                                                                      \
		tag, #member, type, required,                                  \
		    offsetof(struct log_entry, member)                         \
	}

static const struct field FIELDS[] = {
    FIELD(1, seq, TYPE_ID, 1),
    FIELD(2, kind, TYPE_KIND, 1),
    FIELD(3, number, TYPE_TEXT, 0),
    FIELD(4, organisation_id, TYPE_ID, 0),
    FIELD(5, effective_on, TYPE_DATE, 1),
    FIELD(6, recorded_at, TYPE_TIMESTAMP, 1),
    FIELD(7, reason, TYPE_NOTE, 0),
    FIELD(8, reference, TYPE_NOTE, 0),
    FIELD(9, deadline, TYPE_DATE, 0),
    FIELD(10, target_seq, TYPE_ID, 0),
    FIELD(11, old_value, TYPE_TEXT, 0),
    FIELD(12, new_value, TYPE_TEXT, 0),
    FIELD(13, other_organisation_id, TYPE_ID, 0),
    FIELD(14, other_number, TYPE_TEXT, 0),
};
#define FIELD_COUNT (sizeof FIELDS / sizeof FIELDS[0])

#define MEMBER(e, f, type) ((type *)(void *)((char *)(e) + (f)->offset))

/* UTF-8 text without NUL. */
static int
text_ok(const char *text, size_t len)
{
	return memchr(text, '\0', len) == NULL &&
	       text_valid_utf8(text, len, NULL);
}

/* Writes the decimal digits of v into buf (room for 21 bytes); their
 * count.  Without printf: a publish encodes millions. */
static size_t
put_decimal(char *buf, size_t size, unsigned long long v)
{
	char digits[20];
	size_t n = 0;

	do
		digits[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	for (size_t i = 0; i < n && i + 1 < size; i++)
		buf[i] = digits[n - 1 - i];
	buf[n] = '\0';
	return n;
}

/* The value of field f of e as text in `value` (or pointed to by
 * *text): 1 with a value, 0 when absent, -1 when it cannot be written. */
static int
field_value(const struct log_entry *e, const struct field *f, char *value,
    size_t value_size, const char **text, size_t *len)
{
	long long id;
	int date, year, month, day;
	const char *s;

	*text = value;
	switch (f->type) {
	case TYPE_ID:
		id = *MEMBER(e, f, const long long);
		if (id < 0)
			return -1;
		if (id == 0)
			return 0;
		*len = put_decimal(value, value_size, (unsigned long long)id);
		return 1;
	case TYPE_KIND:
		if ((int)e->kind < 0 || e->kind >= EVENT_KIND_COUNT)
			return -1;
		*text = event_kind_name(e->kind);
		*len = strlen(*text);
		return 1;
	case TYPE_DATE:
		date = *MEMBER(e, f, const int);
		if (date == DATE_NONE)
			return 0;
		/* Only the years the decoder reads back. */
		date_to_civil(date, &year, &month, &day);
		if (year < DATE_MIN_YEAR || year > DATE_MAX_YEAR)
			return -1;
		date_format(date, value);
		*len = DATE_BUFSIZE - 1;
		return 1;
	case TYPE_TIMESTAMP:
	case TYPE_TEXT:
	case TYPE_NOTE:
		s = *MEMBER(e, f, const char *const);
		if (s == NULL || (f->type == TYPE_NOTE && *s == '\0'))
			return 0;
		*text = s;
		*len = strlen(s);
		return 1;
	}
	return -1;
}

/* The two digits at p as a number, or -1. */
static int
two_digits(const char *p)
{
	if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
		return -1;
	return (p[0] - '0') * 10 + (p[1] - '0');
}

/*
 * 1 when `text` is a UTC timestamp in its one form, YYYY-MM-DDTHH:MM:SSZ:
 * a day that exists in years DATE_MIN_YEAR to DATE_MAX_YEAR, 00:00:00 to
 * 23:59:59 (what date_format_timestamp writes).
 */
static int
timestamp_ok(const char *text, size_t len)
{
	int century, year, month, day, hour, minute, second;

	if (len != TIMESTAMP_BUFSIZE - 1 || text[4] != '-' || text[7] != '-' ||
	    text[10] != 'T' || text[13] != ':' || text[16] != ':' ||
	    text[19] != 'Z')
		return 0;
	century = two_digits(text);
	year = two_digits(text + 2);
	month = two_digits(text + 5);
	day = two_digits(text + 8);
	hour = two_digits(text + 11);
	minute = two_digits(text + 14);
	second = two_digits(text + 17);
	if (century < 0 || year < 0 || hour < 0 || hour > 23 || minute < 0 ||
	    minute > 59 || second < 0 || second > 59)
		return 0;
	year += century * 100;
	return year >= DATE_MIN_YEAR && year <= DATE_MAX_YEAR &&
	       date_is_valid(year, month, day);
}

int
log_entry_encode(
    const struct log_entry *e, struct buf *out, char *why, size_t why_size)
{
	size_t start = out->len;
	char value[32];

	buf_putc(out, LOG_ENTRY_VERSION);
	for (size_t i = 0; i < FIELD_COUNT; i++) {
		const struct field *f = &FIELDS[i];
		const char *text;
		size_t len = 0;
		int has = field_value(e, f, value, sizeof value, &text, &len);

		if (has < 0) {
			log_why(why, why_size,
			    "entry of event %lld: %s cannot be encoded", e->seq,
			    f->name);
			goto fail;
		}
		if (has == 0 && f->required) {
			log_why(why, why_size, "entry of event %lld: no %s",
			    e->seq, f->name);
			goto fail;
		}
		if (has == 0)
			continue;
		if (!text_ok(text, len) ||
		    (f->type == TYPE_TIMESTAMP && !timestamp_ok(text, len))) {
			log_why(why, why_size,
			    "entry of event %lld: %s is not %s", e->seq,
			    f->name,
			    f->type == TYPE_TIMESTAMP
			        ? "a timestamp YYYY-MM-DDTHH:MM:SSZ"
			        : "UTF-8 text without NUL");
			goto fail;
		}
		if (len > LOG_ENTRY_MAX) {
			log_why(why, why_size,
			    "entry of event %lld: %s is too long", e->seq,
			    f->name);
			goto fail;
		}
		buf_putc(out, f->tag);
		buf_putc(out, (int)(len >> 8));
		buf_putc(out, (int)(len & 0xff));
		buf_put(out, text, len);
	}
	if (out->len - start > LOG_ENTRY_MAX) {
		log_why(why, why_size,
		    "entry of event %lld: %zu bytes, more than the %d an "
		    "entry may have",
		    e->seq, out->len - start, LOG_ENTRY_MAX);
		goto fail;
	}
	return 0;
fail:
	/* `out` as it was. */
	out->len = start;
	if (out->data != NULL)
		out->data[start] = '\0';
	return -1;
}

/* A canonical decimal id: 1 to LLONG_MAX, no sign, no leading zero. */
static int
parse_id(const char *text, size_t len, long long *out)
{
	long long v = 0;

	if (len == 0 || len > 19 || text[0] == '0')
		return -1;
	for (size_t i = 0; i < len; i++) {
		int d = text[i] - '0';

		if (d < 0 || d > 9 || v > (LLONG_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* Reads field f's value (len bytes at `text`, already a NUL-terminated
 * copy in `copy`) into e.  0 or -1. */
static int
read_value(struct log_entry *e, const struct field *f, char *copy, size_t len)
{
	int kind;

	switch (f->type) {
	case TYPE_ID:
		return parse_id(copy, len, MEMBER(e, f, long long));
	case TYPE_KIND:
		if ((kind = event_kind_parse(copy)) < 0 ||
		    kind >= EVENT_KIND_COUNT)
			return -1;
		e->kind = (enum event_kind)kind;
		return 0;
	case TYPE_DATE:
		if (len != DATE_BUFSIZE - 1)
			return -1;
		return date_parse(copy, MEMBER(e, f, int));
	case TYPE_TIMESTAMP:
		if (!timestamp_ok(copy, len))
			return -1;
		*MEMBER(e, f, const char *) = copy;
		return 0;
	case TYPE_NOTE:
		if (len == 0)
			return -1; /* an empty note is left out */
		                   /* fall through */
	case TYPE_TEXT:
		*MEMBER(e, f, const char *) = copy;
		return 0;
	}
	return -1;
}

int
log_entry_decode(const uint8_t *data, size_t len, struct log_entry *out,
    char *why, size_t why_size)
{
	size_t at = 1, next_field = 0;
	char *store;
	int seen[FIELD_COUNT] = {0};

	memset(out, 0, sizeof *out);
	out->deadline = DATE_NONE;
	out->effective_on = DATE_NONE;
	out->reason = out->reference = "";
	if (len == 0 || len > LOG_ENTRY_MAX)
		return log_why(why, why_size,
		    "an entry has 1 to %d bytes, not "
		    "%zu",
		    LOG_ENTRY_MAX, len);
	if (data[0] != LOG_ENTRY_VERSION)
		return log_why(why, why_size,
		    "entry version %d, not %d: this program reads version %d "
		    "only",
		    data[0], LOG_ENTRY_VERSION, LOG_ENTRY_VERSION);
	/* Room for every value and its NUL: the entry's own length. */
	store = out->storage_ = mem_alloc(len + FIELD_COUNT);
	while (at < len) {
		size_t start = at, value_len, i;
		int tag;

		if (len - at < 3) {
			log_why(why, why_size,
			    "at byte %zu: a field is cut short", start);
			goto bad;
		}
		tag = data[at];
		value_len = (size_t)data[at + 1] << 8 | data[at + 2];
		at += 3;
		if (value_len > len - at) {
			log_why(why, why_size,
			    "at byte %zu: field %d has %zu bytes, the entry "
			    "%zu more",
			    start, tag, value_len, len - at);
			goto bad;
		}
		for (i = next_field; i < FIELD_COUNT && FIELDS[i].tag != tag;
		     i++)
			;
		if (i == FIELD_COUNT) {
			log_why(why, why_size, "at byte %zu: field %d %s",
			    start, tag,
			    tag >= 1 && tag <= (int)FIELD_COUNT
			        ? "is out of order or repeated"
			        : "is not a field of version 1");
			goto bad;
		}
		memcpy(store, data + at, value_len);
		store[value_len] = '\0';
		if (!text_ok(store, value_len) ||
		    read_value(out, &FIELDS[i], store, value_len) != 0) {
			log_why(why, why_size, "at byte %zu: %s is not valid",
			    start, FIELDS[i].name);
			goto bad;
		}
		seen[i] = 1;
		next_field = i + 1;
		store += value_len + 1;
		at += value_len;
	}
	for (size_t i = 0; i < FIELD_COUNT; i++)
		if (FIELDS[i].required && !seen[i]) {
			log_why(why, why_size, "the entry has no %s",
			    FIELDS[i].name);
			goto bad;
		}
	return 0;
bad:
	log_entry_clear(out);
	return -1;
}

void
log_entry_clear(struct log_entry *e)
{
	free(e->storage_);
	memset(e, 0, sizeof *e);
}
