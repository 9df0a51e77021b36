/*
 * Signed notes and their keys (see note.h), with nettle's Ed25519 and
 * SHA-256.  Parsing is strict and linear in the note's length.
 */
#include "registry/log/note.h"

#include <nettle/eddsa.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <string.h>

#include "registry/log/base64.h"
#include "registry/rules/text.h"
#include "registry/log/why.h"

#define ALG_ED25519 0x01
#define SIG_PREFIX "\xe2\x80\x94 " /* U+2014 EM DASH, space */
#define SIG_PREFIX_LEN 4
#define SIG_BYTES_MAX (4 + 8192) /* room for any algorithm's signature */

/* The code point of the valid UTF-8 sequence at s (of `left` bytes) and
 * its length in *size. */
static unsigned
code_point(const unsigned char *s, size_t left, size_t *size)
{
	if (s[0] < 0x80 || left < 2) {
		*size = 1;
		return s[0];
	}
	if (s[0] < 0xE0) {
		*size = 2;
		return (unsigned)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
	}
	if (s[0] < 0xF0) {
		*size = 3;
		return (unsigned)(s[0] & 0x0F) << 12 |
		       (unsigned)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
	}
	*size = 4;
	return (unsigned)(s[0] & 0x07) << 18 | (unsigned)(s[1] & 0x3F) << 12 |
	       (unsigned)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
}

/* Unicode's White_Space characters, as Go's unicode.IsSpace has them. */
static int
is_space(unsigned cp)
{
	return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 ||
	       cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
	       cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
	       cp == 0x3000;
}

int
log_note_name_valid(const char *name, size_t len)
{
	const unsigned char *s = (const unsigned char *)name;
	size_t size;

	if (len == 0 || len > LOG_NOTE_NAME_MAX ||
	    !text_valid_utf8(name, len, NULL))
		return 0;
	for (size_t i = 0; i < len; i += size) {
		unsigned cp = code_point(s + i, len - i, &size);

		if (cp < 0x20 || cp == 0x7F || cp == '+' || is_space(cp))
			return 0;
	}
	return 1;
}

uint32_t
log_note_key_hash(const char *name, const uint8_t public_key[LOG_NOTE_KEY_SIZE])
{
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	static const uint8_t separator[2] = {'\n', ALG_ED25519};

	sha256_init(&ctx);
	sha256_update(&ctx, strlen(name), (const uint8_t *)name);
	sha256_update(&ctx, sizeof separator, separator);
	sha256_update(&ctx, LOG_NOTE_KEY_SIZE, public_key);
	sha256_digest(&ctx, sizeof digest, digest);
	return (uint32_t)digest[0] << 24 | (uint32_t)digest[1] << 16 |
	       (uint32_t)digest[2] << 8 | digest[3];
}

int
log_note_signer_from_seed(struct log_note_signer *out, const char *name,
    const uint8_t seed[LOG_NOTE_KEY_SIZE], char *why, size_t why_size)
{
	memset(out, 0, sizeof *out);
	if (!log_note_name_valid(name, strlen(name)))
		return log_why(why, why_size,
		    "'%s' cannot name a key: a key name is 1 to %d bytes of "
		    "UTF-8 without spaces, '+' or control characters",
		    name, LOG_NOTE_NAME_MAX);
	memcpy(out->name, name, strlen(name) + 1);
	memcpy(out->seed, seed, LOG_NOTE_KEY_SIZE);
	ed25519_sha512_public_key(out->public_key, out->seed);
	out->key_hash = log_note_key_hash(out->name, out->public_key);
	return 0;
}

void
log_note_signer_clear(struct log_note_signer *s)
{
	explicit_bzero(s, sizeof *s);
}

void
log_note_verifier_of(
    const struct log_note_signer *s, struct log_note_verifier *out)
{
	memset(out, 0, sizeof *out);
	memcpy(out->name, s->name, sizeof out->name);
	out->key_hash = s->key_hash;
	memcpy(out->public_key, s->public_key, LOG_NOTE_KEY_SIZE);
}

/* "name+hash+base64(0x01 || key)" */
static void
put_key(struct buf *out, const char *name, uint32_t hash,
    const uint8_t key[LOG_NOTE_KEY_SIZE])
{
	uint8_t encoded[1 + LOG_NOTE_KEY_SIZE];

	encoded[0] = ALG_ED25519;
	memcpy(encoded + 1, key, LOG_NOTE_KEY_SIZE);
	buf_printf(out, "%s+%08x+", name, (unsigned)hash);
	log_base64_put(out, encoded, sizeof encoded);
	explicit_bzero(encoded, sizeof encoded);
}

void
log_note_verifier_format(const struct log_note_verifier *v, struct buf *out)
{
	put_key(out, v->name, v->key_hash, v->public_key);
}

void
log_note_signer_format(const struct log_note_signer *s, struct buf *out)
{
	buf_puts(out, "PRIVATE+KEY+");
	put_key(out, s->name, s->key_hash, s->seed);
}

