/*
 * fees: checks that a fee table's items add up to its stated total, so a
 * typo in the guide's fee list fails the build instead of misleading an
 * applicant about what they will pay.
 */
#include "site/fees.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int
starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Skips ASCII blanks. */
static const char *
skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

int
fees_parse_amount(const char *cell, long long *value)
{
	const char *p = skip_blanks(cell);
	long long v = 0;
	int digits = 0;
	for (;;) {
		if (*p >= '0' && *p <= '9') {
			if (v > (LLONG_MAX - 9) / 10)
				return -1;
			v = v * 10 + (*p - '0');
			digits++;
			p++;
		} else if (*p == ',' && digits > 0) {
			p++;
		} else if (starts_with(p, "\xEF\xBC\x8C") && digits > 0) {
			p += 3; /* full-width comma */
		} else {
			break;
		}
	}
	if (digits == 0)
		return -1;
	p = skip_blanks(p);
	if (starts_with(p, "元"))
		p = skip_blanks(p + strlen("元"));
	if (*p != '\0')
		return -1;
	*value = v;
	return 0;
}

static void
format_amount(long long v, struct buf *out)
{
	char digits[32];
	int n = snprintf(digits, sizeof digits, "%lld", v);
	for (int i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf_putc(out, ',');
		buf_putc(out, digits[i]);
	}
}

static int
is_total_label(const char *cell)
{
	const char *p = skip_blanks(cell);
	return starts_with(p, "总计") || starts_with(p, "合计") ||
	       starts_with(p, "Total");
}

int
fees_is_amount_header(const char *cell)
{
	const char *h = skip_blanks(cell);
	return starts_with(h, "金额") || starts_with(h, "Amount");
}

/* Reports "path:line: fee table: <what> <want>, but <says> <got>", with
 * both amounts grouped by thousands.  Returns -1. */
static int
mismatch(struct buf *err, const char *path, int line, const char *what,
    long long want, const char *says, long long got)
{
	struct buf w = BUF_INIT, g = BUF_INIT;
	format_amount(want, &w);
	format_amount(got, &g);
	buf_printf(err, "%s:%d: fee table: %s %s, but %s %s\n", path, line,
	    what, w.data, says, g.data);
	buf_free(&w);
	buf_free(&g);
	return -1;
}

/* A row with person-days and a daily rate: their product must be its
 * amount.  Returns 0, or -1 with a message. */
static int
check_product(const char *const *row, size_t days_col, size_t rate_col,
    long long amount, const char *path, int line, struct buf *err)
{
	long long days, rate, product;
	if (days_col == SIZE_MAX || rate_col == SIZE_MAX ||
	    fees_parse_amount(row[days_col], &days) != 0 ||
	    fees_parse_amount(row[rate_col], &rate) != 0)
		return 0;
	if (!__builtin_mul_overflow(days, rate, &product) && product == amount)
		return 0;
	struct buf what = BUF_INIT;
	buf_printf(
	    &what, "%s: %lld person-days at %lld is", row[0], days, rate);
	mismatch(
	    err, path, line, what.data, product, "the amount says", amount);
	buf_free(&what);
	return -1;
}

/* The items' sum must be the total row's amount.  Returns 0 or -1. */
static int
check_total(const struct md_table *t, long long sum, long long total,
    int total_line, const char *path, struct buf *err)
{
	if (total < 0) {
		buf_printf(err,
		    "%s:%d: fee table has no total row (first cell 总计, or "
		    "Total in English)\n",
		    path, t->line);
		return -1;
	}
	if (sum == total)
		return 0;
	return mismatch(err, path, total_line, "the items add up to", sum,
	    "the total row says", total);
}

static int
check_table(const struct md_table *t, const char *path, struct buf *err)
{
	const char *const *header = (const char *const *)t->cells;
	size_t amount_col = t->cols - 1;
	size_t days_col = SIZE_MAX, rate_col = SIZE_MAX;
	for (size_t c = 0; c < t->cols; c++) {
		const char *h = skip_blanks(header[c]);
		if (starts_with(h, "人日") || starts_with(h, "Person-days"))
			days_col = c;
		else if (starts_with(h, "单价") || starts_with(h, "Rate"))
			rate_col = c;
	}
	int rc = 0;
	long long sum = 0, total = -1;
	int total_line = 0;
	for (size_t r = 1; r < t->rows; r++) {
		const char *const *row = header + r * t->cols;
		int line = t->row_lines[r];
		long long amount;
		if (fees_parse_amount(row[amount_col], &amount) != 0) {
			buf_printf(err,
			    "%s:%d: fee table: amount '%s' is not a "
			    "number of yuan\n",
			    path, line, row[amount_col]);
			rc = -1;
			continue;
		}
		if (is_total_label(row[0])) {
			if (total >= 0) {
				buf_printf(err,
				    "%s:%d: fee table: a second total "
				    "row (the first is on line %d)\n",
				    path, line, total_line);
				rc = -1;
			}
			total = amount;
			total_line = line;
			continue;
		}
		if (check_product(
		        row, days_col, rate_col, amount, path, line, err) != 0)
			rc = -1;
		if (__builtin_add_overflow(sum, amount, &sum)) {
			buf_printf(err, "%s:%d: fee table: amounts too large\n",
			    path, line);
			return -1;
		}
	}
	if (check_total(t, sum, total, total_line, path, err) != 0)
		return -1;
	return rc;
}

int
fees_check(const struct md_table *tables, size_t ntables, const char *path,
    struct buf *err)
{
	int found = 0, rc = 0;
	for (size_t i = 0; i < ntables; i++) {
		const struct md_table *t = &tables[i];
		if (t->rows == 0 || t->cols == 0 ||
		    !fees_is_amount_header(t->cells[t->cols - 1]))
			continue;
		found++;
		if (check_table(t, path, err) != 0)
			rc = -1;
	}
	return rc == 0 ? found : -1;
}
