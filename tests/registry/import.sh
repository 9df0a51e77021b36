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
	# A file is read ahead in a second thread, a pipe is not: the
	# message is the same (but for the file's name).
	local from_file
	from_file=$(sed "s|$TMP/bad.csv:|-:|" "$TMP/.err")
	cat "$TMP/bad.csv" | rctl --db "$db" import - >"$TMP/.out" 2>"$TMP/.err"
	check_eq "$1: the same from a pipe" "$from_file" "$(cat "$TMP/.err")"
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

# Files longer than what the second thread reads at once (2,048
# records): the import is the same as from a pipe, and a bad row or a
# CSV fault far in is found at its line.
"$BUILD/gen-registry" 5000 >"$TMP/g.csv"
rm -f "$TMP/g1.db"* "$TMP/g2.db"*
rctl -q --db "$TMP/g1.db" init
rctl -q --db "$TMP/g2.db" init
check_exit "import-2.13 5,000 rows from a file" 0 rctl -q --db "$TMP/g1.db" import "$TMP/g.csv"
cat "$TMP/g.csv" | rctl -q --db "$TMP/g2.db" import -
check_exit "import-2.13 5,000 rows from a pipe" 0 test "$(rows "$TMP/g2.db" certificates)" = 5000
rctl --db "$TMP/g1.db" export >"$TMP/g1.csv"
rctl --db "$TMP/g2.db" export >"$TMP/g2.csv"
check "import-2.13 the same registry" cmp "$TMP/g1.csv" "$TMP/g2.csv"
check_eq "import-2.13 every row" 5001 "$(wc -l <"$TMP/g1.csv")"
far_import() { # NAME LINE_NUMBER REPLACEMENT EXPECTED_MESSAGE
	rm -f "$TMP/far.db"*
	rctl -q --db "$TMP/far.db" init
	awk -v n="$2" -v line="$3" 'NR == n { print line "\r"; next } { print }' \
		"$TMP/g.csv" >"$TMP/far.csv"
	check_exit "$1: refused" 1 rctl --db "$TMP/far.db" import "$TMP/far.csv"
	check_contains "$1: message" "$TMP/.err" "registryctl: $TMP/far.csv:$4"
	check_eq "$1: nothing written" "0 0 0" \
		"$(rows "$TMP/far.db" organisations) $(rows "$TMP/far.db" certificates) $(rows "$TMP/far.db" events)"
}
far_import "import-2.14 a bad level on line 4500" 4500 \
	"CNITSEC-CS1-2023-990001,CS,7,2023-02-28,,,示例X有限公司,,," "4500: level: a level is 1 to 5, not 7"
far_import "import-2.15 an unknown category on line 2049" 2049 \
	"CNITSEC-ZZ1-2023-990001,ZZ,1,2023-02-28,,,示例X有限公司,,," "2049: category: unknown category ZZ"
far_import "import-2.16 a stray quote on line 4097" 4097 \
	'CNITSEC-CS1-2023-990001,CS,1,2023-02-28,,,示例"X,,,' "4097: quote inside an unquoted field"

# A renewal of a certificate the same file issued: checked on what the
# import remembers, and on the registry's events when that refuses.
late_import() { # NAME LINE_TO_APPEND EXPECTED_MESSAGE
	rm -f "$TMP/late.db"*
	rctl -q --db "$TMP/late.db" init
	{ cat "$TMP/g.csv"; printf '%s\r\n' "$2"; } >"$TMP/late.csv"
	check_exit "$1: refused" 1 rctl --db "$TMP/late.db" import "$TMP/late.csv"
	check_contains "$1: message" "$TMP/.err" "registryctl: $TMP/late.csv:5002: predecessor: $3"
	check_eq "$1: nothing written" "0 0" \
		"$(rows "$TMP/late.db" certificates) $(rows "$TMP/late.db" events)"
}
late_import "import-2.17 a second renewal" \
	"CNITSEC-CS1-2015-990001,CS,1,2015-08-18,,,合成组织2有限公司,91456399RK78DCYRAU,,CNITSEC-CS1-2012-000001" \
	"CNITSEC-CS1-2012-000001: renew on 2015-08-18: the certificate was superseded on 2015-08-18"
