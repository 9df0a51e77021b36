/*
 * Table-driven tests of the pure rules: civil dates, credit codes, and the
 * status of a certificate on a date (registry/rules/status.c).  Each row is one
 * named case so a failure names itself.  Histories are written as
 * "ID KIND DATE [DEADLINE|TARGET]; ..." and certificates issued on
 * 2024-03-01 unless a row says otherwise.  For that date: valid_until is
 * 2027-02-28, annual windows are [2025-01-30, 2025-02-28] and
 * [2026-01-30, 2026-02-28], the renewal window [2026-11-30, 2027-02-28].
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/rules/creditcode.h"
#include "registry/rules/date.h"
#include "registry/rules/label.h"
#include "registry/rules/lookup.h"
#include "registry/rules/status.h"
#include "tests/unit/rows.h"
#include "tests/unit/test_registry.h"

#define MAX_EVENTS 16

static int
day(const char *text)
{
	int d;
	if (date_parse(text, &d) != 0)
		fail_msg("bad date in test table: %s", text);
	return d;
}

/* Parses a history written as "2 suspend 2025-06-01; 3 void 2025-06-05 2". */
static size_t
parse_history(const char *text, struct status_event *events)
{
	size_t n = 0;
	char *copy = strdup(text), *save = NULL;

	for (char *item = strtok_r(copy, ";", &save); item != NULL;
	     item = strtok_r(NULL, ";", &save)) {
		char kind[32], date[16], extra[16] = "";
		long long id;
		int fields = sscanf(
		    item, " %lld %31s %15s %15s", &id, kind, date, extra);
		if (fields < 3)
			fail_msg("bad history item: %s", item);
		assert_true(n < MAX_EVENTS);
		struct status_event *e = &events[n++];
		memset(e, 0, sizeof *e);
		e->id = id;
		if (event_kind_parse(kind) < 0)
			fail_msg("bad event kind in test table: %s", kind);
		e->kind = (enum event_kind)event_kind_parse(kind);
		e->effective_on = day(date);
		e->deadline = DATE_NONE;
		if (fields == 4) {
			if (e->kind == EVENT_RECTIFY)
				e->deadline = day(extra);
			else
				e->target = atoll(extra);
		}
	}
	free(copy);
	return n;
}

static void
facts_for(const char *issued_on, struct status_facts *facts)
{
	facts->issued_on = day(issued_on ? issued_on : "2024-03-01");
	facts->valid_until = status_valid_until(facts->issued_on);
}

/* ---- dates ---- */

static const struct date_parse_row {
	const char *text;
	int ok;
} date_parse_rows[] = {
    {"2024-02-29", 1},
    {"2023-02-29", 0},
    {"2000-02-29", 1},
    {"1900-02-29", 0},
    {"2024-04-31", 0},
    {"2024-12-31", 1},
    {"2024-13-01", 0},
    {"2024-00-10", 0},
    {"2024-01-00", 0},
    {"2024-1-01", 0},
    {"20240101", 0},
    {"2024-01-01x", 0},
    {"", 0},
    {"abcd-ef-gh", 0},
    {"1899-12-31", 0},
    {"9999-12-31", 1},
    {"2024-06-30", 1},
    {"2024-06-31", 0},
};

static void
test_date_parse_row(void **state)
{
	const struct date_parse_row *row = *state;
	int d;
	char buf[DATE_BUFSIZE];
	int ok = date_parse(row->text, &d) == 0;
	if (ok != row->ok)
		fail_msg("date_parse(\"%s\"): expected %s, got %s", row->text,
		    row->ok ? "valid" : "invalid", ok ? "valid" : "invalid");
	if (ok)
		assert_string_equal(date_format(d, buf), row->text);
}

static void
test_date_day_numbers(void **state)
{
	(void)state;
	assert_int_equal(day("1970-01-01"), 0);
	assert_int_equal(day("2000-03-01") - day("2000-02-28"), 2);
	assert_int_equal(day("2100-03-01") - day("2100-02-28"), 1);
}

static void
test_date_round_trip_every_day(void **state)
{
	(void)state;
	/* Every day from 1900 to 2200 converts back to itself. */
	for (int d = day("1900-01-01"); d <= day("2200-12-31"); d++) {
		int y, m, dd;
		date_to_civil(d, &y, &m, &dd);
		assert_true(date_is_valid(y, m, dd));
		assert_int_equal(date_from_civil(y, m, dd), d);
	}
}

static const struct add_years_row {
	const char *from;
	int years;
	const char *to;
} add_years_rows[] = {
    {"2024-02-29", 1, "2025-02-28"},
    {"2024-02-29", 4, "2028-02-29"},
    {"2024-02-29", 3, "2027-02-28"},
    {"2023-02-28", 1, "2024-02-28"},
    {"2024-01-31", 3, "2027-01-31"},
    {"2024-12-31", 1, "2025-12-31"},
    {"2099-02-28", 1, "2100-02-28"},
    {"2096-02-29", 4, "2100-02-28"},
};

static void
test_add_years_row(void **state)
{
	const struct add_years_row *row = *state;
	char buf[DATE_BUFSIZE];
	date_format(date_add_years(day(row->from), row->years), buf);
	if (strcmp(buf, row->to) != 0)
		fail_msg("%s + %d years: expected %s, got %s", row->from,
		    row->years, row->to, buf);
}

static void
test_date_epoch_and_timestamps(void **state)
{
	char buf[TIMESTAMP_BUFSIZE], dbuf[DATE_BUFSIZE];
	long long s;
	(void)state;
	/* 2025-12-31T16:00:00Z is already 2026-01-01 in Beijing. */
	assert_int_equal(date_parse_timestamp("2025-12-31T16:00:00Z", &s), 0);
	assert_string_equal(
	    date_format(date_from_epoch(s), dbuf), "2026-01-01");
	assert_string_equal(
	    date_format(date_from_epoch(s - 1), dbuf), "2025-12-31");
	assert_string_equal(
	    date_format_timestamp(s, buf), "2025-12-31T16:00:00Z");
	assert_int_equal(date_parse_timestamp("1767225600", &s), 0);
	assert_string_equal(
	    date_format_timestamp(s, buf), "2026-01-01T00:00:00Z");
	assert_int_equal(date_parse_timestamp("2025-12-31T24:00:00Z", &s), -1);
	assert_int_equal(date_parse_timestamp("2025-12-31 16:00:00", &s), -1);
	assert_int_equal(date_parse_timestamp("", &s), -1);
}

/* ---- credit codes ---- */

