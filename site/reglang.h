/*
 * reglang: the registry's pages in English.  regpages.c makes each page's
 * context once, in Chinese; beside every word it shows stands the machine
 * value it says (status "revoked", flag "rectification_overdue", window
 * state, event kind, level, category, ISO dates), so the English page is
 * the same context with its words said again in English from those
 * values, rendered with the English template below /en/.  Organisation
 * names, addresses and the reasons recorded are shown as recorded.  The
 * check pages (check, bulk check, not found) are English too, with the
 * same places for registryd (registry/api/check.c) to write its answers
 * into, and each certificate and organisation has its feed in English
 * beside its English page.
 */
#ifndef REGLANG_H
#define REGLANG_H

#include <jansson.h>

#include "site/tree.h"

/* A page's feed: its events, newest first, each {event (regpages.c's
 * object), page (the Chinese page it links to, absolute), number (the
 * certificate's, in an organisation's feed)}; the feed's author and the
 * time it falls back to. */
struct reglang_feed {
	json_t *events;
	const char *author, *updated;
};

/*
 * When the site is in two languages, renders the English twin of a
 * registry page of the Chinese tree zh: template name ("registry",
 * "certificate", "organisation", "registry-check-page", "registry-bulk",
 * "registry-notfound") with a copy of ctx said in English, at
 * en/<dir>index.html, and with `feed` (or NULL) its English feed,
 * en/<dir>feed.xml.  categories_en maps category codes to their English
 * names.  ctx is left as it was.  Returns 0, or -1 as build_render_to.
 */
int reglang_render(const struct tree *zh, const char *name, json_t *ctx,
    const char *dir, json_t *categories_en, const struct reglang_feed *feed);

/* The words for the English pages, from the machine values. */
const char *reglang_status(const char *status);
const char *reglang_flag(const char *flag);
/* "2 December 2026" for "2026-12-02"; out holds at least 32 bytes. */
char *reglang_date(const char *iso, char *out);

#endif
