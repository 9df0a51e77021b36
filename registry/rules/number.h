/*
 * Certificate numbers: CNITSEC-<category><level>-<year of issue>-<serial>,
 * e.g. CNITSEC-CS1-2024-0001.  The serial has 4 to 6 digits and counts
 * per category, level and year; a series is the number up to the serial
 * ("CNITSEC-CS1-2024-").
 */
#ifndef REGISTRY_RULES_NUMBER_H
#define REGISTRY_RULES_NUMBER_H

#include <stddef.h>

#define NUMBER_PREFIX "CNITSEC-"
#define NUMBER_MAX 48 /* the longest number and its NUL */
#define NUMBER_SERIAL_MAX 999999

/*
 * Writes the series of a category, level and date of issue
 * ("CNITSEC-CS1-2024-") into out; returns out.
 */
char *number_series(
    const char *category, int level, int issued_on, char out[NUMBER_MAX]);

/*
 * Checks a number's format against its category, level and date of
 * issue.  0, or -1 with the reason in `why` ("number CNITSEC-CS2-2023-0901
 * does not match its category, level and year of issue (expected
 * CNITSEC-CS1-2023-NNNN)").
 */
int number_check(const char *number, const char *category, int level,
    int issued_on, char *why, size_t why_size);

#endif
