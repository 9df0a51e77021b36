/*
 * A deterministic sample registry of fictional organisations, for `make
 * run`, demonstrations and tests.
 */
#ifndef REGISTRY_SAMPLE_H
#define REGISTRY_SAMPLE_H

#include "registry/record/db.h"

/* The reference date when none is given. */
#define SAMPLE_DEFAULT_TODAY "2026-01-01"
#define SAMPLE_ORGANISATIONS 200

struct sample_summary {
	long long organisations, certificates, events;
};

/*
 * Fills an empty registry with SAMPLE_ORGANISATIONS organisations (names
 * start with 示例 or end with "(Sample)"), their certificates and
 * histories, such that on `today` every status (valid, suspended, revoked,
 * expired, superseded) and every flag (warning, rectification,
 * annual_check_overdue) occurs.  The same `today` gives the same registry
 * byte for byte: recorded times derive from effective dates, not the
 * clock.  Sets meta sample = 1 and sample_today.  0, or -1 with db_error().
 */
int sample_build(struct db *db, int today, struct sample_summary *summary);

#endif
