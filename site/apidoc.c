/*
 * apidoc: walks an OpenAPI document (paths, operations, parameters,
 * responses, components) with Jansson.  Only what a reader needs is taken;
 * references ("$ref": "#/components/...") are followed to a bounded depth.
 */
#include "site/apidoc.h"

#include <string.h>

#define MAX_DEPTH 8

static const char *const METHODS[] = {
    "get", "head", "options", "post", "put", "patch", "delete"};

/* Follows a local "$ref" (at most a few times); returns a borrowed value. */
static json_t *
resolve(json_t *doc, json_t *value)
{
	for (int i = 0; i < MAX_DEPTH && json_is_object(value); i++) {
		const char *ref =
		    json_string_value(json_object_get(value, "$ref"));
		if (ref == NULL || strncmp(ref, "#/", 2) != 0)
			return value;
		json_t *at = doc;
		char *copy = mem_strdup(ref + 2), *save = NULL;
		for (char *seg = strtok_r(copy, "/", &save); seg && at;
		     seg = strtok_r(NULL, "/", &save))
			at = json_object_get(at, seg);
		free(copy);
		if (at == NULL)
			return value;
		value = at;
	}
	return value;
}

/* The media type's example (the document's examples are real answers,
 * tests/api/examples.sh), or NULL: nothing is made up from the schema. */
static json_t *
example_of(json_t *doc, json_t *media)
{
	media = resolve(doc, media);
	json_t *v = json_object_get(media, "example");
	if (v)
		return json_deep_copy(v);
	json_t *ex;
	const char *name;
	json_object_foreach (json_object_get(media, "examples"), name, ex) {
		json_t *value = json_object_get(resolve(doc, ex), "value");
		if (value)
			return json_deep_copy(value);
	}
	return NULL;
}

static const char *
schema_type(json_t *doc, json_t *schema)
{
	schema = resolve(doc, schema);
	json_t *type = json_object_get(schema, "type");
	if (json_is_string(type))
		return json_string_value(type);
	if (json_is_array(type))
		return json_string_value(json_array_get(type, 0));
	return "";
}

/* The values an enumerated schema (or its items, or each of its oneOf)
 * allows, appended to b as "a、b、c"; how many. */
static int
enum_values(json_t *doc, json_t *schema, struct buf *b, int depth)
{
	json_t *values, *v;
	size_t i;
	int n = 0;

	schema = resolve(doc, schema);
	if (!json_is_object(schema) || depth > MAX_DEPTH)
		return 0;
	values = json_object_get(schema, "enum");
	json_array_foreach (values, i, v) {
		char *one = json_is_string(v) ? mem_strdup(json_string_value(v))
		                              : json_dumps(v, JSON_ENCODE_ANY);
		buf_printf(b, "%s%s", b->len ? "、" : "", one);
		free(one);
		n++;
	}
	if (n == 0 && json_object_get(schema, "items"))
		n = enum_values(
		    doc, json_object_get(schema, "items"), b, depth + 1);
	return n;
}

/* The text at `key` of o, in English (its "x-KEY-en" beside it) when en
 * and the document has one; else the document's own, in Chinese. */
static const char *
text_in(json_t *o, const char *key, int en)
{
	if (en) {
		char name[64];
		snprintf(name, sizeof name, "x-%s-en", key);
		const char *t = json_string_value(json_object_get(o, name));
		if (t != NULL)
			return t;
	}
	return json_string_value(json_object_get(o, key));
}

