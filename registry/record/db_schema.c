/*
 * The registry database's schema, as the migrations that build it (see
 * db_schema.h).  A released migration never changes: a change of schema
 * is a new one, and DB_SCHEMA_VERSION goes up by one.
 */
#include "registry/record/db_schema.h"

#include <stddef.h>

/*
 * The indexes a first load builds after the rows (db_schema_late_indexes()):
 * those an import into an empty registry reads at most to say why it
 * refuses a row, and the unique ones on certificate numbers and credit
 * codes and the one on names, which it answers from memory.  Their text is the
 * one the migrations created them with.
 */
#define INDEX_CERTIFICATES_HOLDER                                              \
	"CREATE INDEX certificates_holder ON certificates(holder_id)"
#define INDEX_EVENTS_ORGANISATION                                              \
	"CREATE INDEX events_organisation ON events(organisation_id)"
#define INDEX_EVENTS_CERTIFICATE                                               \
	"CREATE INDEX events_certificate ON events(certificate_id)\n"          \
	"  WHERE certificate_id IS NOT NULL"
#define INDEX_CERTIFICATES_NUMBER                                              \
	"CREATE UNIQUE INDEX certificates_number ON certificates(number)"
#define INDEX_ORGANISATIONS_NAME                                               \
	"CREATE INDEX organisations_name ON organisations(name)"
#define INDEX_ORGANISATIONS_CREDIT_CODE                                        \
	"CREATE UNIQUE INDEX organisations_credit_code "                       \
	"ON organisations(credit_code)"

/* The triggers of organisations and certificates, as version 1 created
 * them (version 3 builds those tables again). */
#define TRIGGER_ORGANISATIONS_NO_DELETE                                        \
	"CREATE TRIGGER organisations_no_delete BEFORE DELETE ON "             \
	"organisations\n"                                                      \
	"BEGIN\n"                                                              \
	"  SELECT RAISE(ABORT, 'organisations are never deleted');\n"          \
	"END"
#define TRIGGER_CERTIFICATES_NO_DELETE                                         \
	"CREATE TRIGGER certificates_no_delete BEFORE DELETE ON "              \
	"certificates\n"                                                       \
	"BEGIN\n"                                                              \
	"  SELECT RAISE(ABORT, 'certificates are never deleted');\n"           \
	"END"
#define TRIGGER_CERTIFICATES_FACTS_FIXED                                       \
	"CREATE TRIGGER certificates_facts_fixed BEFORE UPDATE OF\n"           \
	"  number, category, level, issued_on, valid_until, predecessor_id\n"  \
	"  ON certificates BEGIN\n"                                            \
	"  SELECT RAISE(ABORT, 'a certificate''s facts never change');\n"      \
	"END"

/* Each migration takes the schema from version i to i + 1.  Version 1's
 * levels table is filled from the rules' labels (insert_levels()). */
