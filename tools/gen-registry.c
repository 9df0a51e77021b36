/*
 * gen-registry: writes a large synthetic registry as CSV for benchmarks,
 * in the format `registryctl import` reads (registry/bulk.h).
 *
 *   gen-registry COUNT [SEED] > registry.csv
 *
 * About three certificates per organisation; nine organisations in ten
 * have a valid unified social credit code; one certificate in ten is a
 * renewal of the one before it (issued inside its renewal window).  The
 * same COUNT and SEED always give the same bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/rules/creditcode.h"
#include "registry/rules/date.h"
#include "registry/rules/number.h"
#include "registry/rules/status.h"

static const char CODE_CHARS[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
#define FIRST_YEAR 2010
#define YEARS 16

static uint64_t state;

static unsigned
next(unsigned bound)
{
	uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	z ^= z >> 31;
	return (unsigned)(z % bound);
}

/* Serials per level and year of issue. */
static unsigned serials[6][YEARS + 4];

static void
number(char *out, size_t size, int level, int issued_on)
{
	char series[NUMBER_MAX];
	int y, m, d;

	date_to_civil(issued_on, &y, &m, &d);
	snprintf(out, size, "%s%06u",
	    number_series("CS", level, issued_on, series),
	    ++serials[level][y - FIRST_YEAR]);
}

int
main(int argc, char **argv)
{
	long long count, written = 0, org = 0;
	char code[CREDITCODE_LENGTH + 1], previous[NUMBER_MAX] = "",
	                                  current[NUMBER_MAX];
	char buf[DATE_BUFSIZE];
	int previous_issued = 0, previous_level = 1, org_certs_left = 0;
	int first = date_from_civil(FIRST_YEAR, 1, 1);
	int last = date_from_civil(FIRST_YEAR + 12, 12, 31);

	if (argc < 2 || argc > 3 || (count = atoll(argv[1])) <= 0) {
		fprintf(
		    stderr, "usage: gen-registry COUNT [SEED] > file.csv\n");
		return 2;
	}
	state = argc == 3 ? strtoull(argv[2], NULL, 10) : 1;
	printf("number,category,level,issued_on,valid_until,organisation_id,"
	       "organisation,credit_code,address,predecessor\r\n");
	while (written < count) {
		int level, issued_on, renewal = 0;
		if (org_certs_left == 0) {
			org++;
			org_certs_left = 1 + (int)next(5);
			previous[0] = '\0';
			if (next(10) == 0) {
				code[0] = '\0';
			} else {
				memcpy(code, "91", 2);
				for (int k = 2; k < 17; k++)
					code[k] = CODE_CHARS[k < 8 ? next(10)
					                           : next(31)];
				code[17] = creditcode_check_char(code);
				code[18] = '\0';
			}
		}
		if (previous[0] && next(3) == 0 &&
		    status_valid_until(previous_issued) <= last) {
			/* A renewal inside the predecessor's window. */
			int valid_until = status_valid_until(previous_issued);
			issued_on = valid_until - (int)next(91);
			level = previous_level;
			renewal = 1;
		} else {
			issued_on = first + (int)next((unsigned)(last - first));
			level = next(10) < 7 ? 1 : 2 + (int)next(4);
		}
		number(current, sizeof current, level, issued_on);
		printf("%s,CS,%d,%s,", current, level,
		    date_format(issued_on, buf));
		printf("%s,,合成组织%lld有限公司,%s,合成市合成路%lld号,%s\r\n",
		    date_format(status_valid_until(issued_on), buf), org, code,
		    org, renewal ? previous : "");
		memcpy(previous, current, sizeof previous);
		previous_issued = issued_on;
		previous_level = level;
		org_certs_left--;
		written++;
	}
	return ferror(stdout) ? 1 : 0;
}
