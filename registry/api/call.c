/*
 * Helpers for route handlers (see call.h).
 */
#include "registry/api/call.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/api/hash.h"
#include "registry/api/json.h"
#include "registry/base/clock.h"
#include "registry/rules/date.h"

static void
problem(struct api_call *c, int status, const char *param, json_t *members,
    const char *format, va_list ap)
{
	char detail[640];
	json_t *body = json_object(), *text;

	vsnprintf(detail, sizeof detail, format, ap);
	/* A cut in the middle of a character would make the text invalid:
	 * drop the partial character. */
	text = json_string(detail);
	for (size_t len = strlen(detail); text == NULL && len > 0; len--) {
		detail[len - 1] = '\0';
		text = json_string(detail);
	}
	json_object_set_new(body, "type", json_string("about:blank"));
	json_object_set_new(
	    body, "title", json_string(api_status_text(status)));
	json_object_set_new(body, "status", json_integer(status));
	json_object_set_new(body, "detail", text ? text : json_string(""));
	json_object_set_new(body, "instance", api_json_text(c->path));
	if (param != NULL)
		json_object_set_new(body, "parameter", api_json_text(param));
	if (members != NULL)
		json_object_update_new(body, members);
	c->resp->status = status;
	buf_reset(&c->resp->body);
	api_json_dump(&c->resp->body, body);
	buf_putc(&c->resp->body, '\n');
	json_decref(body);
	buf_puts(
	    &c->resp->headers, "Content-Type: application/problem+json\r\n");
}

void
api_call_problem(
    struct api_call *c, int status, const char *param, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	problem(c, status, param, NULL, format, ap);
	va_end(ap);
}

void
api_call_problem_members(
    struct api_call *c, int status, json_t *members, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	problem(c, status, NULL, members, format, ap);
	va_end(ap);
}

void
api_call_failed(struct api_call *c)
{
	if (c->snap != NULL && snapshot_timed_out(c->snap)) {
		api_call_problem(c, 503, NULL,
		    "the query took longer than "
		    "the %d ms allowed; try a narrower one",
		    c->config->query_ms);
		buf_puts(&c->resp->headers, "Retry-After: 1\r\n");
	} else {
		api_call_problem(c, 500, NULL,
		    "the snapshot could not be "
		    "read: %s",
		    c->snap ? snapshot_error(c->snap) : "none is open");
	}
}

void
api_call_json(struct api_call *c, json_t *body)
{
	c->resp->status = 200;
	api_json_dump(&c->resp->body, body);
	buf_putc(&c->resp->body, '\n');
	json_decref(body);
	buf_puts(&c->resp->headers,
	    "Content-Type: application/json; charset=utf-8\r\n");
}

int
api_call_limit(struct api_call *c, int fallback, int *out)
{
	const char *text = api_query_get(&c->query, "limit");
	long value = 0;

	*out = fallback;
	if (text == NULL)
		return 0;
	for (const char *p = text; *p; p++) {
		if (*p < '0' || *p > '9' || value > API_LIMIT_MAX) {
			value = -1;
			break;
		}
		value = value * 10 + (*p - '0');
	}
	if (value < 1 || value > API_LIMIT_MAX) {
		api_call_problem(c, 400, "limit",
		    "limit must be a whole "
		    "number from 1 to %d",
		    API_LIMIT_MAX);
		return -1;
	}
	*out = (int)value;
	return 0;
}

int
api_call_cursor(
    struct api_call *c, char list, uint32_t filters, struct api_cursor *out)
{
	const char *text = api_query_get(&c->query, "cursor");

	if (text == NULL)
		return 0;
	if (api_cursor_decode(text, c->config->cursor_secret, out) != 0 ||
	    out->list != list) {
		api_call_problem(c, 400, "cursor",
		    "cursor is not one this "
		    "list gave out; use next_cursor or the Link "
		    "header as given");
		return -1;
	}
	if (out->filters != filters) {
		api_call_problem(c, 400, "cursor",
		    "cursor belongs to a query "
		    "with other filters; keep the other parameters "
		    "as they were");
		return -1;
	}
	return 1;
}