static const char *const MIGRATIONS[DB_SCHEMA_VERSION] = {
    /* 0 -> 1 */
    "CREATE TABLE meta(\n"
    "  key TEXT PRIMARY KEY,\n"
    "  value TEXT NOT NULL);\n"
    "CREATE TABLE categories(\n"
    "  code TEXT PRIMARY KEY,\n"
    "  position INTEGER NOT NULL UNIQUE,\n"
    "  name_zh TEXT NOT NULL,\n"
    "  name_en TEXT NOT NULL);\n"
    "INSERT INTO categories VALUES\n"
    "  ('CS', 1, '云计算安全', 'Cloud computing security'),\n"
    "  ('SI', 2, '安全集成', 'Security integration'),\n"
    "  ('SO', 3, '安全运维', 'Security operations'),\n"
    "  ('ER', 4, '应急处理', 'Emergency response'),\n"
    "  ('RA', 5, '风险评估', 'Risk assessment'),\n"
    "  ('SD', 6, '软件安全开发', 'Secure software development'),\n"
    "  ('DR', 7, '灾难备份与恢复', 'Disaster backup and recovery');\n"
    "CREATE TABLE levels(\n"
    "  level INTEGER PRIMARY KEY,\n"
    "  name_zh TEXT NOT NULL,\n"
    "  name_en TEXT NOT NULL);\n"
    "CREATE TABLE organisations(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL CHECK (name <> ''),\n"
    "  credit_code TEXT UNIQUE,\n"
    "  address TEXT NOT NULL DEFAULT '');\n"
    "CREATE INDEX organisations_name ON organisations(name);\n"
    "CREATE TABLE certificates(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  number TEXT NOT NULL UNIQUE,\n"
    "  category TEXT NOT NULL REFERENCES categories(code),\n"
    "  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),\n"
    "  issued_on TEXT NOT NULL,\n"
    "  valid_until TEXT NOT NULL,\n"
    "  holder_id INTEGER NOT NULL REFERENCES organisations(id),\n"
    "  predecessor_id INTEGER REFERENCES certificates(id),\n"
    "  successor_id INTEGER REFERENCES "
    "certificates(id));\n" INDEX_CERTIFICATES_HOLDER ";\n"
    "CREATE TABLE events(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  kind TEXT NOT NULL,\n"
    "  certificate_id INTEGER REFERENCES certificates(id),\n"
    "  organisation_id INTEGER NOT NULL REFERENCES organisations(id),\n"
    "  effective_on TEXT NOT NULL,\n"
    "  recorded_at TEXT NOT NULL,\n"
    "  reason TEXT NOT NULL DEFAULT '',\n"
    "  reference TEXT NOT NULL DEFAULT '',\n"
    "  deadline TEXT,\n"
    "  target_id INTEGER REFERENCES events(id),\n"
    "  old_value TEXT,\n"
    "  new_value TEXT,\n"
    "  other_organisation_id INTEGER REFERENCES organisations(id),\n"
    "  other_certificate_id INTEGER REFERENCES "
    "certificates(id));\n" INDEX_EVENTS_CERTIFICATE
    ";\n" INDEX_EVENTS_ORGANISATION ";\n"
    "CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN\n"
    "  SELECT RAISE(ABORT, 'events are append-only: record a void event "
    "instead');\n"
    "END;\n"
    "CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN\n"
    "  SELECT RAISE(ABORT, 'events are append-only: record a void event "
    "instead');\n"
    "END;\n" TRIGGER_ORGANISATIONS_NO_DELETE
    ";\n" TRIGGER_CERTIFICATES_NO_DELETE ";\n" TRIGGER_CERTIFICATES_FACTS_FIXED
    ";\n",
    /* 1 -> 2: an English name an organisation may have (set by
     * org-name-en events; NULL when it has none). */
    "ALTER TABLE organisations ADD COLUMN name_en TEXT\n"
    "  CHECK (name_en IS NULL OR name_en <> '');\n",
    /* 2 -> 3: the certificates' numbers and the organisations' credit
     * codes unique by indexes of their own instead of by constraints in
     * the tables, so that a first load can build them after the rows
     * (SQLite cannot drop a constraint: both tables are built again,
     * with the same columns in the same order, the same rows and ids,
     * their indexes and their triggers; db_init() runs this with the
     * foreign keys off and checks them before it commits). */
    "CREATE TABLE organisations_3(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL CHECK (name <> ''),\n"
    "  credit_code TEXT,\n"
    "  address TEXT NOT NULL DEFAULT '',\n"
    "  name_en TEXT CHECK (name_en IS NULL OR name_en <> ''));\n"
    "INSERT INTO organisations_3(id, name, credit_code, address, name_en)\n"
    "  SELECT id, name, credit_code, address, name_en FROM organisations\n"
    "  ORDER BY id;\n"
    "DROP TABLE organisations;\n"
    "ALTER TABLE organisations_3 RENAME TO organisations;\n"
    "CREATE TABLE certificates_3(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  number TEXT NOT NULL,\n"
    "  category TEXT NOT NULL REFERENCES categories(code),\n"
    "  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),\n"
    "  issued_on TEXT NOT NULL,\n"
    "  valid_until TEXT NOT NULL,\n"
    "  holder_id INTEGER NOT NULL REFERENCES organisations(id),\n"
    "  predecessor_id INTEGER REFERENCES certificates(id),\n"
    "  successor_id INTEGER REFERENCES certificates(id));\n"
    "INSERT INTO certificates_3(id, number, category, level, issued_on,\n"
    "  valid_until, holder_id, predecessor_id, successor_id)\n"
    "  SELECT id, number, category, level, issued_on, valid_until,\n"
    "  holder_id, predecessor_id, successor_id FROM certificates\n"
    "  ORDER BY id;\n"
    "DROP TABLE certificates;\n"
    "ALTER TABLE certificates_3 RENAME TO "
    "certificates;\n" INDEX_ORGANISATIONS_NAME
    ";\n" INDEX_ORGANISATIONS_CREDIT_CODE ";\n" INDEX_CERTIFICATES_NUMBER
    ";\n" INDEX_CERTIFICATES_HOLDER ";\n" TRIGGER_ORGANISATIONS_NO_DELETE
    ";\n" TRIGGER_CERTIFICATES_NO_DELETE ";\n" TRIGGER_CERTIFICATES_FACTS_FIXED
    ";\n",
};

const char *
db_schema_late_indexes(enum db_schema_late which, int create)
{
	if (which == DB_SCHEMA_LATE_ORGANISATIONS)
		return create ? INDEX_ORGANISATIONS_NAME
		           ";\n" INDEX_ORGANISATIONS_CREDIT_CODE ";\n"
		              : "DROP INDEX organisations_name;\n"
		                "DROP INDEX organisations_credit_code;\n";
	return create ? INDEX_CERTIFICATES_HOLDER
	           ";\n" INDEX_EVENTS_ORGANISATION
	           ";\n" INDEX_EVENTS_CERTIFICATE
	           ";\n" INDEX_CERTIFICATES_NUMBER ";\n"
	              : "DROP INDEX certificates_holder;\n"
	                "DROP INDEX events_organisation;\n"
	                "DROP INDEX events_certificate;\n"
	                "DROP INDEX certificates_number;\n";
}

const char *
db_schema_migration(int from)
{
	if (from < 0 || from >= DB_SCHEMA_VERSION)
		return NULL;
	return MIGRATIONS[from];
}
