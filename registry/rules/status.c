/*
 * The status rules (DESIGN.md "Domain rules").  status_on() answers "what
 * does the public see for this certificate on day D"; status_validate()
 * replays a history in order and refuses the first event that could not
 * have happened.  Both ignore voided events entirely.
 */
#include "registry/rules/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/rules/date.h"
#include "registry/base/mem.h"

#define ANNUAL_WINDOW_DAYS 30
#define RENEWAL_WINDOW_DAYS 90

int
status_valid_until(int issued_on)
{
	return date_add_years(issued_on, 3) - 1;
}

void
status_annual_window(int issued_on, int k, int *start, int *end)
{
	int anniversary = date_add_years(issued_on, k);
	*start = anniversary - ANNUAL_WINDOW_DAYS;
	*end = anniversary - 1;
}

void
status_renewal_window(int valid_until, int *start, int *end)
{
	*start = valid_until - RENEWAL_WINDOW_DAYS;
	*end = valid_until;
}

/* 1 when an EVENT_VOID in the list voids event i. */
static int
is_voided(const struct status_event *events, size_t count, size_t i)
{
	if (events[i].kind == EVENT_VOID)
		return 0;
	for (size_t j = 0; j < count; j++)
		if (events[j].kind == EVENT_VOID &&
		    events[j].target == events[i].id)
			return 1;
	return 0;
}

/* 1 when event a comes after event b in the history. */
static int
is_later(const struct status_event *a, const struct status_event *b)
{
	if (a->effective_on != b->effective_on)
		return a->effective_on > b->effective_on;
	return a->id > b->id;
}

/* The annual year (1 or 2) an annual check on `day` confirms, or 0 when
 * the day is before the first window opens. */
static int
annual_year(int issued_on, int day)
{
	int start, end;

	status_annual_window(issued_on, 2, &start, &end);
	if (day >= start)
		return 2;
	status_annual_window(issued_on, 1, &start, &end);
	if (day >= start)
		return 1;
	return 0;
}

/* What the events in force on a day say, before the rules combine it. */
struct in_force {
	const struct status_event *revoke;     /* the earliest */
	const struct status_event *supersede;  /* the earliest renewal or
	                                          upgrade */
	const struct status_event *suspension; /* the latest suspend or
	                                          reinstate */
	const struct status_event *warning;    /* the latest */
	int checked_on[2]; /* first annual check of years 1 and 2 */
	int orders_due, orders_overdue; /* open orders within and past
	                                   their deadlines */
};

/* 1 when rectification order `order` is closed on `day`. */
static int
order_closed(const struct status_event *events, size_t count,
    const struct status_event *order, int day)
{
	for (size_t j = 0; j < count; j++)
		if (events[j].kind == EVENT_RECTIFY_CLOSE &&
		    events[j].target == order->id &&
		    events[j].effective_on <= day &&
		    !is_voided(events, count, j))
			return 1;
	return 0;
}

/* Sorts the events in force on `day` into *f, and counts the open
 * rectification orders into out. */
static void
gather(const struct status_facts *facts, const struct status_event *events,
    size_t count, int day, struct in_force *f, struct status *out)
{
	for (size_t i = 0; i < count; i++) {
		const struct status_event *e = &events[i];
		int k;
		if (e->effective_on > day || is_voided(events, count, i))
			continue;
		switch (e->kind) {
		case EVENT_REVOKE:
			if (f->revoke == NULL || !is_later(e, f->revoke))
				f->revoke = e;
			break;
		case EVENT_RENEW:
		case EVENT_UPGRADE:
			if (f->supersede == NULL || !is_later(e, f->supersede))
				f->supersede = e;
			break;
		case EVENT_SUSPEND:
		case EVENT_REINSTATE:
			if (f->suspension == NULL || is_later(e, f->suspension))
				f->suspension = e;
			break;
		case EVENT_WARN:
			if (f->warning == NULL || is_later(e, f->warning))
				f->warning = e;
			break;
		case EVENT_ANNUAL_CHECK:
			k = annual_year(facts->issued_on, e->effective_on);
			if (k > 0 &&
			    (f->checked_on[k - 1] == DATE_NONE ||
			        e->effective_on < f->checked_on[k - 1]))
				f->checked_on[k - 1] = e->effective_on;
			break;
		case EVENT_RECTIFY:
			if (order_closed(events, count, e, day))
				break;
			out->open_orders++;
			if (day > e->deadline)
				f->orders_overdue++;
			else
				f->orders_due++;
			if (out->rectification_deadline == DATE_NONE ||
			    e->deadline < out->rectification_deadline)
				out->rectification_deadline = e->deadline;
			break;
		default:
			break;
		}
	}
}

