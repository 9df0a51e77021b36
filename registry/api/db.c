/*
 * The pool of snapshot connections and its hot swap (see db.h).  A
 * generation is one checked file and the connections open to it; the pool
 * points at the current one, and an old one lives on until its last
 * taken connection comes back.
 */
#include "registry/api/db.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "registry/base/mem.h"

struct generation {
	unsigned number;
	struct stat id; /* the file's identity */
	char last_modified[32];
	int open;            /* connections alive, taken or idle */
	struct api_db *idle; /* the connections not taken */
};

struct api_db {
	struct api_db_pool *pool;
	struct generation *generation;
	struct snapshot *snapshot;
	struct api_db *next; /* in the idle list */
};

struct api_db_pool {
	char *path;
	int connections;
	enum snapshot_check level;
	pthread_mutex_t lock;  /* current, the lists and counts */
	pthread_cond_t freed;  /* a connection came back */
	pthread_mutex_t check; /* one api_db_pool_check() at a time */
	struct generation *current;
	unsigned generations;
	struct stat refused; /* the last file refused */
	int has_refused;
	/* the watcher */
	pthread_t watcher;
	pthread_mutex_t watch_lock;
	pthread_cond_t wake;
	int watching, stop, interval_ms;
	void (*report)(void *arg, const char *message);
	void *report_arg;
};

static int
same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	       a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	       a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/*
 * Opens the file the path names now; its identity in *id.  When `want`
 * is not NULL, only that file will do.  NULL with `why` when it cannot be
 * read (or, with `want`, the path names another file now).
 */
static struct snapshot *
open_file(const char *path, const struct stat *want, struct stat *id, char *why,
    size_t why_size)
{
	for (int attempt = 0; attempt < 3; attempt++) {
		struct stat before, after;
		struct snapshot *s;

		if (stat(path, &before) != 0) {
			snprintf(
			    why, why_size, "%s: %s", path, strerror(errno));
			return NULL;
		}
		if (want != NULL && !same_file(&before, want)) {
			snprintf(why, why_size, "%s: replaced meanwhile", path);
			return NULL;
		}
		if ((s = snapshot_open(path, why, why_size)) == NULL)
			return NULL;
		/* The file read must be the one stat() saw: a rename in
		 * between means trying again. */
		if (stat(path, &after) == 0 && same_file(&before, &after)) {
			*id = after;
			return s;
		}
		snapshot_close(s);
	}
	snprintf(why, why_size, "%s: replaced while being opened", path);
	return NULL;
}

static struct api_db *
connection_new(struct api_db_pool *p, struct generation *g, struct snapshot *s)
{
	struct api_db *d = mem_calloc(1, sizeof *d);

	d->pool = p;
	d->generation = g;
	d->snapshot = s;
	d->next = g->idle;
	g->idle = d;
	g->open++;
	return d;
}

/* Closes a list of connections (of generations already detached). */
static void
close_list(struct api_db *d)
{
	while (d != NULL) {
		struct api_db *next = d->next;
		snapshot_close(d->snapshot);
		free(d);
		d = next;
	}
}

/*
 * The file the path names now, checked, with p->connections connections
 * (at least the one that was checked).  NULL with `why`; *id says which
 * file was refused (zeroed when none could be read).
 */
static struct generation *
generation_open(
    struct api_db_pool *p, struct stat *id, char *why, size_t why_size)
{
	struct snapshot *first;
	struct generation *g;
	struct tm tm;
	time_t published;

	memset(id, 0, sizeof *id);
	if ((first = open_file(p->path, NULL, id, why, why_size)) == NULL) {
		/* Its identity, so that it is refused once. */
		if (stat(p->path, id) != 0)
			memset(id, 0, sizeof *id);
		return NULL;
	}
	if (snapshot_check(first, p->level, why, why_size) != 0) {
		snapshot_close(first);
		return NULL;
	}
	g = mem_calloc(1, sizeof *g);
	g->id = *id;
	connection_new(p, g, first);
	for (int i = 1; i < p->connections; i++) {
		struct stat same;
		char ignored[256];
		struct snapshot *s =
		    open_file(p->path, &g->id, &same, ignored, sizeof ignored);
		if (s == NULL)
			break; /* replaced already: fewer connections */
		connection_new(p, g, s);
	}
	published = (time_t)snapshot_meta(first)->published_epoch;
	gmtime_r(&published, &tm);
	strftime(g->last_modified, sizeof g->last_modified,
	    "%a, %d %b %Y %H:%M:%S GMT", &tm);
	return g;
}

struct api_db_pool *
api_db_pool_open(const char *path, int connections, enum snapshot_check level,
    char *why, size_t why_size)
{
	struct api_db_pool *p = mem_calloc(1, sizeof *p);
	struct stat id;

	p->path = mem_strdup(path);
	p->connections = connections < 1 ? 1 : connections;
	p->level = level;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->freed, NULL);
	pthread_mutex_init(&p->check, NULL);
	pthread_mutex_init(&p->watch_lock, NULL);
	pthread_cond_init(&p->wake, NULL);
	if ((p->current = generation_open(p, &id, why, why_size)) == NULL) {
		api_db_pool_free(p);
		return NULL;
	}
	p->current->number = p->generations = 1;
	return p;
}

