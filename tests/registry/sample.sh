#!/bin/bash
# sample: deterministic, about 200 fictional organisations, every status
# and flag on its reference date, refused on a registry with data, and
# buildable for other reference dates (leap days included).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/helpers.bash"

check_exit "sample-1.1 build" 0 rctl --db "$TMP/a.db" sample
check_contains "sample-1.1 summary" "$TMP/.err" "sample registry as of 2026-01-01: 200 organisations"
check_exit "sample-1.2 again, another clock" 0 "$RCTL_BIN" --now 2030-01-01T00:00:00Z --db "$TMP/b.db" sample
rctl --db "$TMP/a.db" export >"$TMP/a.csv"
rctl --db "$TMP/b.db" export >"$TMP/b.csv"
check "sample-1.3 the same registry whatever the clock" cmp "$TMP/a.csv" "$TMP/b.csv"
check_eq "sample-1.4 the same events, recorded times included" \
	"$(sqlite3 "$TMP/a.db" 'SELECT * FROM events ORDER BY id' | md5sum)" \
	"$(sqlite3 "$TMP/b.db" 'SELECT * FROM events ORDER BY id' | md5sum)"
check_eq "sample-1.5 200 organisations" "200" "$(rows "$TMP/a.db" organisations)"
check_eq "sample-1.6 names are clearly fictional" "0" \
	"$(sqlite3 "$TMP/a.db" "SELECT count(*) FROM organisations WHERE name NOT LIKE '示例%' AND name NOT LIKE '%(Sample)'")"
check_eq "sample-1.7 marked as sample" "1 2026-01-01" \
	"$(sqlite3 "$TMP/a.db" "SELECT group_concat(value, ' ') FROM (SELECT value FROM meta WHERE key IN ('sample', 'sample_today') ORDER BY key)")"
rctl -q --db "$TMP/x.db" init
codes=$(sqlite3 "$TMP/a.db" "SELECT credit_code FROM organisations WHERE credit_code IS NOT NULL")
accepted=0
for c in $codes; do
	rctl --db "$TMP/x.db" org add "x$c" --credit-code "$c" --date 2020-01-01 >/dev/null 2>&1 && accepted=$((accepted + 1))
done
check_eq "sample-1.8 every credit code passes the check" "$(wc -w <<<"$codes")" "$accepted"
check "sample-1.8 most organisations have one" test "$accepted" -gt 150
check_exit "sample-1.9 refused on a registry with data" 1 rctl --db "$TMP/a.db" sample
check_contains "sample-1.9 says why" "$TMP/.err" "sample needs an empty registry"
for s in valid suspended revoked expired superseded; do
	check_contains "sample-2.1 status $s on 2026-01-01" <(rctl --db "$TMP/a.db" export --format ndjson --as-of 2026-01-01) "\"status\":\"$s\""
done
rctl --db "$TMP/a.db" export --format ndjson --as-of 2026-01-01 >"$TMP/a.ndjson"
for f in warning rectification annual_check_overdue; do
	check_contains "sample-2.2 flag $f on 2026-01-01" "$TMP/a.ndjson" "\"$f\""
done
check_contains "sample-2.3 an annual window open" "$TMP/a.ndjson" '"state":"open","done_on":null},"annual_check_2"'
check_contains "sample-2.4 a renewal window open" "$TMP/a.ndjson" '"renewal":{"start":"2025-1'
for d in 2024-02-29 2031-07-15; do
	check_exit "sample-3.1 builds for $d" 0 rctl --db "$TMP/s$d.db" sample --today "$d"
	check_eq "sample-3.1 every status on $d" "5" \
		"$(rctl --db "$TMP/s$d.db" export --format ndjson --as-of "$d" | grep -o '"status":"[a-z]*"' | sort -u | wc -l)"
done
done_testing
