/*
 * JSON helpers (see json.h).
 */
#include "registry/api/json.h"

#include <string.h>

#include "registry/rules/date.h"
#include "registry/rules/text.h"

json_t *
api_json_text(const char *text)
{
	json_t *s;

	if (text == NULL || *text == '\0')
		return json_null();
	s = json_string(text);
	return s ? s : json_null();
}

json_t *
api_json_ascii(const char *text)
{
	return json_stringn_nocheck(text, strlen(text));
}

json_t *
api_json_date(int date)
{
	char buf[DATE_BUFSIZE];

	if (date == DATE_NONE)
		return json_null();
	return json_stringn_nocheck(date_format(date, buf), 10);
}

static int
append(const char *data, size_t size, void *arg)
{
	buf_put(arg, data, size);
	return 0;
}

void
api_json_dump(struct buf *b, const json_t *value)
{
	json_dump_callback(
	    value, append, b, JSON_COMPACT | JSON_PRESERVE_ORDER);
}

void
api_json_put_text(struct buf *b, const char *text)
{
	static const char HEX[] = "0123456789abcdef";
	const char *run;
	size_t len;

	if (text == NULL || *text == '\0' ||
	    !text_valid_utf8(text, len = strlen(text), NULL)) {
		buf_put(b, "null", 4);
		return;
	}
	buf_putc(b, '"');
	run = text;
	for (const char *p = text; p < text + len; p++) {
		unsigned char c = (unsigned char)*p;
		char esc[6] = {'\\', 'u', '0', '0', 0, 0};
		size_t n = 2;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_put(b, run, (size_t)(p - run));
		run = p + 1;
		switch (c) {
		case '"':
			esc[1] = '"';
			break;
		case '\\':
			esc[1] = '\\';
			break;
		case '\b':
			esc[1] = 'b';
			break;
		case '\f':
			esc[1] = 'f';
			break;
		case '\n':
			esc[1] = 'n';
			break;
		case '\r':
			esc[1] = 'r';
			break;
		case '\t':
			esc[1] = 't';
			break;
		default:
			esc[4] = HEX[c >> 4];
			esc[5] = HEX[c & 15];
			n = 6;
		}
		buf_put(b, esc, n);
	}
	buf_put(b, run, (size_t)(text + len - run));
	buf_putc(b, '"');
}

void
api_json_put_date(struct buf *b, int date)
{
	char buf[12];
	int y, m, d;

	if (date == DATE_NONE) {
		buf_put(b, "null", 4);
		return;
	}
	date_to_civil(date, &y, &m, &d);
	buf[0] = '"';
	buf[1] = (char)('0' + y / 1000 % 10);
	buf[2] = (char)('0' + y / 100 % 10);
	buf[3] = (char)('0' + y / 10 % 10);
	buf[4] = (char)('0' + y % 10);
	buf[5] = '-';
	buf[6] = (char)('0' + m / 10);
	buf[7] = (char)('0' + m % 10);
	buf[8] = '-';
	buf[9] = (char)('0' + d / 10);
	buf[10] = (char)('0' + d % 10);
	buf[11] = '"';
	buf_put(b, buf, sizeof buf);
}

void
api_json_put_int(struct buf *b, long long value)
{
	char buf[24], *p = buf + sizeof buf;
	unsigned long long v = value < 0 ? 0ULL - (unsigned long long)value
	                                 : (unsigned long long)value;

	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	if (value < 0)
		*--p = '-';
	buf_put(b, p, (size_t)(buf + sizeof buf - p));
}
