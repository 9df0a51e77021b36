/*
 * Unit tests of the log's entries (registry/log/entry) and receipts
 * (registry/log/receipt), and the tampering each must be refused for,
 * naming the check that fails.
 *
 * Sources of the known answers: the bytes and leaf hashes of the two
 * golden entries were worked out from the format of entry.h alone, with
 * Python's hashlib (SHA-256(0x00 || entry)), not with this code; the
 * keys are RFC 8032 section 7.1's TEST 1 (the log) and TEST 2 (someone
 * else's) secret keys under the log's name.  The statuses a receipt
 * states are the registry's rules (rules/status.c) on the events.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/log/base64.h"
#include "registry/log/checkpoint.h"
#include "registry/log/entry.h"
#include "registry/log/receipt.h"
#include "registry/log/tree.h"
#include "registry/rules/date.h"
#include "tests/unit/rows.h"
#include "tests/unit/test_log.h"

static int
day(const char *text)
{
	int d;

	assert_int_equal(date_parse(text, &d), 0);
	return d;
}

static void
assert_hex(const uint8_t *data, size_t len, const char *want)
{
	char *hex = malloc(2 * len + 1);

	for (size_t i = 0; i < len; i++)
		snprintf(hex + 2 * i, 3, "%02x", data[i]);
	hex[2 * len] = '\0';
	assert_string_equal(hex, want);
	free(hex);
}

/* ---- entries ---- */

static struct log_entry
suspend_entry(void)
{
	return (struct log_entry){
	    .seq = 18,
	    .kind = EVENT_SUSPEND,
	    .number = "CNITSEC-CS1-2024-0001",
	    .organisation_id = 7,
	    .effective_on = day("2025-09-01"),
	    .recorded_at = "2025-09-01T02:30:00Z",
	    .reason = "未按期整改",
	    .reference = "公告〔2025〕12号",
	    .deadline = DATE_NONE,
	};
}

struct golden_row {
	const char *what;
	struct log_entry (*entry)(void);
	const char *bytes, *leaf_hash;
};

static struct log_entry
rename_entry(void)
{
	return (struct log_entry){
	    .seq = 6,
	    .kind = EVENT_ORG_RENAME,
	    .organisation_id = 7,
	    .effective_on = day("2024-06-01"),
	    .recorded_at = "2024-06-01T01:00:00Z",
	    .reason = "",
	    .reference = "",
	    .deadline = DATE_NONE,
	    .old_value = "青岚云安全有限公司",
	    .new_value = "青岚云安全科技有限公司",
	};
}

static const struct golden_row GOLDEN_ROWS[] = {
    {"a suspension", suspend_entry,
        "01010002313802000773757370656e64030015434e49545345432d435331"
        "2d323032342d303030310400013705000a323032352d30392d3031060014"
        "323032352d30392d30315430323a33303a30305a07000fe69caae68c89e6"
        "9c9fe695b4e694b9080015e585ace5918ae3809432303235e380953132e5"
        "8fb7",
        "b744eeaf17593d71d0478e743d19f39a4cc0577babe6d7027aeda5a3bbd24550"},
    {"a rename", rename_entry,
        "010100013602000a6f72672d72656e616d650400013705000a323032342d"
        "30362d3031060014323032342d30362d30315430313a30303a30305a0b00"
        "1be99d92e5b29ae4ba91e5ae89e585a8e69c89e99990e585ace58fb80c00"
        "21e99d92e5b29ae4ba91e5ae89e585a8e7a791e68a80e69c89e99990e585"
        "ace58fb8",
        "c00d2a41cbe4a5c3d77acdbb166874282c98bda01004b229eb3ace56e1737d92"},
};

static void
test_golden_row(void **state)
{
	const struct golden_row *row = *state;
	struct log_entry e = row->entry();
	struct buf b = BUF_INIT;
	uint8_t leaf[LOG_HASH_SIZE];
	char why[256];

	assert_int_equal(log_entry_encode(&e, &b, why, sizeof why), 0);
	assert_hex((const uint8_t *)b.data, b.len, row->bytes);
	log_merkle_leaf_hash(b.data, b.len, leaf);
	assert_hex(leaf, LOG_HASH_SIZE, row->leaf_hash);
	buf_free(&b);
}

