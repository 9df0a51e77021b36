/*
 * fees: the content check on fee tables.  A fee table is a Markdown table
 * whose last header cell starts with "金额" (amount).  Its row whose first
 * cell is "总计" or "合计" states the total; the amounts of the other rows
 * must add up to it.  Where a row has numbers in both the "人日"
 * (person-days) and "单价" (rate) columns, their product must equal the
 * row's amount.  Amounts are whole yuan, with optional thousands commas and
 * an optional trailing "元".  The English translation's tables are
 * checked by the same rule, their headers "Amount", "Person-days" and
 * "Rate", their total row "Total".
 */
#ifndef FEES_H
#define FEES_H

#include <stddef.h>

#include "registry/base/buf.h"
#include "site/markdown.h"

/*
 * Checks every fee table among tables (from markdown_render of path).
 * Returns the number of fee tables found, or -1 with "path:line: ..."
 * lines appended to err.
 */
int fees_check(const struct md_table *tables, size_t ntables, const char *path,
    struct buf *err);

/* Whether a header cell heads a fee table's amounts ("金额", "Amount"). */
int fees_is_amount_header(const char *cell);

/* Parses an amount cell; returns 0 and sets *value, or -1 if not a number. */
int fees_parse_amount(const char *cell, long long *value);

#endif
