/*
 * rows: one cmocka test per row of a table, each under its own name, so
 * every row passes or fails on its own and the first failing row never
 * hides the others.  A row test receives the row as its state:
 *
 *   static void test_date_row(void **state) {
 *           const struct date_row *row = *state; ...
 *   }
 *   struct rows r = {0};
 *   rows_add(&r, fixed, ROWS_COUNT(fixed));
 *   ROWS_TABLE(&r, date_rows, test_date_row, "date_parse(\"%s\")", text);
 *   return rows_run(&r, "registry_rules");
 *
 * Header-only: each test binary includes it where it builds its group.
 */
#ifndef TESTS_UNIT_ROWS_H
#define TESTS_UNIT_ROWS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROWS_COUNT(array) (sizeof(array) / sizeof((array)[0]))

struct rows {
	struct CMUnitTest *tests;
	char **names; /* names made here, freed by rows_run */
	size_t count, cap, nnames;
};

static inline void
rows_reserve(struct rows *r, size_t more)
{
	if (r->count + more <= r->cap)
		return;
	while (r->count + more > r->cap)
		r->cap = r->cap ? r->cap * 2 : 64;
	r->tests = realloc(r->tests, r->cap * sizeof *r->tests);
	r->names = realloc(r->names, r->cap * sizeof *r->names);
	if (r->tests == NULL || r->names == NULL)
		abort();
}

/* Adds ordinary tests (cmocka_unit_test(...) entries). */
static inline void
rows_add(struct rows *r, const struct CMUnitTest *tests, size_t n)
{
	rows_reserve(r, n);
	for (size_t i = 0; i < n; i++)
		r->tests[r->count++] = tests[i];
}

/* Adds one test of fn on row, named by printf-style arguments. */
static inline void __attribute__((format(printf, 4, 5)))
rows_add_row(struct rows *r, CMUnitTestFunction fn, const void *row,
    const char *fmt, ...)
{
	va_list ap;
	char *name;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	name = malloc((size_t)n + 1);
	if (name == NULL)
		abort();
	va_start(ap, fmt);
	vsnprintf(name, (size_t)n + 1, fmt, ap);
	va_end(ap);
	rows_reserve(r, 1);
	r->names[r->nnames++] = name;
	r->tests[r->count++] =
	    (struct CMUnitTest){name, fn, NULL, NULL, (void *)row};
}

/* Adds a test of fn for every row of the array table, each named by the
 * format and the row's fields (written as `table[i].field`-free names:
 * the macro binds `row` to the row). */
#define ROWS_TABLE(r, table, fn, ...)                                          \
	do {                                                                   \
		for (size_t rows_i_ = 0; rows_i_ < ROWS_COUNT(table);          \
		     rows_i_++) {                                              \
			const __typeof__((table)[0]) *row = &(table)[rows_i_]; \
			rows_add_row((r), (fn), row, __VA_ARGS__);             \
		}                                                              \
	} while (0)

/* Runs the group and frees what rows_add_row made; returns the number of
 * failed tests, as cmocka does. */
static inline int
rows_run(struct rows *r, const char *group)
{
	int failed =
	    _cmocka_run_group_tests(group, r->tests, r->count, NULL, NULL);
	for (size_t i = 0; i < r->nnames; i++)
		free(r->names[i]);
	free(r->names);
	free(r->tests);
	memset(r, 0, sizeof *r);
	return failed;
}

#endif