/* One event of each kind, with the fields that kind has. */
static const struct log_entry KIND_ENTRIES[] = {
    {.seq = 1,
        .kind = EVENT_ORG_ADD,
        .organisation_id = 7,
        .effective_on = 19732,
        .recorded_at = "2024-01-10T00:00:00Z",
        .new_value = "青岚云安全有限公司",
        .deadline = DATE_NONE},
    {.seq = 2,
        .kind = EVENT_ORG_ADDRESS,
        .organisation_id = 7,
        .effective_on = 19733,
        .recorded_at = "2024-01-11T00:00:00Z",
        .old_value = "",
        .new_value = "青岛市崂山区",
        .deadline = DATE_NONE},
    {.seq = 3,
        .kind = EVENT_ISSUE,
        .number = "CNITSEC-CS1-2027-0001",
        .organisation_id = 7,
        .effective_on = 19734,
        .recorded_at = "2024-01-12T00:00:00Z",
        .other_number = "CNITSEC-CS1-2024-0001",
        .deadline = DATE_NONE},
    {.seq = 4,
        .kind = EVENT_ANNUAL_CHECK,
        .number = "CNITSEC-CS1-2024-0001",
        .organisation_id = 7,
        .effective_on = 19735,
        .recorded_at = "2024-01-13T00:00:00Z",
        .deadline = DATE_NONE},
    {.seq = 5,
        .kind = EVENT_RECTIFY,
        .number = "CNITSEC-CS1-2024-0001",
        .organisation_id = 7,
        .effective_on = 19736,
        .recorded_at = "2024-01-14T00:00:00Z",
        .reason = "整改",
        .deadline = 19800},
    {.seq = 6,
        .kind = EVENT_RECTIFY_CLOSE,
        .number = "CNITSEC-CS1-2024-0001",
        .organisation_id = 7,
        .effective_on = 19737,
        .recorded_at = "2024-01-15T00:00:00Z",
        .target_seq = 5,
        .deadline = DATE_NONE},
    {.seq = 7,
        .kind = EVENT_TRANSFER,
        .number = "CNITSEC-CS1-2024-0001",
        .organisation_id = 9,
        .other_organisation_id = 7,
        .effective_on = 19738,
        .recorded_at = "2024-01-16T00:00:00Z",
        .deadline = DATE_NONE},
    {.seq = 8,
        .kind = EVENT_VOID,
        .number = "CNITSEC-CS1-2024-0001",
        .organisation_id = 9,
        .effective_on = 19739,
        .recorded_at = "2024-01-17T00:00:00Z",
        .reason = "录入错误",
        .reference = "https://example.org/n/1",
        .target_seq = 4,
        .deadline = DATE_NONE},
    {.seq = 9223372036854775807LL,
        .kind = EVENT_UPGRADE,
        .number = "CNITSEC-CS1-2024-0001",
        .organisation_id = 9,
        .effective_on = 2932896,
        .recorded_at = "9999-12-31T23:59:59Z",
        .other_number = "CNITSEC-CS2-9999-999999",
        .deadline = DATE_NONE},
};

struct kind_row {
	const struct log_entry *entry;
};

static const struct kind_row KIND_ROWS[] = {{&KIND_ENTRIES[0]},
    {&KIND_ENTRIES[1]}, {&KIND_ENTRIES[2]}, {&KIND_ENTRIES[3]},
    {&KIND_ENTRIES[4]}, {&KIND_ENTRIES[5]}, {&KIND_ENTRIES[6]},
    {&KIND_ENTRIES[7]}, {&KIND_ENTRIES[8]}};

