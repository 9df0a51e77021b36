/*
 * Query strings of API requests ("q=%E4%BA%91&limit=20"), parsed strictly:
 * the API answers 400 naming the parameter rather than guess what a
 * malformed request meant.  Pure: no I/O, no globals, so the fuzzer and the
 * unit tests call it directly.
 *
 * Rules: pairs are separated by '&'; empty pairs are skipped; '+' is a
 * space; %XX is a byte.  A name must be 1 to API_QUERY_NAME_MAX of
 * [A-Za-z0-9_.-]; a value, once decoded, at most API_QUERY_VALUE_MAX bytes
 * (API_QUERY_LIST_VALUE_MAX for the list of numbers a bulk check takes,
 * `number`) of well-formed UTF-8 with no control characters.  A name may appear
 * once.  At most API_QUERY_MAX_PARAMS pairs, API_QUERY_RAW_MAX raw bytes.
 */
#ifndef REGISTRY_API_QUERY_H
#define REGISTRY_API_QUERY_H

#include <stddef.h>

#define API_QUERY_MAX_PARAMS 16
#define API_QUERY_NAME_MAX 32
#define API_QUERY_VALUE_MAX 256
#define API_QUERY_LIST_PARAM "number" /* the one parameter that is a list */
#define API_QUERY_LIST_VALUE_MAX 3200 /* 100 entries and their commas */
#define API_QUERY_RAW_MAX 4096

struct api_query_param {
	char *name;  /* decoded; owned */
	char *value; /* decoded, "" when the pair had no '='; owned */
};

struct api_query {
	struct api_query_param params[API_QUERY_MAX_PARAMS];
	int count;
};

/*
 * Parses `raw` (the text after '?', or NULL) into `out`, which the caller
 * frees with api_query_clear() whatever the result.  Returns 0, or -1 with
 * what is wrong in `why` and the offending parameter's name in `param`
 * ("query" when no single parameter is to blame); both are ASCII, safe to
 * echo.  Example: "as_of=2024-1-1&as_of=x" fails with param "as_of",
 * why "the parameter is given more than once".
 */
int api_query_parse(const char *raw, struct api_query *out, char *why,
    size_t why_size, char *param, size_t param_size);

/*
 * The value of `name`, or NULL when absent.  An empty value counts as
 * absent, as HTML forms send empty fields ("?q=&level=").
 */
const char *api_query_get(const struct api_query *q, const char *name);

/*
 * The first parameter whose name is not in the NULL-terminated list
 * `allowed`, or NULL when all are known.
 */
const char *api_query_unknown(
    const struct api_query *q, const char *const *allowed);

/* Frees the names and values; q is then empty.  Accepts a zeroed q. */
void api_query_clear(struct api_query *q);

#endif