late_import "import-2.18 a renewal before the predecessor's issue" \
	"CNITSEC-CS1-2011-990001,CS,1,2011-08-18,,,合成组织2有限公司,91456399RK78DCYRAU,,CNITSEC-CS1-2015-000001" \
	"CNITSEC-CS1-2015-000001: renew on 2011-08-18: the certificate was only issued on 2015-08-18"

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
# import-5: a large file (20,000 generated rows), which the import loads
# with what it remembers of earlier rows and, into an empty registry, with
# a rollback journal instead of the write-ahead log.
"$BUILD/gen-registry" 20000 >"$TMP/g.csv"
G="$TMP/g.db"
rm -f "$G"*; rctl -q --db "$G" init
check_exit "import-5.1 20,000 rows into an empty registry" 0 rctl --db "$G" import "$TMP/g.csv"
check_eq "import-5.1 every row" 20000 "$(rows "$G" certificates)"
check_eq "import-5.2 the registry is back on the write-ahead log" wal \
	"$(sqlite3 "$G" 'PRAGMA journal_mode')"
check_eq "import-5.3 the database is sound" ok "$(sqlite3 "$G" 'PRAGMA integrity_check')"
check_eq "import-5.3 every reference holds" "" "$(sqlite3 "$G" 'PRAGMA foreign_key_check')"
rctl --db "$G" export >"$TMP/g2.csv"
# (the export fills in the organisations' ids, which the file leaves out)
awk -F, -v OFS=, 'NR > 1 { $6 = "" } { print }' "$TMP/g2.csv" >"$TMP/g3.csv"
check "import-5.4 its export is the file, with the ids" cmp "$TMP/g.csv" "$TMP/g3.csv"
check_eq "import-5.5 one organisation per credit code" \
	"$(tail -n +2 "$TMP/g.csv" | cut -d, -f8 | grep -c . | tr -d ' ')" \
	"$(sqlite3 "$G" "SELECT count(*) FROM certificates c JOIN organisations o ON o.id = c.holder_id WHERE o.credit_code IS NOT NULL")"
check_eq "import-5.5 the organisations" \
	"$(tail -n +2 "$TMP/g.csv" | cut -d, -f7,8 | sort -u | wc -l | tr -d ' ')" "$(rows "$G" organisations)"

# A bad last row of the large file: nothing written, into an empty
# registry and into one that holds rows.
last_bad() { # NAME DB LAST_ROW EXPECTED_MESSAGE
	local before after
	before=$(sqlite3 "$2" .dump | sha256sum)
	{ cat "$TMP/g.csv"; printf '%s\r\n' "$3"; } >"$TMP/last.csv"
	check_exit "$1: refused" 1 rctl --db "$2" import "$TMP/last.csv"
	check_contains "$1: message" "$TMP/.err" "registryctl: $TMP/last.csv:20002: $4"
	after=$(sqlite3 "$2" .dump | sha256sum)
	check_eq "$1: the registry as it was" "$before" "$after"
	check_eq "$1: on the write-ahead log" wal "$(sqlite3 "$2" 'PRAGMA journal_mode')"
}
E="$TMP/e.db"
rm -f "$E"*; rctl -q --db "$E" init
last_bad "import-5.6 a bad date at the very last row, empty registry" "$E" \
	"CNITSEC-CS1-2023-990001,CS,1,2023-02-29,,,示例X有限公司,,," \
	"issued_on: 2023-02-29 is not a date that exists"
check_eq "import-5.6 nothing in it" "0 0 0" "$(rows "$E" organisations) $(rows "$E" certificates) $(rows "$E" events)"
last_bad "import-5.7 a number twice in one file, 20,000 rows apart" "$E" \
	"$(sed -n 2p "$TMP/g.csv" | tr -d '\r')" \
	"number: certificate $(sed -n 2p "$TMP/g.csv" | cut -d, -f1) already exists"
