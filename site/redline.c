/*
 * redline: two longest-common-subsequence passes, one over a page's blocks
 * and one over the tokens of a changed block (runs of ASCII letters and
 * digits, or single characters, so Chinese text diffs character by
 * character).  Both are quadratic, so each has a size above which it gives
 * up on detail: a block-level diff bigger than that marks the middle as
 * replaced, a text diff bigger than that shows the old text deleted and
 * the new one inserted.
 */
#include "site/redline.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CELLS ((size_t)4 << 20) /* entries of one LCS table */

struct token {
	const char *start;
	size_t len;
};

static size_t
utf8_length(unsigned char c)
{
	if (c >= 0xF0)
		return 4;
	if (c >= 0xE0)
		return 3;
	if (c >= 0xC0)
		return 2;
	return 1;
}

static int
is_word(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

static struct token *
tokenize(const char *s, size_t *count)
{
	size_t n = 0, cap = 16;
	struct token *t = mem_alloc(cap * sizeof *t);
	const char *p = s;
	while (*p) {
		const char *start = p;
		if (is_word((unsigned char)*p)) {
			while (is_word((unsigned char)*p))
				p++;
		} else {
			size_t len = utf8_length((unsigned char)*p);
			for (size_t i = 0; i < len && *p; i++)
				p++;
		}
		if (n == cap) {
			cap *= 2;
			t = mem_realloc(t, cap * sizeof *t);
		}
		t[n].start = start;
		t[n].len = (size_t)(p - start);
		n++;
	}
	*count = n;
	return t;
}

static int
same_token(const struct token *a, const struct token *b)
{
	return a->len == b->len && memcmp(a->start, b->start, a->len) == 0;
}

/* Emits a run of tokens, wrapped in tag when tag is not NULL. */
static void
emit(struct buf *html, const char *tag, const struct token *t, size_t from,
    size_t to)
{
	if (from >= to)
		return;
	if (tag)
		buf_printf(html, "<%s>", tag);
	buf_put_html(html, t[from].start,
	    (size_t)(t[to - 1].start + t[to - 1].len - t[from].start));
	if (tag)
		buf_printf(html, "</%s>", tag);
}

double
redline_text(const char *old_text, const char *new_text, struct buf *html)
{
	size_t n, m;
	struct token *a = tokenize(old_text, &n), *b = tokenize(new_text, &m);
	/* common prefix and suffix cost nothing */
	size_t pre = 0;
	while (pre < n && pre < m && same_token(&a[pre], &b[pre]))
		pre++;
	size_t suf = 0;
	while (suf < n - pre && suf < m - pre &&
	       same_token(&a[n - 1 - suf], &b[m - 1 - suf]))
		suf++;
	size_t rn = n - pre - suf, rm = m - pre - suf;
	size_t common = pre + suf;
	emit(html, NULL, a, 0, pre);
	if ((rn + 1) * (rm + 1) > MAX_CELLS) {
		emit(html, "del", a, pre, n - suf);
		emit(html, "ins", b, pre, m - suf);
	} else {
		/* lcs[i][j]: LCS of a[pre+i..] and b[pre+j..] */
		uint32_t *lcs = mem_calloc((rn + 1) * (rm + 1), sizeof *lcs);
#define L(i, j) lcs[(i) * (rm + 1) + (j)]
		for (size_t i = rn; i-- > 0;)
			for (size_t j = rm; j-- > 0;)
				L(i, j) = same_token(&a[pre + i], &b[pre + j])
				              ? L(i + 1, j + 1) + 1
				              : (L(i + 1, j) >= L(i, j + 1)
				                        ? L(i + 1, j)
				                        : L(i, j + 1));
		common += L(0, 0);
		size_t i = 0, j = 0;
		while (i < rn || j < rm) {
			if (i < rn && j < rm &&
			    same_token(&a[pre + i], &b[pre + j])) {
				size_t k = i;
				while (i < rn && j < rm &&
				       same_token(&a[pre + i], &b[pre + j]))
					i++, j++;
				emit(html, NULL, a, pre + k, pre + i);
				continue;
			}
			size_t di = i, dj = j;
			while (
			    i < rn && (j >= rm || L(i + 1, j) >= L(i, j + 1)) &&
			    !(j < rm && same_token(&a[pre + i], &b[pre + j])))
				i++;
			while (
			    j < rm && (i >= rn || L(i, j + 1) > L(i + 1, j)) &&
			    !(i < rn && same_token(&a[pre + i], &b[pre + j])))
				j++;
			emit(html, "del", a, pre + di, pre + i);
			emit(html, "ins", b, pre + dj, pre + j);
		}
#undef L
		free(lcs);
	}
	emit(html, NULL, a, n - suf, n);
	double total = (double)(n + m);
	double alike = total > 0 ? 2.0 * (double)common / total : 1.0;
	free(a);
	free(b);
	return alike;
}

static int
same_block(const struct md_block *a, const struct md_block *b)
{
	return a->kind == b->kind && a->level == b->level &&
	       strcmp(a->text, b->text) == 0;
}

static void
open_block(struct buf *html, const struct md_block *b, const char *state)
{
	switch (b->kind) {
	case MD_HEADING:
		buf_printf(html, "<h%d class=\"rl-%s\">",
		    b->level + 1 > 6 ? 6 : b->level + 1, state);
		break;
	case MD_CODE:
		buf_printf(html, "<pre class=\"rl-%s\">", state);
		break;
	case MD_ITEM:
		/* an item keeps its list's numbering and its requirement id,
		 * which are not its text and are never compared */
		buf_printf(html, "<p class=\"rl-item%s rl-%s\">",
		    b->number ? " rl-ordered" : "", state);
		if (b->number)
			buf_printf(html,
			    "<span class=\"rl-number\">%d.</span> ", b->number);
		if (b->id) {
			buf_puts(html, "<span class=\"req-id\">");
			buf_puts_html(html, b->id);
			buf_puts(html, "</span> ");
		}
		break;
	case MD_ROW:
		buf_printf(html, "<p class=\"rl-row rl-%s\">", state);
		break;
	case MD_PARAGRAPH:
		buf_printf(html, "<p class=\"rl-%s\">", state);
		break;
	}
}

static void
close_block(struct buf *html, const struct md_block *b)
{
	switch (b->kind) {
	case MD_HEADING:
		buf_printf(
		    html, "</h%d>\n", b->level + 1 > 6 ? 6 : b->level + 1);
		break;
	case MD_CODE:
		buf_puts(html, "</pre>\n");
		break;
	default:
		buf_puts(html, "</p>\n");
		break;
	}
}

static void
whole_block(struct buf *html, const struct md_block *b, const char *state,
    const char *tag)
{
	open_block(html, b, state);
	if (tag)
		buf_printf(html, "<%s>", tag);
	buf_puts_html(html, b->text);
	if (tag)
		buf_printf(html, "</%s>", tag);
	close_block(html, b);
}

/* A run of removed blocks and a run of added ones at the same place. */
static void
emit_hunk(const struct md_block *old_blocks, size_t o0, size_t o1,
    const struct md_block *new_blocks, size_t n0, size_t n1, struct buf *html,
    struct redline_counts *counts)
{
	while (o0 < o1 || n0 < n1) {
		if (o0 < o1 && n0 < n1 &&
		    old_blocks[o0].kind == new_blocks[n0].kind) {
			struct buf diff = BUF_INIT;
			double alike = redline_text(
			    old_blocks[o0].text, new_blocks[n0].text, &diff);
			if (alike >= 0.4) {
				open_block(html, &new_blocks[n0], "changed");
				buf_put(html, diff.data, diff.len);
				close_block(html, &new_blocks[n0]);
				counts->changed++;
				buf_free(&diff);
				o0++, n0++;
				continue;
			}
			buf_free(&diff);
		}
		if (o0 < o1) {
			whole_block(html, &old_blocks[o0++], "removed", "del");
			counts->removed++;
		} else {
			whole_block(html, &new_blocks[n0++], "added", "ins");
			counts->added++;
		}
	}
}

size_t
redline_page(const struct md_block *old_blocks, size_t nold,
    const struct md_block *new_blocks, size_t nnew, struct buf *html,
    struct redline_counts *counts)
{
	struct redline_counts c = {0};
	size_t pre = 0;
	while (pre < nold && pre < nnew &&
	       same_block(&old_blocks[pre], &new_blocks[pre]))
		pre++;
	size_t suf = 0;
	while (suf < nold - pre && suf < nnew - pre &&
	       same_block(
	           &old_blocks[nold - 1 - suf], &new_blocks[nnew - 1 - suf]))
		suf++;
	for (size_t i = 0; i < pre; i++)
		whole_block(html, &new_blocks[i], "same", NULL);
	size_t rn = nold - pre - suf, rm = nnew - pre - suf;
	const struct md_block *a = old_blocks + pre, *b = new_blocks + pre;
	if ((rn + 1) * (rm + 1) > MAX_CELLS) {
		emit_hunk(a, 0, rn, b, 0, rm, html, &c);
	} else {
		uint32_t *lcs = mem_calloc((rn + 1) * (rm + 1), sizeof *lcs);
#define L(i, j) lcs[(i) * (rm + 1) + (j)]
		for (size_t i = rn; i-- > 0;)
			for (size_t j = rm; j-- > 0;)
				L(i, j) = same_block(&a[i], &b[j])
				              ? L(i + 1, j + 1) + 1
				              : (L(i + 1, j) >= L(i, j + 1)
				                        ? L(i + 1, j)
				                        : L(i, j + 1));
		size_t i = 0, j = 0;
		while (i < rn || j < rm) {
			if (i < rn && j < rm && same_block(&a[i], &b[j])) {
				whole_block(html, &b[j], "same", NULL);
				i++, j++;
				continue;
			}
			size_t di = i, dj = j;
			while (
			    (i < rn || j < rm) &&
			    !(i < rn && j < rm && same_block(&a[i], &b[j]))) {
				if (i < rn &&
				    (j >= rm || L(i + 1, j) >= L(i, j + 1)))
					i++;
				else
					j++;
			}
			emit_hunk(a, di, i, b, dj, j, html, &c);
		}
#undef L
		free(lcs);
	}
	for (size_t i = nnew - suf; i < nnew; i++)
		whole_block(html, &new_blocks[i], "same", NULL);
	if (counts) {
		counts->added += c.added;
		counts->removed += c.removed;
		counts->changed += c.changed;
	}
	return c.added + c.removed + c.changed;
}
