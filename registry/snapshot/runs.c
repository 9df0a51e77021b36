/*
 * Certificate numbers as runs (see runs.h).
 */
#include "registry/snapshot/runs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/base/mem.h"

/* The longest decimal tail a run counts (it fits a long long). */
#define TAIL_MAX 15

static int
add_run(struct number_runs *r, long long first_id, const char *prefix,
    size_t prefix_len, int width, long long first)
{
	struct number_run *run;
	char text[SNAPSHOT_NUMBER_MAX];

	if (prefix_len + (size_t)width >= SNAPSHOT_NUMBER_MAX)
		return -1;
	if (r->count == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		r->runs = mem_realloc(r->runs, r->cap * sizeof *r->runs);
	}
	run = &r->runs[r->count++];
	run->first_id = first_id;
	run->prefix = mem_alloc(prefix_len + 1);
	memcpy(run->prefix, prefix, prefix_len);
	run->prefix[prefix_len] = '\0';
	run->width = width;
	run->first = first;
	if (width > 0)
		snprintf(
		    text, sizeof text, "%s%0*lld", run->prefix, width, first);
	else
		snprintf(text, sizeof text, "%s", run->prefix);
	run->first_text = mem_strdup(text);
	return 0;
}

int
number_runs_add(struct number_runs *r, long long id, const char *number,
    char *why, size_t why_size)
{
	size_t len = strlen(number), at = len;
	char before[SNAPSHOT_NUMBER_MAX];
	long long value = 0;
	int width;

	if (id != r->last_id + 1) {
		snprintf(why, why_size, "certificate %lld out of order", id);
		return -1;
	}
	if (len == 0 || len >= SNAPSHOT_NUMBER_MAX) {
		snprintf(why, why_size,
		    "certificate number \"%.40s\" empty or longer than %d "
		    "bytes",
		    number, SNAPSHOT_NUMBER_MAX - 1);
		return -1;
	}
	if (number_runs_format(r, r->last_id, before) != NULL &&
	    strcmp(before, number) >= 0) {
		snprintf(why, why_size,
		    "certificate number %s twice or out of order", number);
		return -1;
	}
	while (at > 0 && len - at < TAIL_MAX && number[at - 1] >= '0' &&
	       number[at - 1] <= '9')
		at--;
	width = (int)(len - at);
	for (size_t i = at; i < len; i++)
		value = 10 * value + (number[i] - '0');
	r->last_id = id;
	if (width > 0 && r->count > 0) {
		const struct number_run *last = &r->runs[r->count - 1];
		if (last->width == width && strlen(last->prefix) == at &&
		    memcmp(last->prefix, number, at) == 0 &&
		    value == last->first + (id - last->first_id))
			return 0;
	}
	/* A number without a tail is its own run, all of it the prefix. */
	return add_run(r, id, number, width > 0 ? at : len, width, value);
}

int
number_runs_load(struct number_runs *r, long long first_id, const char *prefix,
    int width, long long first, char *why, size_t why_size)
{
	if (prefix == NULL || width < 0 || width > TAIL_MAX || first < 0 ||
	    first_id <= r->last_id ||
	    (r->count > 0 && first_id <= r->runs[r->count - 1].first_id) ||
	    add_run(r, first_id, prefix, strlen(prefix), width, first) != 0) {
		snprintf(why, why_size, "a malformed run of numbers at id %lld",
		    first_id);
		return -1;
	}
	return 0;
}

/* The run holding `id` (1 ≤ id ≤ last_id, at least one run). */
static size_t
run_of(const struct number_runs *r, long long id)
{
	size_t lo = 0, hi = r->count;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->runs[mid].first_id <= id)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* The last id of run `i`. */
static long long
run_end(const struct number_runs *r, size_t i)
{
	return i + 1 < r->count ? r->runs[i + 1].first_id - 1 : r->last_id;
}