static json_t *
parameters(json_t *doc, json_t *list, json_t *query_example, int en)
{
	json_t *out = json_array(), *p;
	size_t i;
	json_array_foreach (list, i, p) {
		p = resolve(doc, p);
		const char *name =
		    json_string_value(json_object_get(p, "name"));
		if (name == NULL)
			continue;
		json_t *schema = resolve(doc, json_object_get(p, "schema"));
		const char *desc = text_in(p, "description", en);
		/* Every value an enumeration allows, after the description. */
		struct buf words = BUF_INIT, values = BUF_INIT;
		buf_puts(&words, desc ? desc : "");
		if (enum_values(doc, schema, &values, 0) > 0 &&
		    (desc == NULL || strstr(desc, values.data) == NULL))
			buf_printf(&words,
			    en ? " (one of: %s)" : "（可取：%s）", values.data);
		json_t *item = json_pack("{s:s, s:s, s:b, s:s, s:s}", "name",
		    name, "in",
		    json_string_value(json_object_get(p, "in"))
		        ? json_string_value(json_object_get(p, "in"))
		        : "",
		    "required", json_is_true(json_object_get(p, "required")),
		    "type", schema_type(doc, schema), "description",
		    words.len ? words.data : "");
		buf_free(&words);
		buf_free(&values);
		json_t *ex = json_object_get(p, "example");
		if (ex == NULL)
			ex = json_object_get(schema, "example");
		const char *in = json_string_value(json_object_get(item, "in"));
		if (ex &&
		    (strcmp(in, "query") == 0 || strcmp(in, "path") == 0)) {
			char *text = json_is_string(ex)
			                 ? mem_strdup(json_string_value(ex))
			                 : json_dumps(ex, JSON_ENCODE_ANY);
			/* path parameters are kept apart by a leading '/' */
			struct buf key = BUF_INIT;
			buf_printf(&key, "%s%s",
			    strcmp(in, "path") == 0 ? "/" : "", name);
			json_object_set_new(
			    query_example, key.data, json_string(text));
			buf_free(&key);
			free(text);
		}
		json_array_append_new(out, item);
	}
	return out;
}

/* Appends text percent-encoded for a URL (RFC 3986 unreserved characters
 * as they are, and ',' which the lists use), so that the curl line works
 * when pasted and a quote cannot end the shell's quoting. */
static void
url_encode(struct buf *url, const char *text)
{
	static const char HEX[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		    *p == '_' || *p == '~' || *p == ',')
			buf_putc(url, *p);
		else
			buf_printf(url, "%%%c%c", HEX[*p >> 4], HEX[*p & 15]);
}

/* The example request: the route below base_url with each {name}
 * replaced by its example (query's "/name") and the query examples after
 * it. */
static void
example_url(
    const char *base_url, const char *route, json_t *query, struct buf *url)
{
	buf_puts(url, base_url);
	size_t n = strlen(base_url);
	const char *r = route;
	if (n && base_url[n - 1] == '/' && *r == '/')
		r++;
	while (*r) {
		const char *close = *r == '{' ? strchr(r, '}') : NULL;
		if (close == NULL) {
			buf_putc(url, *r++);
			continue;
		}
		struct buf key = BUF_INIT;
		buf_putc(&key, '/');
		buf_put(&key, r + 1, (size_t)(close - r - 1));
		const char *value =
		    json_string_value(json_object_get(query, key.data));
		if (value)
			url_encode(url, value);
		else
			buf_put(url, r, (size_t)(close - r + 1));
		buf_free(&key);
		r = close + 1;
	}
	const char *qkey;
	json_t *qval;
	int first = 1;
	json_object_foreach (query, qkey, qval) {
		if (qkey[0] == '/')
			continue;
		buf_printf(url, "%c", first ? '?' : '&');
		url_encode(url, qkey);
		buf_putc(url, '=');
		url_encode(url, json_string_value(qval));
		first = 0;
	}
}

/* An operation's responses (code, description), and in *example the
 * example of the first success response with content, with its media type
 * in *example_type (borrowed from doc), as text the caller frees. */
static json_t *
responses(
    json_t *doc, json_t *op, char **example, const char **example_type, int en)
{
	json_t *list = json_array(), *resp, *value = NULL;
	const char *code;
	json_object_foreach (json_object_get(op, "responses"), code, resp) {
		resp = resolve(doc, resp);
		const char *d = text_in(resp, "description", en);
		json_array_append_new(
		    list, json_pack("{s:s, s:s}", "code", code, "description",
		              d ? d : ""));
		if (value != NULL || code[0] != '2')
			continue;
		const char *mt;
		json_t *media;
		json_object_foreach (
		    json_object_get(resp, "content"), mt, media) {
			value = example_of(doc, media);
			*example_type = mt;
			break;
		}
		if (value == NULL)
			*example_type = NULL;
	}
	if (value && json_is_string(value))
		*example = mem_strdup(json_string_value(value));
	else if (value)
		*example = json_dumps(value, JSON_INDENT(2) | JSON_ENCODE_ANY);
	json_decref(value);
	return list;
}