last_bad "import-5.8 a credit code seen 20,000 rows before, under another name" "$E" \
	"CNITSEC-CS1-2023-990001,CS,1,2023-02-28,,,示例X有限公司,$(sed -n 2p "$TMP/g.csv" | cut -d, -f8),," \
	"organisation: credit code $(sed -n 2p "$TMP/g.csv" | cut -d, -f8) belongs to"
rctl -q --db "$E" import "$TMP/a.csv"
last_bad "import-5.9 a bad last row, registry with rows" "$E" \
	"CNITSEC-CS1-2023-990001,CS,1,2023-02-28,,,,,," "organisation: must not be empty"
last_bad "import-5.10 a number already in the registry, at the last row" "$E" \
	"$(sed -n 3p "$TMP/a.csv" | tr -d '\r')" \
	"number: certificate $(sed -n 3p "$TMP/a.csv" | cut -d, -f1) already exists"
# The same file into a registry that already holds the sample: the numbers,
# credit codes and names the registry holds are looked up, not assumed new.
check_exit "import-5.11 the large file into a registry with rows" 0 rctl --db "$E" import "$TMP/g.csv"
check_eq "import-5.11 every row" "$(( 20000 + $(rows "$A" certificates) ))" "$(rows "$E" certificates)"
check_exit "import-5.12 and again: refused at its first row" 1 rctl --db "$E" import "$TMP/g.csv"
check_contains "import-5.12 message" "$TMP/.err" "g.csv:2: number: certificate"

# An organisation without a credit code found again by its name after
# other rows; one with a credit code after others, with an address that
# differs refused.
printf '%s\r\n' "number,category,level,issued_on,organisation,credit_code,address" \
	"CNITSEC-CS1-2024-0001,CS,1,2024-03-01,境外甲公司,,海外" \
	"CNITSEC-CS1-2024-0002,CS,1,2024-03-02,示例乙有限公司,91350100M000100Y43,福州" \
	"CNITSEC-CS1-2024-0003,CS,1,2024-03-03,境外甲公司,,海外" \
	"CNITSEC-CS1-2024-0004,CS,1,2024-03-04,示例丙有限公司,,厦门" \
	"CNITSEC-CS1-2024-0005,CS,1,2024-03-05,示例乙有限公司,91350100M000100Y43," >"$TMP/o.csv"
rm -f "$TMP/o.db"*; rctl -q --db "$TMP/o.db" init
check_exit "import-5.13 organisations found again after other rows" 0 rctl --db "$TMP/o.db" import "$TMP/o.csv"
check_eq "import-5.13 three organisations" 3 "$(rows "$TMP/o.db" organisations)"
check_eq "import-5.13 each holds its own" "1|1 2|2 3|1 4|3 5|2" \
	"$(sqlite3 "$TMP/o.db" 'SELECT id || "|" || holder_id FROM certificates ORDER BY id' | tr '\n' ' ' | sed 's/ $//')"
printf '%s\r\n' "CNITSEC-CS1-2024-0006,CS,1,2024-03-06,示例乙有限公司,91350100M000100Y43,厦门" >>"$TMP/o.csv"
rm -f "$TMP/o.db"*; rctl -q --db "$TMP/o.db" init
check_exit "import-5.14 another address for an organisation of an earlier row" 1 rctl --db "$TMP/o.db" import "$TMP/o.csv"
check_contains "import-5.14 message" "$TMP/.err" "o.csv:7: address: organisation 2 has the address 福州"
check_eq "import-5.14 nothing written" 0 "$(rows "$TMP/o.db" organisations)"

# A first load while another connection reads the registry: it keeps the
# write-ahead log, and the reader its view.
rm -f "$TMP/r.db"*; rctl -q --db "$TMP/r.db" init
{ printf 'BEGIN;\nSELECT count(*) FROM certificates;\n'; sleep 3; printf 'SELECT count(*) FROM certificates;\nCOMMIT;\n'; } |
	sqlite3 "$TMP/r.db" >"$TMP/reader.out" &