/* The decimal digits of `value` (at least 0), at least `width` of them
 * (zeros in front), at `out` without a NUL: how many. */
static size_t
put_tail(char *out, long long value, int width)
{
	char digits[20];
	size_t len = 0;
	int n = 0;

	do {
		digits[n++] = (char)('0' + value % 10);
		value /= 10;
	} while (value > 0);
	for (int i = n; i < width; i++)
		out[len++] = '0';
	while (n > 0)
		out[len++] = digits[--n];
	return len;
}

const char *
number_runs_format(
    const struct number_runs *r, long long id, char out[SNAPSHOT_NUMBER_MAX])
{
	const struct number_run *run;
	long long value;
	size_t prefix_len;

	if (id < 1 || id > r->last_id || r->count == 0 ||
	    id < r->runs[0].first_id)
		return NULL;
	run = &r->runs[run_of(r, id)];
	if (run->width == 0) {
		if (id != run->first_id)
			return NULL;
		snprintf(out, SNAPSHOT_NUMBER_MAX, "%s", run->prefix);
		return out;
	}
	value = run->first + (id - run->first_id);
	prefix_len = strlen(run->prefix);
	/* What snprintf's "%s%0*lld" gives, without its cost (a publish
	 * formats a number for each one added and each link found); the
	 * rare number that might not fit goes through snprintf, which
	 * truncates it. */
	if (value < 0 || prefix_len + TAIL_MAX + 20 >= SNAPSHOT_NUMBER_MAX) {
		snprintf(out, SNAPSHOT_NUMBER_MAX, "%s%0*lld", run->prefix,
		    run->width, value);
		return out;
	}
	memcpy(out, run->prefix, prefix_len);
	out[prefix_len + put_tail(out + prefix_len, value, run->width)] = '\0';
	return out;
}

/* 1 when `cmp` (a strcmp() of a number with the text) lets the number
 * in: at most the text, or below it when `strict`. */
static int
within(int cmp, int strict)
{
	return strict ? cmp < 0 : cmp <= 0;
}

long long
number_runs_up_to(const struct number_runs *r, const char *text, int strict)
{
	const struct number_run *run;
	size_t lo = 0, hi = r->count, prefix_len;
	long long low = 0, high;

	if (text == NULL || r->count == 0 ||
	    !within(strcmp(r->runs[0].first_text, text), strict))
		return 0;
	/* The last run whose first number is in. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (within(strcmp(r->runs[mid].first_text, text), strict))
			lo = mid;
		else
			hi = mid;
	}
	run = &r->runs[lo];
	high = run_end(r, lo) - run->first_id;
	prefix_len = strlen(run->prefix);
	/* A text past the prefix is past every number of the run (they
	 * all begin with it and the first is in). */
	if (run->width == 0 || strncmp(text, run->prefix, prefix_len) != 0)
		return run->first_id + (run->width == 0 ? 0 : high);
	/* Tails of one width: their text order is their numeric order. */
	while (low < high) {
		long long mid = low + (high - low + 1) / 2;
		char tail[TAIL_MAX + 2];
		snprintf(
		    tail, sizeof tail, "%0*lld", run->width, run->first + mid);
		if (within(strcmp(tail, text + prefix_len), strict))
			low = mid;
		else
			high = mid - 1;
	}
	return run->first_id + low;
}

long long
number_runs_find(const struct number_runs *r, const char *text)
{
	long long id = number_runs_up_to(r, text, 0);
	char number[SNAPSHOT_NUMBER_MAX];

	if (id == 0 || number_runs_format(r, id, number) == NULL ||
	    strcmp(number, text) != 0)
		return 0;
	return id;
}

void
number_runs_free(struct number_runs *r)
{
	for (size_t i = 0; i < r->count; i++) {
		free(r->runs[i].prefix);
		free(r->runs[i].first_text);
	}
	free(r->runs);
	memset(r, 0, sizeof *r);
}