static const struct creditcode_row {
	const char *code;
	const char *why; /* NULL: valid */
} creditcode_rows[] = {
    {"91350100M000100Y43", NULL},
    {"91350100M000100Y4X", "check character is 'X', expected '3'"},
    {"91350100M000100Y4", "18 characters, not 17"},
    {"91350100M000100Y433", "18 characters, not 19"},
    {"91350100I000100Y43", "character 9 'I' is not allowed"},
    {"91350100M000100y43", "character 16 'y' is not allowed"},
    {"", "18 characters, not 0"},
};

static void
test_creditcode_row(void **state)
{
	const struct creditcode_row *row = *state;
	char why[200] = "";
	int rc = creditcode_check(row->code, why, sizeof why);
	if (row->why == NULL && rc != 0)
		fail_msg("%s: expected valid, got: %s", row->code, why);
	if (row->why != NULL && (rc == 0 || strstr(why, row->why) == NULL))
		fail_msg("%s: expected \"%s\", got \"%s\"", row->code, row->why,
		    rc == 0 ? "(valid)" : why);
}

static void
test_creditcode_check_char_zero(void **state)
{
	/* A sum divisible by 31 gives check value 31, written '0'. */
	char code[19] = "00000000000000000";
	(void)state;
	assert_int_equal(creditcode_check_char(code), '0');
	code[17] = '0';
	code[18] = '\0';
	assert_int_equal(creditcode_check(code, (char[80]){0}, 80), 0);
	assert_int_equal(creditcode_check_char("0000000000000000I"), '\0');
}

/* ---- windows ---- */

static const struct windows_row {
	const char *issued_on, *valid_until, *a1s, *a1e, *a2s, *a2e, *rs, *re;
} windows_rows[] = {
    {"2024-03-01", "2027-02-28", "2025-01-30", "2025-02-28", "2026-01-30",
        "2026-02-28", "2026-11-30", "2027-02-28"},
    {"2024-02-29", "2027-02-27", "2025-01-29", "2025-02-27", "2026-01-29",
        "2026-02-27", "2026-11-29", "2027-02-27"},
    {"2023-03-01", "2026-02-28", "2024-01-31", "2024-02-29", "2025-01-30",
        "2025-02-28", "2025-11-30", "2026-02-28"},
    {"2024-01-31", "2027-01-30", "2025-01-01", "2025-01-30", "2026-01-01",
        "2026-01-30", "2026-11-01", "2027-01-30"},
    {"2025-01-01", "2027-12-31", "2025-12-02", "2025-12-31", "2026-12-02",
        "2026-12-31", "2027-10-02", "2027-12-31"},
};

static void
test_windows_row(void **state)
{
	const struct windows_row *row = *state;
	struct status_facts f;
	struct status st;
	char b[7][DATE_BUFSIZE];
	facts_for(row->issued_on, &f);
	status_on(&f, NULL, 0, f.issued_on, &st);
	date_format(st.valid_until, b[0]);
	date_format(st.annual[0].start, b[1]);
	date_format(st.annual[0].end, b[2]);
	date_format(st.annual[1].start, b[3]);
	date_format(st.annual[1].end, b[4]);
	date_format(st.renewal.start, b[5]);
	date_format(st.renewal.end, b[6]);
	const char *want[7] = {row->valid_until, row->a1s, row->a1e, row->a2s,
	    row->a2e, row->rs, row->re};
	static const char *what[7] = {"valid_until", "annual 1 start",
	    "annual 1 end", "annual 2 start", "annual 2 end", "renewal start",
	    "renewal end"};
	for (int k = 0; k < 7; k++)
		if (strcmp(b[k], want[k]) != 0)
			fail_msg("issued %s: %s expected %s, got %s",
			    row->issued_on, what[k], want[k], b[k]);
}

/* ---- status on a date ---- */

struct status_case {
	const char *name;
	const char *issued_on; /* NULL: 2024-03-01 */
	const char *history;
	const char *day;
	const char *status;
	const char *flags;  /* comma-separated */
	const char *detail; /* optional "since=..", "deadline=..",
	                       "warning_until=..", "annual1=..",
	                       "renewal=.." */
};

#define ISSUE "1 issue 2024-03-01"
#define CHECKS "; 8 annual-check 2025-02-01; 9 annual-check 2026-02-01"

