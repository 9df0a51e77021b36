/*
 * The GB 32100-2015 check character.  Each of the first 17 characters has
 * a value (its position in the character set) and a weight (3^i mod 31);
 * the check character is the one whose value is 31 - (sum mod 31), with 31
 * written as '0'.
 */
#include "registry/rules/creditcode.h"

#include <stdio.h>
#include <string.h>

static const char CHARSET[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int WEIGHTS[17] = {
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

static int
char_value(char c)
{
	const char *p;

	if (c == '\0')
		return -1;
	p = strchr(CHARSET, c);
	return p == NULL ? -1 : (int)(p - CHARSET);
}

char
creditcode_check_char(const char *code)
{
	int sum = 0;

	for (int i = 0; i < 17; i++) {
		int v = char_value(code[i]);
		if (v < 0)
			return '\0';
		sum += v * WEIGHTS[i];
	}
	return CHARSET[(31 - sum % 31) % 31];
}

int
creditcode_check(const char *code, char *why, size_t why_size)
{
	size_t len = strlen(code);
	char expected;

	if (len != CREDITCODE_LENGTH) {
		snprintf(why, why_size,
		    "a credit code has 18 characters, not %zu", len);
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		if (char_value(code[i]) < 0) {
			if ((unsigned char)code[i] < 0x20 ||
			    (unsigned char)code[i] >= 0x7f)
				snprintf(why, why_size,
				    "character %zu is not allowed (only "
				    "0-9 and A-Y without I, O, S, V)",
				    i + 1);
			else
				snprintf(why, why_size,
				    "character %zu '%c' is not allowed (only "
				    "0-9 and A-Y without I, O, S, V)",
				    i + 1, code[i]);
			return -1;
		}
	}
	expected = creditcode_check_char(code);
	if (code[17] != expected) {
		snprintf(why, why_size,
		    "check character is '%c', expected '%c'", code[17],
		    expected);
		return -1;
	}
	return 0;
}
