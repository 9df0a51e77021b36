/*
 * The static website (registryd --site DIR) at every path outside /v1/
 * and /healthz, so one address serves the site and the API.  Files are
 * served by this module, not by Civetweb's document root, so nothing can
 * run as CGI or SSI; there are no directory listings; names starting with
 * a dot, "..", symbolic links and encoded tricks are refused with the
 * site's 404 page.  "/x/" serves x/index.html and "/x" (a folder)
 * redirects to "/x/".
 */
#ifndef REGISTRY_API_SITE_H
#define REGISTRY_API_SITE_H

#include "registry/api/call.h"

/* The site's Content-Security-Policy: nothing inline, nothing foreign. */
#define API_SITE_CSP                                                           \
	"default-src 'self'; img-src 'self' data:; style-src 'self'; "         \
	"script-src 'self'; object-src 'none'; base-uri 'none'; "              \
	"form-action 'self'; frame-ancestors 'none'"

void api_site_serve(struct api_call *c);

/* The site's 404 page, for a path that cannot name a file at all. */
void api_site_missing(struct api_call *c);

/*
 * Appends the site's regular file at `rel` ("registry/check/index.html",
 * names walked without following links) to out.  0, or -1 when there is
 * none (or it is larger than the site serves from memory).
 */
int api_site_read(const struct api_call *c, const char *rel, struct buf *out);

/* 1 when the site has that regular file, else 0. */
int api_site_has(const struct api_call *c, const char *rel);

/* The Content-Type for a file name ("text/html; charset=utf-8"). */
const char *api_site_content_type(const char *name);

#endif
