/*
 * libFuzzer target: the notes for readers that the changes page, the feed
 * and page histories show: the input as a commit message (history_note,
 * its 说明: lines) and as the content's notes.yaml (history_apply_notes,
 * against a history with no commits, so every entry is checked and
 * refused).
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
		abort(); /* a note is never empty, never longer than its message
		          */
	free(note);
	free(message);
	struct history h = {0};
	struct buf err = BUF_INIT;
	if (history_apply_notes(
	        &h, "notes.yaml", (const char *)data, size, &err) == 0 &&
	    err.len != 0)
		abort(); /* success says nothing */
	buf_free(&err);
	return 0;
}