static const struct status_case status_cases[] = {
    {"status-1.1 day before issue", NULL, ISSUE, "2024-02-29", "not_issued", "",
        NULL},
    {"status-1.2 issue day is valid", NULL, ISSUE, "2024-03-01", "valid", "",
        "since=2024-03-01"},
    {"status-1.3 last valid day", NULL, ISSUE CHECKS, "2027-02-28", "valid", "",
        NULL},
    {"status-1.4 first day after valid_until", NULL, ISSUE CHECKS, "2027-03-01",
        "expired", "", "since=2027-03-01"},
    {"status-1.5 leap-day issue: valid_until 27 Feb", "2024-02-29",
        "1 issue 2024-02-29; 8 annual-check 2025-02-01; "
        "9 annual-check 2026-02-01",
        "2027-02-27", "valid", "", NULL},
    {"status-1.6 leap-day issue: expired on 28 Feb", "2024-02-29",
        "1 issue 2024-02-29", "2027-02-28", "expired", "", NULL},
    {"status-1.7 month end: valid on 30 Jan", "2024-01-31",
        "1 issue 2024-01-31; 8 annual-check 2025-01-15; "
        "9 annual-check 2026-01-15",
        "2027-01-30", "valid", "", NULL},
    {"status-1.8 month end: expired on 31 Jan", "2024-01-31",
        "1 issue 2024-01-31", "2027-01-31", "expired", "", NULL},

    {"annual-2.1 first day of window 1 is open, no flag", NULL, ISSUE,
        "2025-01-30", "valid", "", "annual1=open"},
    {"annual-2.2 day before window 1 is upcoming", NULL, ISSUE, "2025-01-29",
        "valid", "", "annual1=upcoming"},
    {"annual-2.3 last day of window 1, no flag yet", NULL, ISSUE, "2025-02-28",
        "valid", "", "annual1=open"},
    {"annual-2.4 window 1 closed unconfirmed", NULL, ISSUE, "2025-03-01",
        "valid", "annual_check_overdue", "annual1=overdue"},
    {"annual-2.5 check on first day of window", NULL,
        ISSUE "; 2 annual-check 2025-01-30", "2025-03-01", "valid", "",
        "annual1=passed"},
    {"annual-2.6 check on last day of window", NULL,
        ISSUE "; 2 annual-check 2025-02-28", "2025-03-01", "valid", "",
        "annual1=passed"},
    {"annual-2.7 check recorded for a later day does not count yet", NULL,
        ISSUE "; 2 annual-check 2025-02-28", "2025-02-27", "valid", "",
        "annual1=open"},
    {"annual-2.8 late check clears the flag from its day", NULL,
        ISSUE "; 2 annual-check 2025-04-01", "2025-04-01", "valid", "",
        "annual1=passed"},
    {"annual-2.9 overdue until the late check", NULL,
        ISSUE "; 2 annual-check 2025-04-01", "2025-03-31", "valid",
        "annual_check_overdue", NULL},
    {"annual-2.10 window 2 closed unconfirmed", NULL,
        ISSUE "; 2 annual-check 2025-02-01", "2026-03-01", "valid",
        "annual_check_overdue", NULL},
    {"annual-2.11 leap year window ends 29 Feb", "2023-03-01",
        "1 issue 2023-03-01", "2024-02-29", "valid", "", "annual1=open"},
    {"annual-2.12 leap year window closed 1 Mar", "2023-03-01",
        "1 issue 2023-03-01", "2024-03-01", "valid", "annual_check_overdue",
        NULL},
    {"annual-2.13 voided check does not count", NULL,
        ISSUE "; 2 annual-check 2025-02-01; 3 void 2025-02-10 2", "2025-03-01",
        "valid", "annual_check_overdue", NULL},

    {"warning-3.1 warning flag from its day", NULL,
        ISSUE CHECKS "; 2 warn 2025-05-10", "2025-05-10", "valid", "warning",
        "warning_until=2026-05-09"},
    {"warning-3.2 last day of the 12 months", NULL,
        ISSUE CHECKS "; 2 warn 2025-05-10", "2026-05-09", "valid", "warning",
        NULL},
    {"warning-3.3 gone after 12 months", NULL,
        ISSUE CHECKS "; 2 warn 2025-05-10", "2026-05-10", "valid", "", NULL},
    {"warning-3.4 warning on a leap day lasts to 28 Feb less one", "2024-02-29",
        "1 issue 2024-02-29; 2 warn 2024-02-29", "2025-02-27", "valid",
        "warning", "warning_until=2025-02-27"},
    {"warning-3.5 later warning extends the flag", NULL,
        ISSUE CHECKS "; 2 warn 2025-05-10; 3 warn 2025-09-01", "2026-06-01",
        "valid", "warning", "warning_until=2026-08-31"},
    {"warning-3.6 voided warning", NULL,
        ISSUE CHECKS "; 2 warn 2025-05-10; 3 void 2025-05-11 2", "2025-06-01",
        "valid", "", NULL},

    {"rectify-4.1 open order", NULL,
        ISSUE CHECKS "; 2 rectify 2025-05-01 2025-06-30", "2025-05-01", "valid",
        "rectification", "deadline=2025-06-30"},
    {"rectify-4.2 order past its deadline is overdue, not in progress", NULL,
        ISSUE CHECKS "; 2 rectify 2025-05-01 2025-06-30", "2025-08-01", "valid",
        "rectification_overdue", "deadline=2025-06-30"},
    {"rectify-4.3 day before the close", NULL,
        ISSUE CHECKS "; 2 rectify 2025-05-01 2025-06-30; "
                     "3 rectify-close 2025-06-15 2",
        "2025-06-14", "valid", "rectification", NULL},
    {"rectify-4.4 closed", NULL,
        ISSUE CHECKS "; 2 rectify 2025-05-01 2025-06-30; "
                     "3 rectify-close 2025-06-15 2",
        "2025-06-15", "valid", "", NULL},
    {"rectify-4.5 two orders, one closed: the other's deadline", NULL,
        ISSUE CHECKS
        "; 2 rectify 2025-05-01 2025-06-30; "
        "3 rectify 2025-05-02 2025-07-31; 4 rectify-close 2025-06-15 2",
        "2025-06-20", "valid", "rectification", "deadline=2025-07-31"},
    {"rectify-4.6 voided close reopens the order (now past its deadline)", NULL,
        ISSUE CHECKS "; 2 rectify 2025-05-01 2025-06-30; "
                     "3 rectify-close 2025-06-15 2; 4 void 2025-06-16 3",
        "2025-07-01", "valid", "rectification_overdue", NULL},
    {"rectify-4.7 on the deadline the order is still in time", NULL,
        ISSUE CHECKS "; 2 rectify 2025-05-01 2025-06-30", "2025-06-30", "valid",
        "rectification", "deadline=2025-06-30"},
    {"rectify-4.8 the day after the deadline it is overdue", NULL,
        ISSUE CHECKS "; 2 rectify 2025-05-01 2025-06-30", "2025-07-01", "valid",
        "rectification_overdue", "deadline=2025-06-30"},
    {"rectify-4.9 one order overdue and one in time: both flags", NULL,
        ISSUE CHECKS "; 2 rectify 2025-05-01 2025-06-30; "
                     "3 rectify 2025-07-01 2025-09-30",
        "2025-08-01", "valid", "rectification,rectification_overdue",
        "deadline=2025-06-30"},
    {"rectify-4.10 an overdue order closed late: no flag from the close", NULL,
        ISSUE CHECKS "; 2 rectify 2025-05-01 2025-06-30; "
                     "3 rectify-close 2025-07-20 2",
        "2025-07-20", "valid", "", NULL},
    {"rectify-4.11 overdue until the late close", NULL,
        ISSUE CHECKS "; 2 rectify 2025-05-01 2025-06-30; "
                     "3 rectify-close 2025-07-20 2",
        "2025-07-19", "valid", "rectification_overdue", NULL},
    {"rectify-4.12 a suspended certificate keeps the overdue flag", NULL,
        ISSUE CHECKS "; 2 rectify 2025-05-01 2025-06-30; "
                     "3 suspend 2025-07-15",
        "2025-08-01", "suspended", "rectification_overdue", NULL},
    {"rectify-4.13 a revoked certificate shows no overdue order", NULL,
        ISSUE CHECKS "; 2 rectify 2025-05-01 2025-06-30; "
                     "3 revoke 2025-07-15",
        "2025-08-01", "revoked", "", "deadline=none"},
    {"rectify-4.14 a voided order is not overdue", NULL,
        ISSUE CHECKS "; 2 rectify 2025-05-01 2025-06-30; 3 void 2025-05-02 2",
        "2025-08-01", "valid", "", NULL},

    {"suspend-5.1 day before suspension", NULL,
        ISSUE CHECKS "; 2 suspend 2025-06-01", "2025-05-31", "valid", "", NULL},
    {"suspend-5.2 suspended from its day", NULL,
        ISSUE CHECKS "; 2 suspend 2025-06-01", "2025-06-01", "suspended", "",
        "since=2025-06-01"},
    {"suspend-5.3 suspension lifted", NULL,
        ISSUE CHECKS "; 2 suspend 2025-06-01; 3 reinstate 2025-07-01",
        "2025-07-01", "valid", "", "since=2025-07-01"},
    {"suspend-5.4 still suspended the day before reinstatement", NULL,
        ISSUE CHECKS "; 2 suspend 2025-06-01; 3 reinstate 2025-07-01",
        "2025-06-30", "suspended", "", NULL},
    {"suspend-5.5 suspended and reinstated the same day", NULL,
        ISSUE CHECKS "; 2 suspend 2025-06-01; 3 reinstate 2025-06-01",
        "2025-06-01", "valid", "", NULL},
    {"suspend-5.6 second suspension", NULL,
        ISSUE CHECKS "; 2 suspend 2025-06-01; 3 reinstate 2025-07-01; "
                     "4 suspend 2025-09-01",
        "2025-10-01", "suspended", "", "since=2025-09-01"},
    {"suspend-5.7 suspension outranks expiry", NULL,
        ISSUE CHECKS "; 2 suspend 2026-12-01", "2027-03-05", "suspended", "",
        NULL},
    {"suspend-5.8 suspended keeps its flags", NULL,
        ISSUE "; 2 warn 2025-05-01; 3 suspend 2025-06-01", "2025-06-01",
        "suspended", "warning,annual_check_overdue", NULL},
    {"suspend-5.9 voided suspension", NULL,
        ISSUE CHECKS "; 2 suspend 2025-06-01; 3 void 2025-06-05 2",
        "2025-06-02", "valid", "", NULL},

    {"revoke-6.1 revocation after a suspension", NULL,
        ISSUE CHECKS "; 2 suspend 2025-06-01; 3 revoke 2025-08-01",
        "2025-08-01", "revoked", "", "since=2025-08-01"},
    {"revoke-6.2 suspended the day before revocation", NULL,
        ISSUE CHECKS "; 2 suspend 2025-06-01; 3 revoke 2025-08-01",
        "2025-07-31", "suspended", "", NULL},
    {"revoke-6.3 revoked stays revoked after valid_until", NULL,
        ISSUE CHECKS "; 2 revoke 2025-08-01", "2028-01-01", "revoked", "",
        NULL},
    {"revoke-6.4 revoked shows no flags", NULL,
        ISSUE "; 2 warn 2025-05-01; 3 revoke 2025-08-01", "2025-08-01",
        "revoked", "", NULL},
    {"revoke-6.5 revocation outranks supersession", NULL,
        ISSUE CHECKS "; 2 renew 2026-12-01; 3 revoke 2026-12-01", "2026-12-02",
        "revoked", "", NULL},
    {"revoke-6.6 voided revocation", NULL,
        ISSUE CHECKS "; 2 revoke 2025-08-01; 3 void 2025-08-02 2", "2025-09-01",
        "valid", "", NULL},

    {"renew-7.1 valid the day before renewal", NULL,
        ISSUE CHECKS "; 2 renew 2026-12-01", "2026-11-30", "valid", "",
        "renewal=open"},
    {"renew-7.2 superseded from the renewal", NULL,
        ISSUE CHECKS "; 2 renew 2026-12-01", "2026-12-01", "superseded", "",
        "renewal=passed"},
    {"renew-7.3 superseded outranks expired", NULL,
        ISSUE CHECKS "; 2 renew 2026-12-01", "2027-03-01", "superseded", "",
        NULL},
    {"renew-7.4 renewal window closed unrenewed", NULL, ISSUE CHECKS,
        "2027-03-01", "expired", "", "renewal=closed"},
    {"renew-7.5 renewal window upcoming", NULL, ISSUE CHECKS, "2026-11-29",
        "valid", "", "renewal=upcoming"},
    {"upgrade-7.6 upgrade supersedes", NULL, ISSUE "; 2 upgrade 2025-05-01",
        "2025-05-01", "superseded", "", "since=2025-05-01"},
    {"upgrade-7.7 supersession outranks suspension", NULL,
        ISSUE "; 2 suspend 2025-04-01; 3 upgrade 2025-05-01", "2025-05-01",
        "superseded", "", NULL},
    {"transfer-7.8 transfer leaves the status alone", NULL,
        ISSUE CHECKS "; 2 transfer 2025-05-01", "2025-05-01", "valid", "",
        NULL},
    {"expired-7.9 expired shows no flags", NULL, ISSUE "; 2 warn 2027-01-01",
        "2027-03-01", "expired", "", NULL},

    /* The windows of ended certificates: nothing pending after the end. */
    {"ended-8.1 before the revocation window 2 is upcoming", NULL,
        ISSUE "; 2 annual-check 2025-02-01; 3 revoke 2025-08-01", "2025-07-31",
        "valid", "", "annual2=upcoming"},
    {"ended-8.2 revoked: window 2 has ended, not upcoming", NULL,
        ISSUE "; 2 annual-check 2025-02-01; 3 revoke 2025-08-01", "2025-08-01",
        "revoked", "", "annual2=ended"},
    {"ended-8.3 revoked: the renewal has ended", NULL,
        ISSUE "; 2 annual-check 2025-02-01; 3 revoke 2025-08-01", "2025-08-01",
        "revoked", "", "renewal=ended"},
    {"ended-8.4 revoked: window 2's close is never overdue", NULL,
        ISSUE "; 2 annual-check 2025-02-01; 3 revoke 2025-08-01", "2026-06-01",
        "revoked", "", "annual2=ended"},
    {"ended-8.5 revoked: the renewal window's close is never closed", NULL,
        ISSUE "; 2 annual-check 2025-02-01; 3 revoke 2025-08-01", "2028-01-01",
        "revoked", "", "renewal=ended"},
    {"ended-8.6 revoked while window 1 was open: ended", NULL,
        ISSUE "; 2 revoke 2025-02-10", "2025-02-10", "revoked", "",
        "annual1=ended"},
    {"ended-8.7 revoked the day after window 1 closed unconfirmed: overdue",
        NULL, ISSUE "; 2 revoke 2025-03-01", "2025-03-01", "revoked", "",
        "annual1=overdue"},
    {"ended-8.8 revoked on window 1's last day: ended", NULL,
        ISSUE "; 2 revoke 2025-02-28", "2025-02-28", "revoked", "",
        "annual1=ended"},
    {"ended-8.9 a check done before the revocation stays done", NULL,
        ISSUE "; 2 annual-check 2025-02-01; 3 revoke 2025-08-01", "2025-08-01",
        "revoked", "", "annual1=passed"},
    {"ended-8.10 upgraded: window 2 has ended", NULL,
        ISSUE "; 2 annual-check 2025-02-01; 3 upgrade 2025-05-01", "2025-05-01",
        "superseded", "", "annual2=ended"},
    {"ended-8.11 upgraded: the renewal has ended", NULL,
        ISSUE "; 2 annual-check 2025-02-01; 3 upgrade 2025-05-01", "2026-12-01",
        "superseded", "", "renewal=ended"},
    {"ended-8.12 renewed: the renewal is done, not ended", NULL,
        ISSUE CHECKS "; 2 renew 2026-12-01", "2027-01-01", "superseded", "",
        "renewal=passed"},
    {"ended-8.13 expired: the renewal window closed", NULL, ISSUE CHECKS,
        "2027-03-01", "expired", "", "renewal=closed"},
    {"ended-8.14 expired: an unconfirmed window stays overdue", NULL,
        ISSUE "; 8 annual-check 2025-02-01", "2027-03-01", "expired", "",
        "annual2=overdue"},
    {"ended-8.15 a voided revocation: the windows are pending again", NULL,
        ISSUE "; 2 annual-check 2025-02-01; 3 revoke 2025-08-01; "
              "4 void 2025-08-02 3",
        "2025-09-01", "valid", "", "annual2=upcoming"},
    {"ended-8.16 revoked while suspended, window 2 open: ended", NULL,
        ISSUE "; 2 annual-check 2025-02-01; 3 suspend 2026-01-15; "
              "4 revoke 2026-02-10",
        "2026-02-10", "revoked", "", "annual2=ended"},
};

