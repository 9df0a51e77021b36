/*
 * The log's routes (see proofs.h).
 */
#include "registry/api/proofs.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "registry/api/db.h"
#include "registry/api/hash.h"
#include "registry/api/json.h"
#include "registry/api/server.h"
#include "registry/base/buf.h"
#include "registry/base/mem.h"
#include "registry/log/checkpoint.h"
#include "registry/log/entry.h"
#include "registry/log/receipt.h"
#include "registry/log/tree.h"
#include "registry/snapshot/log.h"

#define NOTE_MAX 65536

struct api_proofs {
	pthread_mutex_t lock;
	char *dir;
	/* The snapshot the tree is of. */
	unsigned generation;
	int built;
	struct log_tree *tree;
	long long *seqs; /* the seq of each leaf */
	size_t count;
	/* The checkpoint served and its file's identity. */
	struct stat seen;
	char *note;
	size_t note_len;
	struct log_checkpoint cp;
	struct log_note_verifier key;
	char verifier[512];
	char why[1024]; /* why nothing is served, or "" */
};

struct api_proofs *
api_proofs_new(const char *log_dir)
{
	struct api_proofs *p;

	if (log_dir == NULL)
		return NULL;
	p = mem_calloc(1, sizeof *p);
	pthread_mutex_init(&p->lock, NULL);
	p->dir = mem_strdup(log_dir);
	return p;
}