/* text with every `from` replaced by `to`, as a new string. */
static char *
replace_all(const char *text, const char *from, const char *to)
{
	struct buf out = BUF_INIT;
	size_t n = strlen(from);
	const char *at;

	if (n == 0)
		return mem_strdup(text);
	while ((at = strstr(text, from)) != NULL) {
		buf_put(&out, text, (size_t)(at - text));
		buf_puts(&out, to);
		text = at + n;
	}
	buf_puts(&out, text);
	return out.data ? out.data : mem_strdup("");
}

/* One route's method, as the page shows it. */
static json_t *
operation(json_t *doc, const char *route, json_t *item, const char *method,
    const char *base_url, int en)
{
	json_t *op = json_object_get(item, method);
	json_t *query = json_object();
	json_t *params =
	    parameters(doc, json_object_get(item, "parameters"), query, en);
	json_t *more =
	    parameters(doc, json_object_get(op, "parameters"), query, en);
	json_array_extend(params, more);
	json_decref(more);
	struct buf url = BUF_INIT, id = BUF_INIT;
	example_url(base_url, route, query, &url);
	json_decref(query);
	char *example = NULL;
	const char *example_type = NULL;
	json_t *resps = responses(doc, op, &example, &example_type, en);
	/* The examples were answered by a registryd serving at the
	 * document's x-examples-base-url; served at base_url, it writes
	 * base_url in the same places. */
	const char *answered_at =
	    json_string_value(json_object_get(doc, "x-examples-base-url"));
	if (example && answered_at) {
		char *moved = replace_all(example, answered_at, base_url);
		free(example);
		example = moved;
	}
	const char *summary = text_in(op, "summary", en);
	const char *desc = text_in(op, "description", en);
	buf_puts(&id, method);
	for (const char *c = route; *c; c++)
		buf_putc(&id,
		    (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ? *c
		                                                         : '-');
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:o, s:o, s:s, "
	                      "s:s?, s:s?}",
	    "id", id.data, "method", method, "path", route, "summary",
	    summary ? summary : "", "description", desc ? desc : "",
	    "has_parameters", json_array_size(params) > 0, "parameters", params,
	    "responses", resps, "example_request", url.data, "example_response",
	    example, "example_type", example_type);
	free(example);
	buf_free(&url);
	buf_free(&id);
	return j;
}

json_t *
apidoc_context(const char *path, const char *base_url, int en, struct buf *err)
{
	json_error_t jerr;
	json_t *doc = json_load_file(path, 0, &jerr);
	if (doc == NULL) {
		buf_printf(err, "%s:%d: %s", path, jerr.line, jerr.text);
		return NULL;
	}
	json_t *routes = json_array(), *item;
	const char *route;
	json_object_foreach (json_object_get(doc, "paths"), route, item) {
		for (size_t m = 0; m < sizeof METHODS / sizeof *METHODS; m++) {
			if (json_object_get(item, METHODS[m]) == NULL ||
			    strcmp(METHODS[m], "head") == 0 ||
			    strcmp(METHODS[m], "options") == 0)
				continue;
			json_array_append_new(
			    routes, operation(doc, route, item, METHODS[m],
			                base_url, en));
		}
	}
	json_t *info = json_object_get(doc, "info");
	const char *title = json_string_value(json_object_get(info, "title"));
	const char *version =
	    json_string_value(json_object_get(info, "version"));
	const char *desc = text_in(info, "description", en);
	json_t *ctx = json_pack("{s:s, s:s, s:s, s:o}", "api_title",
	    title ? title : "API", "api_version", version ? version : "",
	    "api_description", desc ? desc : "", "routes", routes);
	json_decref(doc);
	return ctx;
}
