/*
 * The certificate number format (see number.h).
 */
#include "registry/rules/number.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "registry/rules/date.h"

char *
number_series(
    const char *category, int level, int issued_on, char out[NUMBER_MAX])
{
	int year, month, day;

	date_to_civil(issued_on, &year, &month, &day);
	snprintf(
	    out, NUMBER_MAX, NUMBER_PREFIX "%s%d-%04d-", category, level, year);
	return out;
}

/* 1 when `number` has the shape CNITSEC-XXn-YYYY-NNNN[NN]. */
static int
well_formed(const char *number)
{
	const char *p = number + strlen(NUMBER_PREFIX);
	size_t digits = 0;

	if (strncmp(number, NUMBER_PREFIX, strlen(NUMBER_PREFIX)) != 0)
		return 0;
	if (!isupper((unsigned char)p[0]) || !isupper((unsigned char)p[1]) ||
	    p[2] < '1' || p[2] > '5' || p[3] != '-')
		return 0;
	p += 4;
	for (int i = 0; i < 4; i++)
		if (!isdigit((unsigned char)p[i]))
			return 0;
	if (p[4] != '-')
		return 0;
	p += 5;
	while (isdigit((unsigned char)p[digits]))
		digits++;
	return digits >= 4 && digits <= 6 && p[digits] == '\0';
}

int
number_check(const char *number, const char *category, int level, int issued_on,
    char *why, size_t why_size)
{
	char expected[NUMBER_MAX];

	number_series(category, level, issued_on, expected);
	if (!well_formed(number)) {
		snprintf(why, why_size,
		    "number must look like %s0001 (CNITSEC-, category, "
		    "level, year of issue, a 4 to 6 digit serial)",
		    expected);
		return -1;
	}
	if (strncmp(number, expected, strlen(expected)) != 0) {
		snprintf(why, why_size,
		    "number %s does not match its category, level and year "
		    "of issue (expected %sNNNN)",
		    number, expected);
		return -1;
	}
	return 0;
}