void
api_proofs_free(struct api_proofs *p)
{
	if (p == NULL)
		return;
	log_tree_free(p->tree);
	free(p->seqs);
	free(p->note);
	free(p->dir);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

/* A file of the log folder, whole and NUL-terminated, or NULL. */
static char *
read_log_file(const struct api_proofs *p, const char *name, size_t *len)
{
	char *path = mem_printf("%s/%s", p->dir, name);
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	size_t n;

	free(path);
	if (f == NULL)
		return NULL;
	data = mem_alloc(NOTE_MAX + 1);
	n = fread(data, 1, NOTE_MAX + 1, f);
	if (ferror(f) || n > NOTE_MAX) {
		free(data);
		data = NULL;
	} else {
		data[n] = '\0';
		*len = n;
	}
	fclose(f);
	return data;
}

/* The snapshot's events as the leaves of a new tree. */
static int
build_tree(struct api_proofs *p, struct snapshot *snap)
{
	char reason[512];

	log_tree_free(p->tree);
	free(p->seqs);
	p->seqs = NULL;
	p->count = 0;
	p->tree = snapshot_log_tree(snap, &p->seqs, reason, sizeof reason);
	if (p->tree == NULL) {
		snprintf(
		    p->why, sizeof p->why, "the snapshot's events: %s", reason);
		return -1;
	}
	p->count = (size_t)log_tree_size(p->tree);
	return 0;
}

/* The checkpoint file, its key, and their match with the tree. */
static int
load_checkpoint(struct api_proofs *p)
{
	char *key_text, reason[512];
	uint8_t root[LOG_HASH_SIZE];
	size_t len = 0;

	free(p->note);
	p->note = NULL;
	if ((key_text = read_log_file(p, "verifier-key", &len)) == NULL) {
		snprintf(p->why, sizeof p->why, "%s/verifier-key: %s", p->dir,
		    strerror(errno ? errno : EIO));
		return -1;
	}
	len = strcspn(key_text, "\n");
	if (log_note_verifier_parse(
	        key_text, len, &p->key, reason, sizeof reason) != 0) {
		snprintf(p->why, sizeof p->why, "%s/verifier-key: %s", p->dir,
		    reason);
		free(key_text);
		return -1;
	}
	snprintf(p->verifier, sizeof p->verifier, "%.*s", (int)len, key_text);
	free(key_text);
	if ((p->note = read_log_file(p, "checkpoint", &p->note_len)) == NULL) {
		snprintf(p->why, sizeof p->why, "%s/checkpoint: %s", p->dir,
		    strerror(errno ? errno : EIO));
		return -1;
	}
	if (log_checkpoint_open(p->note, p->note_len, &p->key, &p->cp, reason,
	        sizeof reason) != LOG_NOTE_VERIFIED) {
		snprintf(
		    p->why, sizeof p->why, "%s/checkpoint: %s", p->dir, reason);
		return -1;
	}
	if (log_tree_root(p->tree, p->cp.size, root, reason, sizeof reason) !=
	        0 ||
	    memcmp(root, p->cp.root, LOG_HASH_SIZE) != 0) {
		snprintf(p->why, sizeof p->why,
		    "%s/checkpoint: its tree of %llu is not the snapshot's "
		    "events",
		    p->dir, (unsigned long long)p->cp.size);
		return -1;
	}
	return 0;
}

/*
 * Brings the state up to the request's snapshot and the checkpoint on
 * disk; called with the lock held.  0 when a checkpoint is served, -1
 * with p->why.
 */
static int
refresh(struct api_proofs *p, struct api_call *c)
{
	unsigned generation = api_db_generation(c->db);
	char *path = mem_printf("%s/checkpoint", p->dir);
	struct stat st;
	int changed;

	memset(&st, 0, sizeof st);
	if (stat(path, &st) != 0)
		memset(&st, 0, sizeof st);
	free(path);
	changed = st.st_ino != p->seen.st_ino || st.st_dev != p->seen.st_dev ||
	          st.st_size != p->seen.st_size ||
	          st.st_mtim.tv_sec != p->seen.st_mtim.tv_sec ||
	          st.st_mtim.tv_nsec != p->seen.st_mtim.tv_nsec;
	if (!p->built || generation != p->generation) {
		/* The whole log is read once per snapshot: no time limit. */
		snapshot_limit(c->snap, 0);
		p->why[0] = '\0';
		p->built = 1;
		p->generation = generation;
		if (build_tree(p, c->snap) != 0) {
			snapshot_limit(c->snap, c->config->query_ms);
			p->seen = st;
			free(p->note);
			p->note = NULL;
			return -1;
		}
		snapshot_limit(c->snap, c->config->query_ms);
		changed = 1;
	}
	if (changed) {
		p->seen = st;
		p->why[0] = '\0';
		if (load_checkpoint(p) != 0) {
			free(p->note);
			p->note = NULL;
		}
	}
	return p->note != NULL ? 0 : -1;
}

/* Takes the lock and refreshes; on failure answers 404 or 503, unlocks
 * and returns NULL. */
static struct api_proofs *
take(struct api_call *c)
{
	struct api_proofs *p = c->server->proofs;

	if (p == NULL) {
		api_call_problem(c, 404, NULL,
		    "this registry serves no signed log (registryd was "
		    "started without one)");
		return NULL;
	}
	pthread_mutex_lock(&p->lock);
	if (refresh(p, c) != 0) {
		api_call_problem(c, 503, NULL,
		    "the signed log cannot be served: %s", p->why);
		buf_puts(&c->resp->headers, "Retry-After: 5\r\n");
		pthread_mutex_unlock(&p->lock);
		return NULL;
	}
	return p;
}

void
api_proofs_checkpoint(struct api_call *c)
{
	struct api_proofs *p = take(c);

	if (p == NULL)
		return;
	c->resp->status = 200;
	buf_put(&c->resp->body, p->note, p->note_len);
	buf_puts(
	    &c->resp->headers, "Content-Type: text/plain; charset=utf-8\r\n");
	pthread_mutex_unlock(&p->lock);
}

/* The leaf number of event `seq`, or -1 when it is not a leaf. */
static long long
leaf_of(const struct api_proofs *p, long long seq)
{
	size_t lo = 0, hi = p->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->seqs[mid] < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < p->count && p->seqs[lo] == seq ? (long long)lo : -1;
}

/* Receipt events: the entries, their leaf numbers, their strings. */
struct gathered {
	struct log_receipt_event *events;
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
gathered_free(struct gathered *g)
{
	for (size_t i = 0; i < g->nstrings; i++)
		free(g->strings[i]);
	free(g->strings);
	free(g->events);
	free(g->entries);
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

/* Adds the event when it is a leaf of the checkpoint's tree. */
static void
gather(struct gathered *g, const struct api_proofs *p,
    const struct snapshot_event *ev)
{
	long long leaf = leaf_of(p, ev->seq);
	struct log_entry *e;

	if (leaf < 0 || (unsigned long long)leaf >= p->cp.size)
		return;
	if (g->count == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 32;
		g->entries =
		    mem_realloc(g->entries, g->cap * sizeof *g->entries);
	}
	e = &g->entries[g->count++];
	*e = (struct log_entry){
	    .seq = ev->seq,
	    .kind = ev->kind,
	    .number = keep(g, ev->number),
	    .organisation_id = ev->organisation_id,
	    .effective_on = ev->effective_on,
	    .recorded_at = keep(g, ev->recorded_at),
	    .reason = keep(g, ev->reason),
	    .reference = keep(g, ev->reference),
	    .deadline = ev->deadline,
	    .target_seq = ev->target_seq,
	    .old_value = keep(g, ev->old_value),
	    .new_value = keep(g, ev->new_value),
	    .other_organisation_id = ev->other_organisation_id,
	    .other_number = keep(g, ev->other_number),
	};
	/* The receipt's events point at the entries once all are in. */
	(void)leaf;
}

void
api_proofs_receipt(struct api_call *c, const char *number)
{
	struct snapshot_rows *rows;
	struct snapshot_event ev;
	struct snapshot_cert cert;
	struct gathered g = {0};
	struct api_proofs *p;
	char why[512];
	int step, found = 0;

	/* The certificate first: a 404 needs no log. */
	if ((rows = snapshot_cert(c->snap, number)) == NULL) {
		api_call_failed(c);
		return;
	}
	step = snapshot_next_cert(rows, &cert);
	snapshot_rows_done(rows);
	if (step < 0) {
		api_call_failed(c);
		return;
	}
	if (step == 0) {
		api_call_problem(c, 404, NULL,
		    "%s is not in the registry: there is no receipt of it",
		    number);
		return;
	}
	if ((p = take(c)) == NULL)
		return;
	if ((rows = snapshot_history(c->snap, number)) == NULL)
		goto failed;
	while ((step = snapshot_next_event(rows, &ev)) == 1) {
		gather(&g, p, &ev);
		add_holder(
		    &g, ev.kind == EVENT_ISSUE || ev.kind == EVENT_TRANSFER
		            ? ev.organisation_id
		            : 0);
		if (ev.kind == EVENT_TRANSFER)
			add_holder(&g, ev.other_organisation_id);
		found = 1;
	}
	snapshot_rows_done(rows);
	if (step < 0)
		goto failed;
	for (size_t h = 0; h < g.nholders; h++) {
		if ((rows = snapshot_org_events(c->snap, g.holders[h])) == NULL)
			goto failed;
		while ((step = snapshot_next_event(rows, &ev)) == 1)
			if (ev.number == NULL &&
			    ev.organisation_id == g.holders[h])
				gather(&g, p, &ev);
		snapshot_rows_done(rows);
		if (step < 0)
			goto failed;
	}
	if (!found || g.count == 0) {
		api_call_problem(c, 503, NULL,
		    "%s has no event in the signed log yet (the checkpoint "
		    "is older than the certificate)",
		    number);
		goto done;
	}
	g.events = mem_alloc(g.count * sizeof *g.events);
	for (size_t i = 0; i < g.count; i++)
		g.events[i] = (struct log_receipt_event){
		    (uint64_t)leaf_of(p, g.entries[i].seq), &g.entries[i]};
	if (log_receipt_build(number, g.events, g.count, p->tree, p->note,
	        p->note_len, &c->resp->body, why, sizeof why) != 0) {
		api_call_problem(c, 503, NULL,
		    "the receipt of %s cannot be made: %s", number, why);
		goto done;
	}
	api_call_ok(c);
	buf_puts(&c->resp->headers, "Content-Disposition: attachment; "
	                            "filename=\"receipt-");
	buf_puts(&c->resp->headers, number);
	buf_puts(&c->resp->headers, ".json\"\r\n");
	goto done;
failed:
	api_call_failed(c);
done:
	pthread_mutex_unlock(&p->lock);
	gathered_free(&g);
}

/* A tree size parameter: 0, or -1 after a 400. */
static int
size_param(struct api_call *c, const char *name, unsigned long long fallback,
    unsigned long long *out)
{
	const char *text = api_query_get(&c->query, name);
	char *end;

	*out = fallback;
	if (text == NULL)
		return 0;
	errno = 0;
	*out = strtoull(text, &end, 10);
	if (text[0] < '0' || text[0] > '9' || *end != '\0' || errno != 0 ||
	    (text[0] == '0' && text[1] != '\0') || *out >= LOG_SIZE_LIMIT) {
		api_call_problem(c, 400, name,
		    "%s must be a tree size: a whole number, no leading zero",
		    name);
		return -1;
	}
	return 0;
}

void
api_proofs_consistency(struct api_call *c)
{
	unsigned long long from, to;
	struct log_checkpoint newer;
	struct log_proof proof;
	struct api_proofs *p;
	char name[64], why[512], *note = NULL;
	size_t len = 0;

	if (api_query_get(&c->query, "from") == NULL) {
		api_call_problem(c, 400, "from",
		    "from (the tree size of the checkpoint you have) is "
		    "required");
		return;
	}
	if ((p = take(c)) == NULL)
		return;
	if (size_param(c, "from", 0, &from) != 0 ||
	    size_param(c, "to", p->cp.size, &to) != 0)
		goto done;
	if (from > to) {
		api_call_problem(c, 400, "from",
		    "from (%llu) must not be more than to (%llu): a log only "
		    "grows",
		    from, to);
		goto done;
	}
	if (to == p->cp.size) {
		note = mem_strdup(p->note);
		len = p->note_len;
	} else {
		snprintf(name, sizeof name, "checkpoints/%llu", to);
		note = to < p->cp.size ? read_log_file(p, name, &len) : NULL;
		if (note == NULL ||
		    log_checkpoint_open(note, len, &p->key, &newer, why,
		        sizeof why) != LOG_NOTE_VERIFIED ||
		    newer.size != to) {
			api_call_problem(c, 404, "to",
			    "no checkpoint was signed for a tree of %llu "
			    "entries",
			    to);
			goto done;
		}
	}
	if (log_tree_consistency(p->tree, from, to, &proof, why, sizeof why) !=
	    0) {
		api_call_problem(c, 400, "from", "%s", why);
		goto done;
	}
	log_receipt_consistency_write(
	    from, to, &proof, note, len, &c->resp->body);
	api_call_ok(c);
done:
	free(note);
	pthread_mutex_unlock(&p->lock);
}

json_t *
api_proofs_meta(struct api_call *c)
{
	struct api_proofs *p = c->server->proofs;
	json_t *out;

	if (p == NULL)
		return json_null();
	pthread_mutex_lock(&p->lock);
	if (refresh(p, c) != 0)
		out = json_null();
	else
		out = json_pack("{s:s, s:s, s:I, s:s}", "verifier_key",
		    p->verifier, "origin", p->cp.origin, "size",
		    (json_int_t)p->cp.size, "checkpoint", "/v1/checkpoint");
	pthread_mutex_unlock(&p->lock);
	return out;
}

void
api_proofs_etag(struct api_call *c, char etag[24])
{
	struct api_proofs *p = c->server->proofs;
	uint64_t h = API_HASH_INIT;

	h = api_hash_str(h, etag);
	if (p != NULL) {
		pthread_mutex_lock(&p->lock);
		if (refresh(p, c) == 0)
			h = api_hash_add(h, p->note, p->note_len);
		pthread_mutex_unlock(&p->lock);
	}
	snprintf(etag, 24, "\"%016llx\"", (unsigned long long)h);
}
