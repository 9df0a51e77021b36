/*
 * Human-readable reports for `registryctl show` and `registryctl org
 * show`: a certificate's facts, status, flags, windows and history on a
 * date; an organisation with its former names and certificates.
 */
#ifndef REGISTRY_SHOW_H
#define REGISTRY_SHOW_H

#include <stdio.h>

#include "registry/record/db.h"

/* The status of a certificate on `day`.  0, or -1 with db_error(). */
int show_status(
    struct db *db, const struct cert *cert, int day, struct status *out);

/* Writes the report on certificate `number` as of `day` to `out`. */
int show_cert(struct db *db, const char *number, int day, FILE *out);

/* Writes the report on organisation `ref` (id or credit code). */
int show_org(struct db *db, const char *ref, int day, FILE *out);

#endif
