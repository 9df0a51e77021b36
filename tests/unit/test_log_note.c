/*
 * Unit tests of base64 (registry/log/base64), Ed25519 as linked, signed
 * notes (note), checkpoints (checkpoint) and key files (key).
 *
 * Sources of the known answers:
 *
 *  - base64: RFC 4648 section 10 ("", "f" ... "foobar").
 *  - Ed25519: RFC 8032 section 7.1, TEST 1 (empty message), TEST 2
 *    (0x72) and TEST 3 (0xaf82): secret key, public key, signature.
 *  - Signed notes: golang.org/x/mod/sumdb/note, note_test.go: the keys
 *    PeterNeumann+c74f20a3 (verifier and signer) and EnochRoot+af0cfe78,
 *    the text "If you think cryptography is the answer to your
 *    problem, ...", its signed form (TestSign), the two signature lines
 *    and the malformed notes of TestOpen, the manglings of keys of
 *    TestNewVerifier and TestNewSigner.
 *  - The example notes of c2sp.org/signed-note (quasimodo.example/
 *    salvatore) and c2sp.org/tlog-checkpoint (example.com/
 *    behind-the-sofa, size 20852163), as well-formed notes whose keys we
 *    do not have.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <nettle/eddsa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "registry/log/base64.h"
#include "registry/log/checkpoint.h"
#include "registry/log/key.h"
#include "registry/log/note.h"
#include "registry/rules/date.h"
#include "tests/unit/rows.h"
#include "tests/unit/test_log.h"

/* ---- base64 ---- */

struct base64_row {
	const char *bytes, *text;
};

static const struct base64_row BASE64_ROWS[] = {
    {"", ""},
    {"f", "Zg=="},
    {"fo", "Zm8="},
    {"foo", "Zm9v"},
    {"foob", "Zm9vYg=="},
    {"fooba", "Zm9vYmE="},
    {"foobar", "Zm9vYmFy"},
};

static void
test_base64_row(void **state)
{
	const struct base64_row *row = *state;
	struct buf b = BUF_INIT;
	uint8_t out[16];
	size_t len;

	log_base64_put(&b, row->bytes, strlen(row->bytes));
	assert_string_equal(buf_str(&b), row->text);
	assert_int_equal(log_base64_decode(row->text, strlen(row->text), out,
	                     sizeof out, &len),
	    0);
	assert_int_equal(len, strlen(row->bytes));
	assert_memory_equal(out, row->bytes, len);
	buf_free(&b);
}

struct bad_base64_row {
	const char *what, *text;
};

static const struct bad_base64_row BAD_BASE64_ROWS[] = {
    {"a length not a multiple of 4", "Zg="},
    {"unused bits set", "Zh=="},
    {"unused bits set, one pad", "Zm9="},
    {"three pads", "Z==="},
    {"a pad in the middle", "Zg==Zm9v"},
    {"a character after a pad", "Zg=v"},
    {"a newline", "Zm9v\nZm9v"},
    {"a space", "Zm 9"},
    {"the URL alphabet", "-_8="},
};

static void
test_bad_base64_row(void **state)
{
	const struct bad_base64_row *row = *state;
	uint8_t out[16];
	size_t len;

	assert_int_equal(log_base64_decode(row->text, strlen(row->text), out,
	                     sizeof out, &len),
	    -1);
}

static void
test_base64_refuses_more_than_room(void **state)
{
	uint8_t out[2];
	size_t len;

	(void)state;
	assert_int_equal(
	    log_base64_decode("Zm9v", 4, out, sizeof out, &len), -1);
	assert_int_equal(
	    log_base64_decode("Zm8=", 4, out, sizeof out, &len), 0);
}

/* ---- Ed25519, RFC 8032 section 7.1 ---- */

struct ed25519_row {
	const char *test, *secret, *public, *message, *signature;
};