static void
check_detail(const struct status_case *c, const struct status *st)
{
	char buf[DATE_BUFSIZE], key[32], value[32];

	if (c->detail == NULL)
		return;
	if (sscanf(c->detail, "%31[^=]=%31s", key, value) != 2)
		fail_msg("%s: bad detail %s", c->name, c->detail);
	const char *actual = "";
	if (strcmp(key, "since") == 0)
		actual = date_format(st->since, buf);
	else if (strcmp(key, "deadline") == 0)
		actual = st->rectification_deadline == DATE_NONE
		             ? "none"
		             : date_format(st->rectification_deadline, buf);
	else if (strcmp(key, "warning_until") == 0)
		actual = date_format(st->warning_until, buf);
	else if (strcmp(key, "annual1") == 0)
		actual = status_window_state_name(st->annual[0].state);
	else if (strcmp(key, "annual2") == 0)
		actual = status_window_state_name(st->annual[1].state);
	else if (strcmp(key, "renewal") == 0)
		actual = status_window_state_name(st->renewal.state);
	else
		fail_msg("%s: unknown detail %s", c->name, key);
	if (strcmp(actual, value) != 0)
		fail_msg(
		    "%s: %s expected %s, got %s", c->name, key, value, actual);
}

static void
test_status_case(void **state)
{
	const struct status_case *c = *state;
	struct status_event events[MAX_EVENTS];
	struct status_facts facts;
	struct status st;
	char flags[128];

	facts_for(c->issued_on, &facts);
	size_t n = parse_history(c->history, events);
	status_on(&facts, events, n, day(c->day), &st);
	if (strcmp(status_name(st.status), c->status) != 0)
		fail_msg("%s: on %s expected status %s, got %s", c->name,
		    c->day, c->status, status_name(st.status));
	status_flags_format(st.flags, ",", flags, sizeof flags);
	if (strcmp(flags, c->flags) != 0)
		fail_msg("%s: on %s expected flags \"%s\", got \"%s\"", c->name,
		    c->day, c->flags, flags);
	check_detail(c, &st);
}

