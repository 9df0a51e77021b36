/*
 * The tables of the registry database (the system of record): meta,
 * categories, levels, organisations, certificates and the append-only
 * events, with the triggers that keep the log append-only.  db.c runs
 * the migrations; this file only holds their SQL.
 */
#ifndef REGISTRY_RECORD_DB_SCHEMA_H
#define REGISTRY_RECORD_DB_SCHEMA_H

#define DB_SCHEMA_VERSION 2

/*
 * The SQL that takes the schema from version `from` to `from` + 1, or
 * NULL when there is none.  Version 1's levels rows are not in it: db.c
 * fills them from the rules' labels.
 */
const char *db_schema_migration(int from);

/*
 * The SQL that creates (`create`) or drops the indexes of the current
 * schema that no import reads (certificates by holder, events by
 * organisation), so that a first load builds them once after the rows
 * instead of entry by entry.
 */
const char *db_schema_late_indexes(int create);

#endif
