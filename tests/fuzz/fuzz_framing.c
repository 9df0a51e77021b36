/*
 * libFuzzer target for registry/http/framing.c: the input is a request
 * head as lines, the first the HTTP version ("1.1") and each other
 * "Name: value".  Whatever the lines, the check answers 0 or 400, and a
 * 400 always says what is wrong.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "registry/http/framing.h"

#define FIELDS_MAX 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_field fields[FIELDS_MAX];
	char *text = malloc(size + 1), *line, *next, *version;
	const char *detail = NULL;
	int count = 0, status;

	if (text == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	version = text;
	next = strchr(text, '\n');
	if (next != NULL)
		*next++ = '\0';
	for (line = next; line != NULL && count < FIELDS_MAX; line = next) {
		char *colon;
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		colon = strchr(line, ':');
		fields[count].name = line;
		fields[count].value = NULL;
		if (colon != NULL) {
			*colon = '\0';
			fields[count].value =
			    colon + 1 + strspn(colon + 1, " ");
		}
		count++;
	}
	status = http_framing_check(
	    fields, count, version[0] ? version : NULL, &detail);
	if (status != 0 && (status != 400 || detail == NULL || !detail[0]))
		abort();
	free(text);
	return 0;
}
