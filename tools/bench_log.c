/*
 * The log's benchmark (tools/bench-log.sh runs it for make bench):
 * encodes and hashes COUNT synthetic registry events into the Merkle
 * tree, writes every tile and entry bundle of it into DIR, measures the
 * proofs of trees of 1,000 and of COUNT entries, a receipt, and signing
 * and checking a checkpoint.  Prints Markdown table rows:
 *
 *   bench-log DIR [COUNT]
 *
 * The events come in cycles of six, as a registry's would: an
 * organisation added, its certificate issued, an annual check, a warning,
 * a rectification order, a rename.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "registry/base/buf.h"
#include "registry/base/clock.h"
#include "registry/log/checkpoint.h"
#include "registry/log/entry.h"
#include "registry/log/receipt.h"
#include "registry/log/tiles.h"
#include "registry/log/tree.h"
#include "registry/rules/date.h"

/* An event of the synthetic registry, its strings in `text`. */
struct event {
	struct log_entry e;
	char number[32], old_name[64], new_name[64];
};

static int
day(const char *text)
{
	int d = DATE_NONE;

	date_parse(text, &d);
	return d;
}

static void
event_at(uint64_t i, struct event *ev)
{
	uint64_t cycle = i / 6;
	long long org = (long long)cycle + 1;
	struct log_entry *e = &ev->e;

	memset(ev, 0, sizeof *ev);
	snprintf(ev->number, sizeof ev->number, "CNITSEC-CS1-2024-%06llu",
	    (unsigned long long)(cycle % 1000000));
	snprintf(ev->old_name, sizeof ev->old_name, "组织%llu有限公司",
	    (unsigned long long)org);
	snprintf(ev->new_name, sizeof ev->new_name, "组织%llu科技有限公司",
	    (unsigned long long)org);
	*e = (struct log_entry){.seq = (long long)i + 1,
	    .organisation_id = org,
	    .recorded_at = "2025-07-01T08:00:00Z",
	    .reason = "",
	    .reference = "",
	    .deadline = DATE_NONE};
	switch (i % 6) {
	case 0:
		e->kind = EVENT_ORG_ADD;
		e->effective_on = day("2024-01-10");
		e->new_value = ev->old_name;
		break;
	case 1:
		e->kind = EVENT_ISSUE;
		e->number = ev->number;
		e->effective_on = day("2024-03-01");
		break;
	case 2:
		e->kind = EVENT_ANNUAL_CHECK;
		e->number = ev->number;
		e->effective_on = day("2025-02-15");
		break;
	case 3:
		e->kind = EVENT_WARN;
		e->number = ev->number;
		e->effective_on = day("2025-06-01");
		e->reason = "未按时提交年度报告";
		e->reference = "公告〔2025〕12号";
		break;
	case 4:
		e->kind = EVENT_RECTIFY;
		e->number = ev->number;
		e->effective_on = day("2025-07-01");
		e->deadline = day("2025-12-31");
		e->reason = "限期整改";
		break;
	default:
		e->kind = EVENT_ORG_RENAME;
		e->effective_on = day("2025-08-01");
		e->old_value = ev->old_name;
		e->new_value = ev->new_name;
		break;
	}
}

static void
encode(uint64_t i, struct buf *out)
{
	struct event ev;
	char why[256];

	event_at(i, &ev);
	buf_reset(out);
	if (log_entry_encode(&ev.e, out, why, sizeof why) != 0) {
		fprintf(stderr, "bench-log: %s\n", why);
		exit(1);
	}
}

/* Files written under a folder: the tiles' callback. */
struct folder {
	const char *dir;
	size_t files, bytes;
};

