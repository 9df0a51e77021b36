/*
 * The status rules of DESIGN.md "Domain rules", as pure functions of a
 * certificate's facts and its events: no database, no clock.  registryctl,
 * registryd and sitegen all derive what the public sees through here.
 *
 * Events are given as an array in any order; ties between events on the
 * same day are broken by id (the order of recording).  An event voided by
 * an EVENT_VOID counts for no date at all (a void corrects a mistake, so it
 * acts retroactively); both stay in the history.
 */
#ifndef REGISTRY_STATUS_H
#define REGISTRY_STATUS_H

#include <stddef.h>

#include "registry/rules/event.h"

/* The id a caller gives an event that is not recorded yet. */
#define STATUS_NEW_EVENT 0x7fffffffffffffffLL

enum cert_status {
	STATUS_NOT_ISSUED, /* the date is before issued_on */
	STATUS_VALID,      /* 有效 */
	STATUS_SUSPENDED,  /* 暂停 */
	STATUS_REVOKED,    /* 已取消 */
	STATUS_EXPIRED,    /* 已过期 */
	STATUS_SUPERSEDED, /* 已换发 */
};

enum status_flag {
	STATUS_FLAG_WARNING = 1,       /* a warning within 12 months */
	STATUS_FLAG_RECTIFICATION = 2, /* an open order within its deadline */
	STATUS_FLAG_ANNUAL_CHECK_OVERDUE = 4,  /* a window closed unconfirmed */
	STATUS_FLAG_RECTIFICATION_OVERDUE = 8, /* an open order past its
	                                          deadline */
};

/* Either rectification flag: some order is open. */
#define STATUS_FLAGS_ORDERS                                                    \
	(STATUS_FLAG_RECTIFICATION | STATUS_FLAG_RECTIFICATION_OVERDUE)

/* The highest flag bit: loops over the flags run from 1 to this. */
#define STATUS_FLAG_LAST STATUS_FLAG_RECTIFICATION_OVERDUE

enum window_state {
	WINDOW_UPCOMING, /* the date is before the window */
	WINDOW_OPEN,     /* inside it, nothing recorded yet */
	WINDOW_PASSED,   /* done: annual check recorded / renewed */
	WINDOW_OVERDUE,  /* annual window closed without a check */
	WINDOW_CLOSED,   /* renewal window over without a renewal */
	WINDOW_ENDED,    /* not done and not due any more: the certificate
	                    was revoked or superseded before it closed */
};

struct status_facts {
	int issued_on;   /* date */
	int valid_until; /* date; status_valid_until(issued_on) */
};

struct status_event {
	long long id; /* order of recording; STATUS_NEW_EVENT */
	enum event_kind kind;
	int effective_on; /* date */
	int deadline;     /* EVENT_RECTIFY: date; else DATE_NONE */
	long long target; /* EVENT_VOID: voided event; EVENT_RECTIFY_CLOSE:
	                     the order it closes; else 0 */
};

struct status_window {
	int start; /* first day (date) */
	int end;   /* last day (date) */
	enum window_state state;
	int done_on; /* date of the check or renewal, or DATE_NONE */
};

struct status {
	enum cert_status status;
	int since;                  /* date the status began */
	unsigned flags;             /* enum status_flag bits, only while valid
	                               or suspended */
	int warning_until;          /* last day of the warning flag */
	int rectification_deadline; /* earliest deadline of open orders,
	                               overdue ones included */
	int open_orders;            /* how many orders are open */
	struct status_window annual[2]; /* years 1 and 2 */
	struct status_window renewal;
	int valid_until;
};

/* valid_until for a certificate issued on `issued_on`: three years on,
 * less one day (29 February falls back to 28 February first). */
int status_valid_until(int issued_on);

/* Window k (1 or 2) of annual confirmation for a certificate. */
void status_annual_window(int issued_on, int k, int *start, int *end);

/* The renewal window [valid_until - 90, valid_until]. */
void status_renewal_window(int valid_until, int *start, int *end);

/*
 * The status, flags and windows of a certificate on date `day`.  Pure: the
 * same arguments always give the same result.
 *
 * An open rectification order sets STATUS_FLAG_RECTIFICATION up to and on
 * its deadline and STATUS_FLAG_RECTIFICATION_OVERDUE from the day after
 * (both when orders of each kind are open).  A revoked or superseded
 * certificate's windows that were neither done nor closed when it ended
 * are WINDOW_ENDED, never pending; an expired certificate's have all
 * closed by then.
 */
void status_on(const struct status_facts *facts,
    const struct status_event *events, size_t count, int day,
    struct status *out);

/*
 * What a notice shows of a warning or a rectification order in force on
 * a day: the event, its date and (orders) deadline.
 */
struct status_notice {
	long long id;         /* the event's */
	enum event_kind kind; /* EVENT_WARN or EVENT_RECTIFY */
	int effective_on;     /* date */
	int until;   /* a warning's last day; an order's deadline (date) */
	int overdue; /* an order past its deadline */
};

/*
 * The warnings within their 12 months and the open rectification orders
 * of a certificate on `day`, oldest first, at most `max` into out; only
 * while it is valid or suspended, as flags are.  Returns how many there
 * are (which may be more than max).
 */
size_t status_notices(const struct status_facts *facts,
    const struct status_event *events, size_t count, int day,
    struct status_notice *out, size_t max);

/*
 * Checks that a certificate's whole history makes sense: nothing before
 * issue or after revocation, supersession or expiry; no reinstatement
 * without a suspension; annual checks inside the certificate's life and
 * once a year; renewals inside the renewal window and not while suspended;
 * deadlines not before their orders; voids of existing, voidable, not yet
 * voided events.  Returns 0, or -1 with the first problem written to `why`
 * (e.g. "reinstate on 2025-03-01: the certificate is not suspended").
 */
int status_validate(const struct status_facts *facts,
    const struct status_event *events, size_t count, char *why,
    size_t why_size);

/*
 * The id of the latest rectification order of a history (oldest first)
 * that is still open whatever the date: not voided, and not closed by a
 * rectify-close that is not voided itself.  0 when there is none.
 */
long long status_latest_open_order(
    const struct status_event *events, size_t count);

/* "valid", "suspended", ...; never NULL. */
const char *status_name(enum cert_status status);

/* The status named `name`, or -1. */
int status_parse(const char *name);

/* "warning", "rectification", "annual_check_overdue",
 * "rectification_overdue" for one flag bit. */
const char *status_flag_name(unsigned flag);

/* "upcoming", "open", "passed", "overdue", "closed", "ended". */
const char *status_window_state_name(enum window_state state);

/* The window state named `name`, or -1. */
int status_window_state_parse(const char *name);

/*
 * Writes the names of the set flags, joined by `separator`, into buf
 * (empty when none).  Returns buf.
 */
char *status_flags_format(
    unsigned flags, const char *separator, char *buf, size_t size);

/* The flag bits named in `text` ("warning,rectification"), separated by
 * commas; unknown names are left out, NULL is none. */
unsigned status_flags_parse(const char *text);

#endif