static int
same_text(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static void
test_kind_row(void **state)
{
	const struct kind_row *row = *state;
	const struct log_entry *e = row->entry;
	struct log_entry d;
	struct buf b = BUF_INIT, again = BUF_INIT;
	char why[256];

	assert_int_equal(log_entry_encode(e, &b, why, sizeof why), 0);
	assert_int_equal(log_entry_decode((const uint8_t *)b.data, b.len, &d,
	                     why, sizeof why),
	    0);
	assert_true(d.seq == e->seq && d.kind == e->kind &&
	            d.organisation_id == e->organisation_id &&
	            d.effective_on == e->effective_on &&
	            d.deadline == e->deadline &&
	            d.target_seq == e->target_seq &&
	            d.other_organisation_id == e->other_organisation_id);
	assert_true(same_text(d.number, e->number));
	assert_true(same_text(d.recorded_at, e->recorded_at));
	assert_true(same_text(d.reason, e->reason ? e->reason : ""));
	assert_true(same_text(d.reference, e->reference ? e->reference : ""));
	assert_true(same_text(d.old_value, e->old_value));
	assert_true(same_text(d.new_value, e->new_value));
	assert_true(same_text(d.other_number, e->other_number));
	/* Decoding then encoding gives the same bytes. */
	assert_int_equal(log_entry_encode(&d, &again, why, sizeof why), 0);
	assert_int_equal(again.len, b.len);
	assert_memory_equal(again.data, b.data, b.len);
	log_entry_clear(&d);
	buf_free(&b);
	buf_free(&again);
}

struct bad_encode_row {
	const char *what;
	int change;
	const char *why;
};

static const struct bad_encode_row BAD_ENCODE_ROWS[] = {
    {"no seq", 0, "entry of event 0: no seq"},
    {"an unknown kind", 1, "entry of event 18: kind cannot be encoded"},
    {"no date", 2, "entry of event 18: no effective_on"},
    {"a timestamp not in UTC form", 3,
        "entry of event 18: recorded_at is not a timestamp "
        "YYYY-MM-DDTHH:MM:SSZ"},
    {"a reason that is not UTF-8", 4,
        "entry of event 18: reason is not UTF-8 text without NUL"},
    {"a reason of 70,000 bytes", 5, "entry of event 18: reason is too long"},
    {"70,000 bytes in all", 6,
        "entry of event 18: 70085 bytes, more than the 65535 an entry may "
        "have"},
    {"a negative id", 7,
        "entry of event 18: organisation_id cannot be "
        "encoded"},
    {"a year after 9999", 8, "entry of event 18: deadline cannot be encoded"},
};

static void
test_bad_encode_row(void **state)
{
	const struct bad_encode_row *row = *state;
	struct log_entry e = suspend_entry();
	struct buf b = BUF_INIT;
	char *big = malloc(70001), why[256];

	memset(big, 'a', 70000);
	big[70000] = '\0';
	switch (row->change) {
	case 0:
		e.seq = 0;
		break;
	case 1:
		e.kind = EVENT_KIND_COUNT;
		break;
	case 2:
		e.effective_on = DATE_NONE;
		break;
	case 3:
		e.recorded_at = "2025-09-01 02:30:00";
		break;
	case 4:
		e.reason = "\xff";
		break;
	case 5:
		e.reason = big;
		break;
	case 6:
		big[40000] = '\0'; /* 40,000 and 29,999 bytes */
		e.reason = big;
		e.reference = big + 40001;
		break;
	case 7:
		e.organisation_id = -7;
		break;
	case 8:
		e.deadline = day("9999-12-31") + 1;
		break;
	}
	buf_puts(&b, "kept");
	assert_int_equal(log_entry_encode(&e, &b, why, sizeof why), -1);
	assert_string_equal(why, row->why);
	assert_string_equal(buf_str(&b), "kept");
	buf_free(&b);
	free(big);
}

/* Entries put together field by field, to be refused. */
struct tlv {
	int tag;
	const char *value;
	int len; /* -1: strlen(value) */
};

struct bad_decode_row {
	const char *what;
	int version;
	struct tlv fields[6];
	const char *tail; /* raw bytes appended, with tail_len */
	size_t tail_len, cut;
	const char *why;
};

#define SEQ                                                                    \
	{                                                                      \
		1, "18", -1                                                    \
	}
#define KIND                                                                   \
	{                                                                      \
		2, "suspend", -1                                               \
	}
#define EFFECTIVE                                                              \
	{                                                                      \
		5, "2025-09-01", -1                                            \
	}
#define RECORDED                                                               \
	{                                                                      \
		6, "2025-09-01T02:30:00Z", -1                                  \
	}

static const struct bad_decode_row BAD_DECODE_ROWS[] = {
    {"nothing", -1, {{0}}, NULL, 0, 0, "an entry has 1 to 65535 bytes, not 0"},
    {"version 2", 2, {SEQ, KIND, EFFECTIVE, RECORDED}, NULL, 0, 0,
        "entry version 2, not 1: this program reads version 1 only"},
    {"a field header cut short", 1, {SEQ, KIND, EFFECTIVE, RECORDED},
        "\x07\x00", 2, 0, "at byte 52: a field is cut short"},
    {"a value cut short", 1, {SEQ, KIND, EFFECTIVE, RECORDED}, NULL, 0, 1,
        "at byte 29: field 6 has 20 bytes, the entry 19 more"},
    {"fields out of order", 1, {KIND, SEQ, EFFECTIVE, RECORDED}, NULL, 0, 0,
        "at byte 11: field 1 is out of order or repeated"},
    {"a field twice", 1, {SEQ, SEQ, KIND, EFFECTIVE, RECORDED}, NULL, 0, 0,
        "at byte 6: field 1 is out of order or repeated"},
    {"a field of no version", 1,
        {SEQ, KIND, EFFECTIVE, RECORDED, {15, "x", -1}}, NULL, 0, 0,
        "at byte 52: field 15 is not a field of version 1"},
    {"a leading zero", 1, {{1, "018", -1}, KIND, EFFECTIVE, RECORDED}, NULL, 0,
        0, "at byte 1: seq is not valid"},
    {"a seq of 0", 1, {{1, "0", -1}, KIND, EFFECTIVE, RECORDED}, NULL, 0, 0,
        "at byte 1: seq is not valid"},
    {"a seq past 2^63", 1,
        {{1, "9223372036854775808", -1}, KIND, EFFECTIVE, RECORDED}, NULL, 0, 0,
        "at byte 1: seq is not valid"},
    {"an unknown kind", 1, {SEQ, {2, "explode", -1}, EFFECTIVE, RECORDED}, NULL,
        0, 0, "at byte 6: kind is not valid"},
    {"a day that does not exist", 1,
        {SEQ, KIND, {5, "2025-02-29", -1}, RECORDED}, NULL, 0, 0,
        "at byte 16: effective_on is not valid"},
    {"seconds for a timestamp", 1,
        {SEQ, KIND, EFFECTIVE, {6, "1756693800", -1}}, NULL, 0, 0,
        "at byte 29: recorded_at is not valid"},
    {"an empty reason written out", 1,
        {SEQ, KIND, EFFECTIVE, RECORDED, {7, "", 0}}, NULL, 0, 0,
        "at byte 52: reason is not valid"},
    {"a NUL in a text", 1, {SEQ, KIND, EFFECTIVE, RECORDED, {7, "a\0b", 3}},
        NULL, 0, 0, "at byte 52: reason is not valid"},
    {"a text that is not UTF-8", 1,
        {SEQ, KIND, EFFECTIVE, RECORDED, {7, "\xc0\xaf", -1}}, NULL, 0, 0,
        "at byte 52: reason is not valid"},
    {"no recorded_at", 1, {SEQ, KIND, EFFECTIVE}, NULL, 0, 0,
        "the entry has no recorded_at"},
};

static void
test_bad_decode_row(void **state)
{
	const struct bad_decode_row *row = *state;
	struct buf b = BUF_INIT;
	struct log_entry e;
	char why[256];

	if (row->version >= 0)
		buf_putc(&b, row->version);
	for (size_t i = 0; i < ROWS_COUNT(row->fields) && row->fields[i].tag;
	     i++) {
		const struct tlv *f = &row->fields[i];
		size_t len = f->len < 0 ? strlen(f->value) : (size_t)f->len;

		buf_putc(&b, f->tag);
		buf_putc(&b, (int)(len >> 8));
		buf_putc(&b, (int)(len & 0xff));
		buf_put(&b, f->value, len);
	}
	if (row->tail)
		buf_put(&b, row->tail, row->tail_len);
	b.len -= row->cut;
	assert_int_equal(log_entry_decode((const uint8_t *)b.data, b.len, &e,
	                     why, sizeof why),
	    -1);
	assert_string_equal(why, row->why);
	assert_null(e.storage_);
	buf_free(&b);
}

/* ---- receipts: a log of 40 events, then 45 ---- */

#define A "CNITSEC-CS1-2024-0001"
#define B "CNITSEC-CS1-2024-0002"
#define LOG_NAME "registry.example.org/log"
#define LOG_SHA                                                                \
	"dc328b6b0e906d95908c39ce885c86e47ba3b2708cd874623b9c806d4e53c39e"

struct fixture {
	struct log_entry events[45];
	char names[45][32];
	struct log_tree *tree, *fork;
	struct log_note_signer log_key, other_key;
	struct log_note_verifier key, other;
	struct buf note40, note45, fork45, fork40; /* signed checkpoints */
	struct buf receipt_a, receipt_b, update, fork_update, fork_same;
};

static struct fixture *fixture;

static void
add_event(struct fixture *f, size_t i, enum event_kind kind, const char *number,
    long long org, const char *date)
{
	struct log_entry *e = &f->events[i];

	*e = (struct log_entry){.seq = (long long)i + 1,
	    .kind = kind,
	    .number = number,
	    .organisation_id = org,
	    .effective_on = day(date),
	    .recorded_at = "2026-01-01T00:00:00Z",
	    .reason = "",
	    .reference = "",
	    .deadline = DATE_NONE};
}

static void
sign_checkpoint(struct fixture *f, const struct log_tree *tree, uint64_t size,
    struct buf *out)
{
	struct log_checkpoint c = {.size = size};
	char why[256];

	snprintf(c.origin, sizeof c.origin, LOG_NAME);
	log_tree_root(tree, size, c.root, NULL, 0);
	c.snapshot_date = day(size == 40 ? "2026-01-01" : "2026-02-01");
	snprintf(c.snapshot_sha256, sizeof c.snapshot_sha256, LOG_SHA);
	assert_int_equal(
	    log_checkpoint_sign(&c, &f->log_key, out, why, sizeof why), 0);
}

static void
build_receipt(struct fixture *f, const char *number, const size_t *indexes,
    size_t count, struct buf *out)
{
	struct log_receipt_event events[16];
	char why[256];

	for (size_t i = 0; i < count; i++)
		events[i] = (struct log_receipt_event){
		    indexes[i], &f->events[indexes[i]]};
	assert_int_equal(
	    log_receipt_build(number, events, count, f->tree, f->note40.data,
	        f->note40.len, out, why, sizeof why),
	    0);
}

static void
consistency_doc(const struct log_tree *tree, const struct buf *note,
    uint64_t size, struct buf *out)
{
	struct log_proof proof;

	log_tree_consistency(tree, 40, size, &proof, NULL, 0);
	log_receipt_consistency_write(
	    40, size, &proof, note->data, note->len, out);
}

static struct fixture *
get_fixture(void)
{
	static const size_t receipt_a[] = {0, 3, 5, 6, 8, 30};
	static const size_t receipt_b[] = {1, 2, 4, 7};
	uint8_t seed1[32], seed2[32];
	struct fixture *f;

	if (fixture != NULL)
		return fixture;
	f = fixture = calloc(1, sizeof *f);
	add_event(f, 0, EVENT_ORG_ADD, NULL, 7, "2024-01-10");
	f->events[0].new_value = "青岚云安全有限公司";
	add_event(f, 1, EVENT_ORG_ADD, NULL, 8, "2024-01-12");
	f->events[1].new_value = "远山数据服务有限公司";
	add_event(f, 2, EVENT_ORG_ADD, NULL, 9, "2024-01-15");
	f->events[2].new_value = "北辰信息技术有限公司";
	add_event(f, 3, EVENT_ISSUE, A, 7, "2024-03-01");
	add_event(f, 4, EVENT_ISSUE, B, 8, "2024-04-01");
	add_event(f, 5, EVENT_ORG_RENAME, NULL, 7, "2024-06-01");
	f->events[5].old_value = "青岚云安全有限公司";
	f->events[5].new_value = "青岚云安全科技有限公司";
	add_event(f, 6, EVENT_ANNUAL_CHECK, A, 7, "2025-02-15");
	add_event(f, 7, EVENT_TRANSFER, B, 9, "2025-03-10");
	f->events[7].other_organisation_id = 8;
	add_event(f, 8, EVENT_WARN, A, 7, "2025-06-01");
	f->events[8].reason = "未按时提交年度报告";
	for (size_t i = 9; i < 45; i++) {
		add_event(
		    f, i, EVENT_ORG_ADD, NULL, (long long)i + 1, "2025-07-01");
		snprintf(f->names[i], sizeof f->names[i], "组织%zu", i + 1);
		f->events[i].new_value = f->names[i];
	}
	add_event(f, 30, EVENT_SUSPEND, A, 7, "2025-09-01");
	f->events[30].reason = "未按期整改";
	f->events[30].reference = "公告〔2025〕12号";

	test_log_unhex(
	    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
	    seed1, sizeof seed1);
	test_log_unhex(
	    "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
	    seed2, sizeof seed2);
	log_note_signer_from_seed(&f->log_key, LOG_NAME, seed1, NULL, 0);
	log_note_signer_from_seed(&f->other_key, LOG_NAME, seed2, NULL, 0);
	log_note_verifier_of(&f->log_key, &f->key);
	log_note_verifier_of(&f->other_key, &f->other);

	/* The log, and a fork of it: event 20 said otherwise. */
	f->tree = log_tree_new();
	f->fork = log_tree_new();
	for (size_t i = 0; i < 45; i++) {
		struct buf entry = BUF_INIT;

		assert_int_equal(
		    log_entry_encode(&f->events[i], &entry, NULL, 0), 0);
		log_tree_append_entry(f->tree, entry.data, entry.len);
		if (i == 20)
			entry.data[entry.len - 1] ^= 1;
		log_tree_append_entry(f->fork, entry.data, entry.len);
		buf_free(&entry);
	}
	sign_checkpoint(f, f->tree, 40, &f->note40);
	sign_checkpoint(f, f->tree, 45, &f->note45);
	sign_checkpoint(f, f->fork, 45, &f->fork45);
	sign_checkpoint(f, f->fork, 40, &f->fork40);
	build_receipt(f, A, receipt_a, ROWS_COUNT(receipt_a), &f->receipt_a);
	build_receipt(f, B, receipt_b, ROWS_COUNT(receipt_b), &f->receipt_b);
	consistency_doc(f->tree, &f->note45, 45, &f->update);
	consistency_doc(f->fork, &f->fork45, 45, &f->fork_update);
	consistency_doc(f->fork, &f->fork40, 40, &f->fork_same);
	return f;
}

static void
free_fixture(void)
{
	struct fixture *f = fixture;

	if (f == NULL)
		return;
	log_tree_free(f->tree);
	log_tree_free(f->fork);
	log_note_signer_clear(&f->log_key);
	log_note_signer_clear(&f->other_key);
	buf_free(&f->note40);
	buf_free(&f->note45);
	buf_free(&f->fork45);
	buf_free(&f->fork40);
	buf_free(&f->receipt_a);
	buf_free(&f->receipt_b);
	buf_free(&f->update);
	buf_free(&f->fork_update);
	buf_free(&f->fork_same);
	free(f);
	fixture = NULL;
}

/* The names of the checks run, joined by spaces. */
static char *
check_names(const struct log_receipt_checks *checks)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < checks->count; i++)
		buf_printf(&b, "%s%s%s", i ? " " : "", checks->items[i].name,
		    checks->items[i].ok ? "" : "!");
	return buf_detach(&b);
}

