/*
 * Search: /v1/certificates?q=...  Finds certificates by number, holder's
 * credit code, and holder's current or former name, Chinese substrings of
 * any length included, ranked: the exact number, then certificates of the
 * holder with that exact credit code, then numbers starting with q, then
 * holders whose name starts with q, then holders whose name (or a former
 * name) contains q.  Each item says how it matched ("match").
 *
 * Names are ranked in windows of organisations taken in id order
 * (api_config.search_window of them): within a window, name-prefix
 * matches come before the others.  When fewer organisations match than a
 * window holds, which is the usual case, the ranking is exact; a query
 * that matches more is still walked completely, window by window.  Three
 * characters or more use the snapshot's trigram index; one or two scan the
 * names in id ranges under the page's time budget.
 */
#ifndef REGISTRY_API_SEARCH_H
#define REGISTRY_API_SEARCH_H

#include "registry/api/certs.h"

#define API_SEARCH_MAX_CHARS 100

/* 1 when q holds something other than spaces. */
int api_search_wanted(const char *q);

/*
 * Answers one page of the search for q with filters f.  `cursor` (or
 * NULL for the first page) comes from a previous page of the same query;
 * `filters` is the fingerprint new cursors carry.
 */
void api_search(struct api_call *c, const char *q,
    const struct api_cert_filter *f, int limit, const struct api_cursor *cursor,
    uint32_t filters);

/*
 * The first page of the same search, unfiltered, each of at most `limit`
 * results handed to emit (with how it matched) instead of written as
 * JSON: for the registry's check box (check.c).  1 when there is more
 * than the page held, 0 when not, -1 when q was refused (a 400 is set)
 * or the snapshot could not be read.
 */
int api_search_each(struct api_call *c, const char *q, int limit,
    void (*emit)(void *arg, const struct api_cert *cert, const char *match),
    void *arg);

/*
 * The set a search finds (without its ranking), tested one certificate
 * at a time, for the exports: a number starting with q (full-width and
 * short forms folded), the holder's credit code equal to q, or the
 * holder's current or a former name holding q (ASCII letters without
 * case).
 */
struct api_search_filter {
	char lower[API_SEARCH_MAX_CHARS * 4 + 1];
	char number[API_CURSOR_KEY_MAX + 1];
	char code[20];
	int has_number, has_code;
};

/* Prepares q; 0, or -1 with a 400 set. */
int api_search_filter_init(
    struct api_call *c, const char *q, struct api_search_filter *out);

/* 1 when the certificate `row` is in q's set, 0 when not, -1 when the
 * holder's former names cannot be read. */
int api_search_filter_match(struct snapshot *snap,
    const struct api_search_filter *f, const struct snapshot_cert *row);

#endif