void
api_db_pool_free(struct api_db_pool *p)
{
	if (p == NULL)
		return;
	if (p->watching) {
		pthread_mutex_lock(&p->watch_lock);
		p->stop = 1;
		pthread_cond_signal(&p->wake);
		pthread_mutex_unlock(&p->watch_lock);
		pthread_join(p->watcher, NULL);
	}
	if (p->current != NULL) {
		close_list(p->current->idle);
		free(p->current);
	}
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->freed);
	pthread_mutex_destroy(&p->check);
	pthread_mutex_destroy(&p->watch_lock);
	pthread_cond_destroy(&p->wake);
	free(p->path);
	free(p);
}

int
api_db_pool_check(struct api_db_pool *p, char *why, size_t why_size)
{
	struct generation *fresh, *old;
	struct api_db *closing = NULL;
	struct stat st, id;
	int rc = 0;

	pthread_mutex_lock(&p->check);
	/* p->current changes only here, under p->check. */
	if (stat(p->path, &st) != 0) {
		/* Gone for a moment (or for good): keep what is open. */
		goto done;
	}
	if (same_file(&st, &p->current->id) ||
	    (p->has_refused && same_file(&st, &p->refused)))
		goto done;
	if ((fresh = generation_open(p, &id, why, why_size)) == NULL) {
		char reason[512];
		snprintf(reason, sizeof reason, "%s", why);
		snprintf(why, why_size,
		    "refused the new snapshot, still serving the one "
		    "published %s: %s",
		    p->current->last_modified, reason);
		p->refused = id.st_ino ? id : st;
		p->has_refused = 1;
		rc = -1;
		goto done;
	}
	pthread_mutex_lock(&p->lock);
	old = p->current;
	fresh->number = ++p->generations;
	p->current = fresh;
	/* The old generation's idle connections close now; those taken
	 * close when they come back. */
	closing = old->idle;
	for (struct api_db *d = closing; d != NULL; d = d->next)
		old->open--;
	old->idle = NULL;
	if (old->open == 0)
		free(old);
	pthread_cond_broadcast(&p->freed);
	pthread_mutex_unlock(&p->lock);
	close_list(closing);
	snprintf(why, why_size,
	    "serving the new snapshot %s (published %s, %d connections)",
	    p->path, fresh->last_modified, fresh->open);
	rc = 1;
done:
	pthread_mutex_unlock(&p->check);
	return rc;
}

static void *
watch(void *arg)
{
	struct api_db_pool *p = arg;
	char message[1024];

	pthread_mutex_lock(&p->watch_lock);
	while (!p->stop) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += p->interval_ms / 1000;
		until.tv_nsec += (long)(p->interval_ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&p->wake, &p->watch_lock, &until);
		if (p->stop)
			break;
		pthread_mutex_unlock(&p->watch_lock);
		if (api_db_pool_check(p, message, sizeof message) != 0 &&
		    p->report != NULL)
			p->report(p->report_arg, message);
		pthread_mutex_lock(&p->watch_lock);
	}
	pthread_mutex_unlock(&p->watch_lock);
	return NULL;
}

int
api_db_pool_watch(struct api_db_pool *p, int interval_ms,
    void (*report)(void *arg, const char *message), void *arg)
{
	p->interval_ms = interval_ms < 1 ? 1 : interval_ms;
	p->report = report;
	p->report_arg = arg;
	if (pthread_create(&p->watcher, NULL, watch, p) != 0)
		return -1;
	p->watching = 1;
	return 0;
}

struct api_db *
api_db_acquire(struct api_db_pool *p)
{
	struct api_db *d;

	pthread_mutex_lock(&p->lock);
	while (p->current->idle == NULL)
		pthread_cond_wait(&p->freed, &p->lock);
	d = p->current->idle;
	p->current->idle = d->next;
	d->next = NULL;
	pthread_mutex_unlock(&p->lock);
	return d;
}

void
api_db_release(struct api_db *d)
{
	struct api_db_pool *p;
	struct generation *g;
	int close_it = 0;

	if (d == NULL)
		return;
	p = d->pool;
	g = d->generation;
	pthread_mutex_lock(&p->lock);
	if (g == p->current) {
		d->next = g->idle;
		g->idle = d;
		pthread_cond_signal(&p->freed);
	} else {
		close_it = 1;
		if (--g->open == 0)
			free(g);
	}
	pthread_mutex_unlock(&p->lock);
	if (close_it) {
		d->next = NULL;
		close_list(d);
	}
}

unsigned
api_db_pool_generation(struct api_db_pool *p)
{
	unsigned n;

	pthread_mutex_lock(&p->lock);
	n = p->current->number;
	pthread_mutex_unlock(&p->lock);
	return n;
}

unsigned
api_db_generation(const struct api_db *d)
{
	return d->generation->number;
}

struct snapshot *
api_db_snapshot(struct api_db *d)
{
	return d->snapshot;
}

const struct snapshot_meta *
api_db_meta(const struct api_db *d)
{
	return snapshot_meta(d->snapshot);
}

const char *
api_db_last_modified(const struct api_db *d)
{
	return d->generation->last_modified;
}