static int
write_file(void *arg, const char *path, const void *data, size_t len)
{
	struct folder *f = arg;
	char full[4096];
	int fd;

	snprintf(full, sizeof full, "%s/%s", f->dir, path);
	for (char *slash = strchr(full + strlen(f->dir) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(full, 0755) != 0 && errno != EEXIST)
			return -1;
		*slash = '/';
	}
	if ((fd = open(full, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
		return -1;
	if (write(fd, data, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	f->files++;
	f->bytes += len;
	return close(fd);
}

/* "1,000,000" */
static const char *
commas(uint64_t n, char buf[32])
{
	char digits[24];
	int len =
	    snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
	char *p = buf;

	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			*p++ = ',';
		*p++ = digits[i];
	}
	*p = '\0';
	return buf;
}

/* The largest proofs of a tree of `size`: over every leaf and every
 * old size when there are few, else over `samples` spread evenly. */
static void
proof_sizes(const struct log_tree *tree, uint64_t size, uint64_t samples,
    size_t *inclusion, size_t *consistency, double *microseconds)
{
	uint64_t step = size <= samples ? 1 : size / samples, count = 0;
	struct log_proof proof;
	double start = clock_seconds();

	*inclusion = *consistency = 0;
	for (uint64_t i = 0; i < size; i += step, count++) {
		log_tree_inclusion(tree, i, size, &proof, NULL, 0);
		if (proof.count > *inclusion)
			*inclusion = proof.count;
	}
	*microseconds = (clock_seconds() - start) * 1e6 / (double)count;
	for (uint64_t m = 1; m < size; m += step) {
		log_tree_consistency(tree, m, size, &proof, NULL, 0);
		if (proof.count > *consistency)
			*consistency = proof.count;
	}
}

int
main(int argc, char **argv)
{
	uint64_t count = argc > 2 ? strtoull(argv[2], NULL, 10) : 1000000;
	struct log_tree *tree = log_tree_new(), *small = log_tree_new();
	struct folder folder = {argc > 1 ? argv[1] : NULL, 0, 0};
	struct log_tiles_bundler *bundler;
	struct buf entry = BUF_INIT, note = BUF_INIT, receipt = BUF_INIT;
	struct log_note_signer signer;
	struct log_note_verifier key;
	struct log_checkpoint cp = {0};
	struct log_receipt_event events[6];
	struct event ev[6];
	struct log_note opened;
	uint8_t seed[32] = {42};
	size_t inclusion, consistency;
	double start, hashing, tiles, per_proof, sign_us, verify_us;
	char n[32], m[32], why[256];
	uint64_t cycle;

	if (folder.dir == NULL || count < 1000 || count >= LOG_SIZE_LIMIT) {
		fprintf(stderr, "usage: bench-log DIR [COUNT >= 1000]\n");
		return 2;
	}
	commas(count, n);

	/* Encode and hash every entry into the tree. */
	start = clock_seconds();
	for (uint64_t i = 0; i < count; i++) {
		encode(i, &entry);
		log_tree_append_entry(tree, entry.data, entry.len);
		if (i < 1000)
			log_tree_append_entry(small, entry.data, entry.len);
	}
	hashing = clock_seconds() - start;
	printf("| log: encode and hash %s events into the Merkle tree | "
	       "%.2f s, %.2f µs an event | | |\n",
	    n, hashing, hashing * 1e6 / (double)count);

	/* Every tile and entry bundle, as files. */
	start = clock_seconds();
	bundler = log_tiles_bundler_new(0, write_file, &folder);
	for (uint64_t i = 0; i < count; i++) {
		encode(i, &entry);
		if (log_tiles_bundler_add(bundler, entry.data, entry.len) != 0)
			goto io_error;
	}
	if (log_tiles_bundler_finish(bundler) != 0 ||
	    log_tiles_write(tree, 0, count, write_file, &folder) != 0)
		goto io_error;
	tiles = clock_seconds() - start;
	printf("| log: write every tile and entry bundle of %s events | "
	       "%.2f s, %s files, %.1f MB | | |\n",
	    n, tiles, commas(folder.files, m),
	    (double)folder.bytes / 1048576.0);

	proof_sizes(small, 1000, 1000, &inclusion, &consistency, &per_proof);
	printf("| log: proof sizes, 1,000 events | inclusion up to %zu hashes "
	       "(%zu bytes), consistency up to %zu (%zu bytes) | | |\n",
	    inclusion, inclusion * LOG_HASH_SIZE, consistency,
	    consistency * LOG_HASH_SIZE);
	proof_sizes(tree, count, 20000, &inclusion, &consistency, &per_proof);
	printf("| log: proof sizes, %s events | inclusion up to %zu hashes "
	       "(%zu bytes), consistency up to %zu (%zu bytes); %.1f µs an "
	       "inclusion proof | | |\n",
	    n, inclusion, inclusion * LOG_HASH_SIZE, consistency,
	    consistency * LOG_HASH_SIZE, per_proof);

	/* Sign the checkpoint, check it, and a receipt of the certificate
	 * in the middle of the log. */
	log_note_signer_from_seed(
	    &signer, "registry.example.org/log", seed, NULL, 0);
	log_note_verifier_of(&signer, &key);
	snprintf(cp.origin, sizeof cp.origin, "registry.example.org/log");
	cp.size = count;
	log_tree_root(tree, count, cp.root, NULL, 0);
	cp.snapshot_date = day("2026-01-01");
	snprintf(cp.snapshot_sha256, sizeof cp.snapshot_sha256, "%064d", 0);
	start = clock_seconds();
	for (int i = 0; i < 100; i++) {
		buf_reset(&note);
		log_checkpoint_sign(&cp, &signer, &note, NULL, 0);
	}
	sign_us = (clock_seconds() - start) * 1e4;
	start = clock_seconds();
	for (int i = 0; i < 100; i++)
		log_note_open(note.data, note.len, &key, 1, &opened, NULL, 0);
	verify_us = (clock_seconds() - start) * 1e4;
	printf("| log: sign a checkpoint, check its signature | %.0f µs, "
	       "%.0f µs | | |\n",
	    sign_us, verify_us);
	cycle = count / 12;
	for (int i = 0; i < 6; i++) {
		event_at(cycle * 6 + (uint64_t)i, &ev[i]);
		ev[i].e.number = (i >= 1 && i <= 4) ? ev[i].number : NULL;
		ev[i].e.new_value = i == 0   ? ev[i].old_name
		                    : i == 5 ? ev[i].new_name
		                             : NULL;
		ev[i].e.old_value = i == 5 ? ev[i].old_name : NULL;
		events[i] = (struct log_receipt_event){
		    cycle * 6 + (uint64_t)i, &ev[i].e};
	}
	if (log_receipt_build(ev[1].number, events, 6, tree, note.data,
	        note.len, &receipt, why, sizeof why) != 0) {
		fprintf(stderr, "bench-log: receipt: %s\n", why);
		return 1;
	}
	printf("| log: a receipt of a certificate with 6 events, %s events | "
	       "%.1f KB | | |\n",
	    n, (double)receipt.len / 1024.0);
	log_note_signer_clear(&signer);
	log_tiles_bundler_free(bundler);
	log_tree_free(tree);
	log_tree_free(small);
	buf_free(&entry);
	buf_free(&note);
	buf_free(&receipt);
	return 0;
io_error:
	fprintf(stderr, "bench-log: writing under %s: %s\n", folder.dir,
	    strerror(errno));
	return 1;
}