uint32_t
api_call_fingerprint(const struct api_call *c, const char *const *names)
{
	uint64_t h = API_HASH_INIT;

	for (const char *const *n = names; *n; n++)
		h = api_hash_str(
		    api_hash_str(h, *n), api_query_get(&c->query, *n));
	return (uint32_t)(h ^ (h >> 32));
}

void
api_call_url_encode(struct buf *b, const char *text, int keep_slash)
{
	static const char HEX[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p) ||
		    (keep_slash && *p == '/')) {
			buf_putc(b, (char)*p);
		} else {
			buf_putc(b, '%');
			buf_putc(b, HEX[*p >> 4]);
			buf_putc(b, HEX[*p & 15]);
		}
	}
}

void
api_call_ok(struct api_call *c)
{
	c->resp->status = 200;
	buf_puts(&c->resp->headers,
	    "Content-Type: application/json; charset=utf-8\r\n");
}

void
api_call_page_end(struct api_call *c, const struct api_cursor *next, int link)
{
	char text[API_CURSOR_TEXT_MAX];
	struct buf *h = &c->resp->headers, *b = &c->resp->body;

	if (next == NULL) {
		buf_puts(b, ",\"next_cursor\":null}\n");
		return;
	}
	api_cursor_encode(next, c->config->cursor_secret, text);
	buf_puts(b, ",\"next_cursor\":\"");
	buf_puts(b, text);
	buf_puts(b, "\"}\n");
	if (!link)
		return;
	buf_puts(h, "Link: <");
	api_call_url_encode(h, c->path, 1);
	buf_putc(h, '?');
	for (int i = 0; i < c->query.count; i++) {
		const struct api_query_param *p = &c->query.params[i];
		if (strcmp(p->name, "cursor") == 0 || p->value[0] == '\0')
			continue;
		api_call_url_encode(h, p->name, 0);
		buf_putc(h, '=');
		api_call_url_encode(h, p->value, 0);
		buf_putc(h, '&');
	}
	buf_puts(h, "cursor=");
	buf_puts(h, text);
	buf_puts(h, ">; rel=\"next\"\r\n");
}

int
api_call_spent(struct api_call *c)
{
	c->scanned++;
	if (c->scanned >= c->config->scan_limit)
		return 1;
	if ((c->scanned & 63) == 0 &&
	    clock_ms() - c->started >= c->config->scan_ms)
		return 1;
	return 0;
}

int
api_call_etag_matches(const char *header, const char *etag)
{
	size_t etag_len = strlen(etag);
	const char *p = header;

	while (p && *p) {
		size_t len;
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '*')
			return 1;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		len = strcspn(p, ",");
		while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len == etag_len && strncmp(p, etag, len) == 0)
			return 1;
		p = strchr(p, ',');
	}
	return 0;
}

long long
api_call_http_date(const char *text)
{
	static const char MONTHS[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	char month[4];
	int day, year, hour, minute, second, used = 0, m;
	const char *at;

	if (text == NULL || strlen(text) != 29 || text[3] != ',' ||
	    text[4] != ' ')
		return -1;
	if (sscanf(text + 5, "%2d %3s %4d %2d:%2d:%2d GMT%n", &day, month,
	        &year, &hour, &minute, &second, &used) != 6 ||
	    used != 24)
		return -1;
	at = strstr(MONTHS, month);
	if (at == NULL || strlen(month) != 3 || (at - MONTHS) % 3 != 0)
		return -1;
	m = (int)(at - MONTHS) / 3 + 1;
	if (year < DATE_MIN_YEAR || year > DATE_MAX_YEAR ||
	    !date_is_valid(year, m, day) || hour > 23 || minute > 59 ||
	    second > 60)
		return -1;
	return (long long)date_from_civil(year, m, day) * 86400 + hour * 3600 +
	       minute * 60 + second;
}