static const struct ed25519_row ED25519_ROWS[] = {
    {"TEST 1",
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
        "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
    {"TEST 2",
        "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
        "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
        "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
        "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"TEST 3",
        "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
        "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
        "af82",
        "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
        "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
};

static void
test_ed25519_row(void **state)
{
	const struct ed25519_row *row = *state;
	uint8_t secret[32], public[32], message[2], signature[64], got[64];
	struct log_note_signer signer;
	size_t len = test_log_unhex(row->message, message, sizeof message);

	test_log_unhex(row->secret, secret, sizeof secret);
	test_log_unhex(row->public, public, sizeof public);
	test_log_unhex(row->signature, signature, sizeof signature);
	/* The public key as a signer derives it. */
	assert_int_equal(
	    log_note_signer_from_seed(&signer, "rfc8032", secret, NULL, 0), 0);
	assert_memory_equal(signer.public_key, public, 32);
	ed25519_sha512_sign(public, secret, len, message, got);
	assert_memory_equal(got, signature, 64);
	assert_true(ed25519_sha512_verify(public, len, message, signature));
	signature[10] ^= 1;
	assert_false(ed25519_sha512_verify(public, len, message, signature));
	log_note_signer_clear(&signer);
}

/* ---- signed notes: golang.org/x/mod/sumdb/note ---- */

static const char PETER_VKEY[] =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
static const char PETER_SKEY[] = "PRIVATE+KEY+PeterNeumann+c74f20a3+"
                                 "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
static const char ENOCH_VKEY[] =
    "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
static const char TEXT[] =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
static const char PETER_SIG[] =
    "\xe2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqd"
    "ngotpRZb6KE6RyyBwJnAM=\n";
static const char ENOCH_SIG[] =
    "\xe2\x80\x94 EnochRoot "
    "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oO"
    "TGwnWLox33WWd1RvMc+QQ=\n";

static struct log_note_verifier
verifier(const char *text)
{
	struct log_note_verifier v;
	char why[256];

	assert_int_equal(
	    log_note_verifier_parse(text, strlen(text), &v, why, sizeof why),
	    0);
	return v;
}

/* TEXT, a blank line and the signature lines given, joined. */
static char *
note_of(const char *sigs)
{
	return mem_printf("%s\n%s", TEXT, sigs);
}

static void
test_note_keys_parse_and_format(void **state)
{
	struct log_note_verifier v = verifier(PETER_VKEY), of;
	struct log_note_signer s;
	struct buf b = BUF_INIT;
	char why[256];

	(void)state;
	assert_string_equal(v.name, "PeterNeumann");
	assert_int_equal(v.key_hash, 0xc74f20a3);
	assert_int_equal(log_note_signer_parse(PETER_SKEY, strlen(PETER_SKEY),
	                     &s, why, sizeof why),
	    0);
	assert_int_equal(s.key_hash, 0xc74f20a3);
	log_note_verifier_of(&s, &of);
	log_note_verifier_format(&of, &b);
	assert_string_equal(buf_str(&b), PETER_VKEY);
	buf_reset(&b);
	log_note_signer_format(&s, &b);
	assert_string_equal(buf_str(&b), PETER_SKEY);
	log_note_signer_clear(&s);
	buf_free(&b);
}

/* TestNewVerifier, TestNewSigner: every substring and every byte + 1 of
 * a key is refused. */
struct mangle_row {
	const char *key;
	int signer;
};

static const struct mangle_row MANGLE_ROWS[] = {
    {PETER_VKEY, 0},
    {PETER_SKEY, 1},
};

static int
key_parses(const char *text, size_t len, int signer)
{
	struct log_note_verifier v;
	struct log_note_signer s;
	char why[256];
	int rc = signer
	             ? log_note_signer_parse(text, len, &s, why, sizeof why)
	             : log_note_verifier_parse(text, len, &v, why, sizeof why);

	return rc == 0;
}

static void
test_mangle_row(void **state)
{
	const struct mangle_row *row = *state;
	size_t n = strlen(row->key);
	char *b = mem_strdup(row->key);

	assert_true(key_parses(b, n, row->signer));
	for (size_t i = 0; i <= n; i++)
		for (size_t j = i + 1; j <= n; j++)
			if (i != 0 || j != n)
				assert_false(
				    key_parses(b + i, j - i, row->signer));
	for (size_t i = 0; i < n; i++) {
		b[i]++;
		assert_false(key_parses(b, n, row->signer));
		b[i]--;
	}
	free(b);
}

struct bad_key_row {
	const char *what, *key, *why;
};

static const struct bad_key_row BAD_KEY_ROWS[] = {
    {"a key of the wrong length, hash adjusted",
        "PeterNeumann+cc469956+"
        "ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
        "the verifier key's key is not canonical base64 of at most 33 "
        "bytes"},
    {"an unknown algorithm, hash adjusted",
        "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "the verifier key is of algorithm 0x65, not Ed25519 (0x01)"},
    {"a name with a space", "Peter Neumann+c74f20a3+AA==",
        "the verifier key's name is not a valid key name"},
    {"a name with an ideographic space",
        "Peter\xe3\x80\x80Neumann+c74f20a3+AA==",
        "the verifier key's name is not a valid key name"},
    {"no key hash", "PeterNeumann+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq",
        "a verifier key is name+hash+key, with two '+'"},
    {"a wrong key hash",
        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "the verifier key's hash is not the hash of its name and key"},
};

static void
test_bad_key_row(void **state)
{
	const struct bad_key_row *row = *state;
	struct log_note_verifier v;
	char why[256];

	assert_int_equal(log_note_verifier_parse(
	                     row->key, strlen(row->key), &v, why, sizeof why),
	    -1);
	assert_string_equal(why, row->why);
}

/* TestSign: the signed note is byte for byte Go's. */
static void
test_note_sign_as_go_does(void **state)
{
	struct log_note_signer s;
	struct buf b = BUF_INIT;
	char *want = note_of(PETER_SIG), why[256];

	(void)state;
	assert_int_equal(log_note_signer_parse(PETER_SKEY, strlen(PETER_SKEY),
	                     &s, why, sizeof why),
	    0);
	assert_int_equal(
	    log_note_sign(TEXT, strlen(TEXT), &s, &b, why, sizeof why), 0);
	assert_string_equal(buf_str(&b), want);
	buf_reset(&b);
	assert_int_equal(log_note_sign("abc", 3, &s, &b, why, sizeof why), -1);
	assert_string_equal(why, "a note's text ends in a newline");
	assert_int_equal(
	    log_note_sign("a\tb\n", 4, &s, &b, why, sizeof why), -1);
	log_note_signer_clear(&s);
	buf_free(&b);
	free(want);
}

/* TestOpen's notes: which open, with which keys. */
struct open_row {
	const char *what;
	const char *sigs; /* after TEXT and the blank line */
	int peter, enoch; /* keys given */
	enum log_note_result want;
	size_t signatures, verified;
};

static const struct open_row OPEN_ROWS[] = {
    {"one signature verified, one of another key", NULL, 1, 0,
        LOG_NOTE_VERIFIED, 2, 1},
    {"both verified", NULL, 1, 1, LOG_NOTE_VERIFIED, 2, 2},
    {"no key given", NULL, 0, 0, LOG_NOTE_UNVERIFIED, 2, 0},
    {"only the other key's signature, with its key", "E", 0, 1,
        LOG_NOTE_VERIFIED, 1, 1},
    {"repeated signatures", "PPEE", 1, 0, LOG_NOTE_VERIFIED, 4, 2},
    {"an invalid signature of a known key", "X", 1, 0, LOG_NOTE_BAD_SIGNATURE,
        1, 0},
    {"an invalid signature of an unknown key", "X", 0, 1, LOG_NOTE_UNVERIFIED,
        1, 0},
};

/* P: Peter's line, E: Enoch's, X: Peter's with ABCD inserted at byte
 * 60 (Go's peterSig[:60]+"ABCD"+peterSig[60:]). */
static char *
sig_lines(const char *code)
{
	struct buf b = BUF_INIT;

	for (const char *c = code; *c; c++)
		if (*c == 'P')
			buf_puts(&b, PETER_SIG);
		else if (*c == 'E')
			buf_puts(&b, ENOCH_SIG);
		else {
			buf_put(&b, PETER_SIG, 60);
			buf_puts(&b, "ABCD");
			buf_puts(&b, PETER_SIG + 60);
		}
	return buf_detach(&b);
}

static void
test_open_row(void **state)
{
	const struct open_row *row = *state;
	struct log_note_verifier keys[2];
	size_t count = 0;
	char *sigs = sig_lines(row->sigs ? row->sigs : "PE");
	char *msg = note_of(sigs), why[256];
	struct log_note note;

	if (row->peter)
		keys[count++] = verifier(PETER_VKEY);
	if (row->enoch)
		keys[count++] = verifier(ENOCH_VKEY);
	assert_int_equal(log_note_open(msg, strlen(msg), keys, count, &note,
	                     why, sizeof why),
	    row->want);
	assert_int_equal(note.signatures, row->signatures);
	assert_int_equal(note.verified, row->verified);
	assert_int_equal(note.text_len, strlen(TEXT));
	assert_memory_equal(note.text, TEXT, note.text_len);
	free(msg);
	free(sigs);
}

struct malformed_row {
	const char *what;
	int kind;
};

static const struct malformed_row MALFORMED_ROWS[] = {
    {"the text alone", 0},
    {"the text and a blank line", 1},
    {"no newline after the signature", 2},
    {"a control character", 3},
    {"a byte that is not UTF-8", 4},
    {"a name with a space", 5},
    {"a line after the signatures", 6},
    {"101 signatures", 7},
};

static void
test_malformed_row(void **state)
{
	const struct malformed_row *row = *state;
	struct log_note_verifier peter = verifier(PETER_VKEY);
	struct log_note note;
	struct buf b = BUF_INIT;
	char why[256];

	switch (row->kind) {
	case 0:
		buf_puts(&b, TEXT);
		break;
	case 1:
		buf_printf(&b, "%s\n", TEXT);
		break;
	case 2:
		buf_printf(&b, "%s\n", TEXT);
		buf_put(&b, PETER_SIG, strlen(PETER_SIG) - 1);
		break;
	case 3:
		buf_printf(&b, "\x01%s\n%s", TEXT, PETER_SIG);
		break;
	case 4:
		buf_printf(&b, "\xff%s\n%s", TEXT, PETER_SIG);
		break;
	case 5:
		buf_printf(&b, "%s\n\xe2\x80\x94 Bad Name %s", TEXT,
		    PETER_SIG + strlen("\xe2\x80\x94 PeterNeumann "));
		break;
	case 6:
		buf_printf(&b, "%s\n%sUnexpected line.\n", TEXT, PETER_SIG);
		break;
	case 7:
		buf_printf(&b, "%s\n", TEXT);
		for (int i = 0; i < 101; i++)
			buf_puts(&b, PETER_SIG);
		break;
	}
	assert_int_equal(
	    log_note_open(b.data, b.len, &peter, 1, &note, why, sizeof why),
	    LOG_NOTE_MALFORMED);
	buf_free(&b);
}

/* The examples of the C2SP documents are well-formed notes. */
static void
test_c2sp_examples_are_well_formed(void **state)
{
	static const char signed_note[] =
	    "Ognuno sta solo sul cuor della terra\n"
	    "trafitto da un raggio di sole:\n\n"
	    "ed \xc3\xa8 subito sera.\n\n"
	    "\xe2\x80\x94 quasimodo.example/salvatore "
	    "NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0"
	    "xMcXxj99ihAQwaqP3ZekRwNtIc=\n";
	static const char checkpoint[] =
	    "example.com/behind-the-sofa\n20852163\n"
	    "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n"
	    "\xe2\x80\x94 example.com/behind-the-sofa "
	    "Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1g"
	    "GzGku9nTo+zyWE+xeMcTOAYQ8=\n";
	struct log_note note;
	struct log_checkpoint cp;
	struct buf text = BUF_INIT;
	char why[256];

	(void)state;
	assert_int_equal(log_note_open(signed_note, strlen(signed_note), NULL,
	                     0, &note, why, sizeof why),
	    LOG_NOTE_UNVERIFIED);
	/* The text ends at the last blank line, so it holds the first. */
	assert_int_equal(
	    note.text_len, strlen(signed_note) -
	                       strlen(strstr(signed_note, "\n\xe2\x80\x94")));
	assert_int_equal(log_note_open(checkpoint, strlen(checkpoint), NULL, 0,
	                     &note, why, sizeof why),
	    LOG_NOTE_UNVERIFIED);
	/* Ours always bind a snapshot: without its line, refused. */
	assert_int_equal(log_checkpoint_parse(
	                     note.text, note.text_len, &cp, why, sizeof why),
	    -1);
	assert_string_equal(why, "checkpoint: 3 lines; a checkpoint of this "
	                         "log has 4 (origin, size, root, snapshot)");
	buf_put(&text, note.text, note.text_len);
	buf_puts(&text,
	    "snapshot 2026-01-01 sha256:"
	    "dc328b6b0e906d95908c39ce885c86e47ba3b2708cd874623b9c806d"
	    "4e53c39e\n");
	assert_int_equal(
	    log_checkpoint_parse(text.data, text.len, &cp, why, sizeof why), 0);
	assert_string_equal(cp.origin, "example.com/behind-the-sofa");
	assert_int_equal(cp.size, 20852163);
	assert_int_equal(cp.root[0], 0x0a);
	assert_int_equal(cp.root[31], 0x62);
	buf_free(&text);
}

/* ---- checkpoints ---- */

static const char SHA[] =
    "dc328b6b0e906d95908c39ce885c86e47ba3b2708cd874623b9c806d4e53c39e";
static const char CHECKPOINT_TEXT[] =
    "registry.example.org/log\n"
    "841\n"
    "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n"
    "snapshot 2026-01-01 "
    "sha256:dc328b6b0e906d95908c39ce885c86e47ba3b2708cd874623b9c806d4e53c39e\n";

static struct log_checkpoint
example_checkpoint(void)
{
	struct log_checkpoint c = {.size = 841};

	snprintf(c.origin, sizeof c.origin, "registry.example.org/log");
	/* The root of RFC 6962's example tree of 8. */
	test_log_unhex(
	    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
	    c.root, sizeof c.root);
	date_parse("2026-01-01", &c.snapshot_date);
	snprintf(c.snapshot_sha256, sizeof c.snapshot_sha256, "%s", SHA);
	return c;
}

static void
test_checkpoint_text_and_back(void **state)
{
	struct log_checkpoint c = example_checkpoint(), back;
	struct buf b = BUF_INIT;
	char why[256];

	(void)state;
	assert_int_equal(log_checkpoint_format(&c, &b, why, sizeof why), 0);
	assert_string_equal(buf_str(&b), CHECKPOINT_TEXT);
	assert_int_equal(
	    log_checkpoint_parse(b.data, b.len, &back, why, sizeof why), 0);
	assert_memory_equal(&back, &c, sizeof c);
	buf_free(&b);
}

struct bad_checkpoint_row {
	const char *what, *text, *why;
};

#define CP_ROOT "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n"
#define CP_SNAP "snapshot 2026-01-01 sha256:" SHA_TEXT "\n"
#define SHA_TEXT                                                               \
	"dc328b6b0e906d95908c39ce885c86e47ba3b2708cd874623b9c806d4e53c39e"

static const struct bad_checkpoint_row BAD_CHECKPOINT_ROWS[] = {
    {"no final newline", "o\n1\n" CP_ROOT "snapshot",
        "checkpoint: the text does not end in a newline"},
    {"an origin with a space", "o o\n1\n" CP_ROOT CP_SNAP,
        "checkpoint: line 1: the origin is not a valid key name"},
    {"a leading zero", "o\n0841\n" CP_ROOT CP_SNAP,
        "checkpoint: line 2: the tree size is not a decimal number below "
        "2^63 without leading zeros"},
    {"a size of 2^63", "o\n9223372036854775808\n" CP_ROOT CP_SNAP,
        "checkpoint: line 2: the tree size is not a decimal number below "
        "2^63 without leading zeros"},
    {"a signed size", "o\n+1\n" CP_ROOT CP_SNAP,
        "checkpoint: line 2: the tree size is not a decimal number below "
        "2^63 without leading zeros"},
    {"a root of 31 bytes",
        "o\n1\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQw==\n" CP_SNAP,
        "checkpoint: line 3: the root hash is not the base64 of 32 bytes"},
    {"an empty line", "o\n1\n" CP_ROOT "\n" CP_SNAP,
        "checkpoint: line 4 is empty"},
    {"no snapshot line", "o\n1\n" CP_ROOT,
        "checkpoint: 3 lines; a checkpoint of this log has 4 (origin, "
        "size, root, snapshot)"},
    {"a date that does not exist",
        "o\n1\n" CP_ROOT "snapshot 2026-02-29 sha256:" SHA_TEXT "\n",
        "checkpoint: line 4 is not \"snapshot YYYY-MM-DD sha256:<64 hex "
        "digits>\""},
    {"an upper-case digest",
        "o\n1\n" CP_ROOT "snapshot 2026-01-01 sha256:"
        "DC328B6B0E906D95908C39CE885C86E47BA3B2708CD874623B9C806D4E53C39E\n",
        "checkpoint: line 4 is not \"snapshot YYYY-MM-DD sha256:<64 hex "
        "digits>\""},
    {"another extension line", "o\n1\n" CP_ROOT CP_SNAP "more\n",
        "checkpoint: line 5: this log's checkpoints have one extension "
        "line, the snapshot line"},
};

static void
test_bad_checkpoint_row(void **state)
{
	const struct bad_checkpoint_row *row = *state;
	struct log_checkpoint c;
	char why[256];

	assert_int_equal(log_checkpoint_parse(
	                     row->text, strlen(row->text), &c, why, sizeof why),
	    -1);
	assert_string_equal(why, row->why);
}

static void
test_checkpoint_signed_and_opened(void **state)
{
	struct log_checkpoint c = example_checkpoint(), opened;
	struct log_note_signer log, other;
	struct log_note_verifier key, other_key;
	struct buf note = BUF_INIT;
	uint8_t seed[32] = {1}, seed2[32] = {2};
	char why[256];

	(void)state;
	log_note_signer_from_seed(
	    &log, "registry.example.org/log", seed, NULL, 0);
	log_note_signer_from_seed(
	    &other, "elsewhere.example/log", seed2, NULL, 0);
	log_note_verifier_of(&log, &key);
	log_note_verifier_of(&other, &other_key);
	assert_int_equal(
	    log_checkpoint_sign(&c, &log, &note, why, sizeof why), 0);
	assert_memory_equal(
	    note.data, CHECKPOINT_TEXT, strlen(CHECKPOINT_TEXT));
	assert_int_equal(log_checkpoint_open(note.data, note.len, &key, &opened,
	                     why, sizeof why),
	    LOG_NOTE_VERIFIED);
	assert_int_equal(opened.size, 841);
	assert_int_equal(log_checkpoint_open(note.data, note.len, &other_key,
	                     &opened, why, sizeof why),
	    LOG_NOTE_UNVERIFIED);
	buf_reset(&note);
	assert_int_equal(
	    log_checkpoint_sign(&c, &other, &note, why, sizeof why), -1);
	assert_string_equal(why, "checkpoint: the key is named "
	                         "'elsewhere.example/log', the log's origin "
	                         "is 'registry.example.org/log': they must be "
	                         "the same");
	log_note_signer_clear(&log);
	log_note_signer_clear(&other);
	buf_free(&note);
}

/* ---- key files ---- */

static char *
temp_dir(void)
{
	const char *tmp = getenv("TMPDIR");
	char *dir =
	    mem_printf("%s/test_log.XXXXXX", tmp && *tmp ? tmp : "/tmp");

	assert_non_null(mkdtemp(dir));
	return dir;
}

static void
test_key_generated_saved_and_loaded(void **state)
{
	char *dir = temp_dir(), *path = mem_printf("%s/log.key", dir);
	char *link = mem_printf("%s/link.key", dir), why[512];
	struct log_note_signer key, again, loaded;
	struct stat st;

	(void)state;
	assert_int_equal(
	    log_key_generate("registry.example.org/log", &key, why, sizeof why),
	    0);
	assert_int_equal(log_key_generate("registry.example.org/log", &again,
	                     why, sizeof why),
	    0);
	assert_memory_not_equal(key.seed, again.seed, sizeof key.seed);
	assert_int_equal(log_key_save(path, &key, why, sizeof why), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(log_key_load(path, &loaded, why, sizeof why), 0);
	assert_memory_equal(&loaded, &key, sizeof key);
	/* Never overwritten. */
	assert_int_equal(log_key_save(path, &again, why, sizeof why), -1);
	assert_non_null(strstr(why, "exists already"));
	assert_int_equal(log_key_load(path, &loaded, why, sizeof why), 0);
	assert_memory_equal(&loaded, &key, sizeof key);
	/* Refused when others may read it. */
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(log_key_load(path, &loaded, why, sizeof why), -1);
	assert_non_null(strstr(why, "(mode 0644): chmod 600"));
	/* Nor through a symbolic link. */
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(log_key_save(link, &key, why, sizeof why), -1);
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(log_key_load(link, &loaded, why, sizeof why), -1);
	assert_int_equal(
	    log_key_generate("not a name", &again, why, sizeof why), -1);
	unlink(link);
	unlink(path);
	rmdir(dir);
	log_note_signer_clear(&key);
	log_note_signer_clear(&again);
	log_note_signer_clear(&loaded);
	free(link);
	free(path);
	free(dir);
}

int
test_log_note(void)
{
	static const struct CMUnitTest fixed[] = {
	    cmocka_unit_test(test_base64_refuses_more_than_room),
	    cmocka_unit_test(test_note_keys_parse_and_format),
	    cmocka_unit_test(test_note_sign_as_go_does),
	    cmocka_unit_test(test_c2sp_examples_are_well_formed),
	    cmocka_unit_test(test_checkpoint_text_and_back),
	    cmocka_unit_test(test_checkpoint_signed_and_opened),
	    cmocka_unit_test(test_key_generated_saved_and_loaded),
	};
	struct rows r = {0};

	rows_add(&r, fixed, ROWS_COUNT(fixed));
	ROWS_TABLE(&r, BASE64_ROWS, test_base64_row,
	    "base64, RFC 4648 section 10: \"%s\" is \"%s\"", row->bytes,
	    row->text);
	ROWS_TABLE(&r, BAD_BASE64_ROWS, test_bad_base64_row,
	    "base64 refuses %s", row->what);
	ROWS_TABLE(&r, ED25519_ROWS, test_ed25519_row,
	    "Ed25519, RFC 8032 section 7.1 %s", row->test);
	ROWS_TABLE(&r, MANGLE_ROWS, test_mangle_row,
	    "note: every mangling of the %s key is refused",
	    row->signer ? "signer" : "verifier");
	ROWS_TABLE(
	    &r, BAD_KEY_ROWS, test_bad_key_row, "note: key with %s", row->what);
	ROWS_TABLE(&r, OPEN_ROWS, test_open_row, "note opened: %s", row->what);
	ROWS_TABLE(&r, MALFORMED_ROWS, test_malformed_row, "note malformed: %s",
	    row->what);
	ROWS_TABLE(&r, BAD_CHECKPOINT_ROWS, test_bad_checkpoint_row,
	    "checkpoint refused: %s", row->what);
	return rows_run(&r, "log_note");
}
