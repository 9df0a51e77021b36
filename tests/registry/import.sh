#!/bin/bash
# Import and export: the round trip (an export imported into an empty
# registry exports the same bytes), a bad row that rejects the whole file
# with file:line: column: why and writes nothing, and NDJSON.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/helpers.bash"

A="$TMP/a.db" B="$TMP/b.db" C="$TMP/c.db"
rctl -q --db "$A" sample
check_exit "import-1.1 export csv" 0 rctl --db "$A" export --format csv "$TMP/a.csv"
check_eq "import-1.1 one row per certificate and a header" \
	"$(( $(rows "$A" certificates) + 1 ))" "$(wc -l <"$TMP/a.csv")"
check_contains "import-1.1 header" "$TMP/a.csv" "number,category,level,issued_on,valid_until,organisation_id,organisation,credit_code,address,predecessor"
check "import-1.2 CRLF line ends" grep -q $'\r$' "$TMP/a.csv"
rctl -q --db "$B" init
check_exit "import-1.3 import into an empty registry" 0 rctl --db "$B" import "$TMP/a.csv"
check_contains "import-1.3 one-line summary" "$TMP/.err" "imported $(rows "$A" certificates) certificates"
rctl --db "$B" export >"$TMP/b.csv"
check "import-1.4 the export of the import is the same bytes" cmp "$TMP/a.csv" "$TMP/b.csv"
check_eq "import-1.5 successors are linked" \
	"$(sqlite3 "$A" 'SELECT count(*) FROM certificates WHERE predecessor_id IS NOT NULL')" \
	"$(sqlite3 "$B" 'SELECT count(*) FROM certificates WHERE predecessor_id IS NOT NULL')"
check_exit "import-1.6 importing it again is refused" 1 rctl --db "$B" import "$TMP/a.csv"
check_contains "import-1.6 names line and column" "$TMP/.err" "a.csv:2: number: certificate"
check_exit "import-1.7 quiet import prints nothing" 0 rctl -q --db "$C" init
check_exit "import-1.7 stdin" 0 rctl -q --db "$C" import - <"$TMP/a.csv"
check_eq "import-1.7 quiet" "" "$(cat "$TMP/.err")"

# A bad row anywhere rejects the whole file.
bad_import() { # NAME LINE_TO_APPEND EXPECTED_MESSAGE
	local db="$TMP/bad.db"
	rm -f "$db"*
	rctl -q --db "$db" init
	{ head -n 40 "$TMP/a.csv"; printf '%s\r\n' "$2"; } >"$TMP/bad.csv"
	check_exit "$1: refused" 1 rctl --db "$db" import "$TMP/bad.csv"
	check_contains "$1: message" "$TMP/.err" "registryctl: $TMP/bad.csv:$3"
	check_eq "$1: nothing written" "0 0 0" \
		"$(rows "$db" organisations) $(rows "$db" certificates) $(rows "$db" events)"
}
bad_import "import-2.1 a date that does not exist" \
	"CNITSEC-CS1-2023-0901,CS,1,2023-02-29,,,示例X有限公司,,," \
	"41: issued_on: 2023-02-29 is not a date that exists"
bad_import "import-2.2 level 6" \
	"CNITSEC-CS1-2023-0901,CS,6,2023-02-28,,,示例X有限公司,,," "41: level: a level is 1 to 5, not 6"
bad_import "import-2.3 wrong valid_until" \
	"CNITSEC-CS1-2023-0901,CS,1,2023-02-28,2026-02-28,,示例X有限公司,,," \
	"41: valid_until: must be 2026-02-27"
bad_import "import-2.4 bad credit code" \
	"CNITSEC-CS1-2023-0901,CS,1,2023-02-28,,,示例X有限公司,91350100M000100Y44,," \
	"41: credit_code: check character is '4', expected '3'"
bad_import "import-2.5 unknown category" \
	"CNITSEC-ZZ1-2023-0901,ZZ,1,2023-02-28,,,示例X有限公司,,," "41: category: unknown category ZZ"
bad_import "import-2.6 number of another level" \
	"CNITSEC-CS2-2023-0901,CS,1,2023-02-28,,,示例X有限公司,,," "41: number: number CNITSEC-CS2-2023-0901 does not match"
bad_import "import-2.7 missing organisation" \
	"CNITSEC-CS1-2023-0901,CS,1,2023-02-28,,,,,," "41: organisation: must not be empty"
bad_import "import-2.8 too few fields" "CNITSEC-CS1-2023-0901,CS,1" "41: expected 10 fields, found 3"
bad_import "import-2.9 unclosed quote" 'CNITSEC-CS1-2023-0901,CS,1,2023-02-28,,,"示例X,,,' \
	"41: quoted field not closed at the end of the file"
bad_import "import-2.10 unknown predecessor" \
	"CNITSEC-CS1-2023-0901,CS,1,2023-02-28,,,示例X有限公司,,,CNITSEC-CS1-2020-0001" \
	"41: predecessor: no certificate CNITSEC-CS1-2020-0001"
bad_import "import-2.11 organisation id with another name" \
	"CNITSEC-CS1-2023-0901,CS,1,2023-02-28,,1,示例X有限公司,,," "41: organisation: organisation 1 is named"
bad_import "import-2.12 number twice in the file" \
	"$(sed -n 2p "$TMP/a.csv" | tr -d '\r')" "41: number: certificate"

printf 'number,level\r\n' >"$TMP/h.csv"
rm -f "$TMP/h.db"*; rctl -q --db "$TMP/h.db" init
check_exit "import-3.1 header without required columns" 1 rctl --db "$TMP/h.db" import "$TMP/h.csv"
check_contains "import-3.1 says which" "$TMP/.err" "h.csv:1: the header has no column category"
printf 'number,colour\r\n' >"$TMP/h.csv"
check_exit "import-3.2 unknown column" 1 rctl --db "$TMP/h.db" import "$TMP/h.csv"
check_contains "import-3.2 says which" "$TMP/.err" 'h.csv:1: unknown column "colour"'
check_exit "import-3.3 missing file" 1 rctl --db "$TMP/h.db" import "$TMP/none.csv"
# Columns in another order, optional ones left out.
printf 'organisation,number,issued_on,level,category\r\n"示例,引号""公司",CNITSEC-CS1-2024-0001,2024-03-01,1,CS\r\n' >"$TMP/h.csv"
check_exit "import-3.4 columns in any order, quoted fields" 0 rctl --db "$TMP/h.db" import "$TMP/h.csv"
check_eq "import-3.4 the name with a comma and a quote" '示例,引号"公司' \
	"$(sqlite3 "$TMP/h.db" 'SELECT name FROM organisations')"

check_exit "export-4.1 ndjson" 0 rctl --db "$A" export --format ndjson --as-of 2026-01-01
check_eq "export-4.1 one line per certificate" "$(rows "$A" certificates)" "$(wc -l <"$TMP/.out")"
check_contains "export-4.1 status and flags" "$TMP/.out" '"status":"suspended"'
check_contains "export-4.1 unescaped Chinese" "$TMP/.out" '"name":"示例'
check_exit "export-4.2 bad format is bad usage" 2 rctl --db "$A" export --format xml
check_exit "export-4.3 unwritable file" 1 rctl --db "$A" export "$TMP/no/such/dir/x.csv"
done_testing
