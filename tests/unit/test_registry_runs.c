/*
 * Certificate numbers as runs (registry/snapshot/runs.c): the runs that a
 * sorted list of numbers makes, every id formatted back to its number,
 * and the look-ups by text (exact, at most, below) against a count over
 * the list itself.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "registry/snapshot/runs.h"
#include "tests/unit/test_registry.h"

/* In strcmp() order, as the snapshot numbers them: ids 1 to 13. */
static const char *const NUMBERS[] = {
    "CNITSEC-CS1-2024-000010", /* a wider tail sorts first */
    "CNITSEC-CS1-2024-000011",
    "CNITSEC-CS1-2024-0001",
    "CNITSEC-CS1-2024-0002",
    "CNITSEC-CS1-2024-0003",
    "CNITSEC-CS1-2024-0005", /* a gap */
    "CNITSEC-CS2-2023-0001",
    "NO-DIGITS", /* no tail: a run of one */
    "NO-DIGITS-X",
    "X10",
    "X9",                    /* a narrower tail */
    "Z12345678901234567890", /* more digits than a tail counts */
    "Z12345678901234567891",
};
#define COUNT ((long long)(sizeof NUMBERS / sizeof NUMBERS[0]))

static void
build(struct number_runs *r)
{
	char why[200];

	memset(r, 0, sizeof *r);
	for (long long id = 1; id <= COUNT; id++)
		if (number_runs_add(r, id, NUMBERS[id - 1], why, sizeof why) !=
		    0)
			fail_msg("add %s: %s", NUMBERS[id - 1], why);
}

/* The last id of a number at most `text` (below it when `strict`),
 * counted over the list. */
static long long
counted(const char *text, int strict)
{
	long long last = 0;

	for (long long id = 1; id <= COUNT; id++) {
		int cmp = strcmp(NUMBERS[id - 1], text);
		if (strict ? cmp < 0 : cmp <= 0)
			last = id;
	}
	return last;
}

static void
test_runs_made(void **state)
{
	static const long long firsts[] = {1, 3, 6, 7, 8, 9, 10, 11, 12};
	struct number_runs r;

	(void)state;
	build(&r);
	assert_int_equal(r.count, sizeof firsts / sizeof firsts[0]);
	for (size_t i = 0; i < r.count; i++)
		assert_int_equal(r.runs[i].first_id, firsts[i]);
	assert_string_equal(r.runs[1].prefix, "CNITSEC-CS1-2024-");
	assert_int_equal(r.runs[1].width, 4);
	assert_int_equal(r.runs[1].first, 1);
	assert_int_equal(r.runs[4].width, 0);
	assert_int_equal(r.last_id, COUNT);
	number_runs_free(&r);
}

static void
test_runs_format_and_find(void **state)
{
	struct number_runs r, loaded;
	char out[SNAPSHOT_NUMBER_MAX], why[200];

	(void)state;
	build(&r);
	/* The reader's copy, from the stored columns. */
	memset(&loaded, 0, sizeof loaded);
	for (size_t i = 0; i < r.count; i++)
		assert_int_equal(number_runs_load(&loaded, r.runs[i].first_id,
		                     r.runs[i].prefix, r.runs[i].width,
		                     r.runs[i].first, why, sizeof why),
		    0);
	loaded.last_id = r.last_id;
	for (long long id = 1; id <= COUNT; id++) {
		assert_non_null(number_runs_format(&loaded, id, out));
		assert_string_equal(out, NUMBERS[id - 1]);
		assert_int_equal(
		    number_runs_find(&loaded, NUMBERS[id - 1]), id);
	}
	assert_null(number_runs_format(&loaded, 0, out));
	assert_null(number_runs_format(&loaded, COUNT + 1, out));
	assert_int_equal(number_runs_find(&loaded, "CNITSEC-CS1-2024-0004"), 0);
	assert_int_equal(
	    number_runs_find(&loaded, "CNITSEC-CS1-2024-00010"), 0);
	assert_int_equal(number_runs_find(&loaded, "CNITSEC-CS1-2024-"), 0);
	assert_int_equal(number_runs_find(&loaded, ""), 0);
	assert_int_equal(number_runs_find(&loaded, NULL), 0);
	number_runs_free(&loaded);
	number_runs_free(&r);
}

