/*
 * The signed log on the website (see reglog.h).
 */
#include "site/reglog.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "registry/base/mem.h"
#include "registry/log/checkpoint.h"
#include "registry/log/entry.h"
#include "registry/log/receipt.h"
#include "registry/log/tree.h"
#include "registry/rules/date.h"
#include "registry/rules/label.h"
#include "registry/snapshot/log.h"

#define FILE_MAX (64 * 1024 * 1024)

struct reglog {
	char *dir;
	struct log_tree *tree;
	long long *seqs; /* the seq of each leaf */
	size_t count;
	char *note, *verifier;
	size_t note_len;
	struct log_checkpoint cp;
};

/* A file, whole and NUL-terminated, or NULL. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[65536];
	size_t n;
	int bad;

	if (f == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len <= FILE_MAX)
		buf_put(&b, chunk, n);
	bad = ferror(f) || b.len > FILE_MAX;
	fclose(f);
	if (bad) {
		buf_free(&b);
		errno = EIO;
		return NULL;
	}
	*len = b.len;
	buf_putc(&b, '\0');
	return buf_detach(&b);
}

/* The snapshot's events as the leaves of the log's tree. */
static int
build_tree(struct reglog *log, struct snapshot *s, char *why, size_t why_size)
{
	log->tree = snapshot_log_tree(s, &log->seqs, why, why_size);
	if (log->tree == NULL)
		return -1;
	log->count = (size_t)log_tree_size(log->tree);
	return 0;
}

