/*
 * Civil date arithmetic: conversion between day numbers and
 * year-month-day in the proleptic Gregorian calendar, strict ISO parsing,
 * and the "same day N years later" rule the certificate dates rely on.
 * The conversions count days in 400-year eras (146,097 days each) with
 * years starting on 1 March, so the leap day is the last day of a year.
 */
#include "registry/rules/date.h"

#include <stdio.h>
#include <string.h>

#define CST_OFFSET_SECONDS (8 * 3600)

static int
is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int
days_in_month(int year, int month)
{
	static const int days[12] = {
	    31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (month == 2 && is_leap(year))
		return 29;
	return days[month - 1];
}

int
date_is_valid(int year, int month, int day)
{
	if (year < DATE_MIN_YEAR || year > DATE_MAX_YEAR)
		return 0;
	if (month < 1 || month > 12)
		return 0;
	return day >= 1 && day <= days_in_month(year, month);
}

int
date_from_civil(int year, int month, int day)
{
	int y = month <= 2 ? year - 1 : year;
	int era = (y >= 0 ? y : y - 399) / 400;
	int year_of_era = y - era * 400;                          /* 0..399 */
	int month_from_march = month > 2 ? month - 3 : month + 9; /* 0..11 */
	int day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
	int day_of_era = year_of_era * 365 + year_of_era / 4 -
	                 year_of_era / 100 + day_of_year;
	return era * 146097 + day_of_era - 719468;
}

void
date_to_civil(int date, int *year, int *month, int *day)
{
	int z = date + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int day_of_era = z - era * 146097; /* 0..146096 */
	int year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 -
	                      day_of_era / 146096) /
	                  365;
	int day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 -
	                                   year_of_era / 100);
	int month_from_march = (5 * day_of_year + 2) / 153;
	int m =
	    month_from_march < 10 ? month_from_march + 3 : month_from_march - 9;
	*day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
	*month = m;
	*year = year_of_era + era * 400 + (m <= 2);
}

static int
digits(const char *text, int count, int *value)
{
	int v = 0;
	for (int i = 0; i < count; i++) {
		if (text[i] < '0' || text[i] > '9')
			return -1;
		v = v * 10 + (text[i] - '0');
	}
	*value = v;
	return 0;
}

int
date_parse(const char *text, int *date)
{
	int year, month, day;

	if (text == NULL || strlen(text) != 10 || text[4] != '-' ||
	    text[7] != '-')
		return -1;
	if (digits(text, 4, &year) || digits(text + 5, 2, &month) ||
	    digits(text + 8, 2, &day))
		return -1;
	if (!date_is_valid(year, month, day))
		return -1;
	*date = date_from_civil(year, month, day);
	return 0;
}

/* `count` decimal digits of v, with leading zeros. */
static void
put_digits(char *out, unsigned v, int count)
{
	for (int i = count - 1; i >= 0; i--, v /= 10)
		out[i] = (char)('0' + v % 10);
}

/* The 10 characters "%04u-%02u-%02u" of a day, without printf: a publish
 * formats millions. */
static void
put_civil_date(char *out, int date)
{
	int year, month, day;

	date_to_civil(date, &year, &month, &day);
	put_digits(out, (unsigned)year % 10000u, 4);
	out[4] = '-';
	put_digits(out + 5, (unsigned)month % 100u, 2);
	out[7] = '-';
	put_digits(out + 8, (unsigned)day % 100u, 2);
}

char *
date_format(int date, char buf[DATE_BUFSIZE])
{
	if (date == DATE_NONE) {
		buf[0] = '\0';
		return buf;
	}
	put_civil_date(buf, date);
	buf[10] = '\0';
	return buf;
}

int
date_parse_or_none(const char *text)
{
	int date;

	return text != NULL && date_parse(text, &date) == 0 ? date : DATE_NONE;
}

const char *
date_format_or_null(int date, char buf[DATE_BUFSIZE])
{
	return date == DATE_NONE ? NULL : date_format(date, buf);
}

int
date_add_years(int date, int years)
{
	int year, month, day;

	date_to_civil(date, &year, &month, &day);
	year += years;
	if (month == 2 && day == 29 && !is_leap(year))
		day = 28;
	return date_from_civil(year, month, day);
}

static long long
floor_div(long long a, long long b)
{
	long long q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

int
date_from_epoch(long long seconds)
{
	return (int)floor_div(seconds + CST_OFFSET_SECONDS, 86400);
}

char *
date_format_timestamp(long long seconds, char buf[TIMESTAMP_BUFSIZE])
{
	long long days = floor_div(seconds, 86400);
	long long rest = seconds - days * 86400;

	/* The rest as "T%02u:%02u:%02uZ", without printf: a publish checks
	 * millions. */
	put_civil_date(buf, (int)days);
	buf[10] = 'T';
	put_digits(buf + 11, (unsigned)(rest / 3600) % 100u, 2);
	buf[13] = ':';
	put_digits(buf + 14, (unsigned)(rest / 60 % 60), 2);
	buf[16] = ':';
	put_digits(buf + 17, (unsigned)(rest % 60), 2);
	buf[19] = 'Z';
	buf[20] = '\0';
	return buf;
}

int
date_parse_timestamp(const char *text, long long *seconds)
{
	size_t len;
	int date, hour, minute, second;
	char day_text[DATE_BUFSIZE];

	if (text == NULL || *text == '\0')
		return -1;
	len = strlen(text);
	if (strspn(text, "0123456789") == len) {
		long long v = 0;
		if (len > 15)
			return -1;
		for (size_t i = 0; i < len; i++)
			v = v * 10 + (text[i] - '0');
		*seconds = v;
		return 0;
	}
	if (len != 20 || text[10] != 'T' || text[13] != ':' ||
	    text[16] != ':' || text[19] != 'Z')
		return -1;
	memcpy(day_text, text, 10);
	day_text[10] = '\0';
	if (date_parse(day_text, &date) || digits(text + 11, 2, &hour) ||
	    digits(text + 14, 2, &minute) || digits(text + 17, 2, &second))
		return -1;
	if (hour > 23 || minute > 59 || second > 59)
		return -1;
	*seconds = (long long)date * 86400 + hour * 3600 + minute * 60 + second;
	return 0;
}
