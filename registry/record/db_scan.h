/*
 * The whole registry in one pass, for publishing a snapshot and for bulk
 * export: every category, level, organisation, certificate (with the
 * events the status rules need) and event, each in a fixed order.
 *
 * A scan calls fn once per row; the row and every string in it are
 * borrowed for that call only.  fn returns 0 to go on, or -1 to stop,
 * having left its own message (with db_fail()).  A scan returns 0 when
 * it saw every row, else -1: fn stopped it, or a read failed, and then
 * db_error() says which ("reading events: disk I/O error").  Every step
 * of every statement is checked, so a read error in the middle never
 * passes for the end of the rows.
 *
 * To see one registry from the first scan to the last while others
 * write, scan inside db_begin_read() ... db_end().
 */
#ifndef REGISTRY_RECORD_DB_SCAN_H
#define REGISTRY_RECORD_DB_SCAN_H

#include <stddef.h>

#include "registry/record/db.h"
#include "registry/rules/status.h"

struct db_category_row {
	const char *code;
	int position;
	const char *name_zh, *name_en;
};

struct db_level_row {
	int level;
	const char *name_zh, *name_en;
};

struct db_org_row {
	long long id;
	const char *name, *credit_code, *address; /* credit_code or NULL */
	long long certificate_count;              /* certificates it holds */
	const char *name_en;                      /* or NULL */
};

struct db_cert_row {
	long long id;
	const char *number, *category;
	int level, issued_on, valid_until;
	long long holder_id;
	const char *holder_name, *credit_code, *address; /* the holder's */
	const char *predecessor, *successor;             /* numbers, or NULL */
	long long predecessor_id, successor_id;          /* or 0 */
	const struct status_event *events; /* every event of the certificate */
	size_t event_count;
};

struct db_event_row {
	long long id;
	enum event_kind kind;
	long long certificate_id; /* 0 for organisation events */
	const char *number;       /* that certificate's number, or NULL */
	long long organisation_id;
	int effective_on;
	const char *recorded_at, *reason, *reference;
	int deadline;                      /* date, or DATE_NONE */
	long long target_id;               /* or 0 */
	const char *old_value, *new_value; /* or NULL */
	long long other_organisation_id;   /* or 0 */
	const char *other_number; /* other_certificate_id's number, or NULL */
	long long other_certificate_id; /* or 0 */
	int new_value_is_name; /* an org-add of the name the organisation
	                          still has */
};

/* Categories by code. */
int db_scan_categories(struct db *db,
    int (*fn)(void *arg, const struct db_category_row *row), void *arg);

/* Levels by level. */
int db_scan_levels(struct db *db,
    int (*fn)(void *arg, const struct db_level_row *row), void *arg);

/* Organisations by id. */
int db_scan_orgs(struct db *db,
    int (*fn)(void *arg, const struct db_org_row *row), void *arg);

/* Every certificate's id and number, in the order of the numbers
 * (binary, as strcmp()). */
int db_scan_numbers(struct db *db,
    int (*fn)(void *arg, long long id, const char *number), void *arg);

/* Certificates by id, each with its events. */
int db_scan_certs(struct db *db,
    int (*fn)(void *arg, const struct db_cert_row *row), void *arg);

/* The same without the holder's name, credit code and address, and
 * with the predecessor and successor by id only (NULL in each row),
 * which a publish does not copy. */
int db_scan_cert_facts(struct db *db,
    int (*fn)(void *arg, const struct db_cert_row *row), void *arg);

/* Events by id (the order of recording). */
int db_scan_events(struct db *db,
    int (*fn)(void *arg, const struct db_event_row *row), void *arg);

#endif
