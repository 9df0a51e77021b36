/*
 * The API's unit tests: the handler function api_handle() called directly
 * on a snapshot of the sample registry, no sockets.  test_api.c builds the
 * fixture and runs the groups; each group's file exports its runner.
 */
#ifndef TEST_API_H
#define TEST_API_H

#include <jansson.h>
#include <stddef.h>

#include "registry/api/api.h"

/* The shared fixture: a sample registry published as of 2026-01-01. */
struct api_fixture {
	char dir[64];       /* temporary folder */
	char registry[128]; /* the registry database */
	char snapshot[128]; /* its published snapshot */
	char site[128];     /* a small website (see test_api.c) */
};

extern struct api_fixture api_fixture;

/* A response with its streamed body collected. */
struct api_reply {
	int status;
	char *headers; /* "Name: value\r\n" lines */
	char *body;    /* NUL-terminated */
	size_t body_len;
	json_t *json; /* the body parsed, when it is JSON; else NULL */
	int head;
};

/*
 * Sends one request through api_handle() with `config` (NULL: defaults
 * and the fixture's site) to a fresh connection to the fixture's snapshot.
 * `query` and `if_none_match` may be NULL.
 */
void api_test_request(const struct api_config *config, const char *method,
    const char *path, const char *query, const char *if_none_match,
    struct api_reply *out);

/* GET with no conditions. */
void api_test_get(const char *path, const char *query, struct api_reply *out);

/* A header's value (first match, case-insensitive name) copied into buf,
 * or NULL. */
const char *api_test_header(
    const struct api_reply *r, const char *name, char *buf, size_t size);

void api_test_reply_free(struct api_reply *r);

/* The test configuration: defaults, the fixture's site, the document. */
void api_test_config(struct api_config *config);

/* A count(*) query on the fixture snapshot, with SQLite itself. */
long long api_test_count(const char *sql);

/* A string member of a JSON object, or NULL. */
const char *api_test_string(json_t *o, const char *key);

/* Fails the test `name` unless the reply has `status`. */
void api_test_expect_status(
    const char *name, const struct api_reply *r, int status);

/* Fails the test `name` unless the reply is a problem document with
 * `status`, naming `param` (NULL: any). */
void api_test_expect_problem(
    const char *name, const struct api_reply *r, int status, const char *param);

/*
 * Follows next_cursor from `query` to the end, appending every item's
 * `key` (one per line) to `seen`; returns the number of pages.
 */
int api_test_walk(const struct api_config *config, const char *path,
    const char *query, const char *key, struct buf *seen);

/* The lines of `text`, checked to be distinct (and in order when
 * `sorted`); returns how many. */
int api_test_distinct(const char *name, const char *text, int sorted);

int test_api_query(void);  /* query strings, cursors, tags, dates */
int test_api_search(void); /* searches: lengths, ranks, walks */
int test_api_check(void);  /* the bulk call, not found, the check pages */
int test_api_routes(void); /* every route, error and header */

#endif
