/*
 * api_schema_check: checks JSON documents against the schemas of an
 * OpenAPI 3.1 document, for tests/api/openapi.sh, which feeds it real
 * responses of registryd.
 *
 *   api_schema_check DOC --doc
 *       every "$ref" resolves and every schema uses only the keywords
 *       below
 *   api_schema_check DOC --schema POINTER FILE
 *       FILE (JSON) against the schema at POINTER ("#/components/...")
 *   api_schema_check DOC --response PATH STATUS MEDIA FILE
 *       FILE against paths[PATH].get.responses[STATUS].content[MEDIA]
 *   api_schema_check DOC --lines POINTER FILE
 *       each line of FILE (NDJSON) against the schema at POINTER
 *
 * Schema keywords understood: $ref (local), type (a name or a list),
 * properties, required, additionalProperties (false or a schema), items,
 * enum, const, format (date, date-time), minimum, maximum, oneOf (exactly
 * one of the schemas holds); and the
 * annotations description, example, examples, title, default.  A schema
 * with any other keyword is an error, so the document cannot promise
 * what this checker does not check.  Exit status 0 when everything
 * conforms, 1 otherwise (each problem printed as "FILE: $.path: what").
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 32

static json_t *doc;
static const char *label;
static int problems;
static int quiet; /* trying the alternatives of a oneOf */

static void
problem(const char *where, const char *format, const char *detail)
{
	problems++;
	if (quiet)
		return;
	printf("%s: %s: ", label, where);
	printf(format, detail);
	printf("\n");
}

/* The value at a local reference "#/a/b", or NULL. */
static json_t *
pointer(const char *ref)
{
	json_t *at = doc;
	char *copy, *save = NULL;

	if (strncmp(ref, "#/", 2) != 0)
		return NULL;
	copy = strdup(ref + 2);
	for (char *seg = strtok_r(copy, "/", &save); seg && at;
	     seg = strtok_r(NULL, "/", &save)) {
		/* "~1" is '/', "~0" is '~' (RFC 6901) */
		char *o = seg;
		for (char *p = seg; *p; p++) {
			if (p[0] == '~' && p[1] == '1') {
				*o++ = '/';
				p++;
			} else if (p[0] == '~' && p[1] == '0') {
				*o++ = '~';
				p++;
			} else {
				*o++ = *p;
			}
		}
		*o = '\0';
		at = json_object_get(at, seg);
	}
	free(copy);
	return at;
}

static json_t *
resolve(json_t *schema, const char *where)
{
	for (int i = 0; i < MAX_DEPTH && json_is_object(schema); i++) {
		const char *ref =
		    json_string_value(json_object_get(schema, "$ref"));
		json_t *target;
		if (ref == NULL)
			return schema;
		if ((target = pointer(ref)) == NULL) {
			problem(where, "unresolved reference %s", ref);
			return NULL;
		}
		schema = target;
	}
	return schema;
}

static int
digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int
date_ok(const char *s)
{
	static const int days[] = {
	    31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d;

	if (strlen(s) < 10 || !digits(s, 4) || s[4] != '-' ||
	    !digits(s + 5, 2) || s[7] != '-' || !digits(s + 8, 2))
		return 0;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return 0;
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 || y % 400 == 0)))
		return 0;
	return 1;
}

static int
date_time_ok(const char *s)
{
	return strlen(s) == 20 && date_ok(s) && s[10] == 'T' &&
	       digits(s + 11, 2) && s[13] == ':' && digits(s + 14, 2) &&
	       s[16] == ':' && digits(s + 17, 2) && s[19] == 'Z' &&
	       atoi(s + 11) < 24 && atoi(s + 14) < 60 && atoi(s + 17) < 61;
}

static const char *
type_of(json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "object";
	case JSON_ARRAY:
		return "array";
	case JSON_STRING:
		return "string";
	case JSON_INTEGER:
		return "integer";
	case JSON_REAL:
		return "number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "boolean";
	default:
		return "null";
	}
}

static int
type_matches(const char *want, json_t *v)
{
	const char *have = type_of(v);
	return strcmp(want, have) == 0 ||
	       (strcmp(want, "number") == 0 && strcmp(have, "integer") == 0);
}

static const char *const KEYWORDS[] = {"$ref", "type", "properties", "required",
    "additionalProperties", "items", "enum", "const", "format", "minimum",
    "maximum", "oneOf", "description", "example", "examples", "title",
    "default", NULL};

/* Every keyword of a schema is one this checker understands. */
static void
keywords_known(json_t *schema, const char *where)
{
	const char *key;
	json_t *value;

	json_object_foreach (schema, key, value) {
		int known = 0;
		for (const char *const *k = KEYWORDS; *k && !known; k++)
			known = strcmp(*k, key) == 0;
		if (!known)
			problem(where,
			    "the schema uses '%s', which is not "
			    "checked",
			    key);
	}
}

static void validate(json_t *schema, json_t *v, const char *where, int depth);

