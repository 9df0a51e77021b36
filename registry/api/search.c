/*
 * Search (see search.h).  The walk goes through five phases in order;
 * the cursor records the phase and the position inside it:
 *
 *   0 number       the certificate numbered q (key: its number)
 *   1 credit_code  certificates whose holder has credit code q (key)
 *   2 prefix       numbers starting with q, by number (key)
 *   3 name_prefix  in the window (a, b] of organisation ids: holders
 *                  whose name starts with q, by id (c), then number (key)
 *   4 name         the same window: the other holders that match
 *
 * A certificate found by an earlier phase is skipped by the later ones, so
 * walking the pages gives each result once.  After phase 4 the next
 * window starts at b.  A window's upper bound b is fixed by the page that
 * first computes it and travels in the cursor, so later pages rank the
 * same set of organisations.
 */
#include "registry/api/search.h"

#include <stdlib.h>
#include <string.h>

#include "registry/api/json.h"
#include "registry/base/clock.h"
#include "registry/base/mem.h"
#include "registry/rules/lookup.h"
#include "registry/rules/number.h"

#define QUERY_MAX (API_SEARCH_MAX_CHARS * 4 + 1)

enum phase {
	PHASE_NUMBER,
	PHASE_CREDIT_CODE,
	PHASE_PREFIX,
	PHASE_NAME_PREFIX,
	PHASE_NAME,
};

struct candidate {
	long long id;
	int rank;          /* 0: name starts with q; 1: contains it */
	const char *match; /* "name_prefix", "name" or "former_name" */
};

struct search {
	struct api_call *c;
	const struct api_cert_filter *f;
	char text[QUERY_MAX];  /* q without surrounding spaces */
	char lower[QUERY_MAX]; /* the same, ASCII letters in lower case */
	size_t chars;          /* characters (code points) in text */
	char number[API_CURSOR_KEY_MAX + 1]; /* q as a certificate number */
	char number_end[API_CURSOR_KEY_MAX + 2];
	char code[20]; /* q as a credit code */
	int has_number, has_code;
	int limit, count;
	int more, stopped, failed;
	struct buf *body;      /* the page being written */
	struct api_cursor pos; /* the last certificate looked at */
	/* Where results go instead of body (api_search_each()). */
	void (*emit)(void *arg, const struct api_cert *c, const char *match);
	void *emit_arg;
};

static int
is_space_at(const char *p, size_t *len)
{
	if (*p == ' ' || *p == '\t') {
		*len = 1;
		return 1;
	}
	if ((unsigned char)p[0] == 0xe3 && (unsigned char)p[1] == 0x80 &&
	    (unsigned char)p[2] == 0x80) { /* U+3000 ideographic space */
		*len = 3;
		return 1;
	}
	return 0;
}

/* Copies q without leading and trailing spaces into out. */
static void
trim(const char *q, char *out, size_t out_size)
{
	size_t len, n;

	while (is_space_at(q, &n))
		q += n;
	len = strlen(q);
	for (;;) {
		if (len >= 1 && (q[len - 1] == ' ' || q[len - 1] == '\t'))
			len--;
		else if (len >= 3 && is_space_at(q + len - 3, &n) && n == 3)
			len -= 3;
		else
			break;
	}
	if (len >= out_size)
		len = out_size - 1;
	memcpy(out, q, len);
	out[len] = '\0';
}

int
api_search_wanted(const char *q)
{
	char text[API_QUERY_VALUE_MAX + 1];

	trim(q, text, sizeof text);
	return text[0] != '\0';
}

static void
ascii_lower(const char *in, char *out, size_t out_size)
{
	size_t i;

	for (i = 0; in[i] && i + 1 < out_size; i++)
		out[i] =
		    (in[i] >= 'A' && in[i] <= 'Z') ? (char)(in[i] + 32) : in[i];
	out[i] = '\0';
}