static void
test_receipt_verifies_with_every_check_named(void **state)
{
	struct fixture *f = get_fixture();
	struct log_receipt_options options = {
	    .key = &f->key, .snapshot_sha256 = LOG_SHA};
	struct log_receipt_checks checks = {0};
	char *names;

	(void)state;
	assert_int_equal(log_receipt_verify(f->receipt_a.data, f->receipt_a.len,
	                     &options, &checks),
	    0);
	names = check_names(&checks);
	assert_string_equal(names,
	    "receipt checkpoint signature snapshot"
	    " leaf-hash inclusion entry leaf-hash inclusion entry"
	    " leaf-hash inclusion entry leaf-hash inclusion entry"
	    " leaf-hash inclusion entry leaf-hash inclusion entry"
	    " order certificate status holder");
	assert_null(log_receipt_checks_failed(&checks));
	assert_string_equal(
	    checks.items[2].detail, "signed by " LOG_NAME "+dfe91cc9");
	assert_string_equal(checks.items[4].subject, "event 1 at index 0");
	assert_string_equal(checks.items[5].detail,
	    "leaf 0 of the tree of 40 signed in the checkpoint (6 hashes)");
	assert_string_equal(checks.items[24].detail,
	    "suspended on 2026-01-01, as its events give");
	free(names);
	log_receipt_checks_free(&checks);
}

