/*
 * history: what git knows about the content's past, read in one walk of
 * the commits (first parents, newest first): which commits changed which
 * content files, following renames, so every page can say when it was last
 * amended and list its history; and the published editions, tags named
 * "edition/<name>".  With content.c and gitutil.c, the only modules that
 * include libgit2.
 */
#ifndef HISTORY_H
#define HISTORY_H

#include <stddef.h>

#include "registry/base/buf.h"
#include "site/editions.h"

enum change_kind {
	CHANGE_ADDED,
	CHANGE_MODIFIED,
	CHANGE_DELETED,
	CHANGE_RENAMED
};

struct history_change {
	enum change_kind kind;
	char *path;     /* as named in that commit (the new name of a rename) */
	char *old_path; /* the earlier name, for renames; else NULL */
	char *current;  /* the file's name now (at the revision built), or NULL
	                   when it no longer exists */
};

struct history_commit {
	char id[41];
	char *subject; /* the message's first line, for authors only */
	char *note;    /* the note for readers: the message's 说明: lines
	                  (HISTORY_NOTE_KEY), or NULL when it has none */
	char *author;
	long long time; /* author time, seconds since the epoch */
	int offset;     /* the author's offset from UTC, minutes */
	struct history_change *changes;
	size_t nchanges;
};

/* The commits that changed one file, newest first, as indexes. */
struct history_file {
	char *path; /* its current path */
	size_t *commits;
	size_t ncommits;
};

struct history {
	int shallow; /* the repository's history is cut short: no dates */
	long long revision_time; /* the revision walked from: its author date */
	int revision_offset;     /* (minutes east of UTC); known when shallow */
	struct history_commit *commits; /* newest first; only content changes */
	size_t ncommits;
	struct strmap *files; /* current path -> struct history_file */
};

/*
 * Walks the history of the files below subdir from revision rev.  In a
 * shallow clone, sets out->shallow and reads nothing but the revision's own
 * date (dates from a cut history would be wrong).  Changes no libgit2
 * setting (see gitutil_init).  Returns 0, or -1 with a message in err.
 */
int history_load(const char *repo, const char *subdir, const char *rev,
    struct history *out, struct buf *err);
/* The history of a current content file, or NULL when git has none. */
const struct history_file *history_file(
    const struct history *h, const char *path);
void history_free(struct history *h);

/*
 * Lists the tagged editions (tags "edition/<name>" that point at commits,
 * with a valid edition name), in no particular order (editions_merge
 * sorts); the tag's date, else the commit's, is the edition's.  The
 * caller frees them with editions_free.
 */
int history_editions(
    const char *repo, struct edition **out, size_t *count, struct buf *err);
/* Whether the repository holds the commit (a shallow clone may not). */
int history_has_commit(const char *repo, const char *commit_id);

/*
 * A commit's note for readers: the text after "说明:" (or "说明：") at the
 * start of lines of its message, the lines joined with "；", or NULL when
 * it has none.  The commit's subject and body are for authors; readers of
 * the changes page, the feed and page histories see this.
 */
#define HISTORY_NOTE_KEY "说明"
char *history_note(const char *message);

/*
 * The content's notes for readers on changes committed without a note, or
 * with one to be corrected (a commit's message cannot change):
 *
 *   notes:
 *     - commit: 342a22cf6164c6c6403f5268f86b46b2a7bb75a8
 *       note: 第3章各项要求加上编号，并新增自评清单
 *
 * Data for the build, like editions.yaml: not published, and a commit that
 * changes only it is not a change of the guide.
 */
#define CHANGES_NOTES_FILE "notes.yaml"

/*
 * Parses the notes file `data` read from path and gives each commit of h
 * it names its note (replacing the message's).  Returns 0, or -1 with
 * "path:line: ..." or "path: notes[i]: ..." in err (a commit that is not
 * in the history, one listed twice, an empty note).
 */
int history_apply_notes(struct history *h, const char *path, const char *data,
    size_t len, struct buf *err);

/* Formats a time as "YYYY-MM-DD" in its own offset. */
void history_format_date(long long time, int offset, struct buf *out);
/* Formats a time as RFC 3339, "2017-10-01T09:00:00+08:00". */
void history_format_rfc3339(long long time, int offset, struct buf *out);

#endif
