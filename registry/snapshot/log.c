/*
 * A snapshot's events as the log's leaves (see log.h): one sequential
 * read of the events, each entry encoded into one reused buffer.
 */
#include "registry/snapshot/log.h"

#include <stdio.h>
#include <stdlib.h>

#include "registry/base/buf.h"
#include "registry/base/mem.h"

void
snapshot_log_entry(const struct snapshot_event *ev, struct log_entry *out)
{
	*out = (struct log_entry){
	    .seq = ev->seq,
	    .kind = ev->kind,
	    .number = ev->number,
	    .organisation_id = ev->organisation_id,
	    .effective_on = ev->effective_on,
	    .recorded_at = ev->recorded_at,
	    .reason = ev->reason,
	    .reference = ev->reference,
	    .deadline = ev->deadline,
	    .target_seq = ev->target_seq,
	    .old_value = ev->old_value,
	    .new_value = ev->new_value,
	    .other_organisation_id = ev->other_organisation_id,
	    .other_number = ev->other_number,
	};
}

struct log_tree *
snapshot_log_tree(
    struct snapshot *s, long long **seqs, char *why, size_t why_size)
{
	struct snapshot_rows *rows = snapshot_events_after(s, 0);
	struct snapshot_event ev;
	struct log_tree *tree;
	struct buf entry = BUF_INIT;
	long long *seq = NULL;
	size_t count = 0, cap = 0;
	char reason[256];
	int step, rc = 0;

	if (rows == NULL) {
		snprintf(why, why_size, "%s", snapshot_error(s));
		return NULL;
	}
	tree = log_tree_new();
	while ((step = snapshot_next_event(rows, &ev)) == 1) {
		struct log_entry e;

		snapshot_log_entry(&ev, &e);
		buf_reset(&entry);
		if (log_entry_encode(&e, &entry, reason, sizeof reason) != 0) {
			snprintf(
			    why, why_size, "event %lld: %s", ev.seq, reason);
			rc = -1;
			break;
		}
		log_tree_append_entry(tree, entry.data, entry.len);
		if (seqs == NULL)
			continue;
		if (count == cap) {
			cap = cap ? 2 * cap : 4096;
			seq = mem_realloc(seq, cap * sizeof *seq);
		}
		seq[count++] = ev.seq;
	}
	if (step < 0) {
		snprintf(why, why_size, "%s", snapshot_error(s));
		rc = -1;
	}
	snapshot_rows_done(rows);
	buf_free(&entry);
	if (rc != 0) {
		log_tree_free(tree);
		free(seq);
		return NULL;
	}
	if (seqs != NULL)
		*seqs = seq;
	return tree;
}