struct reglog *
reglog_open(
    const char *snapshot_path, struct snapshot *s, char *why, size_t why_size)
{
	struct reglog *log = mem_calloc(1, sizeof *log);
	struct log_note_verifier key;
	uint8_t root[LOG_HASH_SIZE];
	char *path = NULL, reason[512];
	struct stat st;
	size_t len;

	why[0] = '\0';
	log->dir = mem_printf("%s.tlog", snapshot_path);
	if (stat(log->dir, &st) != 0 || !S_ISDIR(st.st_mode))
		goto fail; /* no log: no reason */
	path = mem_printf("%s/verifier-key", log->dir);
	if ((log->verifier = slurp(path, &len)) == NULL) {
		snprintf(why, why_size, "%s: %s", path, strerror(errno));
		goto fail;
	}
	log->verifier[strcspn(log->verifier, "\n")] = '\0';
	if (log_note_verifier_parse(log->verifier, strlen(log->verifier), &key,
	        reason, sizeof reason) != 0) {
		snprintf(why, why_size, "%s: %s", path, reason);
		goto fail;
	}
	free(path);
	path = mem_printf("%s/checkpoint", log->dir);
	if ((log->note = slurp(path, &log->note_len)) == NULL) {
		snprintf(why, why_size, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (log_checkpoint_open(log->note, log->note_len, &key, &log->cp,
	        reason, sizeof reason) != LOG_NOTE_VERIFIED) {
		snprintf(why, why_size, "%s: %s", path, reason);
		goto fail;
	}
	if (build_tree(log, s, reason, sizeof reason) != 0) {
		snprintf(why, why_size, "%s: the snapshot's events: %s",
		    snapshot_path, reason);
		goto fail;
	}
	if (log_tree_root(
	        log->tree, log->cp.size, root, reason, sizeof reason) != 0 ||
	    memcmp(root, log->cp.root, LOG_HASH_SIZE) != 0) {
		snprintf(why, why_size,
		    "%s: the checkpoint's tree of %llu entries is not the "
		    "events of %s",
		    path, (unsigned long long)log->cp.size, snapshot_path);
		goto fail;
	}
	free(path);
	return log;
fail:
	free(path);
	reglog_free(log);
	return NULL;
}

void
reglog_free(struct reglog *log)
{
	if (log == NULL)
		return;
	log_tree_free(log->tree);
	free(log->seqs);
	free(log->note);
	free(log->verifier);
	free(log->dir);
	free(log);
}

/* Copies folder `dir` (below the log's folder at `rel`) into the site. */
static int
copy_tree(struct build *b, const char *dir, const char *rel)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int rc = 0;

	if (d == NULL) {
		build_warn(b, "%s: %s", dir, strerror(errno));
		return -1;
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		char *from, *to;
		struct stat st;

		/* ".", "..", and what a publish stages or writes meanwhile */
		if (de->d_name[0] == '.' || strstr(de->d_name, ".tmp-"))
			continue;
		from = mem_printf("%s/%s", dir, de->d_name);
		to = mem_printf("%s/%s", rel, de->d_name);
		if (stat(from, &st) != 0) {
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			rc = copy_tree(b, from, to);
		} else if (S_ISREG(st.st_mode)) {
			size_t len = 0;
			char *data = slurp(from, &len);

			rc = data ? build_write(b, to, data, len) : -1;
			free(data);
		}
		if (rc != 0)
			build_warn(b, "%s: cannot be published", from);
		free(from);
		free(to);
	}
	closedir(d);
	return rc;
}

int
reglog_publish(struct reglog *log, struct build *b)
{
	/* The checkpoint read at the start, whatever a publish did since. */
	if (copy_tree(b, log->dir, "registry/log") != 0)
		return -1;
	return build_write(
	    b, "registry/log/checkpoint", log->note, log->note_len);
}

json_t *
reglog_json(const struct reglog *log)
{
	char day[DATE_BUFSIZE], words[LABEL_DATE_BUFSIZE];

	return json_pack("{s:s, s:s, s:I, s:s, s:s}", "verifier_key",
	    log->verifier, "origin", log->cp.origin, "size",
	    (json_int_t)log->cp.size, "date",
	    date_format(log->cp.snapshot_date, day), "date_words",
	    label_date_zh(log->cp.snapshot_date, words));
}

/* The leaf number of event `seq`, or -1. */
static long long
leaf_of(const struct reglog *log, long long seq)
{
	size_t lo = 0, hi = log->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (log->seqs[mid] < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < log->count && log->seqs[lo] == seq ? (long long)lo : -1;
}

/* The events of a receipt and the strings they point to. */
struct gathered {
	struct log_entry *entries;
	size_t count, cap;
	char **strings;
	size_t nstrings, strings_cap;
	long long holders[64];
	size_t nholders;
};

static const char *
keep(struct gathered *g, const char *s)
{
	if (s == NULL)
		return NULL;
	if (g->nstrings == g->strings_cap) {
		g->strings_cap = g->strings_cap ? 2 * g->strings_cap : 64;
		g->strings = mem_realloc(
		    g->strings, g->strings_cap * sizeof *g->strings);
	}
	return g->strings[g->nstrings++] = mem_strdup(s);
}

static void
gather(struct gathered *g, const struct reglog *log,
    const struct snapshot_event *ev)
{
	long long leaf = leaf_of(log, ev->seq);
	struct log_entry *e;

	if (leaf < 0 || (unsigned long long)leaf >= log->cp.size)
		return;
	if (g->count == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 32;
		g->entries =
		    mem_realloc(g->entries, g->cap * sizeof *g->entries);
	}
	e = &g->entries[g->count++];
	snapshot_log_entry(ev, e);
	e->number = keep(g, ev->number);
	e->recorded_at = keep(g, ev->recorded_at);
	e->reason = keep(g, ev->reason);
	e->reference = keep(g, ev->reference);
	e->old_value = keep(g, ev->old_value);
	e->new_value = keep(g, ev->new_value);
	e->other_number = keep(g, ev->other_number);
}

static void
add_holder(struct gathered *g, long long id)
{
	if (id == 0)
		return;
	for (size_t i = 0; i < g->nholders; i++)
		if (g->holders[i] == id)
			return;
	if (g->nholders < sizeof g->holders / sizeof g->holders[0])
		g->holders[g->nholders++] = id;
}

int
reglog_receipt(const struct reglog *log, struct snapshot *s, const char *number,
    struct buf *out, char *why, size_t why_size)
{
	struct log_receipt_event *events = NULL;
	struct snapshot_rows *rows;
	struct snapshot_event ev;
	struct gathered g = {0};
	int step, rc = -1;

	if ((rows = snapshot_history(s, number)) == NULL)
		goto failed;
	while ((step = snapshot_next_event(rows, &ev)) == 1) {
		gather(&g, log, &ev);
		if (ev.kind == EVENT_ISSUE || ev.kind == EVENT_TRANSFER)
			add_holder(&g, ev.organisation_id);
		if (ev.kind == EVENT_TRANSFER)
			add_holder(&g, ev.other_organisation_id);
	}
	snapshot_rows_done(rows);
	if (step < 0)
		goto failed;
	for (size_t h = 0; h < g.nholders; h++) {
		if ((rows = snapshot_org_events(s, g.holders[h])) == NULL)
			goto failed;
		while ((step = snapshot_next_event(rows, &ev)) == 1)
			if (ev.number == NULL &&
			    ev.organisation_id == g.holders[h])
				gather(&g, log, &ev);
		snapshot_rows_done(rows);
		if (step < 0)
			goto failed;
	}
	if (g.count == 0) {
		snprintf(
		    why, why_size, "%s has no event in the signed log", number);
		goto done;
	}
	events = mem_alloc(g.count * sizeof *events);
	for (size_t i = 0; i < g.count; i++)
		events[i] = (struct log_receipt_event){
		    (uint64_t)leaf_of(log, g.entries[i].seq), &g.entries[i]};
	rc = log_receipt_build(number, events, g.count, log->tree, log->note,
	    log->note_len, out, why, why_size);
	goto done;
failed:
	snprintf(why, why_size, "%s", snapshot_error(s));
done:
	for (size_t i = 0; i < g.nstrings; i++)
		free(g.strings[i]);
	free(g.strings);
	free(g.entries);
	free(events);
	return rc;
}