reader=$!
sleep 1
check_exit "import-5.15 a first load while another reads" 0 rctl --db "$TMP/r.db" import "$TMP/g.csv"
wait "$reader"
check_eq "import-5.15 the reader saw the registry as it was" "0 0" "$(tr '\n' ' ' <"$TMP/reader.out" | sed 's/ $//')"
check_eq "import-5.15 every row" 20000 "$(rows "$TMP/r.db" certificates)"

# Killed in the middle of a large first load: the registry is as it was
# (SQLite rolls the journal back at the next open) and takes the import
# again.
"$BUILD/gen-registry" 300000 >"$TMP/k.csv"
K="$TMP/k.db"
rm -f "$K"*; rctl -q --db "$K" init
"$RCTL_BIN" --now "$NOW" -q --db "$K" import "$TMP/k.csv" &
pid=$!
# once pages of the import are in the file (its cache spilled)
for _ in $(seq 1 3000); do
	[ "$(stat -c %s "$K")" -gt 8000000 ] && break
	sleep 0.01
done
kill -KILL "$pid" 2>/dev/null
wait "$pid"
check_eq "import-6.1 killed while writing" 137 $?
check "import-6.1 the journal left behind" test -e "$K-journal"
check_exit "import-6.2 the registry opens" 0 rctl --db "$K" export "$TMP/k2.csv"
check_eq "import-6.2 nothing of the import in it" "0 0 0" "$(rows "$K" organisations) $(rows "$K" certificates) $(rows "$K" events)"
check_eq "import-6.3 sound" ok "$(sqlite3 "$K" 'PRAGMA integrity_check')"
check_eq "import-6.3 on the write-ahead log again" wal "$(sqlite3 "$K" 'PRAGMA journal_mode')"
check_exit "import-6.4 the import again" 0 rctl -q --db "$K" import "$TMP/k.csv"
check_eq "import-6.4 every row" 300000 "$(rows "$K" certificates)"

# import-7: a first load builds the indexes of numbers, credit codes and
# names after the rows and answers for them from memory meanwhile; it
# leaves the schema of a new registry and finds what a registry with
# rows finds.
schema() { sqlite3 "$1" "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name"; }
rm -f "$TMP/fresh.db"*; rctl -q --db "$TMP/fresh.db" init
schema "$TMP/fresh.db" >"$TMP/fresh-schema"
schema "$G" >"$TMP/g-schema"
check "import-7.1 a first load leaves the schema of a new registry" diff -u "$TMP/fresh-schema" "$TMP/g-schema"
schema "$K" >"$TMP/k-schema"
check "import-7.1 and so does one after a kill" diff -u "$TMP/fresh-schema" "$TMP/k-schema"
# into an empty registry and into one with an organisation already
both() { # CSV: imports it into $TMP/m0.db (empty) and $TMP/m1.db
	local n
	for n in 0 1; do
		rm -f "$TMP/m$n.db"*; rctl -q --db "$TMP/m$n.db" init
		[ "$n" = 0 ] || rctl -q --db "$TMP/m$n.db" org add "其他公司" --date 2020-01-01
		rctl --db "$TMP/m$n.db" import "$1" >"$TMP/m$n.out" 2>"$TMP/m$n.err"
		echo "exit $?" >>"$TMP/m$n.err"
	done
}
printf '%s\r\n' "number,category,level,issued_on,organisation_id,organisation,credit_code,address" \
	"CNITSEC-CS1-2024-0001,CS,1,2024-03-01,5,境外乙公司,,海外" \
	"CNITSEC-CS1-2024-0002,CS,1,2024-03-02,3,境外乙公司,,海外" \
	"CNITSEC-CS1-2024-0003,CS,1,2024-03-03,,示例乙有限公司,91350100M000100Y43,福州" \
	"CNITSEC-CS1-2024-0004,CS,1,2024-03-04,,境外乙公司,,海外" \
	"CNITSEC-CS1-2024-0005,CS,1,2024-03-05,,示例乙有限公司,91350100M000100Y43," >"$TMP/n.csv"