static void
test_receipt_states_status_and_holder(void **state)
{
	struct fixture *f = get_fixture();
	json_t *a = json_loadb(f->receipt_a.data, f->receipt_a.len, 0, NULL);
	json_t *b = json_loadb(f->receipt_b.data, f->receipt_b.len, 0, NULL);
	json_t *status = json_object_get(a, "status");
	char *text;

	(void)state;
	assert_string_equal(
	    json_string_value(json_object_get(a, "as_of")), "2026-01-01");
	assert_int_equal(json_array_size(json_object_get(a, "events")), 6);
	text = json_dumps(status, JSON_COMPACT);
	assert_string_equal(text,
	    "{\"status\":\"suspended\",\"status_since\":\"2025-09-01\","
	    "\"issued_on\":\"2024-03-01\",\"valid_until\":\"2027-02-28\","
	    "\"flags\":[\"warning\"],\"warning_until\":\"2026-05-31\","
	    "\"rectification_deadline\":null,"
	    "\"annual_check_1\":{\"start\":\"2025-01-30\",\"end\":"
	    "\"2025-02-28\",\"state\":\"passed\",\"done_on\":\"2025-02-15\"},"
	    "\"annual_check_2\":{\"start\":\"2026-01-30\",\"end\":"
	    "\"2026-02-28\",\"state\":\"upcoming\",\"done_on\":null},"
	    "\"renewal\":{\"start\":\"2026-11-30\",\"end\":\"2027-02-28\","
	    "\"state\":\"upcoming\",\"done_on\":null}}");
	free(text);
	text = json_dumps(json_object_get(a, "holder"), JSON_COMPACT);
	assert_string_equal(text, "{\"organisation_id\":7,\"name\":"
	                          "\"青岚云安全科技有限公司\"}");
	free(text);
	/* B was transferred: its holder is the new one. */
	text = json_dumps(json_object_get(b, "holder"), JSON_COMPACT);
	assert_string_equal(text, "{\"organisation_id\":9,\"name\":"
	                          "\"北辰信息技术有限公司\"}");
	free(text);
	json_decref(a);
	json_decref(b);
}

