/*
 * The tables of the registry database (the system of record): meta,
 * categories, levels, organisations, certificates and the append-only
 * events, with the triggers that keep the log append-only.  db.c runs
 * the migrations; this file only holds their SQL.
 */
#ifndef REGISTRY_RECORD_DB_SCHEMA_H
#define REGISTRY_RECORD_DB_SCHEMA_H

#define DB_SCHEMA_VERSION 3

/*
 * The SQL that takes the schema from version `from` to `from` + 1, or
 * NULL when there is none.  Version 1's levels rows are not in it: db.c
 * fills them from the rules' labels.
 */
const char *db_schema_migration(int from);

/* The indexes a first load may build after the rows, in two sets. */
enum db_schema_late {
	/*
	 * Into a registry without certificates: certificates by holder and
	 * events by organisation, which no import reads; events by
	 * certificate, which such an import reads only to say why it
	 * refuses a row (it knows the histories of its own certificates);
	 * and the unique index of certificate numbers, which the import
	 * then checks itself.
	 */
	DB_SCHEMA_LATE_CERTIFICATES,
	/*
	 * Into a registry without organisations: organisations by name and
	 * the unique index of credit codes, which the import then answers
	 * and checks itself.
	 */
	DB_SCHEMA_LATE_ORGANISATIONS,
};

/*
 * The SQL that creates (`create`) or drops the indexes of the set
 * `which`, so that a first load builds them once after the rows, in one
 * sort each, instead of entry by entry.
 */
const char *db_schema_late_indexes(enum db_schema_late which, int create);

#endif