both "$TMP/n.csv"
holders() { sqlite3 "$1" "SELECT c.number || ':' || o.id || ':' || o.name FROM certificates c JOIN organisations o ON o.id = c.holder_id ORDER BY c.id" | tr '\n' ' ' | sed 's/ $//'; }
check_eq "import-7.2 namesakes without a credit code: the lowest id holds it" \
	"CNITSEC-CS1-2024-0001:5:境外乙公司 CNITSEC-CS1-2024-0002:3:境外乙公司 CNITSEC-CS1-2024-0003:6:示例乙有限公司 CNITSEC-CS1-2024-0004:3:境外乙公司 CNITSEC-CS1-2024-0005:6:示例乙有限公司" \
	"$(holders "$TMP/m0.db")"
check_eq "import-7.2 the same into a registry with an organisation" "$(holders "$TMP/m0.db")" "$(holders "$TMP/m1.db")"
printf '%s\r\n' "CNITSEC-CS1-2024-0006,CS,1,2024-03-06,9,示例丁有限公司,91350100M000100Y43,福州" >>"$TMP/n.csv"
both "$TMP/n.csv"
check_contains "import-7.3 a credit code an earlier row's organisation holds, given to a new id" "$TMP/m0.err" \
	"n.csv:7: credit_code: credit code 91350100M000100Y43 already belongs to organisation 6 (示例乙有限公司)"
check "import-7.3 the same message into a registry with an organisation" cmp "$TMP/m0.err" "$TMP/m1.err"
check_eq "import-7.3 nothing written" 0 "$(rows "$TMP/m0.db" certificates)"
printf '%s\r\n' "number,category,level,issued_on,organisation,credit_code,predecessor" \
	"CNITSEC-CS1-2021-0001,CS,1,2021-03-01,示例乙有限公司,91350100M000100Y43," \
	"CNITSEC-CS1-2024-0001,CS,1,2024-01-15,示例乙有限公司,91350100M000100Y43,CNITSEC-CS1-2021-0001" \
	"CNITSEC-CS1-2024-0002,CS,1,2024-01-15,示例乙有限公司,91350100M000100Y43,CNITSEC-CS1-2021-0002" >"$TMP/p.csv"
both "$TMP/p.csv"
check_contains "import-7.4 a predecessor not in the file" "$TMP/m0.err" \
	"p.csv:4: predecessor: no certificate CNITSEC-CS1-2021-0002 (a predecessor must come earlier in the file or be in the registry)"
check "import-7.4 the same message into a registry with an organisation" cmp "$TMP/m0.err" "$TMP/m1.err"
head -n 3 "$TMP/p.csv" >"$TMP/p2.csv"
both "$TMP/p2.csv"
check_eq "import-7.5 a predecessor of the file found" "CNITSEC-CS1-2024-0001" \
	"$(sqlite3 "$TMP/m0.db" "SELECT s.number FROM certificates p JOIN certificates s ON s.id = p.successor_id WHERE p.number = 'CNITSEC-CS1-2021-0001'")"
# The events' reason names the file: a name the registry would not take
# as text refuses the first row, and writes nothing.
tabbed="$TMP/tab"$'\t'"name.csv"
cp "$TMP/p2.csv" "$tabbed"
rm -f "$TMP/t.db"*; rctl -q --db "$TMP/t.db" init
check_exit "import-7.6 a file name with a tab" 1 rctl --db "$TMP/t.db" import "$tabbed"
check_contains "import-7.6 message" "$TMP/.err" "name.csv:2: number: reason: control characters are not allowed"
check_eq "import-7.6 nothing written" "0 0 0" "$(rows "$TMP/t.db" organisations) $(rows "$TMP/t.db" certificates) $(rows "$TMP/t.db" events)"
done_testing
