/*
 * Strict query-string parsing (see query.h).  Every refusal names the
 * parameter, because a 400 that says which value was wrong is the only
 * useful one.
 */
#include "registry/api/query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/base/mem.h"
#include "registry/base/url.h"
#include "registry/rules/text.h"

static int
name_ok(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len > API_QUERY_NAME_MAX)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		        (c >= '0' && c <= '9') || c == '_' || c == '.' ||
		        c == '-'))
			return 0;
	}
	return 1;
}

/* A decoded value of parameter `name` that passes the rules: length
 * (API_QUERY_LIST_VALUE_MAX for a list), UTF-8, no control characters.
 * 0, or -1 with `why`. */
static int
check_value(const char *name, const char *value, char *why, size_t why_size)
{
	int max = strcmp(name, API_QUERY_LIST_PARAM) == 0
	              ? API_QUERY_LIST_VALUE_MAX
	              : API_QUERY_VALUE_MAX;

	if (strlen(value) > (size_t)max) {
		snprintf(
		    why, why_size, "the value is longer than %d bytes", max);
		return -1;
	}
	if (!text_valid_utf8(value, strlen(value), NULL)) {
		snprintf(why, why_size, "the value is not valid UTF-8");
		return -1;
	}
	if (text_has_control(value)) {
		snprintf(
		    why, why_size, "the value contains a control character");
		return -1;
	}
	return 0;
}

/*
 * Adds the pair of the `len` bytes at p ("name=value") to out; its name
 * goes to `param` as soon as it is known.  0, or -1 with `why`.
 */
static int
add_pair(const char *p, size_t len, struct api_query *out, char *why,
    size_t why_size, char *param, size_t param_size)
{
	const char *eq = memchr(p, '=', len);
	char *name, *value;

	if (url_decode(p, eq ? (size_t)(eq - p) : len, URL_PLUS_IS_SPACE,
	        &name) != 0 ||
	    !name_ok(name)) {
		free(name);
		snprintf(why, why_size,
		    "a parameter name is not valid (letters, digits, '_', "
		    "'.', '-', at most %d)",
		    API_QUERY_NAME_MAX);
		return -1;
	}
	snprintf(param, param_size, "%s", name);
	if (out->count == API_QUERY_MAX_PARAMS) {
		free(name);
		snprintf(param, param_size, "query");
		snprintf(why, why_size, "more than %d parameters",
		    API_QUERY_MAX_PARAMS);
		return -1;
	}
	for (int i = 0; i < out->count; i++) {
		if (strcmp(out->params[i].name, name) == 0) {
			free(name);
			snprintf(why, why_size,
			    "the parameter is given more than once");
			return -1;
		}
	}
	if (eq == NULL) {
		value = mem_strdup("");
	} else if (url_decode(eq + 1, len - (size_t)(eq - p) - 1,
	               URL_PLUS_IS_SPACE, &value) != 0) {
		free(name);
		snprintf(why, why_size,
		    "malformed percent-encoding (%%XX with two hex digits, "
		    "not %%00)");
		return -1;
	}
	out->params[out->count].name = name;
	out->params[out->count].value = value;
	out->count++;
	return check_value(name, value, why, why_size);
}

int
api_query_parse(const char *raw, struct api_query *out, char *why,
    size_t why_size, char *param, size_t param_size)
{
	const char *p;

	memset(out, 0, sizeof *out);
	snprintf(param, param_size, "query");
	if (raw == NULL)
		return 0;
	if (strlen(raw) > API_QUERY_RAW_MAX) {
		snprintf(why, why_size,
		    "the query string is longer than %d bytes",
		    API_QUERY_RAW_MAX);
		return -1;
	}
	for (p = raw; *p != '\0';) {
		const char *end = strchr(p, '&');
		if (end == NULL)
			end = p + strlen(p);
		if (end > p && add_pair(p, (size_t)(end - p), out, why,
		                   why_size, param, param_size) != 0)
			return -1;
		p = *end ? end + 1 : end;
	}
	snprintf(param, param_size, "%s", "");
	return 0;
}

const char *
api_query_get(const struct api_query *q, const char *name)
{
	for (int i = 0; i < q->count; i++)
		if (strcmp(q->params[i].name, name) == 0)
			return q->params[i].value[0] ? q->params[i].value
			                             : NULL;
	return NULL;
}

const char *
api_query_unknown(const struct api_query *q, const char *const *allowed)
{
	for (int i = 0; i < q->count; i++) {
		int known = 0;
		for (const char *const *a = allowed; *a && !known; a++)
			known = strcmp(*a, q->params[i].name) == 0;
		if (!known)
			return q->params[i].name;
	}
	return NULL;
}

void
api_query_clear(struct api_query *q)
{
	for (int i = 0; i < q->count; i++) {
		free(q->params[i].name);
		free(q->params[i].value);
	}
	memset(q, 0, sizeof *q);
}
