/*
 * Civil dates for the registry rules.  A date is an int: the number of days
 * since 1970-01-01 in the proleptic Gregorian calendar, so that adding days
 * is plain addition and comparing dates is comparing ints.  DATE_NONE marks
 * "no date".  Text form is ISO 8601 YYYY-MM-DD.  Calendar days are those of
 * China Standard Time (UTC+8, no daylight saving), where the registry is
 * kept.
 */
#ifndef REGISTRY_DATE_H
#define REGISTRY_DATE_H

#include <limits.h>

#define DATE_NONE INT_MIN
#define DATE_BUFSIZE 11      /* "YYYY-MM-DD" and its NUL */
#define TIMESTAMP_BUFSIZE 21 /* "YYYY-MM-DDTHH:MM:SSZ" and its NUL */
#define DATE_MIN_YEAR 1900
#define DATE_MAX_YEAR 9999

/* 1 when year-month-day names a day that exists, else 0. */
int date_is_valid(int year, int month, int day);

/* The date of a valid year-month-day. */
int date_from_civil(int year, int month, int day);

/* The year, month and day of a date. */
void date_to_civil(int date, int *year, int *month, int *day);

/*
 * Parses exactly "YYYY-MM-DD" (years DATE_MIN_YEAR..DATE_MAX_YEAR) into
 * *date.  Returns 0, or -1 when the text is not such a date or names a day
 * that does not exist (2023-02-29).
 */
int date_parse(const char *text, int *date);

/* Writes "YYYY-MM-DD" (or "" for DATE_NONE) into buf; returns buf. */
char *date_format(int date, char buf[DATE_BUFSIZE]);

/*
 * The forms of stored dates, where no date is NULL: the date `text`
 * names, or DATE_NONE when it is NULL or not a date; and "YYYY-MM-DD" in
 * buf, or NULL for DATE_NONE.
 */
int date_parse_or_none(const char *text);
const char *date_format_or_null(int date, char buf[DATE_BUFSIZE]);

/*
 * The same month and day `years` later; 29 February falls back to
 * 28 February in a year that has none.  date_add_years(2024-02-29, 1) is
 * 2025-02-28.
 */
int date_add_years(int date, int years);

/* The calendar date in China Standard Time of a Unix time. */
int date_from_epoch(long long seconds);

/* Writes the UTC timestamp "YYYY-MM-DDTHH:MM:SSZ" of a Unix time. */
char *date_format_timestamp(long long seconds, char buf[TIMESTAMP_BUFSIZE]);

/*
 * Parses a Unix time given as decimal seconds ("1767225600") or as a UTC
 * timestamp "YYYY-MM-DDTHH:MM:SSZ".  Returns 0 or -1.
 */
int date_parse_timestamp(const char *text, long long *seconds);

#endif