/* Exactly 8 hex digits. */
static int
parse_hash(const char *text, size_t len, uint32_t *out)
{
	uint32_t v = 0;

	if (len != 8)
		return -1;
	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		int d = c >= '0' && c <= '9'   ? c - '0'
		        : c >= 'a' && c <= 'f' ? c - 'a' + 10
		        : c >= 'A' && c <= 'F' ? c - 'A' + 10
		                               : -1;

		if (d < 0)
			return -1;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return 0;
}

/*
 * "name+hash+base64(0x01 || key)" into its parts: 0, or -1 with the
 * reason.  `what` names the key in messages.
 */
static int
parse_key(const char *text, size_t len, const char *what, char *name,
    uint32_t *hash, uint8_t key[LOG_NOTE_KEY_SIZE], char *why, size_t why_size)
{
	const char *plus1 = memchr(text, '+', len), *plus2;
	uint8_t decoded[1 + LOG_NOTE_KEY_SIZE];
	size_t name_len, decoded_len;

	if (plus1 == NULL || (plus2 = memchr(plus1 + 1, '+',
	                          len - (size_t)(plus1 + 1 - text))) == NULL)
		return log_why(
		    why, why_size, "a %s is name+hash+key, with two '+'", what);
	name_len = (size_t)(plus1 - text);
	if (!log_note_name_valid(text, name_len))
		return log_why(why, why_size,
		    "the %s's name is not a valid key name", what);
	if (parse_hash(plus1 + 1, (size_t)(plus2 - plus1 - 1), hash) != 0)
		return log_why(why, why_size,
		    "the %s's key hash is not 8 hex digits", what);
	if (log_base64_decode(plus2 + 1, len - (size_t)(plus2 + 1 - text),
	        decoded, sizeof decoded, &decoded_len) != 0 ||
	    decoded_len == 0)
		return log_why(why, why_size,
		    "the %s's key is not canonical base64 of at most %zu "
		    "bytes",
		    what, sizeof decoded);
	if (decoded[0] != ALG_ED25519)
		return log_why(why, why_size,
		    "the %s is of algorithm 0x%02x, not Ed25519 (0x01)", what,
		    decoded[0]);
	if (decoded_len != sizeof decoded)
		return log_why(why, why_size,
		    "the %s's Ed25519 key has %zu bytes, not %d", what,
		    decoded_len - 1, LOG_NOTE_KEY_SIZE);
	memcpy(name, text, name_len);
	name[name_len] = '\0';
	memcpy(key, decoded + 1, LOG_NOTE_KEY_SIZE);
	explicit_bzero(decoded, sizeof decoded);
	return 0;
}

int
log_note_verifier_parse(const char *text, size_t len,
    struct log_note_verifier *out, char *why, size_t why_size)
{
	memset(out, 0, sizeof *out);
	if (parse_key(text, len, "verifier key", out->name, &out->key_hash,
	        out->public_key, why, why_size) != 0)
		return -1;
	if (log_note_key_hash(out->name, out->public_key) != out->key_hash) {
		memset(out, 0, sizeof *out);
		return log_why(why, why_size,
		    "the verifier key's hash is not the hash of its name and "
		    "key");
	}
	return 0;
}

int
log_note_signer_parse(const char *text, size_t len, struct log_note_signer *out,
    char *why, size_t why_size)
{
	static const char prefix[] = "PRIVATE+KEY+";
	size_t prefix_len = sizeof prefix - 1;
	uint32_t hash;

	memset(out, 0, sizeof *out);
	if (len < prefix_len || memcmp(text, prefix, prefix_len) != 0)
		return log_why(
		    why, why_size, "a signer key begins with PRIVATE+KEY+");
	if (parse_key(text + prefix_len, len - prefix_len, "signer key",
	        out->name, &hash, out->seed, why, why_size) != 0) {
		log_note_signer_clear(out);
		return -1;
	}
	ed25519_sha512_public_key(out->public_key, out->seed);
	out->key_hash = log_note_key_hash(out->name, out->public_key);
	if (out->key_hash != hash) {
		log_note_signer_clear(out);
		return log_why(why, why_size,
		    "the signer key's hash is not the hash of its name and "
		    "public key");
	}
	return 0;
}

/* UTF-8 without control characters other than newline: 1 or 0, with
 * the offset of the first bad byte in *bad. */
static int
note_chars_ok(const char *text, size_t len, size_t *bad)
{
	if (!text_valid_utf8(text, len, bad))
		return 0;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)text[i] < 0x20 && text[i] != '\n') {
			*bad = i;
			return 0;
		}
	return 1;
}

int
log_note_sign(const char *text, size_t len, const struct log_note_signer *s,
    struct buf *out, char *why, size_t why_size)
{
	uint8_t sig[4 + LOG_NOTE_SIG_SIZE];
	size_t bad;

