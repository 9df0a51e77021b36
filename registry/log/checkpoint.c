/*
 * Checkpoints: their note text, written and parsed (see checkpoint.h).
 */
#include "registry/log/checkpoint.h"

#include <stdio.h>
#include <string.h>

#include "registry/log/base64.h"
#include "registry/rules/date.h"
#include "registry/log/why.h"

#define SNAPSHOT_PREFIX "snapshot "
#define SHA256_PREFIX "sha256:"

/* 64 lower-case hex digits. */
static int
sha256_hex_ok(const char *hex, size_t len)
{
	if (len != LOG_SHA256_HEX - 1)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!((hex[i] >= '0' && hex[i] <= '9') ||
		        (hex[i] >= 'a' && hex[i] <= 'f')))
			return 0;
	return 1;
}

int
log_checkpoint_format(
    const struct log_checkpoint *c, struct buf *out, char *why, size_t why_size)
{
	char date[DATE_BUFSIZE];
	int parsed;

	if (!log_note_name_valid(c->origin, strlen(c->origin)))
		return log_why(why, why_size,
		    "checkpoint: the origin '%s' is not a valid key name",
		    c->origin);
	if (c->size >= LOG_SIZE_LIMIT)
		return log_why(
		    why, why_size, "checkpoint: the size is too large");
	date_format(c->snapshot_date, date);
	if (c->snapshot_date == DATE_NONE || date_parse(date, &parsed) != 0)
		return log_why(why, why_size, "checkpoint: no snapshot date");
	if (!sha256_hex_ok(c->snapshot_sha256, strlen(c->snapshot_sha256)))
		return log_why(why, why_size,
		    "checkpoint: the snapshot digest is not 64 lower-case "
		    "hex digits");
	buf_printf(out, "%s\n%llu\n", c->origin, (unsigned long long)c->size);
	log_base64_put(out, c->root, LOG_HASH_SIZE);
	buf_printf(out, "\n" SNAPSHOT_PREFIX "%s " SHA256_PREFIX "%s\n", date,
	    c->snapshot_sha256);
	return 0;
}

/* A canonical decimal below 2^63: "0", or digits not starting with 0. */
static int
parse_size(const char *text, size_t len, uint64_t *out)
{
	uint64_t v = 0;

	if (len == 0 || len > 19 || (text[0] == '0' && len > 1))
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (text[i] < '0' || text[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(text[i] - '0');
	}
	if (v >= LOG_SIZE_LIMIT)
		return -1;
	*out = v;
	return 0;
}

/* "snapshot YYYY-MM-DD sha256:<hex>" */
static int
parse_snapshot(const char *line, size_t len, struct log_checkpoint *out)
{
	size_t prefix = sizeof SNAPSHOT_PREFIX - 1,
	       sha_prefix = sizeof SHA256_PREFIX - 1;
	const char *date = line + prefix, *digest;
	char copy[DATE_BUFSIZE];

	if (len != prefix + (DATE_BUFSIZE - 1) + 1 + sha_prefix +
	               (LOG_SHA256_HEX - 1) ||
	    memcmp(line, SNAPSHOT_PREFIX, prefix) != 0)
		return -1;
	memcpy(copy, date, DATE_BUFSIZE - 1);
	copy[DATE_BUFSIZE - 1] = '\0';
	digest = date + DATE_BUFSIZE;
	if (date_parse(copy, &out->snapshot_date) != 0 ||
	    date[DATE_BUFSIZE - 1] != ' ' ||
	    memcmp(digest, SHA256_PREFIX, sha_prefix) != 0 ||
	    !sha256_hex_ok(digest + sha_prefix, LOG_SHA256_HEX - 1))
		return -1;
	memcpy(out->snapshot_sha256, digest + sha_prefix, LOG_SHA256_HEX - 1);
	out->snapshot_sha256[LOG_SHA256_HEX - 1] = '\0';
	return 0;
}

int
log_checkpoint_parse(const char *text, size_t len, struct log_checkpoint *out,
    char *why, size_t why_size)
{
	const char *line = text, *end = text + len;
	size_t root_len;
	int n = 0;

	memset(out, 0, sizeof *out);
	if (len == 0 || text[len - 1] != '\n')
		return log_why(why, why_size,
		    "checkpoint: the text does not end in a newline");
	for (; line < end; n++) {
		const char *eol = memchr(line, '\n', (size_t)(end - line));
		size_t line_len = (size_t)(eol - line);

		if (line_len == 0)
			return log_why(why, why_size,
			    "checkpoint: line %d is empty", n + 1);
		switch (n) {
		case 0:
			if (!log_note_name_valid(line, line_len))
				return log_why(why, why_size,
				    "checkpoint: line 1: the origin is not a "
				    "valid key name");
			memcpy(out->origin, line, line_len);
			out->origin[line_len] = '\0';
			break;
		case 1:
			if (parse_size(line, line_len, &out->size) != 0)
				return log_why(why, why_size,
				    "checkpoint: line 2: the tree size is not "
				    "a decimal number below 2^63 without "
				    "leading zeros");
			break;
		case 2:
			if (log_base64_decode(line, line_len, out->root,
			        LOG_HASH_SIZE, &root_len) != 0 ||
			    root_len != LOG_HASH_SIZE)
				return log_why(why, why_size,
				    "checkpoint: line 3: the root hash is not "
				    "the base64 of 32 bytes");
			break;
		case 3:
			if (parse_snapshot(line, line_len, out) != 0)
				return log_why(why, why_size,
				    "checkpoint: line 4 is not \"snapshot "
				    "YYYY-MM-DD sha256:<64 hex digits>\"");
			break;
		default:
			return log_why(why, why_size,
			    "checkpoint: line %d: this log's checkpoints have "
			    "one extension line, the snapshot line",
			    n + 1);
		}
		line = eol + 1;
	}
	if (n < 4)
		return log_why(why, why_size,
		    "checkpoint: %d lines; a checkpoint of this log has 4 "
		    "(origin, size, root, snapshot)",
		    n);
	return 0;
}

int
log_checkpoint_sign(const struct log_checkpoint *c,
    const struct log_note_signer *signer, struct buf *out, char *why,
    size_t why_size)
{
	struct buf text = BUF_INIT;
	int rc = -1;

	if (strcmp(signer->name, c->origin) != 0) {
		log_why(why, why_size,
		    "checkpoint: the key is named '%s', the log's origin is "
		    "'%s': they must be the same",
		    signer->name, c->origin);
		goto done;
	}
	if (log_checkpoint_format(c, &text, why, why_size) != 0 ||
	    log_note_sign(text.data, text.len, signer, out, why, why_size) != 0)
		goto done;
	rc = 0;
done:
	buf_free(&text);
	return rc;
}

enum log_note_result
log_checkpoint_open(const char *note, size_t len,
    const struct log_note_verifier *key, struct log_checkpoint *out, char *why,
    size_t why_size)
{
	struct log_note opened;
	enum log_note_result result;

	memset(out, 0, sizeof *out);
	result = log_note_open(note, len, key, 1, &opened, why, why_size);
	if (result != LOG_NOTE_VERIFIED)
		return result;
	if (log_checkpoint_parse(
	        opened.text, opened.text_len, out, why, why_size) != 0)
		return LOG_NOTE_MALFORMED;
	return LOG_NOTE_VERIFIED;
}
