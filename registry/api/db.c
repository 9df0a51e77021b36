/*
 * Per-thread snapshots and their hot swap (see db.h).
 */
#include "registry/api/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "registry/base/clock.h"
#include "registry/base/mem.h"

struct api_db {
	char *path;
	struct snapshot *snapshot;
	struct stat id; /* the open file's identity */
	unsigned generation;
	int check_ms;
	long long checked_at;
	char last_modified[32];
};

struct api_db *
api_db_new(const char *path)
{
	struct api_db *d = mem_calloc(1, sizeof *d);

	d->path = mem_strdup(path);
	d->check_ms = 100;
	return d;
}

void
api_db_set_check_interval(struct api_db *d, int ms)
{
	d->check_ms = ms;
}

void
api_db_free(struct api_db *d)
{
	if (d == NULL)
		return;
	snapshot_close(d->snapshot);
	free(d->path);
	free(d);
}

static int
same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	       a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	       a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Opens the file the path names now; its identity in *id.  NULL with
 * `why` when it cannot be read. */
static struct snapshot *
open_file(const char *path, struct stat *id, char *why, size_t why_size)
{
	for (int attempt = 0; attempt < 3; attempt++) {
		struct stat before, after;
		struct snapshot *s;

		if (stat(path, &before) != 0) {
			snprintf(why, why_size, "%s: cannot read the snapshot",
			    path);
			return NULL;
		}
		if ((s = snapshot_open(path, why, why_size)) == NULL)
			continue;
		/* The file read must be the one stat() saw: a rename in
		 * between means trying again. */
		if (stat(path, &after) == 0 && same_file(&before, &after)) {
			*id = after;
			return s;
		}
		snapshot_close(s);
	}
	return NULL;
}

int
api_db_refresh(struct api_db *d, char *why, size_t why_size)
{
	long long now = clock_ms();
	struct snapshot *fresh;
	struct stat st, id;
	struct tm tm;
	time_t published;

	if (d->snapshot != NULL && now - d->checked_at < d->check_ms)
		return 0;
	d->checked_at = now;
	if (d->snapshot != NULL &&
	    (stat(d->path, &st) != 0 || same_file(&st, &d->id)))
		return 0;
	/* Open the new file beside the old one, and switch only when it
	 * reads. */
	if ((fresh = open_file(d->path, &id, why, why_size)) == NULL)
		return d->snapshot != NULL ? 0 : -1;
	snapshot_close(d->snapshot);
	d->snapshot = fresh;
	d->id = id;
	published = (time_t)snapshot_meta(fresh)->published_epoch;
	gmtime_r(&published, &tm);
	strftime(d->last_modified, sizeof d->last_modified,
	    "%a, %d %b %Y %H:%M:%S GMT", &tm);
	d->generation++;
	return 0;
}

unsigned
api_db_generation(const struct api_db *d)
{
	return d->generation;
}

struct snapshot *
api_db_snapshot(struct api_db *d)
{
	return d->snapshot;
}

const struct snapshot_meta *
api_db_meta(const struct api_db *d)
{
	static const struct snapshot_meta none;

	return d->snapshot ? snapshot_meta(d->snapshot) : &none;
}

const char *
api_db_last_modified(const struct api_db *d)
{
	return d->last_modified;
}
