/*
 * JSON helpers (see api_json.h).
 */
#include "registry/api_json.h"

#include <string.h>

#include "registry/date.h"

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
	api_buf_add(arg, data, size);
	return 0;
}

void
api_json_dump(struct api_buf *b, const json_t *value)
{
	json_dump_callback(
	    value, append, b, JSON_COMPACT | JSON_PRESERVE_ORDER);
}