/* The windows' states on `day`. */
static void
set_windows(const struct in_force *f, int day, struct status *out)
{
	for (int k = 0; k < 2; k++) {
		struct status_window *w = &out->annual[k];
		w->done_on = f->checked_on[k];
		if (f->checked_on[k] != DATE_NONE)
			w->state = WINDOW_PASSED;
		else if (day < w->start)
			w->state = WINDOW_UPCOMING;
		else if (day <= w->end)
			w->state = WINDOW_OPEN;
		else
			w->state = WINDOW_OVERDUE;
	}
	if (f->supersede != NULL && f->supersede->kind == EVENT_RENEW) {
		out->renewal.state = WINDOW_PASSED;
		out->renewal.done_on = f->supersede->effective_on;
	} else if (day < out->renewal.start) {
		out->renewal.state = WINDOW_UPCOMING;
	} else if (day <= out->renewal.end) {
		out->renewal.state = WINDOW_OPEN;
	} else {
		out->renewal.state = WINDOW_CLOSED;
	}
}

/* The status on `day`: first match wins. */
static void
set_status(const struct status_facts *facts, const struct in_force *f, int day,
    struct status *out)
{
	if (day < facts->issued_on) {
		out->status = STATUS_NOT_ISSUED;
		out->since = DATE_NONE;
	} else if (f->revoke != NULL) {
		out->status = STATUS_REVOKED;
		out->since = f->revoke->effective_on;
	} else if (f->supersede != NULL) {
		out->status = STATUS_SUPERSEDED;
		out->since = f->supersede->effective_on;
	} else if (f->suspension != NULL &&
	           f->suspension->kind == EVENT_SUSPEND) {
		out->status = STATUS_SUSPENDED;
		out->since = f->suspension->effective_on;
	} else if (day > facts->valid_until) {
		out->status = STATUS_EXPIRED;
		out->since = facts->valid_until + 1;
	} else {
		out->status = STATUS_VALID;
		out->since = f->suspension != NULL ? f->suspension->effective_on
		                                   : facts->issued_on;
	}
}

/* A certificate revoked or superseded on out->since owes nothing after:
 * the windows not done that had not closed by then have ended. */
static void
end_windows(struct status *out)
{
	struct status_window *w[3] = {
	    &out->annual[0], &out->annual[1], &out->renewal};

	if (out->status != STATUS_REVOKED && out->status != STATUS_SUPERSEDED)
		return;
	for (int k = 0; k < 3; k++)
		if (w[k]->state != WINDOW_PASSED && w[k]->end >= out->since)
			w[k]->state = WINDOW_ENDED;
}

/* The flags, which describe a live certificate only. */
static void
set_flags(const struct in_force *f, int day, struct status *out)
{
	if (out->status != STATUS_VALID && out->status != STATUS_SUSPENDED) {
		out->open_orders = 0;
		out->rectification_deadline = DATE_NONE;
		return;
	}
	if (f->warning != NULL) {
		out->warning_until =
		    date_add_years(f->warning->effective_on, 1) - 1;
		if (day <= out->warning_until)
			out->flags |= STATUS_FLAG_WARNING;
		else
			out->warning_until = DATE_NONE;
	}
	if (f->orders_due > 0)
		out->flags |= STATUS_FLAG_RECTIFICATION;
	if (f->orders_overdue > 0)
		out->flags |= STATUS_FLAG_RECTIFICATION_OVERDUE;
	if (out->annual[0].state == WINDOW_OVERDUE ||
	    out->annual[1].state == WINDOW_OVERDUE)
		out->flags |= STATUS_FLAG_ANNUAL_CHECK_OVERDUE;
}

void
status_on(const struct status_facts *facts, const struct status_event *events,
    size_t count, int day, struct status *out)
{
	struct in_force f = {
	    NULL, NULL, NULL, NULL, {DATE_NONE, DATE_NONE}, 0, 0};

	memset(out, 0, sizeof *out);
	out->valid_until = facts->valid_until;
	out->warning_until = DATE_NONE;
	out->rectification_deadline = DATE_NONE;
	for (int k = 0; k < 2; k++) {
		status_annual_window(facts->issued_on, k + 1,
		    &out->annual[k].start, &out->annual[k].end);
		out->annual[k].done_on = DATE_NONE;
	}
	status_renewal_window(
	    facts->valid_until, &out->renewal.start, &out->renewal.end);
	out->renewal.done_on = DATE_NONE;
	gather(facts, events, count, day, &f, out);
	set_windows(&f, day, out);
	set_status(facts, &f, day, out);
	end_windows(out);
	set_flags(&f, day, out);
}