static void
validate_object(json_t *schema, json_t *v, const char *where, int depth)
{
	json_t *props = json_object_get(schema, "properties");
	json_t *extra = json_object_get(schema, "additionalProperties");
	json_t *req = json_object_get(schema, "required"), *item;
	const char *key;
	char at[1024];
	size_t i;

	json_array_foreach (req, i, item) {
		if (!json_object_get(v, json_string_value(item))) {
			snprintf(at, sizeof at, "%s", where);
			problem(at, "lacks the required member '%s'",
			    json_string_value(item));
		}
	}
	json_object_foreach (v, key, item) {
		json_t *sub = json_object_get(props, key);
		snprintf(at, sizeof at, "%s.%s", where, key);
		if (sub)
			validate(sub, item, at, depth + 1);
		else if (json_is_false(extra))
			problem(at, "%s is not in the schema", key);
		else if (json_is_object(extra))
			validate(extra, item, at, depth + 1);
	}
}

static void
validate(json_t *schema, json_t *v, const char *where, int depth)
{
	json_t *type, *e, *item;
	const char *format;
	size_t i;
	char at[1024];

	if (depth > MAX_DEPTH) {
		problem(where, "%s", "nested too deeply");
		return;
	}
	if ((schema = resolve(schema, where)) == NULL)
		return;
	if (!json_is_object(schema)) {
		problem(where, "%s", "the schema is not an object");
		return;
	}
	keywords_known(schema, where);
	type = json_object_get(schema, "type");
	if (json_is_string(type) && !type_matches(json_string_value(type), v)) {
		snprintf(at, sizeof at, "is %s, the schema wants %s",
		    type_of(v), json_string_value(type));
		problem(where, "%s", at);
		return;
	}
	if (json_is_array(type)) {
		int any = 0;
		json_array_foreach (type, i, e)
			any |= type_matches(json_string_value(e), v);
		if (!any) {
			problem(where, "is %s, not a type the schema allows",
			    type_of(v));
			return;
		}
	}
	if ((e = json_object_get(schema, "enum"))) {
		int found = 0;
		json_array_foreach (e, i, item)
			found |= json_equal(item, v);
		if (!found) {
			char *text = json_dumps(v, JSON_ENCODE_ANY);
			problem(where, "%s is not one of the enum", text);
			free(text);
		}
	}
	if ((e = json_object_get(schema, "const")) && !json_equal(e, v))
		problem(where, "%s", "differs from the schema's const");
	format = json_string_value(json_object_get(schema, "format"));
	if (format && json_is_string(v)) {
		const char *s = json_string_value(v);
		if (strcmp(format, "date") == 0 &&
		    !(strlen(s) == 10 && date_ok(s)))
			problem(where, "'%s' is not a date (YYYY-MM-DD)", s);
		else if (strcmp(format, "date-time") == 0 && !date_time_ok(s))
			problem(where, "'%s' is not a UTC date-time", s);
		else if (strcmp(format, "date") != 0 &&
		         strcmp(format, "date-time") != 0)
			problem(where, "unknown format %s", format);
	}
	if (json_is_number(v)) {
		double x = json_number_value(v);
		if ((e = json_object_get(schema, "minimum")) &&
		    x < json_number_value(e))
			problem(where, "%s", "is below the minimum");
		if ((e = json_object_get(schema, "maximum")) &&
		    x > json_number_value(e))
			problem(where, "%s", "is above the maximum");
	}
	if ((e = json_object_get(schema, "oneOf"))) {
		int before = problems, was = quiet, holds = 0;
		quiet = 1;
		json_array_foreach (e, i, item) {
			int start = problems;
			validate(item, v, where, depth + 1);
			holds += problems == start;
		}
		quiet = was;
		problems = before;
		if (holds != 1) {
			snprintf(at, sizeof at, "%d", holds);
			problem(where, "matches %s of the oneOf schemas, not 1",
			    at);
		}
	}
	if (json_is_object(v))
		validate_object(schema, v, where, depth);
	if (json_is_array(v) && (e = json_object_get(schema, "items"))) {
		json_array_foreach (v, i, item) {
			snprintf(at, sizeof at, "%s[%zu]", where, i);
			validate(e, item, at, depth + 1);
		}
	}
}