static void
test_status_pure(void **state)
{
	/* The input is not changed and the same input gives the same output. */
	struct status_event events[MAX_EVENTS], copy[MAX_EVENTS];
	struct status_facts facts;
	struct status a, b;
	(void)state;
	facts_for(NULL, &facts);
	size_t n =
	    parse_history(ISSUE "; 3 reinstate 2025-07-01; "
	                        "2 suspend 2025-06-01; 4 warn 2025-05-01",
	        events);
	memcpy(copy, events, sizeof events);
	status_on(&facts, events, n, day("2025-06-15"), &a);
	status_on(&facts, events, n, day("2025-06-15"), &b);
	assert_memory_equal(&a, &b, sizeof a);
	assert_memory_equal(events, copy, n * sizeof events[0]);
	assert_int_equal(a.status, STATUS_SUSPENDED);
}

/* ---- notices: warnings and orders in force ---- */

struct notice_case {
	const char *name;
	const char *history;
	const char *day;
	const char *want; /* "warn 2025-05-10 2026-05-09; rectify 2025-05-01
	                     2025-06-30 overdue"; "" for none */
};

static const struct notice_case notice_cases[] = {
    {"notice-1.1 none", ISSUE CHECKS, "2025-06-01", ""},
    {"notice-1.2 a warning with its last day",
        ISSUE CHECKS "; 2 warn 2025-05-10", "2025-06-01",
        "warn 2025-05-10 2026-05-09"},
    {"notice-1.3 a warning past its 12 months is gone",
        ISSUE CHECKS "; 2 warn 2025-05-10", "2026-05-10", ""},
    {"notice-1.4 two warnings within 12 months, oldest first",
        ISSUE CHECKS "; 3 warn 2025-09-01; 2 warn 2025-05-10", "2025-10-01",
        "warn 2025-05-10 2026-05-09; warn 2025-09-01 2026-08-31"},
    {"notice-1.5 an order in time",
        ISSUE CHECKS "; 2 rectify 2025-05-01 2025-06-30", "2025-06-30",
        "rectify 2025-05-01 2025-06-30"},
    {"notice-1.6 an order past its deadline",
        ISSUE CHECKS "; 2 rectify 2025-05-01 2025-06-30", "2025-07-01",
        "rectify 2025-05-01 2025-06-30 overdue"},
    {"notice-1.7 a closed order is no notice",
        ISSUE CHECKS "; 2 rectify 2025-05-01 2025-06-30; "
                     "3 rectify-close 2025-06-15 2",
        "2025-06-15", ""},
    {"notice-1.8 a voided warning is no notice",
        ISSUE CHECKS "; 2 warn 2025-05-10; 3 void 2025-05-11 2", "2025-06-01",
        ""},
    {"notice-1.9 an event after the day is no notice yet",
        ISSUE CHECKS "; 2 warn 2025-05-10", "2025-05-09", ""},
    {"notice-1.10 a revoked certificate has none",
        ISSUE CHECKS "; 2 warn 2025-05-10; 3 revoke 2025-06-01", "2025-06-01",
        ""},
    {"notice-1.11 warning and order together",
        ISSUE CHECKS "; 2 warn 2025-04-01; 3 rectify 2025-04-01 2025-05-31; "
                     "4 suspend 2025-06-10",
        "2025-06-10",
        "warn 2025-04-01 2026-03-31; rectify 2025-04-01 2025-05-31 overdue"},
};