static int
compare_notices(const void *a, const void *b)
{
	const struct status_notice *x = a, *y = b;
	if (x->effective_on != y->effective_on)
		return x->effective_on < y->effective_on ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

size_t
status_notices(const struct status_facts *facts,
    const struct status_event *events, size_t count, int day,
    struct status_notice *out, size_t max)
{
	struct status st;
	struct status_notice *all;
	size_t n = 0;

	status_on(facts, events, count, day, &st);
	if (st.status != STATUS_VALID && st.status != STATUS_SUSPENDED)
		return 0;
	all = mem_alloc((count ? count : 1) * sizeof *all);
	for (size_t i = 0; i < count; i++) {
		const struct status_event *e = &events[i];
		struct status_notice *note = &all[n];
		if (e->effective_on > day || is_voided(events, count, i))
			continue;
		if (e->kind == EVENT_WARN) {
			note->until = date_add_years(e->effective_on, 1) - 1;
			if (day > note->until)
				continue;
			note->overdue = 0;
		} else if (e->kind == EVENT_RECTIFY) {
			if (order_closed(events, count, e, day))
				continue;
			note->until = e->deadline;
			note->overdue = day > e->deadline;
		} else {
			continue;
		}
		note->id = e->id;
		note->kind = e->kind;
		note->effective_on = e->effective_on;
		n++;
	}
	qsort(all, n, sizeof *all, compare_notices);
	memcpy(out, all, (n < max ? n : max) * sizeof *all);
	free(all);
	return n;
}

static int
compare_events(const void *a, const void *b)
{
	const struct status_event *x = a, *y = b;
	if (x->effective_on != y->effective_on)
		return x->effective_on < y->effective_on ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return 0;
}

static int refuse(char *why, size_t why_size, const struct status_event *e,
    const char *format, ...) __attribute__((format(printf, 4, 5)));

static int
refuse(char *why, size_t why_size, const struct status_event *e,
    const char *format, ...)
{
	char date[DATE_BUFSIZE], reason[512];
	va_list ap;

	va_start(ap, format);
	vsnprintf(reason, sizeof reason, format, ap);
	va_end(ap);
	if (e->id == STATUS_NEW_EVENT)
		snprintf(why, why_size, "%s on %s: %s",
		    event_kind_name(e->kind),
		    date_format(e->effective_on, date), reason);
	else
		snprintf(why, why_size, "%s on %s (event %lld): %s",
		    event_kind_name(e->kind),
		    date_format(e->effective_on, date), e->id, reason);
	return -1;
}

static int
check_voids(
    const struct status_event *events, size_t count, char *why, size_t why_size)
{
	for (size_t i = 0; i < count; i++) {
		const struct status_event *v = &events[i];
		size_t t;
		if (v->kind != EVENT_VOID)
			continue;
		for (t = 0; t < count; t++)
			if (events[t].id == v->target)
				break;
		if (t == count)
			return refuse(why, why_size, v,
			    "event %lld is not an event of this "
			    "certificate",
			    v->target);
		if (!event_kind_voidable(events[t].kind))
			return refuse(why, why_size, v,
			    "a %s event cannot be voided",
			    event_kind_name(events[t].kind));
		for (size_t j = 0; j < i; j++)
			if (events[j].kind == EVENT_VOID &&
			    events[j].target == v->target)
				return refuse(why, why_size, v,
				    "event %lld is already voided by "
				    "event %lld",
				    v->target, events[j].id);
	}
	return 0;
}

/* A history replayed in order: what has happened so far. */
struct replay {
	const struct status_facts *facts;
	const struct status_event *live; /* the events that count, in order */
	size_t issues;
	int suspended_since, revoked_on, superseded_on;
	int checked_on[2];
	char *why;
	size_t why_size;
};

/* Refuses event `e` when the certificate's life does not hold it: not
 * yet issued, or ended by revocation, supersession or expiry. */
static int
check_alive(struct replay *r, const struct status_event *e)
{
	char d[DATE_BUFSIZE];
	int t = e->effective_on;

	if (t < r->facts->issued_on)
		return refuse(r->why, r->why_size, e,
		    "the certificate was only issued on %s",
		    date_format(r->facts->issued_on, d));
	if (r->revoked_on != DATE_NONE)
		return refuse(r->why, r->why_size, e,
		    "the certificate was revoked on %s",
		    date_format(r->revoked_on, d));
	if (r->superseded_on != DATE_NONE)
		return refuse(r->why, r->why_size, e,
		    "the certificate was superseded on %s",
		    date_format(r->superseded_on, d));
	if (t > r->facts->valid_until)
		return refuse(r->why, r->why_size, e,
		    "the certificate expired after %s",
		    date_format(r->facts->valid_until, d));
	return 0;
}

static int
check_annual(struct replay *r, const struct status_event *e)
{
	int k = annual_year(r->facts->issued_on, e->effective_on), start, end;
	char d[DATE_BUFSIZE];

	if (k == 0) {
		status_annual_window(r->facts->issued_on, 1, &start, &end);
		return refuse(r->why, r->why_size, e,
		    "the first annual check window only opens on %s",
		    date_format(start, d));
	}
	if (r->checked_on[k - 1] != DATE_NONE)
		return refuse(r->why, r->why_size, e,
		    "year %d was already confirmed on %s", k,
		    date_format(r->checked_on[k - 1], d));
	r->checked_on[k - 1] = e->effective_on;
	return 0;
}

/* A rectify-close needs an order before it that no close before it
 * closed; event i of r->live. */
static int
check_close(struct replay *r, size_t i)
{
	const struct status_event *e = &r->live[i];
	int open = 0;

	for (size_t j = 0; j < i; j++)
		if (r->live[j].kind == EVENT_RECTIFY &&
		    r->live[j].id == e->target)
			open = 1;
	for (size_t j = 0; j < i && open; j++)
		if (r->live[j].kind == EVENT_RECTIFY_CLOSE &&
		    r->live[j].target == e->target)
			open = 0;
	if (!open)
		return refuse(r->why, r->why_size, e,
		    "there is no open rectification order %lld", e->target);
	return 0;
}

static int
check_successor(struct replay *r, const struct status_event *e)
{
	char d1[DATE_BUFSIZE], d2[DATE_BUFSIZE];
	int start, end;

	status_renewal_window(r->facts->valid_until, &start, &end);
	if (r->suspended_since != DATE_NONE)
		return refuse(r->why, r->why_size, e,
		    "the certificate is suspended since %s",
		    date_format(r->suspended_since, d1));
	if (e->kind == EVENT_RENEW && e->effective_on < start)
		return refuse(r->why, r->why_size, e,
		    "renewal is only possible from %s to %s",
		    date_format(start, d1), date_format(end, d2));
	r->superseded_on = e->effective_on;
	return 0;
}

/* Event i of r->live, after the issue, against what happened before. */
static int
check_event(struct replay *r, size_t i)
{
	const struct status_event *e = &r->live[i];
	char d[DATE_BUFSIZE];

	if (check_alive(r, e) != 0)
		return -1;
	switch (e->kind) {
	case EVENT_ANNUAL_CHECK:
		return check_annual(r, e);
	case EVENT_RECTIFY:
		if (e->deadline == DATE_NONE)
			return refuse(r->why, r->why_size, e,
			    "a rectification order needs a deadline");
		if (e->deadline < e->effective_on)
			return refuse(r->why, r->why_size, e,
			    "the deadline %s is before the order",
			    date_format(e->deadline, d));
		return 0;
	case EVENT_RECTIFY_CLOSE:
		return check_close(r, i);
	case EVENT_SUSPEND:
		if (r->suspended_since != DATE_NONE)
			return refuse(r->why, r->why_size, e,
			    "the certificate is already suspended since %s",
			    date_format(r->suspended_since, d));
		r->suspended_since = e->effective_on;
		return 0;
	case EVENT_REINSTATE:
		if (r->suspended_since == DATE_NONE)
			return refuse(r->why, r->why_size, e,
			    "the certificate is not suspended");
		r->suspended_since = DATE_NONE;
		return 0;
	case EVENT_REVOKE:
		r->revoked_on = e->effective_on;
		return 0;
	case EVENT_RENEW:
	case EVENT_UPGRADE:
		return check_successor(r, e);
	default:
		return 0;
	}
}

/* Replays r->live (n events, in order); 0, or -1 at the first that could
 * not have happened. */
static int
replay(struct replay *r, size_t n)
{
	char d[DATE_BUFSIZE];

	for (size_t i = 0; i < n; i++) {
		const struct status_event *e = &r->live[i];
		if (e->kind == EVENT_ISSUE) {
			if (++r->issues > 1)
				return refuse(r->why, r->why_size, e,
				    "the certificate is already issued");
			if (e->effective_on != r->facts->issued_on)
				return refuse(r->why, r->why_size, e,
				    "the certificate is issued on %s",
				    date_format(r->facts->issued_on, d));
			continue;
		}
		if (e->kind < EVENT_ISSUE || e->kind >= EVENT_VOID)
			return refuse(r->why, r->why_size, e,
			    "not an event of a certificate");
		if (check_event(r, i) != 0)
			return -1;
	}
	return 0;
}

int
status_validate(const struct status_facts *facts,
    const struct status_event *events, size_t count, char *why, size_t why_size)
{
	struct status_event *live;
	struct replay r = {facts, NULL, 0, DATE_NONE, DATE_NONE, DATE_NONE,
	    {DATE_NONE, DATE_NONE}, why, why_size};
	char d1[DATE_BUFSIZE], d2[DATE_BUFSIZE];
	size_t n = 0;
	int rc;

	if (why_size > 0)
		why[0] = '\0';
	if (status_valid_until(facts->issued_on) != facts->valid_until) {
		snprintf(why, why_size,
		    "valid_until must be %s for a certificate issued on %s",
		    date_format(status_valid_until(facts->issued_on), d1),
		    date_format(facts->issued_on, d2));
		return -1;
	}
	if (check_voids(events, count, why, why_size))
		return -1;

	/* The events that count, in the order they happened. */
	live = mem_alloc((count ? count : 1) * sizeof *live);
	for (size_t i = 0; i < count; i++)
		if (events[i].kind != EVENT_VOID &&
		    !is_voided(events, count, i))
			live[n++] = events[i];
	qsort(live, n, sizeof *live, compare_events);
	r.live = live;
	rc = replay(&r, n);
	free(live);
	return rc;
}

long long
status_latest_open_order(const struct status_event *events, size_t count)
{
	long long found = 0;

	for (size_t i = 0; i < count; i++) {
		int open = events[i].kind == EVENT_RECTIFY &&
		           !is_voided(events, count, i);
		for (size_t j = 0; j < count && open; j++)
			if (events[j].kind == EVENT_RECTIFY_CLOSE &&
			    events[j].target == events[i].id &&
			    !is_voided(events, count, j))
				open = 0;
		if (open)
			found = events[i].id;
	}
	return found;
}

const char *
status_name(enum cert_status status)
{
	switch (status) {
	case STATUS_NOT_ISSUED:
		return "not_issued";
	case STATUS_VALID:
		return "valid";
	case STATUS_SUSPENDED:
		return "suspended";
	case STATUS_REVOKED:
		return "revoked";
	case STATUS_EXPIRED:
		return "expired";
	case STATUS_SUPERSEDED:
		return "superseded";
	}
	return "unknown";
}

int
status_parse(const char *name)
{
	for (int s = STATUS_NOT_ISSUED; s <= STATUS_SUPERSEDED; s++)
		if (strcmp(status_name((enum cert_status)s), name) == 0)
			return s;
	return -1;
}

const char *
status_flag_name(unsigned flag)
{
	switch (flag) {
	case STATUS_FLAG_WARNING:
		return "warning";
	case STATUS_FLAG_RECTIFICATION:
		return "rectification";
	case STATUS_FLAG_ANNUAL_CHECK_OVERDUE:
		return "annual_check_overdue";
	case STATUS_FLAG_RECTIFICATION_OVERDUE:
		return "rectification_overdue";
	}
	return "unknown";
}

const char *
status_window_state_name(enum window_state state)
{
	switch (state) {
	case WINDOW_UPCOMING:
		return "upcoming";
	case WINDOW_OPEN:
		return "open";
	case WINDOW_PASSED:
		return "passed";
	case WINDOW_OVERDUE:
		return "overdue";
	case WINDOW_CLOSED:
		return "closed";
	case WINDOW_ENDED:
		return "ended";
	}
	return "unknown";
}

int
status_window_state_parse(const char *name)
{
	for (int s = WINDOW_UPCOMING; s <= WINDOW_ENDED; s++)
		if (strcmp(name, status_window_state_name(s)) == 0)
			return s;
	return -1;
}

unsigned
status_flags_parse(const char *text)
{
	unsigned flags = 0;

	while (text && *text) {
		size_t len = strcspn(text, ",");
		for (unsigned bit = 1; bit <= STATUS_FLAG_LAST; bit <<= 1) {
			const char *name = status_flag_name(bit);
			if (strlen(name) == len &&
			    strncmp(text, name, len) == 0)
				flags |= bit;
		}
		text += len;
		if (*text == ',')
			text++;
	}
	return flags;
}

char *
status_flags_format(
    unsigned flags, const char *separator, char *buf, size_t size)
{
	size_t used = 0;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	for (unsigned bit = 1; bit <= STATUS_FLAG_LAST; bit <<= 1) {
		if (!(flags & bit))
			continue;
		int n = snprintf(buf + used, size - used, "%s%s",
		    used ? separator : "", status_flag_name(bit));
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
	return buf;
}