static void
test_runs_up_to(void **state)
{
	static const char *const probes[] = {"", "A", "CNITSEC-",
	    "CNITSEC-CS1-2024-", "CNITSEC-CS1-2024-0", "CNITSEC-CS1-2024-0000",
	    "CNITSEC-CS1-2024-00001", "CNITSEC-CS1-2024-0004",
	    "CNITSEC-CS1-2024-00049", "CNITSEC-CS1-2024-0009",
	    "CNITSEC-CS1-2024-1", "CNITSEC-CS1-2024-0002x", "CNITSEC-CS2",
	    "CNITSEC-CS9", "NO", "NO-DIGITS0", "X1", "X99", "Z1",
	    "Z12345678901234567890a", "Z9", "\xff"};
	struct number_runs r;
	char with[SNAPSHOT_NUMBER_MAX + 2];

	(void)state;
	build(&r);
	for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++)
		for (int strict = 0; strict <= 1; strict++)
			if (number_runs_up_to(&r, probes[i], strict) !=
			    counted(probes[i], strict))
				fail_msg("up to \"%s\" (strict %d): %lld, "
				         "counted %lld",
				    probes[i], strict,
				    number_runs_up_to(&r, probes[i], strict),
				    counted(probes[i], strict));
	/* Every number itself and just past it. */
	for (long long id = 1; id <= COUNT; id++) {
		assert_int_equal(number_runs_up_to(&r, NUMBERS[id - 1], 0), id);
		assert_int_equal(
		    number_runs_up_to(&r, NUMBERS[id - 1], 1), id - 1);
		snprintf(with, sizeof with, "%s0", NUMBERS[id - 1]);
		assert_int_equal(
		    number_runs_up_to(&r, with, 0), counted(with, 0));
	}
	assert_int_equal(number_runs_up_to(&r, NULL, 0), 0);
	number_runs_free(&r);
}

static void
test_runs_refused(void **state)
{
	struct number_runs r;
	char why[200];

	(void)state;
	memset(&r, 0, sizeof r);
	assert_int_equal(number_runs_add(&r, 1, "B-2", why, sizeof why), 0);
	assert_int_equal(number_runs_add(&r, 2, "B-2", why, sizeof why), -1);
	assert_string_equal(
	    why, "certificate number B-2 twice or out of order");
	assert_int_equal(number_runs_add(&r, 2, "A-1", why, sizeof why), -1);
	assert_int_equal(number_runs_add(&r, 3, "C-1", why, sizeof why), -1);
	assert_string_equal(why, "certificate 3 out of order");
	assert_int_equal(number_runs_add(&r, 2, "", why, sizeof why), -1);
	assert_int_equal(r.last_id, 1);
	number_runs_free(&r);
}

/* A stored run whose tail outgrows its width prints every digit, and
 * long prefixes (on both sides of the length format() takes the slow
 * path at) print whole, as "%s%0*lld" would. */
static void
test_runs_format_edges(void **state)
{
	static const size_t lengths[] = {1, 90, 92, 93, 110, 124};
	char why[200], out[SNAPSHOT_NUMBER_MAX], prefix[SNAPSHOT_NUMBER_MAX];

	(void)state;
	for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
		struct number_runs r;
		size_t len = lengths[i];

		memset(&r, 0, sizeof r);
		memset(prefix, 'P', len);
		prefix[len] = '\0';
		assert_int_equal(
		    number_runs_load(&r, 1, "A-", 2, 98, why, sizeof why), 0);
		assert_int_equal(
		    number_runs_load(&r, 4, "B", 15, 0, why, sizeof why), 0);
		assert_int_equal(
		    number_runs_load(&r, 6, prefix, 3, 7, why, sizeof why), 0);
		r.last_id = 6;
		assert_string_equal(number_runs_format(&r, 1, out), "A-98");
		assert_string_equal(number_runs_format(&r, 2, out), "A-99");
		assert_string_equal(number_runs_format(&r, 3, out), "A-100");
		assert_string_equal(
		    number_runs_format(&r, 5, out), "B000000000000001");
		assert_non_null(number_runs_format(&r, 6, out));
		assert_int_equal(strlen(out), len + 3);
		assert_memory_equal(out, prefix, len);
		assert_string_equal(out + len, "007");
		number_runs_free(&r);
	}
}

int
test_registry_runs(void)
{
	static const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_runs_made),
	    cmocka_unit_test(test_runs_format_and_find),
	    cmocka_unit_test(test_runs_up_to),
	    cmocka_unit_test(test_runs_refused),
	    cmocka_unit_test(test_runs_format_edges),
	};
	return cmocka_run_group_tests_name("registry_runs", tests, NULL, NULL);
}
