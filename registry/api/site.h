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

/* The Content-Type for a file name ("text/html; charset=utf-8"). */
const char *api_site_content_type(const char *name);

#endif