static void
test_receipt_build_refuses_wrong_inputs(void **state)
{
	struct fixture *f = get_fixture();
	struct log_receipt_event events[2] = {
	    {3, &f->events[3]}, {4, &f->events[3]}};
	struct buf out = BUF_INIT;
	char why[256];

	(void)state;
	assert_int_equal(
	    log_receipt_build(A, events, 2, f->tree, f->note40.data,
	        f->note40.len, &out, why, sizeof why),
	    -1);
	assert_string_equal(why, "event 4 is not leaf 4 of the log");
	events[1] = (struct log_receipt_event){4, &f->events[4]};
	assert_int_equal(
	    log_receipt_build(A, events, 2, f->tree, f->note40.data,
	        f->note40.len, &out, why, sizeof why),
	    -1);
	assert_string_equal(why, "event 5 (issue) is neither of " A
	                         " nor of an organisation that held it");
	assert_int_equal(
	    log_receipt_build(A, events, 1, f->fork, f->note40.data,
	        f->note40.len, &out, why, sizeof why),
	    -1);
	assert_string_equal(
	    why, "the log's root at size 40 is not the checkpoint's");
	assert_int_equal(out.len, 0);
	buf_free(&out);
}

static void
test_receipt_brought_up_to_date(void **state)
{
	struct fixture *f = get_fixture();
	struct log_receipt_options options = {.key = &f->key,
	    .consistency = f->update.data,
	    .consistency_len = f->update.len};
	struct log_receipt_checks checks = {0};
	const struct log_receipt_check *last;

	(void)state;
	assert_int_equal(log_receipt_verify(f->receipt_a.data, f->receipt_a.len,
	                     &options, &checks),
	    0);
	last = &checks.items[checks.count - 1];
	assert_string_equal(last->name, "consistency");
	assert_string_equal(
	    last->detail, "the tree of 40 is the beginning of the tree of 45");
	assert_string_equal(
	    checks.items[checks.count - 2].name, "newer-signature");
	log_receipt_checks_free(&checks);
}

/* ---- tampering: each refused, naming the check that fails ---- */

enum tamper {
	ENTRY_BYTE,
	REORDER,
	DROP_LAST,
	TRUNCATE_PROOF,
	SWAP_KEY,
	RESIGNED,
	NO_KEY,
	FORK_CHECKPOINT,
	FORK_LATER,
	FORK_SAME_SIZE,
	TRUNCATE_CONSISTENCY,
	SNAPSHOT_EDIT,
	SNAPSHOT_EXPECTED,
	STATUS_EDIT,
	HOLDER_EDIT,
	FOREIGN_EVENT,
	UNKNOWN_MEMBER,
	NOT_JSON,
	VERSION_2,
};

struct tamper_row {
	const char *what;
	enum tamper tamper;
	const char *check;  /* the first check that fails */
	const char *detail; /* the start of its message */
};