/* --doc: walks every schema reachable from the document. */
static void
check_schemas(json_t *node, const char *where, int in_schema, int depth)
{
	const char *key;
	json_t *value;
	char at[1024];

	if (depth > 64)
		return;
	if (json_is_object(node)) {
		const char *ref =
		    json_string_value(json_object_get(node, "$ref"));
		if (ref && pointer(ref) == NULL)
			problem(where, "unresolved reference %s", ref);
		if (in_schema)
			keywords_known(node, where);
		json_object_foreach (node, key, value) {
			int schema_child;
			if (strcmp(key, "example") == 0 ||
			    strcmp(key, "examples") == 0)
				continue;
			snprintf(at, sizeof at, "%s/%s", where, key);
			/* What holds schemas: "schema", the members of
			 * components.schemas and "properties", "items" and
			 * "additionalProperties" inside a schema. */
			schema_child =
			    strcmp(key, "schema") == 0 ||
			    (in_schema &&
			        (strcmp(key, "items") == 0 ||
			            strcmp(key, "oneOf") == 0 ||
			            strcmp(key, "additionalProperties") == 0));
			if (in_schema && strcmp(key, "properties") == 0) {
				const char *name;
				json_t *sub;
				json_object_foreach (value, name, sub) {
					char p[1100];
					snprintf(
					    p, sizeof p, "%s/%s", at, name);
					check_schemas(sub, p, 1, depth + 1);
				}
				continue;
			}
			if (strcmp(where, "#/components/schemas") == 0)
				schema_child = 1;
			check_schemas(value, at, schema_child, depth + 1);
		}
	} else if (json_is_array(node)) {
		size_t i;
		/* The members of a oneOf are schemas. */
		int of_schemas =
		    in_schema && strlen(where) > 6 &&
		    strcmp(where + strlen(where) - 6, "/oneOf") == 0;
		json_array_foreach (node, i, value) {
			snprintf(at, sizeof at, "%s/%zu", where, i);
			check_schemas(value, at, of_schemas, depth + 1);
		}
	}
}

static json_t *
load(const char *path)
{
	json_error_t error;
	json_t *v = json_load_file(path, JSON_DECODE_ANY, &error);

	if (v == NULL) {
		printf("%s:%d: not JSON: %s\n", path, error.line, error.text);
		exit(1);
	}
	return v;
}

/* --response PATH STATUS MEDIA FILE: FILE against the documented
 * response; 0, or 1 when there is no such response. */
static int
check_response(char **argv)
{
	json_t *schema, *value;
	json_t *response = json_object_get(
	    json_object_get(
	        json_object_get(
	            json_object_get(json_object_get(doc, "paths"), argv[3]),
	            "get"),
	        "responses"),
	    argv[4]);

	label = argv[6];
	response = resolve(response, "$");
	schema = json_object_get(
	    json_object_get(json_object_get(response, "content"), argv[5]),
	    "schema");
	if (schema == NULL) {
		printf("%s: GET %s documents no %s response as %s\n", argv[1],
		    argv[3], argv[4], argv[5]);
		return 1;
	}
	schema = resolve(schema, "$");
	/* Text bodies (CSV, Atom) are strings to the schema. */
	if (schema && json_is_string(json_object_get(schema, "type")) &&
	    strcmp(json_string_value(json_object_get(schema, "type")),
	        "string") == 0) {
		FILE *f = fopen(argv[6], "rb");
		if (f == NULL || fgetc(f) == EOF) {
			printf("%s: empty\n", argv[6]);
			return 1;
		}
		fclose(f);
	} else {
		value = load(argv[6]);
		validate(schema, value, "$", 0);
		json_decref(value);
	}
	return 0;
}

/* --lines POINTER FILE: every line of FILE against the schema; 0, or 1
 * when either cannot be read. */
static int
check_lines(char **argv)
{
	json_t *schema, *value;
	FILE *f = fopen(argv[4], "r");
	char *line = NULL, at[64];
	size_t cap = 0;
	long n = 0;

	if ((schema = pointer(argv[3])) == NULL || f == NULL) {
		printf(
		    "%s: cannot read, or no schema at %s\n", argv[4], argv[3]);
		if (f != NULL)
			fclose(f);
		return 1;
	}
	label = argv[4];
	while (getline(&line, &cap, f) > 0) {
		json_error_t error;
		n++;
		snprintf(at, sizeof at, "line %ld", n);
		value = json_loads(line, 0, &error);
		if (value == NULL) {
			problem(at, "not JSON: %s", error.text);
			continue;
		}
		validate(schema, value, at, 0);
		json_decref(value);
	}
	free(line);
	fclose(f);
	if (n == 0)
		problem("$", "%s", "no lines");
	return 0;
}

int
main(int argc, char **argv)
{
	json_t *schema, *value;
	int rc = 0;

	if (argc < 3) {
		fprintf(stderr,
		    "usage: api_schema_check DOC --doc | --schema "
		    "POINTER FILE | --response PATH STATUS MEDIA FILE | "
		    "--lines POINTER FILE\n");
		return 2;
	}
	doc = load(argv[1]);
	label = argv[1];
	if (strcmp(argv[2], "--doc") == 0) {
		check_schemas(doc, "#", 0, 0);
	} else if (strcmp(argv[2], "--schema") == 0 && argc == 5) {
		label = argv[4];
		if ((schema = pointer(argv[3])) == NULL) {
			printf("%s: no schema at %s\n", argv[1], argv[3]);
			return 1;
		}
		value = load(argv[4]);
		validate(schema, value, "$", 0);
		json_decref(value);
	} else if (strcmp(argv[2], "--response") == 0 && argc == 7) {
		rc = check_response(argv);
	} else if (strcmp(argv[2], "--lines") == 0 && argc == 5) {
		rc = check_lines(argv);
	} else {
		fprintf(stderr, "api_schema_check: bad arguments\n");
		return 2;
	}
	if (rc != 0)
		return rc;
	json_decref(doc);
	return problems ? 1 : 0;
}