	if (len == 0 || text[len - 1] != '\n')
		return log_why(
		    why, why_size, "a note's text ends in a newline");
	if (!note_chars_ok(text, len, &bad))
		return log_why(why, why_size,
		    "at byte %zu: a note's text is UTF-8 without control "
		    "characters other than newline",
		    bad);
	sig[0] = (uint8_t)(s->key_hash >> 24);
	sig[1] = (uint8_t)(s->key_hash >> 16);
	sig[2] = (uint8_t)(s->key_hash >> 8);
	sig[3] = (uint8_t)s->key_hash;
	ed25519_sha512_sign(
	    s->public_key, s->seed, len, (const uint8_t *)text, sig + 4);
	buf_put(out, text, len);
	buf_puts(out, "\n" SIG_PREFIX);
	buf_puts(out, s->name);
	buf_putc(out, ' ');
	log_base64_put(out, sig, sizeof sig);
	buf_putc(out, '\n');
	return 0;
}

/* The given key of this name and hash, or NULL. */
static const struct log_note_verifier *
find_key(const struct log_note_verifier *keys, size_t count, const char *name,
    size_t name_len, uint32_t hash)
{
	for (size_t i = 0; i < count; i++)
		if (keys[i].key_hash == hash &&
		    strlen(keys[i].name) == name_len &&
		    memcmp(keys[i].name, name, name_len) == 0)
			return &keys[i];
	return NULL;
}

enum log_note_result
log_note_open(const char *msg, size_t len, const struct log_note_verifier *keys,
    size_t count, struct log_note *out, char *why, size_t why_size)
{
	uint8_t sig[SIG_BYTES_MAX];
	const char *line, *end = msg + len;
	size_t split, bad;

	memset(out, 0, sizeof *out);
	if (!note_chars_ok(msg, len, &bad)) {
		log_why(why, why_size,
		    "at byte %zu: a note is UTF-8 without control characters "
		    "other than newline",
		    bad);
		return LOG_NOTE_MALFORMED;
	}
	/* The text ends at the last blank line. */
	for (split = len; split >= 2; split--)
		if (msg[split - 1] == '\n' && msg[split - 2] == '\n')
			break;
	if (split < 2 || split == len || msg[len - 1] != '\n') {
		log_why(why, why_size,
		    "a note is its text, a blank line and signature lines "
		    "ending in a newline");
		return LOG_NOTE_MALFORMED;
	}
	out->text = msg;
	out->text_len = split - 1;
	for (line = msg + split; line < end;) {
		const char *eol = memchr(line, '\n', (size_t)(end - line));
		const char *name = line + SIG_PREFIX_LEN, *space;
		const struct log_note_verifier *key;
		size_t name_len, sig_len;
		uint32_t hash;

		if (++out->signatures > LOG_NOTE_SIGNATURES_MAX) {
			log_why(why, why_size,
			    "a note has at most %d signatures",
			    LOG_NOTE_SIGNATURES_MAX);
			return LOG_NOTE_MALFORMED;
		}
		if (eol - line < SIG_PREFIX_LEN ||
		    memcmp(line, SIG_PREFIX, SIG_PREFIX_LEN) != 0 ||
		    (space = memchr(name, ' ', (size_t)(eol - name))) == NULL ||
		    !log_note_name_valid(name, (size_t)(space - name)) ||
		    log_base64_decode(space + 1, (size_t)(eol - space - 1), sig,
		        sizeof sig, &sig_len) != 0 ||
		    sig_len < 5) {
			log_why(why, why_size,
			    "signature line %zu is not \"— name signature\"",
			    out->signatures);
			return LOG_NOTE_MALFORMED;
		}
		name_len = (size_t)(space - name);
		hash = (uint32_t)sig[0] << 24 | (uint32_t)sig[1] << 16 |
		       (uint32_t)sig[2] << 8 | sig[3];
		line = eol + 1;
		if ((key = find_key(keys, count, name, name_len, hash)) == NULL)
			continue; /* another key's: ignored */
		if (sig_len != 4 + LOG_NOTE_SIG_SIZE ||
		    !ed25519_sha512_verify(key->public_key, out->text_len,
		        (const uint8_t *)out->text, sig + 4)) {
			log_why(why, why_size,
			    "the signature of key %s+%08x does not verify",
			    key->name, (unsigned)key->key_hash);
			return LOG_NOTE_BAD_SIGNATURE;
		}
		if (out->verified++ == 0)
			out->key_hash = hash;
	}
	if (out->verified == 0) {
		if (count == 1)
			log_why(why, why_size,
			    "no signature is by the key %s+%08x (the note has "
			    "%zu of other keys)",
			    keys[0].name, (unsigned)keys[0].key_hash,
			    out->signatures);
		else
			log_why(why, why_size,
			    "no signature is by a key given (the note has %zu "
			    "of other keys)",
			    out->signatures);
		return LOG_NOTE_UNVERIFIED;
	}
	return LOG_NOTE_VERIFIED;
}