static const struct tamper_row TAMPER_ROWS[] = {
    {"one byte of an entry changed", ENTRY_BYTE, "leaf-hash",
        "SHA-256(0x00 || entry) is not its leaf_hash"},
    {"two events reordered", REORDER, "order",
        "events[2] (index 3) does not come after events[1] (index 5)"},
    {"the last event dropped", DROP_LAST, "status",
        "the events give valid since 2024-03-01 on 2026-01-01"},
    {"an inclusion proof truncated", TRUNCATE_PROOF, "inclusion",
        "not shown to be leaf 0 of the tree of 40: the proof is shorter"},
    {"checked with another key", SWAP_KEY, "signature",
        "no signature is by the key " LOG_NAME "+"},
    {"the checkpoint re-signed by another key", RESIGNED, "signature",
        "no signature is by the key " LOG_NAME "+dfe91cc9"},
    {"no key given", NO_KEY, "signature",
        "no verifier key was given to check it with"},
    {"the checkpoint of a fork of the same size", FORK_CHECKPOINT, "inclusion",
        "not shown to be leaf 0 of the tree of 40: the proof "
        "leads to another root"},
    {"a later checkpoint of a fork", FORK_LATER, "consistency",
        "the tree of 40 is not shown to be the beginning of the tree of "
        "45: the proof does not lead to the"},
    {"a fork: two trees of the same size", FORK_SAME_SIZE, "consistency",
        "the tree of 40 is not shown to be the beginning of the tree of "
        "40: fork: two trees of the same size with different roots"},
    {"a consistency proof truncated", TRUNCATE_CONSISTENCY, "consistency",
        "the tree of 40 is not shown to be the beginning of the tree of "
        "45: the proof is shorter"},
    {"the snapshot digest changed", SNAPSHOT_EDIT, "snapshot",
        "as_of and snapshot_sha256 are not the checkpoint's"},
    {"another snapshot expected", SNAPSHOT_EXPECTED, "snapshot",
        "the snapshot signed is " LOG_SHA ", not the"},
    {"the status edited", STATUS_EDIT, "status",
        "the events give suspended since 2025-09-01 on 2026-01-01, not "
        "what the receipt states"},
    {"the holder edited", HOLDER_EDIT, "holder",
        "the events give another holder"},
    {"another certificate's event added", FOREIGN_EVENT, "certificate",
        "event 5 (issue) is neither of " A
        " nor of an organisation that held it"},
    {"an unknown member", UNKNOWN_MEMBER, "receipt",
        "unknown member \"extra\""},
    {"not JSON", NOT_JSON, "receipt", "not JSON: line 1"},
    {"version 2", VERSION_2, "receipt",
        "a receipt of version 2; this program reads version 1"},
};

static void
swap(json_t *array, size_t i, size_t j)
{
	json_t *a = json_incref(json_array_get(array, i));
	json_t *b = json_incref(json_array_get(array, j));

	json_array_set_new(array, i, b);
	json_array_set_new(array, j, a);
}

/* A copy of `doc` with the last hash of its proof removed. */
static char *
truncated_proof(const struct buf *doc)
{
	json_t *root = json_loadb(doc->data, doc->len, 0, NULL);
	json_t *proof = json_object_get(root, "proof");
	char *text;

	json_array_remove(proof, json_array_size(proof) - 1);
	text = json_dumps(root, 0);
	json_decref(root);
	return text;
}

