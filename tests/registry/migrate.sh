#!/bin/bash
# Schema migrations: a registry of version 2 (the sample's rows in the
# schema as version 2 left it, schema-2.sql) taken to version 3 by
# `registryctl init` keeps every row, has the schema of a new registry,
# keeps numbers and credit codes unique, and goes on working: commands,
# export, import, publish.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/helpers.bash"

NEW="$TMP/new.db" OLD="$TMP/old.db"
rctl -q --db "$NEW" sample
sqlite3 "$OLD" <"$SRC/tests/registry/schema-2.sql"
sqlite3 "$NEW" ".dump --data-only" | sqlite3 "$OLD"

# Every table's rows in a fixed order, one line each.
table_rows() { # DB
	local t
	for t in meta categories levels organisations certificates events; do
		echo "== $t"
		sqlite3 "$1" "SELECT * FROM $t ORDER BY 1"
	done
}
# The schema's objects by name.
schema() { sqlite3 "$1" "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name"; }

check_eq "migrate-1.1 the old registry is version 2" 2 "$(sqlite3 "$OLD" 'PRAGMA user_version')"
check_eq "migrate-1.1 with the sample's rows" "$(rows "$NEW" events)" "$(rows "$OLD" events)"
check_eq "migrate-1.1 numbers unique by the table's constraint" 1 \
	"$(sqlite3 "$OLD" "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_autoindex_certificates_1'")"
check_exit "migrate-1.2 version 2 is refused before init" 1 rctl --db "$OLD" export "$TMP/x.csv"
check_contains "migrate-1.2 says to migrate" "$TMP/.err" "schema version 2, expected 3 (run \`registryctl init\` to migrate)"
table_rows "$OLD" >"$TMP/old-rows"
check_exit "migrate-1.3 init migrates" 0 rctl --db "$OLD" init
check_eq "migrate-1.3 version 3" 3 "$(sqlite3 "$OLD" 'PRAGMA user_version')"
table_rows "$OLD" >"$TMP/migrated-rows"
check "migrate-1.4 every row as it was" cmp "$TMP/old-rows" "$TMP/migrated-rows"
table_rows "$NEW" >"$TMP/new-rows"
check "migrate-1.4 the rows of the registry it came from" cmp "$TMP/new-rows" "$TMP/migrated-rows"
schema "$NEW" >"$TMP/new-schema"
schema "$OLD" >"$TMP/old-schema"
check "migrate-1.5 the schema of a new registry" diff -u "$TMP/new-schema" "$TMP/old-schema"
check_contains "migrate-1.5 numbers unique by an index" "$TMP/old-schema" \
	"CREATE UNIQUE INDEX certificates_number ON certificates(number)"
check_contains "migrate-1.5 credit codes unique by an index" "$TMP/old-schema" \
	"CREATE UNIQUE INDEX organisations_credit_code ON organisations(credit_code)"
check_not_contains "migrate-1.5 no constraint left in the tables" "$TMP/old-schema" "sqlite_autoindex_certificates"
check_eq "migrate-1.6 sound" ok "$(sqlite3 "$OLD" 'PRAGMA integrity_check')"
check_eq "migrate-1.6 every foreign key holds" "" "$(sqlite3 "$OLD" 'PRAGMA foreign_key_check')"
check_exit "migrate-1.7 init again changes nothing" 0 rctl --db "$OLD" init
table_rows "$OLD" >"$TMP/again-rows"
check "migrate-1.7 the same rows" cmp "$TMP/migrated-rows" "$TMP/again-rows"

# The indexes hold what the constraints held, for any writer.
number=$(sqlite3 "$OLD" "SELECT number FROM certificates ORDER BY id LIMIT 1")
code=$(sqlite3 "$OLD" "SELECT credit_code FROM organisations WHERE credit_code IS NOT NULL ORDER BY id LIMIT 1")
check_fails "migrate-2.1 a number twice is refused by the registry" sqlite3 "$OLD" \
	"INSERT INTO certificates(number, category, level, issued_on, valid_until, holder_id)
	 SELECT number, category, level, issued_on, valid_until, holder_id FROM certificates WHERE number = '$number'"
check_contains "migrate-2.1 by the unique index" "$TMP/.out" "UNIQUE constraint failed: certificates.number"
check_fails "migrate-2.2 a credit code twice is refused by the registry" sqlite3 "$OLD" \
	"INSERT INTO organisations(name, credit_code) VALUES ('重复', '$code')"
check_contains "migrate-2.2 by the unique index" "$TMP/.out" "UNIQUE constraint failed: organisations.credit_code"
check_eq "migrate-2.3 the triggers are back" \
	"certificates_facts_fixed certificates_no_delete organisations_no_delete" \
	"$(sqlite3 "$OLD" "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name <> 'events' ORDER BY name" | tr '\n' ' ' | sed 's/ $//')"
check_fails "migrate-2.4 a certificate is never deleted" sqlite3 "$OLD" "DELETE FROM certificates WHERE number = '$number'"
check_contains "migrate-2.4 says so" "$TMP/.out" "certificates are never deleted"
check_exit "migrate-2.5 a credit code twice is refused by org add" 1 rctl --db "$OLD" org add "重复" --credit-code "$code" --date 2025-01-01
check_contains "migrate-2.5 names the holder" "$TMP/.err" "credit code $code already belongs to organisation"

# Commands on the migrated registry do what they do on a new one.
for db in "$NEW" "$OLD"; do
	rctl -q --db "$db" renew "$number" --date 2025-06-01 >"$TMP/renew.out" 2>&1
	echo "renew exit $?" >>"$TMP/renew.out"
	mv "$TMP/renew.out" "$db.renew"
done
check "migrate-3.1 renew does the same" cmp "$NEW.renew" "$OLD.renew"
rctl --db "$NEW" export "$TMP/new.csv"
check_exit "migrate-3.2 export" 0 rctl --db "$OLD" export "$TMP/old.csv"
check "migrate-3.2 the same bytes" cmp "$TMP/new.csv" "$TMP/old.csv"
check_exit "migrate-3.3 its export imported again is refused" 1 rctl --db "$OLD" import "$TMP/old.csv"
check_contains "migrate-3.3 at the first number" "$TMP/.err" "old.csv:2: number: certificate"
rctl -q --db "$TMP/empty.db" init
check_exit "migrate-3.4 its export into an empty registry" 0 rctl -q --db "$TMP/empty.db" import "$TMP/old.csv"
rctl --db "$TMP/empty.db" export "$TMP/empty.csv"
check "migrate-3.4 the same bytes again" cmp "$TMP/old.csv" "$TMP/empty.csv"
check_exit "migrate-3.5 publish" 0 rctl -q --db "$OLD" publish "$TMP/old-snap.db"
rctl -q --db "$NEW" publish "$TMP/new-snap.db"
check_eq "migrate-3.5 the same snapshot" \
	"$(sqlite3 "$TMP/new-snap.db" "SELECT value FROM meta WHERE key = 'sha256'")" \
	"$(sqlite3 "$TMP/old-snap.db" "SELECT value FROM meta WHERE key = 'sha256'")"
done_testing