/* Works out what q could be besides a name. */
static void
classify(struct search *s)
{
	const char *t = s->text;
	size_t len = strlen(t), alnum = strspn(t, "0123456789ABCDEFGHIJKLMN"
	                                          "OPQRSTUVWXYZabcdefghijklm"
	                                          "nopqrstuvwxyz");
	char upper[QUERY_MAX];

	for (size_t i = 0; i <= len; i++)
		upper[i] =
		    (t[i] >= 'a' && t[i] <= 'z') ? (char)(t[i] - 32) : t[i];
	if (len == 18 && alnum == 18) {
		memcpy(s->code, upper, 19);
		s->has_code = 1;
	}
	if (len > 0 &&
	    strspn(upper, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-") == len) {
		/* "CS1-2024-0001" is short for "CNITSEC-CS1-2024-0001". */
		int short_form =
		    len >= 3 && upper[0] >= 'A' && upper[0] <= 'Z' &&
		    upper[1] >= 'A' && upper[1] <= 'Z' && upper[2] >= '1' &&
		    upper[2] <= '5' && strncmp(upper, NUMBER_PREFIX, 2) != 0;
		size_t total = len + (short_form ? strlen(NUMBER_PREFIX) : 0);
		if (total <= API_CURSOR_KEY_MAX) {
			size_t at = short_form ? strlen(NUMBER_PREFIX) : 0;
			memcpy(s->number, NUMBER_PREFIX, at);
			memcpy(s->number + at, upper, len + 1);
			/* Numbers are [A-Z0-9-]; '~' sorts after all. */
			memcpy(s->number_end, s->number, total);
			s->number_end[total] = '~';
			s->number_end[total + 1] = '\0';
			s->has_number = 1;
		}
	}
}

/* 1 when an earlier phase than `phase` has given this certificate. */
static int
found_before(const struct search *s, int phase, const struct api_cert *c)
{
	if (phase > PHASE_NUMBER && s->has_number &&
	    strcmp(c->row.number, s->number) == 0)
		return 1;
	if (phase > PHASE_CREDIT_CODE && s->has_code && c->row.credit_code &&
	    strcmp(c->row.credit_code, s->code) == 0)
		return 1;
	if (phase > PHASE_PREFIX && s->has_number &&
	    strncmp(c->row.number, s->number, strlen(s->number)) == 0)
		return 1;
	return 0;
}

/*
 * Looks at a certificate `row` found by `phase` at position (a, b, org).
 * 1 to stop the walk (page full and one more found, budget spent, or
 * failure), else 0.
 */
static int
visit(struct search *s, const struct snapshot_cert *row, int phase,
    const char *match, long long a, long long b, long long org)
{
	struct api_cert cert = {.row = *row, .day = s->c->day};

	if (snapshot_cert_status(s->c->snap, row, s->c->day, &cert.st) != 0) {
		s->failed = 1;
		return 1;
	}
	if (!found_before(s, phase, &cert) &&
	    api_cert_filter_match(s->f, &cert)) {
		if (s->count == s->limit) {
			s->more = 1; /* and the position stays before it */
			return 1;
		}
		if (s->emit) {
			s->count++;
			s->emit(s->emit_arg, &cert, match);
		} else {
			if (s->count++)
				buf_putc(s->body, ',');
			api_cert_write(s->c->snap, &cert, match, s->body);
		}
	}
	s->pos.phase = phase;
	s->pos.a = a;
	s->pos.b = b;
	s->pos.c = org;
	snprintf(s->pos.key, sizeof s->pos.key, "%s", row->number);
	if (api_call_spent(s->c)) {
		s->stopped = 1;
		return 1;
	}
	return 0;
}

/* Reads `rows` through, after number `after`, visiting each as found
 * at position (a, b, org); 1 when the walk stops. */
static int
walk(struct search *s, struct snapshot_rows *rows, int phase, const char *match,
    const char *after, long long a, long long b, long long org)
{
	struct snapshot_cert row;
	int rc;

	while ((rc = snapshot_next_cert(rows, &row)) == 1) {
		if (strcmp(row.number, after) <= 0)
			continue;
		if (visit(s, &row, phase, match, a, b, org)) {
			snapshot_rows_done(rows);
			return 1;
		}
	}
	snapshot_rows_done(rows);
	if (rc < 0) {
		s->failed = 1;
		return 1;
	}
	return 0;
}

/* Phases 0 to 2; 1 when the walk stops. */
static int
run_exact(struct search *s, int phase, const char *after)
{
	struct snapshot *snap = s->c->snap;

	switch (phase) {
	case PHASE_NUMBER:
		if (!s->has_number)
			return 0;
		return walk(s, snapshot_cert(snap, s->number), phase, "number",
		    after, 0, 0, 0);
	case PHASE_CREDIT_CODE:
		if (!s->has_code)
			return 0;
		return walk(s, snapshot_certs_by_credit_code(snap, s->code),
		    phase, "credit_code", after, 0, 0, 0);
	case PHASE_PREFIX:
		if (!s->has_number)
			return 0;
		return walk(s,
		    snapshot_certs_between(snap,
		        strcmp(after, s->number) > 0 ? after : s->number,
		        s->number_end),
		    phase, "number_prefix", "", 0, 0, 0);
	}
	s->failed = 1;
	return 1;
}

/* Ranks one matching organisation by its current name. */
static void
rank(const struct search *s, const char *name, struct candidate *cand)
{
	size_t len = strlen(name ? name : "");
	char *lower = mem_alloc(len + 1);

	ascii_lower(name ? name : "", lower, len + 1);
	if (strncmp(lower, s->lower, strlen(s->lower)) == 0) {
		cand->rank = 0;
		cand->match = "name_prefix";
	} else {
		cand->rank = 1;
		cand->match = strstr(lower, s->lower) ? "name" : "former_name";
	}
	free(lower);
}

/*
 * Runs the phrase search over ids (x, y], at most `want` rows, into
 * out[]; returns how many, or -1.
 */
static long long
scan_phrase(struct search *s, const char *phrase, long long x, long long y,
    size_t want, struct candidate *out)
{
	struct snapshot_rows *rows =
	    snapshot_search_phrase(s->c->snap, phrase, x, y, (long long)want);
	struct snapshot_match match;
	size_t n = 0;
	int rc = 0;

	while (n < want && (rc = snapshot_next_match(rows, &match)) == 1) {
		out[n].id = match.organisation_id;
		rank(s, match.name, &out[n]);
		n++;
	}
	snapshot_rows_done(rows);
	return rc < 0 ? -1 : (long long)n;
}

/*
 * One or two characters: the organisations in (x, y] whose current or a
 * former name holds q (ASCII letters compared without case), at most
 * `want`, in id order, from the snapshot's index of short name pieces;
 * each ranked by its current name.  How many, or -1.
 */
static long long
scan_short(struct search *s, long long x, long long y, size_t want,
    struct candidate *out)
{
	struct snapshot *snap = s->c->snap;
	long long *ids = mem_alloc((want ? want : 1) * sizeof *ids);
	long long n =
	    snapshot_search_short(snap, s->lower, x, y, (long long)want, ids);

	for (long long i = 0; i < n; i++) {
		struct snapshot_rows *rows = snapshot_org(snap, ids[i]);
		struct snapshot_org org;
		int rc = snapshot_next_org(rows, &org);
		if (rc == 1) {
			out[i].id = ids[i];
			rank(s, org.name, &out[i]);
		}
		snapshot_rows_done(rows);
		if (rc != 1) {
			n = -1;
			break;
		}
	}
	free(ids);
	return n;
}

/*
 * The organisations matching q with ids in (lo, *hi], at most a window's
 * worth, in id order: one look-up in an index, the trigram index for
 * three characters or more, the index of short pieces for fewer.  When
 * !fixed, *hi is unknown and is set here: to the last candidate's id when
 * the window is full, else to the largest id.  0, or -1 on failure.
 */
static int
gather(struct search *s, long long lo, long long *hi, int fixed,
    struct candidate *cands, size_t *n)
{
	const struct api_config *config = s->c->config;
	long long last = api_db_meta(s->c->db)->max_organisation_id;
	long long end = fixed && *hi < last ? *hi : last;
	size_t window = (size_t)config->search_window;
	long long got;

	*n = 0;
	if (lo >= end) {
		got = 0;
	} else if (s->chars >= 3) {
		/* An FTS5 phrase: the text in double quotes, quotes
		 * doubled, so nothing in q is query syntax. */
		size_t len = strlen(s->text);
		char *phrase = mem_alloc(2 * len + 3), *o = phrase;
		*o++ = '"';
		for (const char *p = s->text; *p; p++) {
			if (*p == '"')
				*o++ = '"';
			*o++ = *p;
		}
		*o++ = '"';
		*o = '\0';
		got = scan_phrase(s, phrase, lo, end, window, cands);
		free(phrase);
	} else {
		got = scan_short(s, lo, end, window, cands);
	}
	if (got < 0) {
		s->failed = 1;
		return -1;
	}
	*n = (size_t)got;
	if (!fixed)
		*hi = *n == window ? cands[*n - 1].id : end;
	return 0;
}

/* Where the name phases resume: window (lo, hi], phase, organisation
 * and the last certificate number seen of it. */
struct name_pos {
	long long lo, hi, org;
	int phase, fixed; /* fixed: hi came with the cursor */
	char key[API_CURSOR_KEY_MAX + 1];
};

/*
 * The certificates of candidate `cand` in window (lo, hi], after the
 * position when it is the organisation the cursor stopped in.  1 when the
 * walk stops.
 */
static int
visit_org(struct search *s, const struct candidate *cand, int phase,
    const struct name_pos *at)
{
	return walk(s,
	    snapshot_certs_of_org(s->c->snap, cand->id, SNAPSHOT_BY_NUMBER),
	    phase, cand->match, cand->id == at->org ? at->key : "", at->lo,
	    at->hi, cand->id);
}

/* One window's candidates, phase by phase; 1 when the walk stops. */
static int
visit_window(struct search *s, const struct candidate *cands, size_t n,
    struct name_pos *at)
{
	for (; at->phase <= PHASE_NAME; at->phase++) {
		for (size_t i = 0; i < n; i++) {
			const struct candidate *cand = &cands[i];
			if (cand->rank != at->phase - PHASE_NAME_PREFIX ||
			    cand->id < at->org ||
			    (cand->id == at->org && !at->key[0]))
				continue;
			if (visit_org(s, cand, at->phase, at))
				return 1;
		}
		at->org = 0;
		at->key[0] = '\0';
	}
	return 0;
}

/* Phases 3 and 4, from the cursor's window or from the first. */
static void
run_names(struct search *s, const struct api_cursor *from)
{
	long long last = api_db_meta(s->c->db)->max_organisation_id;
	struct name_pos at = {0, 0, 0, PHASE_NAME_PREFIX, 0, ""};
	struct candidate *cands =
	    mem_alloc((size_t)s->c->config->search_window * sizeof *cands);

	if (from && from->phase >= PHASE_NAME_PREFIX) {
		at.lo = from->a;
		/* No window reaches past the snapshot's organisations,
		 * whatever the cursor says. */
		at.hi = from->b < last ? from->b : last;
		at.fixed = at.hi > at.lo;
		at.phase = from->phase;
		at.org = from->c;
		snprintf(at.key, sizeof at.key, "%s", from->key);
	}
	while (at.lo < last) {
		size_t n;
		int window_stopped;
		if (gather(s, at.lo, &at.hi, at.fixed, cands, &n) != 0)
			break;
		window_stopped = s->stopped;
		s->stopped = 0;
		if (visit_window(s, cands, n, &at))
			break;
		/* The window is done; the next starts after it. */
		at.lo = at.hi;
		at.hi = 0;
		at.fixed = 0;
		at.phase = PHASE_NAME_PREFIX;
		s->pos.phase = PHASE_NAME_PREFIX;
		s->pos.a = at.lo;
		s->pos.b = s->pos.c = 0;
		s->pos.key[0] = '\0';
		if (window_stopped ||
		    (at.lo < last &&
		        clock_ms() - s->c->started >= s->c->config->scan_ms)) {
			s->stopped = 1;
			break;
		}
	}
	free(cands);
}

/* Sets s up for q; 0, or -1 with a 400 set. */
static int
search_start(struct search *s, struct api_call *c, const char *q,
    const struct api_cert_filter *f, int limit, int start)
{
	memset(s, 0, sizeof *s);
	s->c = c;
	s->f = f;
	s->limit = limit;
	trim(q, s->text, sizeof s->text);
	{
		/* Full-width and short forms of numbers and codes. */
		char folded[LOOKUP_MAX];
		size_t n;
		if (strlen(s->text) < LOOKUP_MAX &&
		    lookup_classify(s->text, folded) != LOOKUP_EMPTY &&
		    (n = strlen(folded)) < sizeof s->text)
			memcpy(s->text, folded, n + 1);
	}
	for (const unsigned char *p = (const unsigned char *)s->text; *p; p++)
		s->chars += (*p & 0xc0) != 0x80;
	if (s->chars > API_SEARCH_MAX_CHARS) {
		api_call_problem(c, 400, "q", "q is longer than %d characters",
		    API_SEARCH_MAX_CHARS);
		return -1;
	}
	if (start > PHASE_NAME) {
		api_call_problem(c, 400, "cursor",
		    "cursor is not one this "
		    "list gave out");
		return -1;
	}
	ascii_lower(s->text, s->lower, sizeof s->lower);
	classify(s);
	return 0;
}

/* The phases from `start` (and the cursor's position in it). */
static void
search_run(struct search *s, const struct api_cursor *cursor, int start)
{
	for (int phase = start; phase <= PHASE_PREFIX; phase++)
		if (run_exact(
		        s, phase, cursor && phase == start ? cursor->key : ""))
			return;
	run_names(s, cursor && start >= PHASE_NAME_PREFIX ? cursor : NULL);
}

void
api_search(struct api_call *c, const char *q, const struct api_cert_filter *f,
    int limit, const struct api_cursor *cursor, uint32_t filters)
{
	struct search s;
	int start = cursor ? cursor->phase : PHASE_NUMBER;

	if (search_start(&s, c, q, f, limit, start) != 0)
		return;
	s.body = &c->resp->body;
	buf_puts(s.body, "{\"q\":");
	api_json_put_text(s.body, s.text);
	buf_puts(s.body, ",\"as_of\":");
	api_json_put_date(s.body, c->day);
	buf_puts(s.body, ",\"limit\":");
	api_json_put_int(s.body, limit);
	buf_puts(s.body, ",\"items\":[");
	if (cursor)
		s.pos = *cursor;
	s.pos.list = 's';
	s.pos.filters = filters;
	search_run(&s, cursor, start);
	if (s.failed) {
		api_call_failed(c);
		return;
	}
	buf_putc(s.body, ']');
	api_call_page_end(c, s.more || s.stopped ? &s.pos : NULL, 1);
	api_call_ok(c);
}

int
api_search_each(struct api_call *c, const char *q, int limit,
    void (*emit)(void *arg, const struct api_cert *cert, const char *match),
    void *arg)
{
	struct api_cert_filter any = {0, NULL, -1};
	struct search s;

	if (search_start(&s, c, q, &any, limit, PHASE_NUMBER) != 0)
		return -1;
	s.emit = emit;
	s.emit_arg = arg;
	search_run(&s, NULL, PHASE_NUMBER);
	if (s.failed)
		return -1;
	return s.more || s.stopped ? 1 : 0;
}

/* ---- the same set one certificate at a time (exports) ---- */

/* 1 when `hay` holds `lower` (ASCII letters compared without case). */
static int
contains_folded(const char *hay, const char *lower)
{
	size_t n = strlen(lower);

	for (; hay && *hay; hay++) {
		size_t i = 0;
		while (i < n) {
			char h = hay[i];
			if (h >= 'A' && h <= 'Z')
				h = (char)(h + 32);
			if (h != lower[i])
				break;
			i++;
		}
		if (i == n)
			return 1;
	}
	return n == 0;
}

int
api_search_filter_init(
    struct api_call *c, const char *q, struct api_search_filter *out)
{
	struct search s;
	struct api_cert_filter any = {0, NULL, -1};

	if (search_start(&s, c, q, &any, 1, PHASE_NUMBER) != 0)
		return -1;
	memset(out, 0, sizeof *out);
	memcpy(out->lower, s.lower, sizeof out->lower);
	memcpy(out->number, s.number, sizeof out->number);
	memcpy(out->code, s.code, sizeof out->code);
	out->has_number = s.has_number;
	out->has_code = s.has_code;
	return 0;
}

int
api_search_filter_match(struct snapshot *snap,
    const struct api_search_filter *f, const struct snapshot_cert *row)
{
	struct snapshot_rows *rows;
	struct snapshot_former_name former;
	int rc, found = 0;

	if (f->has_number &&
	    strncmp(row->number, f->number, strlen(f->number)) == 0)
		return 1;
	if (f->has_code && row->credit_code &&
	    strcmp(row->credit_code, f->code) == 0)
		return 1;
	if (contains_folded(row->organisation_name, f->lower))
		return 1;
	rows =
	    snapshot_former_names(snap, row->organisation_id, SNAPSHOT_BY_ID);
	while (!found && (rc = snapshot_next_former_name(rows, &former)) == 1)
		found = contains_folded(former.name, f->lower);
	snapshot_rows_done(rows);
	return found ? 1 : rc < 0 ? -1 : 0;
}