static void
test_tamper_row(void **state)
{
	const struct tamper_row *row = *state;
	struct fixture *f = get_fixture();
	struct log_receipt_options options = {.key = &f->key};
	struct log_receipt_checks checks = {0};
	const struct log_receipt_check *failed;
	json_t *root = json_loadb(f->receipt_a.data, f->receipt_a.len, 0, NULL);
	json_t *events = json_object_get(root, "events");
	json_t *first = json_array_get(events, 0);
	json_t *b = NULL;
	struct buf resigned = BUF_INIT;
	char *text = NULL, *doc = NULL;

	switch (row->tamper) {
	case ENTRY_BYTE: {
		json_t *e = json_array_get(events, 3);
		const char *b64 =
		    json_string_value(json_object_get(e, "entry"));
		uint8_t bytes[512];
		size_t len;
		struct buf again = BUF_INIT;

		assert_int_equal(log_base64_decode(b64, strlen(b64), bytes,
		                     sizeof bytes, &len),
		    0);
		bytes[len - 1] ^= 1;
		log_base64_put(&again, bytes, len);
		json_object_set_new(e, "entry", json_string(buf_str(&again)));
		buf_free(&again);
		break;
	}
	case REORDER:
		swap(events, 1, 2);
		break;
	case DROP_LAST:
		json_array_remove(events, json_array_size(events) - 1);
		break;
	case TRUNCATE_PROOF: {
		json_t *proof = json_object_get(first, "proof");

		json_array_remove(proof, json_array_size(proof) - 1);
		break;
	}
	case SWAP_KEY:
		options.key = &f->other;
		break;
	case RESIGNED: {
		struct log_note note;

		log_note_open(
		    f->note40.data, f->note40.len, NULL, 0, &note, NULL, 0);
		log_note_sign(note.text, note.text_len, &f->other_key,
		    &resigned, NULL, 0);
		json_object_set_new(root, "checkpoint",
		    json_stringn(resigned.data, resigned.len));
		break;
	}
	case NO_KEY:
		options.key = NULL;
		break;
	case FORK_CHECKPOINT:
		json_object_set_new(root, "checkpoint",
		    json_stringn(f->fork40.data, f->fork40.len));
		break;
	case FORK_LATER:
		options.consistency = f->fork_update.data;
		options.consistency_len = f->fork_update.len;
		break;
	case FORK_SAME_SIZE:
		options.consistency = f->fork_same.data;
		options.consistency_len = f->fork_same.len;
		break;
	case TRUNCATE_CONSISTENCY:
		doc = truncated_proof(&f->update);
		options.consistency = doc;
		options.consistency_len = strlen(doc);
		break;
	case SNAPSHOT_EDIT:
		json_object_set_new(root, "snapshot_sha256",
		    json_string(
		        "00000000000000000000000000000000000000000000000"
		        "00000000000000000"));
		break;
	case SNAPSHOT_EXPECTED:
		options.snapshot_sha256 =
		    "0000000000000000000000000000000000000"
		    "000000000000000000000000000";
		break;
	case STATUS_EDIT:
		json_object_set_new(json_object_get(root, "status"), "status",
		    json_string("valid"));
		break;
	case HOLDER_EDIT:
		json_object_set_new(json_object_get(root, "holder"), "name",
		    json_string("别的公司"));
		break;
	case FOREIGN_EVENT:
		/* B's issue, index 4, with its own good proof. */
		b = json_loadb(f->receipt_b.data, f->receipt_b.len, 0, NULL);
		json_array_insert(
		    events, 2, json_array_get(json_object_get(b, "events"), 2));
		break;
	case UNKNOWN_MEMBER:
		json_object_set_new(root, "extra", json_integer(1));
		break;
	case NOT_JSON:
	case VERSION_2:
		json_object_set_new(root, "receipt", json_integer(2));
		break;
	}
	text = row->tamper == NOT_JSON ? strdup("{\"receipt\": 1,")
	                               : json_dumps(root, 0);
	assert_int_equal(
	    log_receipt_verify(text, strlen(text), &options, &checks), -1);
	failed = log_receipt_checks_failed(&checks);
	assert_non_null(failed);
	assert_string_equal(failed->name, row->check);
	assert_memory_equal(failed->detail, row->detail, strlen(row->detail));
	log_receipt_checks_free(&checks);
	buf_free(&resigned);
	json_decref(b);
	json_decref(root);
	free(text);
	free(doc);
}

/* The consistency checks on their own, for two checkpoints. */
static void
test_consistency_of_two_checkpoints(void **state)
{
	struct fixture *f = get_fixture();
	struct log_receipt_checks checks = {0};

	(void)state;
	assert_int_equal(
	    log_receipt_verify_consistency(f->note40.data, f->note40.len,
	        f->update.data, f->update.len, &f->key, &checks),
	    0);
	assert_int_equal(checks.count, 3);
	log_receipt_checks_free(&checks);
	assert_int_equal(
	    log_receipt_verify_consistency(f->note40.data, f->note40.len,
	        f->update.data, f->update.len, &f->other, &checks),
	    -1);
	assert_string_equal(
	    log_receipt_checks_failed(&checks)->name, "newer-signature");
	log_receipt_checks_free(&checks);
	assert_int_equal(log_receipt_verify_consistency(f->note40.data,
	                     f->note40.len, "{}", 2, &f->key, &checks),
	    -1);
	assert_string_equal(
	    log_receipt_checks_failed(&checks)->name, "consistency-document");
	log_receipt_checks_free(&checks);
}

int
test_log_receipt(void)
{
	static const struct CMUnitTest fixed[] = {
	    cmocka_unit_test(test_receipt_verifies_with_every_check_named),
	    cmocka_unit_test(test_receipt_states_status_and_holder),
	    cmocka_unit_test(test_receipt_build_refuses_wrong_inputs),
	    cmocka_unit_test(test_receipt_brought_up_to_date),
	    cmocka_unit_test(test_consistency_of_two_checkpoints),
	};
	struct rows r = {0};
	int failed;

	ROWS_TABLE(&r, GOLDEN_ROWS, test_golden_row,
	    "entry: the bytes and leaf hash of %s", row->what);
	ROWS_TABLE(&r, KIND_ROWS, test_kind_row,
	    "entry: %s decodes to itself and encodes to the same bytes",
	    event_kind_name(row->entry->kind));
	ROWS_TABLE(&r, BAD_ENCODE_ROWS, test_bad_encode_row,
	    "entry not encoded: %s", row->what);
	ROWS_TABLE(&r, BAD_DECODE_ROWS, test_bad_decode_row,
	    "entry refused: %s", row->what);
	rows_add(&r, fixed, ROWS_COUNT(fixed));
	ROWS_TABLE(&r, TAMPER_ROWS, test_tamper_row,
	    "receipt refused: %s, at the %s check", row->what, row->check);
	failed = rows_run(&r, "log_receipt");
	free_fixture();
	return failed;
}