static void
test_notice_case(void **state)
{
	const struct notice_case *c = *state;
	struct status_event events[MAX_EVENTS];
	struct status_notice notes[MAX_EVENTS];
	struct status_facts facts;
	char got[512] = "", d1[DATE_BUFSIZE], d2[DATE_BUFSIZE];
	size_t n, used = 0;

	facts_for(NULL, &facts);
	n = status_notices(&facts, events, parse_history(c->history, events),
	    day(c->day), notes, MAX_EVENTS);
	for (size_t i = 0; i < n; i++)
		used += (size_t)snprintf(got + used, sizeof got - used,
		    "%s%s %s %s%s", i ? "; " : "",
		    event_kind_name(notes[i].kind),
		    date_format(notes[i].effective_on, d1),
		    date_format(notes[i].until, d2),
		    notes[i].overdue ? " overdue" : "");
	if (strcmp(got, c->want) != 0)
		fail_msg(
		    "%s: expected \"%s\", got \"%s\"", c->name, c->want, got);
}

static void
test_notices_capped(void **state)
{
	struct status_event events[MAX_EVENTS];
	struct status_notice one[1];
	struct status_facts facts;
	size_t n;
	(void)state;
	facts_for(NULL, &facts);
	n = parse_history(
	    ISSUE "; 2 warn 2025-04-01; 3 warn 2025-05-01", events);
	assert_int_equal(
	    status_notices(&facts, events, n, day("2025-06-01"), one, 1), 2);
	assert_int_equal(one[0].id, 2);
}

/* ---- labels: the words people read ---- */

static void
test_labels(void **state)
{
	char d[LABEL_DATE_BUFSIZE], t[LABEL_TIME_BUFSIZE];
	long long s;
	(void)state;
	assert_string_equal(
	    label_date_zh(day("2026-01-01"), d), "2026年1月1日");
	assert_string_equal(
	    label_date_zh(day("2025-12-03"), d), "2025年12月3日");
	assert_string_equal(label_date_zh(DATE_NONE, d), "");
	assert_int_equal(date_parse_timestamp("2026-12-02T03:04:54Z", &s), 0);
	assert_string_equal(label_time_zh(s, t), "2026年12月2日 11:04");
	/* 16:00 UTC is already the next day in Beijing. */
	assert_int_equal(date_parse_timestamp("2025-12-31T16:00:00Z", &s), 0);
	assert_string_equal(label_time_zh(s, t), "2026年1月1日 00:00");
	assert_int_equal(date_parse_timestamp("2025-12-31T15:59:59Z", &s), 0);
	assert_string_equal(label_time_zh(s, t), "2025年12月31日 23:59");
	assert_string_equal(
	    label_flag_zh(STATUS_FLAG_RECTIFICATION_OVERDUE), "整改逾期");
	assert_string_equal(
	    label_flag_zh(STATUS_FLAG_RECTIFICATION), "限期整改中");
	assert_string_equal(label_window_zh(WINDOW_ENDED), "不再办理");
	assert_string_equal(status_flag_name(STATUS_FLAG_RECTIFICATION_OVERDUE),
	    "rectification_overdue");
	assert_int_equal(status_flags_parse("rectification_overdue,warning"),
	    STATUS_FLAG_RECTIFICATION_OVERDUE | STATUS_FLAG_WARNING);
	assert_int_equal(status_window_state_parse("ended"), WINDOW_ENDED);
}

/* What a certificate's validity means, by status. */
static const struct validity_case {
	const char *name, *history, *day, *want;
} validity_cases[] = {
    {"validity-1.1 valid", ISSUE CHECKS, "2025-06-01",
        "有效期至 2027年2月28日"},
    {"validity-1.2 suspended", ISSUE CHECKS "; 2 suspend 2025-06-01",
        "2025-06-01", "有效期至 2027年2月28日"},
    {"validity-1.3 revoked", ISSUE CHECKS "; 2 revoke 2025-08-01", "2025-08-01",
        "原有效期至 2027年2月28日，已于 2025年8月1日取消"},
    {"validity-1.4 superseded", ISSUE CHECKS "; 2 renew 2026-12-01",
        "2026-12-05", "原有效期至 2027年2月28日，已于 2026年12月1日换发"},
    {"validity-1.5 expired", ISSUE CHECKS, "2027-03-01",
        "有效期至 2027年2月28日，已届满"},
    {"validity-1.6 not yet issued", ISSUE, "2024-02-01", "尚未颁发"},
};

static void
test_validity_case(void **state)
{
	const struct validity_case *c = *state;
	struct status_event events[MAX_EVENTS];
	struct status_facts facts;
	struct status st;
	char got[LABEL_VALIDITY_BUFSIZE];

	facts_for(NULL, &facts);
	status_on(&facts, events, parse_history(c->history, events),
	    day(c->day), &st);
	if (strcmp(label_validity_zh(&st, got), c->want) != 0)
		fail_msg(
		    "%s: expected \"%s\", got \"%s\"", c->name, c->want, got);
}

/* One of the cases in tests/rules/ that the browser's scripts share. */
static json_t *
shared_cases(const char *name)
{
	const char *src = getenv("SRC");
	char path[1024];
	json_error_t error;
	json_t *cases;

	snprintf(path, sizeof path, "%s/tests/rules/%s", src ? src : ".", name);
	cases = json_load_file(path, 0, &error);
	if (cases == NULL)
		fail_msg("%s:%d: %s", path, error.line, error.text);
	return cases;
}

/* ---- labels: the shared words of labels.json ---- */

static void
expect_words(const char *what, const char *name, json_t *want, const char *zh,
    const char *en)
{
	const char *want_zh = json_string_value(json_object_get(want, "zh"));
	const char *want_en = json_string_value(json_object_get(want, "en"));

	if (want_zh == NULL || strcmp(want_zh, zh) != 0)
		fail_msg("%s %s: expected \"%s\" in Chinese, got \"%s\"", what,
		    name, want_zh ? want_zh : "(none)", zh);
	if (want_en == NULL || strcmp(want_en, en) != 0)
		fail_msg("%s %s: expected \"%s\" in English, got \"%s\"", what,
		    name, want_en ? want_en : "(none)", en);
}

