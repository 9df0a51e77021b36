/*
 * libFuzzer target: a commit message through history_note, which finds
 * the note for readers (说明: lines) that the changes page, the feed and
 * page histories show.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "site/history.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *message = mem_strndup((const char *)data, size);
	char *note = history_note(message);
	if (note != NULL && (note[0] == '\0' || strlen(note) > size))
		abort(); /* a note is never empty, never longer than its message */
	free(note);
	free(message);
	return 0;
}