static void
test_labels_shared_cases(void **state)
{
	json_t *cases = shared_cases("labels.json"), *want;
	json_t *statuses = json_object_get(cases, "statuses");
	json_t *flags = json_object_get(cases, "flags");
	const char *name;
	size_t flag_count = 0;
	(void)state;
	/* Every status and every flag is there, and each says the same. */
	assert_int_equal(json_object_size(statuses), STATUS_SUPERSEDED + 1);
	for (unsigned bit = 1; bit <= STATUS_FLAG_LAST; bit <<= 1)
		flag_count++;
	assert_int_equal(json_object_size(flags), flag_count);
	json_object_foreach (statuses, name, want) {
		int s = status_parse(name);
		if (s < 0)
			fail_msg("status %s: not a status's name", name);
		expect_words("status", name, want,
		    label_status_zh((enum cert_status)s),
		    label_status_en((enum cert_status)s));
	}
	json_object_foreach (flags, name, want) {
		unsigned bit = status_flags_parse(name);
		if (bit == 0 || (bit & (bit - 1)) != 0)
			fail_msg("flag %s: not a flag's name", name);
		expect_words(
		    "flag", name, want, label_flag_zh(bit), label_flag_en(bit));
	}
	assert_string_equal(label_status_en((enum cert_status)99), "unknown");
	assert_string_equal(label_flag_en(STATUS_FLAG_WARNING | 2), "");
	json_decref(cases);
}

/* ---- lookup: what people type, the shared cases of lookup.json ---- */

static const char *
lookup_kind_name(enum lookup_kind kind)
{
	static const char *const NAMES[] = {
	    "empty", "number", "credit_code", "text"};
	return NAMES[kind];
}

static void
test_lookup_shared_cases(void **state)
{
	json_t *cases = shared_cases("lookup.json"), *c;
	size_t i;
	(void)state;
	json_array_foreach (json_object_get(cases, "classify"), i, c) {
		const char *text =
		    json_string_value(json_object_get(c, "text"));
		char out[LOOKUP_MAX];
		enum lookup_kind kind = lookup_classify(text, out);
		if (strcmp(lookup_kind_name(kind),
		        json_string_value(json_object_get(c, "kind"))) != 0 ||
		    strcmp(out, json_string_value(json_object_get(c, "out"))) !=
		        0)
			fail_msg("lookup_classify(\"%s\"): %s \"%s\"", text,
			    lookup_kind_name(kind), out);
	}
	json_array_foreach (json_object_get(cases, "split"), i, c) {
		const char *p = json_string_value(json_object_get(c, "text"));
		json_t *want = json_object_get(c, "entries");
		char out[LOOKUP_MAX];
		size_t n = 0;
		while (lookup_next(&p, out) == 0) {
			const char *w =
			    json_string_value(json_array_get(want, n));
			if (w == NULL || strcmp(w, out) != 0)
				fail_msg("split case %zu: entry %zu is \"%s\"",
				    i, n, out);
			n++;
		}
		assert_int_equal(n, json_array_size(want));
	}
	json_decref(cases);
}

static void
test_lookup_limits(void **state)
{
	char long_text[700], out[LOOKUP_MAX];
	const char *p;
	(void)state;
	/* A long run of Chinese characters is cut at a whole character. */
	long_text[0] = '\0';
	for (int i = 0; i < 200; i++)
		strcat(long_text, "云");
	p = long_text;
	assert_int_equal(lookup_next(&p, out), 0);
	assert_int_equal(strlen(out) % 3, 0);
	assert_true(strlen(out) < LOOKUP_MAX);
	assert_true(strlen(out) > LOOKUP_MAX - 4);
	assert_int_equal(lookup_classify(long_text, out), LOOKUP_TEXT);
	assert_int_equal(strlen(out) % 3, 0);
	lookup_fold("a\xff b", out, sizeof out);
	assert_string_equal(out, "a\xff b");
}

/* ---- validation of histories ---- */

struct validate_case {
	const char *name;
	const char *history;
	const char *why; /* NULL: the history is accepted */
};

static const struct validate_case validate_cases[] = {
    {"validate-1.1 a full ordinary history",
        ISSUE "; 2 annual-check 2025-02-01; 3 warn 2025-04-01; "
              "4 rectify 2025-04-02 2025-05-31; 5 rectify-close 2025-05-20 4; "
              "6 suspend 2025-06-01; 7 reinstate 2025-07-01; "
              "8 annual-check 2026-02-01; 9 transfer 2026-03-01; "
              "10 renew 2026-12-01",
        NULL},
    {"validate-1.2 reinstatement without a suspension",
        ISSUE "; 2 reinstate 2025-03-01",
        "reinstate on 2025-03-01 (event 2): the certificate is not "
        "suspended"},
    {"validate-1.3 second suspension while suspended",
        ISSUE "; 2 suspend 2025-03-01; 3 suspend 2025-04-01",
        "already suspended since 2025-03-01"},
    {"validate-1.4 reinstatement before the suspension",
        ISSUE "; 3 suspend 2025-03-01; 2 reinstate 2025-02-01",
        "not suspended"},
    {"validate-1.5 nothing after a revocation",
        ISSUE "; 2 revoke 2025-03-01; 3 warn 2025-04-01",
        "warn on 2025-04-01 (event 3): the certificate was revoked on "
        "2025-03-01"},
    {"validate-1.6 events before a revocation may be recorded later",
        ISSUE "; 3 revoke 2025-03-01; 4 warn 2025-02-01", NULL},
    {"validate-1.7 nothing before issue", ISSUE "; 2 warn 2024-02-29",
        "the certificate was only issued on 2024-03-01"},
    {"validate-1.8 nothing after expiry", ISSUE "; 2 warn 2027-03-01",
        "the certificate expired after 2027-02-28"},
    {"validate-1.9 events on valid_until are fine", ISSUE "; 2 warn 2027-02-28",
        NULL},
    {"validate-1.10 annual check before the first window",
        ISSUE "; 2 annual-check 2025-01-29",
        "the first annual check window only opens on 2025-01-30"},
    {"validate-1.11 annual check on the first window's first day",
        ISSUE "; 2 annual-check 2025-01-30", NULL},
    {"validate-1.12 annual check twice in a year",
        ISSUE "; 2 annual-check 2025-02-01; 3 annual-check 2025-02-10",
        "year 1 was already confirmed on 2025-02-01"},
    {"validate-1.13 annual check after the certificate's life",
        ISSUE "; 2 annual-check 2027-03-01", "expired after 2027-02-28"},
    {"validate-1.14 renewal the day before its window",
        ISSUE "; 2 renew 2026-11-29",
        "renewal is only possible from 2026-11-30 to 2027-02-28"},
    {"validate-1.15 renewal on the window's first day",
        ISSUE "; 2 renew 2026-11-30", NULL},
    {"validate-1.16 renewal on valid_until", ISSUE "; 2 renew 2027-02-28",
        NULL},
    {"validate-1.17 renewal after expiry", ISSUE "; 2 renew 2027-03-01",
        "expired after 2027-02-28"},
    {"validate-1.18 renewal while suspended",
        ISSUE "; 2 suspend 2026-10-01; 3 renew 2026-12-01",
        "the certificate is suspended since 2026-10-01"},
    {"validate-1.19 nothing after supersession",
        ISSUE "; 2 upgrade 2025-05-01; 3 warn 2025-06-01",
        "the certificate was superseded on 2025-05-01"},
    {"validate-1.20 upgrade at any time while valid",
        ISSUE "; 2 upgrade 2024-06-01", NULL},
    {"validate-1.21 deadline before the order",
        ISSUE "; 2 rectify 2025-05-01 2025-04-30",
        "the deadline 2025-04-30 is before the order"},
    {"validate-1.22 closing an order that does not exist",
        ISSUE "; 2 rectify-close 2025-05-01 7",
        "there is no open rectification order 7"},
    {"validate-1.23 closing an order twice",
        ISSUE "; 2 rectify 2025-05-01 2025-06-01; "
              "3 rectify-close 2025-05-10 2; 4 rectify-close 2025-05-11 2",
        "there is no open rectification order 2"},
    {"validate-1.24 closing an order before it was made",
        ISSUE "; 3 rectify 2025-05-01 2025-06-01; "
              "4 rectify-close 2025-04-10 3",
        "no open rectification order 3"},
    {"validate-1.25 voiding an issue", ISSUE "; 2 void 2025-05-01 1",
        "a issue event cannot be voided"},
    {"validate-1.26 voiding twice",
        ISSUE "; 2 warn 2025-05-01; 3 void 2025-05-02 2; "
              "4 void 2025-05-03 2",
        "event 2 is already voided by event 3"},
    {"validate-1.27 voiding an unknown event", ISSUE "; 2 void 2025-05-01 99",
        "event 99 is not an event of this certificate"},
    {"validate-1.28 voiding a suspension that was lifted",
        ISSUE "; 2 suspend 2025-05-01; 3 reinstate 2025-06-01; "
              "4 void 2025-06-02 2",
        "reinstate on 2025-06-01 (event 3): the "
        "certificate is not suspended"},
    {"validate-1.29 voiding a revocation allows later events",
        ISSUE "; 2 revoke 2025-05-01; 3 void 2025-05-02 2; "
              "4 warn 2025-06-01",
        NULL},
    {"validate-1.30 voiding a void",
        ISSUE "; 2 warn 2025-05-01; 3 void 2025-05-02 2; "
              "4 void 2025-05-03 3",
        "a void event cannot be voided"},
    {"validate-1.31 a second issue", ISSUE "; 2 issue 2024-03-01",
        "already issued"},
    {"validate-1.32 organisation events do not belong here",
        ISSUE "; 2 org-rename 2025-01-01", "not an event of a certificate"},
    {"validate-1.33 a new event is named without an id",
        ISSUE "; 9223372036854775807 reinstate 2025-03-01",
        "reinstate on 2025-03-01: the certificate is not suspended"},
};

static void
test_validate_case(void **state)
{
	const struct validate_case *c = *state;
	struct status_event events[MAX_EVENTS];
	struct status_facts facts;
	char why[512];

	facts_for(NULL, &facts);
	size_t n = parse_history(c->history, events);
	int rc = status_validate(&facts, events, n, why, sizeof why);
	if (c->why == NULL && rc != 0)
		fail_msg("%s: expected the history to be accepted, got: %s",
		    c->name, why);
	if (c->why != NULL && rc == 0)
		fail_msg("%s: expected refusal \"%s\", it was accepted",
		    c->name, c->why);
	if (c->why != NULL && strstr(why, c->why) == NULL)
		fail_msg(
		    "%s: expected \"%s\", got \"%s\"", c->name, c->why, why);
}

static void
test_validate_valid_until(void **state)
{
	struct status_facts facts;
	char why[256];
	(void)state;
	facts_for(NULL, &facts);
	facts.valid_until++;
	assert_int_equal(status_validate(&facts, NULL, 0, why, sizeof why), -1);
	assert_non_null(strstr(why, "valid_until must be 2027-02-28"));
}

int
test_registry_rules(void)
{
	static const struct CMUnitTest fixed[] = {
	    cmocka_unit_test(test_date_day_numbers),
	    cmocka_unit_test(test_date_round_trip_every_day),
	    cmocka_unit_test(test_date_epoch_and_timestamps),
	    cmocka_unit_test(test_creditcode_check_char_zero),
	    cmocka_unit_test(test_status_pure),
	    cmocka_unit_test(test_validate_valid_until),
	    cmocka_unit_test(test_notices_capped),
	    cmocka_unit_test(test_labels),
	    cmocka_unit_test(test_labels_shared_cases),
	    cmocka_unit_test(test_lookup_shared_cases),
	    cmocka_unit_test(test_lookup_limits),
	};
	struct rows r = {0};

	rows_add(&r, fixed, ROWS_COUNT(fixed));
	ROWS_TABLE(&r, date_parse_rows, test_date_parse_row,
	    "date_parse(\"%s\") is %s", row->text,
	    row->ok ? "valid" : "invalid");
	ROWS_TABLE(&r, add_years_rows, test_add_years_row,
	    "%s + %d years is %s", row->from, row->years, row->to);
	ROWS_TABLE(&r, creditcode_rows, test_creditcode_row,
	    "credit code '%s' %s", row->code, row->why ? row->why : "is valid");
	ROWS_TABLE(&r, windows_rows, test_windows_row,
	    "windows of a certificate issued %s", row->issued_on);
	ROWS_TABLE(&r, status_cases, test_status_case, "%s", row->name);
	ROWS_TABLE(&r, validate_cases, test_validate_case, "%s", row->name);
	ROWS_TABLE(&r, notice_cases, test_notice_case, "%s", row->name);
	ROWS_TABLE(&r, validity_cases, test_validity_case, "%s", row->name);
	return rows_run(&r, "registry_rules");
}
