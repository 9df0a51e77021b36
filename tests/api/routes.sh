#!/bin/bash
# registryd over real HTTP on a loopback port, against the sample registry:
# every route, every error status, entity tags and 304, CORS preflight,
# HEAD, Link pagination walked to the end, as_of across a suspension,
# Chinese searches of one, two and five characters, the CSV export read
# back by sqlite3's CSV parser, the bulk check of 100 mixed entries, the
# same status cases in the API and both exports, the access log, a taken
# port, SIGTERM.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/helpers.bash"

api_fixture "$TMP/fx" >/dev/null || { not_ok "api-0.1 the fixture is built"; done_testing; }
start_registryd --db "$TMP/fx/snapshot.db" ||
	{ not_ok "api-0.2 registryd starts"; done_testing; }
SNAP="$TMP/fx/snapshot.db"
total=$(snapsql "$SNAP" "SELECT count(*) FROM certificates")

# Every route answers 200 with its media type.
while read -r path type; do
	check_eq "api-1 GET $path" 200 "$(fetch "$path")"
	check_eq "api-1 GET $path: Content-Type" "$type" "$(header Content-Type)"
done <<'ROUTES'
/healthz application/json; charset=utf-8
/v1/meta application/json; charset=utf-8
/v1/openapi.json application/json; charset=utf-8
/v1/certificates application/json; charset=utf-8
/v1/certificates?q=%E9%9D%92%E5%B2%9A application/json; charset=utf-8
/v1/certificates/CNITSEC-CS1-2024-0004 application/json; charset=utf-8
/v1/certificates/CNITSEC-CS1-2024-0004/history application/json; charset=utf-8
/v1/organisations application/json; charset=utf-8
/v1/organisations/15 application/json; charset=utf-8
/v1/changes application/json; charset=utf-8
/v1/changes.atom application/atom+xml; charset=utf-8
/v1/export/certificates.csv text/csv; charset=utf-8; header=present
/v1/export/certificates.ndjson application/x-ndjson; charset=utf-8
ROUTES

# Errors: a problem document naming the parameter.
while read -r status param path; do
	check_eq "api-2 $path: status" "$status" "$(fetch "$path")"
	check_eq "api-2 $path: problem+json" "application/problem+json" \
		"$(header Content-Type)"
	check_eq "api-2 $path: status member" "$status" "$(json_get "$TMP/b" '$.status')"
	[ "$param" = - ] ||
		check_eq "api-2 $path: names $param" "$param" "$(json_get "$TMP/b" '$.parameter')"
done <<'ERRORS'
400 foo /v1/certificates?foo=1
400 as_of /v1/certificates?as_of=2024-02-30
400 as_of /v1/certificates/CNITSEC-CS1-2024-0004?as_of=24-1-1
400 level /v1/certificates?level=7
400 status /v1/certificates?status=ok
400 category /v1/certificates?category=XX
400 limit /v1/certificates?limit=101
400 cursor /v1/certificates?cursor=bm9wZQ
400 q /v1/certificates?q=%FF%FE
400 q /v1/certificates?q=%C3
400 q /v1/certificates?q=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
400 kind /v1/changes?kind=delete
400 limit /v1/changes.atom?limit=0
400 as_of /v1/export/certificates.csv?as_of=tomorrow
400 level /v1/certificates?level=1&level=2
404 - /v1/certificates/CNITSEC-XX9-2000-0001
404 - /v1/certificates/CNITSEC-XX9-2000-0001/history
404 - /v1/organisations/999999
404 - /v1/organisations/x
404 - /v1/nothing
404 - /v1/certificates/a%2Fb
404 - /
ERRORS

# Methods: 405 with Allow, whatever the method.
for method in POST PUT DELETE PATCH FOO; do
	check_eq "api-3.1 $method is 405" 405 "$(fetch /v1/meta -X "$method")"
	check_eq "api-3.2 $method: Allow" "GET, HEAD, OPTIONS" "$(header Allow)"
done
for path in /v1/nothing "/v1/certificates?level=9" /v1/meta; do
	fetch "$path" -X FOO >/dev/null
	check "api-3.2a FOO $path: a CSP" grep -qi '^Content-Security-Policy: ' "$TMP/h"
	check "api-3.2b FOO $path: a Referrer-Policy" grep -qi '^Referrer-Policy: ' "$TMP/h"
	fetch "$path" >/dev/null
	check "api-3.2c GET $path: a CSP" grep -qi '^Content-Security-Policy: ' "$TMP/h"
	check "api-3.2d GET $path: nosniff" grep -qi '^X-Content-Type-Options: nosniff' "$TMP/h"
done
fetch /v1/meta >/dev/null
get_length=$(stat -c %s "$TMP/b")
get_header_length=$(header Content-Length)
check_eq "api-3.3 HEAD is answered" 200 "$(fetch /v1/meta -I)"
check "api-3.4 HEAD has no body (curl -I writes only the headers)" cmp -s "$TMP/b" "$TMP/h"
check_eq "api-3.5 GET's Content-Length is its body's length" "$get_length" "$get_header_length"
check_eq "api-3.5b HEAD gives the length GET sent" "$get_length" "$(header Content-Length)"
check_eq "api-3.6 OPTIONS is a CORS preflight" 204 "$(fetch /v1/certificates -X OPTIONS \
	-H 'Origin: https://buyer.example' -H 'Access-Control-Request-Method: GET')"
check_eq "api-3.7 preflight: methods" "GET, HEAD, OPTIONS" "$(header Access-Control-Allow-Methods)"
check_eq "api-3.8 preflight: origin" "*" "$(header Access-Control-Allow-Origin)"
check_contains "api-3.9 preflight: If-None-Match may be sent" "$TMP/h" "If-None-Match"

# Headers on a 200, ETag and 304.
fetch "/v1/certificates?level=2&limit=3" >/dev/null
etag=$(header ETag)
check "api-4.1 an ETag" test -n "$etag"
check_eq "api-4.2 Cache-Control" "public, max-age=60" "$(header Cache-Control)"
check_eq "api-4.3 Last-Modified is the publish time" "Thu, 01 Jan 2026 00:00:00 GMT" "$(header Last-Modified)"
check_eq "api-4.4 CORS" "*" "$(header Access-Control-Allow-Origin)"
check_contains "api-4.5 CORS exposes Link and ETag" "$TMP/h" "Access-Control-Expose-Headers: ETag, Link"
check_eq "api-4.6 nosniff" nosniff "$(header X-Content-Type-Options)"
check_eq "api-4.7 CSP" "default-src 'none'; frame-ancestors 'none'" "$(header Content-Security-Policy)"
check_eq "api-4.8 Referrer-Policy" no-referrer "$(header Referrer-Policy)"
check_eq "api-4.9 If-None-Match gives 304" 304 \
	"$(fetch "/v1/certificates?limit=3&level=2" -H "If-None-Match: $etag")"
check_eq "api-4.10 a 304 has no body" 0 "$(wc -c <"$TMP/b")"
check_eq "api-4.11 and the same tag" "$etag" "$(header ETag)"
check_eq "api-4.12 another request, another tag" 200 \
	"$(fetch "/v1/certificates?limit=4&level=2" -H "If-None-Match: $etag")"
check_eq "api-4.13 If-Modified-Since the publish time gives 304" 304 \
	"$(fetch /v1/meta -H 'If-Modified-Since: Thu, 01 Jan 2026 00:00:00 GMT')"
check_eq "api-4.14 errors are not cached" no-store "$(fetch /v1/nothing >/dev/null; header Cache-Control)"

# Link pagination walked to the end: every certificate exactly once.
walk() { # PATH FIELD -> one value per line in $TMP/walk
	local url="$BASE$1" field=$2 pages=0
	: >"$TMP/walk"
	while [ -n "$url" ] && [ $pages -lt 1000 ]; do
		curl -s -D "$TMP/wh" -o "$TMP/wb" "$url" || break
		sqlite3 :memory: "SELECT json_extract(value, '\$.$field') FROM
			json_each(readfile('$TMP/wb'), '\$.items')" >>"$TMP/walk"
		next=$(grep -i '^Link:' "$TMP/wh" | sed -n 's/^[^<]*<\([^>]*\)>; rel="next".*/\1/p' | tr -d '\r')
		url=${next:+$BASE$next}
		pages=$((pages + 1))
	done
	echo $pages
}
pages=$(walk "/v1/certificates?limit=7" number)
check_eq "api-5.1 the walk sees every certificate" "$total" "$(wc -l <"$TMP/walk")"
check_eq "api-5.2 each exactly once" "$total" "$(sort -u "$TMP/walk" | wc -l)"
check_eq "api-5.3 in number order" "$(LC_ALL=C sort "$TMP/walk")" "$(cat "$TMP/walk")"
check_eq "api-5.4 in pages of 7" $(((total + 6) / 7)) "$pages"
walk "/v1/certificates?status=suspended&limit=3" number >/dev/null
check_eq "api-5.5 a filtered walk" "$(snapsql "$SNAP" "SELECT count(*) FROM certificates WHERE status = 'suspended'")" \
	"$(sort -u "$TMP/walk" | wc -l)"
walk "/v1/organisations?limit=9" id >/dev/null
check_eq "api-5.6 organisations walked" "$(snapsql "$SNAP" "SELECT count(*) FROM organisations")" \
	"$(sort -u "$TMP/walk" | wc -l)"
walk "/v1/changes?limit=50" seq >/dev/null
check_eq "api-5.7 the change feed walked" "$(snapsql "$SNAP" "SELECT count(*) FROM events")" \
	"$(sort -u "$TMP/walk" | wc -l)"
walk "/v1/changes?kind=suspend,revoke&limit=4" kind >/dev/null
check_eq "api-5.8 the feed narrowed to suspensions and revocations" "revoke suspend" \
	"$(sort -u "$TMP/walk" | tr '\n' ' ' | sed 's/ $//')"

# as_of across a suspension (2025-08-04) and its reinstatement (2025-10-01).
for case in 2025-08-03:valid 2025-08-04:suspended 2025-09-30:suspended 2025-10-01:valid 2024-01-01:not_issued; do
	day=${case%%:*} want=${case#*:}
	fetch "/v1/certificates/CNITSEC-CS1-2024-0004?as_of=$day" >/dev/null
	check_eq "api-6 status on $day" "$want" "$(json_get "$TMP/b" '$.status')"
	check_eq "api-6 answered for $day" "$day" "$(json_get "$TMP/b" '$.as_of')"
done
fetch "/v1/certificates/CNITSEC-CS1-2024-0004" >/dev/null
check_eq "api-6.9 without as_of: the sample's own date" 2026-01-01 "$(json_get "$TMP/b" '$.as_of')"

# Chinese searches: one, two and five characters.
fetch "/v1/certificates?q=%E9%9D%92&limit=100" >/dev/null # 青
check_contains "api-7.1 one character" "$TMP/b" '"number":"CNITSEC-CS2-2024-0001"'
fetch "/v1/certificates?q=%E9%9D%92%E5%B2%9A" >/dev/null # 青岚
check_contains "api-7.2 two characters" "$TMP/b" '"number":"CNITSEC-CS2-2024-0001"'
fetch "/v1/certificates?q=%E9%9D%92%E5%B2%9A%E4%BA%91%E5%AE%89%E5%85%A8" >/dev/null # 青岚云安全
check_eq "api-7.3 five characters" CNITSEC-CS2-2024-0001 "$(json_get "$TMP/b" '$.items[0].number')"
check_eq "api-7.4 exactly one" 1 "$(sqlite3 :memory: "SELECT json_array_length(readfile('$TMP/b'), '\$.items')")"
fetch "/v1/certificates?q=CNITSEC-CS1-2024-0001" >/dev/null
check_eq "api-7.5 an exact number first" number "$(json_get "$TMP/b" '$.items[0].match')"
fetch "/v1/certificates?q=914403058GLX14WMJA" >/dev/null
check_eq "api-7.6 a credit code" credit_code "$(json_get "$TMP/b" '$.items[0].match')"
fetch "/v1/certificates?q=%E6%9B%B4%E5%90%8D%E7%A4%BA%E4%BE%8B&limit=100" >/dev/null # 更名示例
check_contains "api-7.7 a former name" "$TMP/b" '"match":"former_name"'

# The CSV export, read back by a standard CSV parser (sqlite3 .import).
fetch /v1/export/certificates.csv >/dev/null
check_eq "api-8.1 Content-Disposition" 'attachment; filename="certificates.csv"' "$(header Content-Disposition)"
sqlite3 "$TMP/csv.db" ".import --csv $TMP/b export" 2>"$TMP/csv.err"
check_eq "api-8.2 sqlite3 reads the CSV without complaint" "" "$(cat "$TMP/csv.err")"
check_eq "api-8.3 one row per certificate" "$total" "$(sqlite3 "$TMP/csv.db" "SELECT count(*) FROM export")"
check_eq "api-8.4 quotes and commas survive" '示例"引号",逗号有限公司' \
	"$(sqlite3 "$TMP/csv.db" "SELECT DISTINCT organisation_name FROM export WHERE organisation_id = '16'")"
check_eq "api-8.5 statuses as in the snapshot" \
	"$(snapsql "$SNAP" "SELECT number || ' ' || status FROM certificates ORDER BY number")" \
	"$(sqlite3 "$TMP/csv.db" "SELECT number || ' ' || status FROM export ORDER BY number")"
fetch /v1/export/certificates.ndjson >/dev/null
check_eq "api-8.6 NDJSON: a line per certificate" "$total" "$(wc -l <"$TMP/b")"
check_eq "api-8.7 NDJSON is chunked" chunked "$(header Transfer-Encoding)"
check_eq "api-8.8 NDJSON: each line is JSON" "$total" \
	"$(while IFS= read -r line; do printf '%s' "$line" >"$TMP/line"; json_get "$TMP/line" '$.number'; done <"$TMP/b" | grep -c CNITSEC)"

# The Atom feed.
fetch /v1/changes.atom >/dev/null
check_contains "api-9.1 an Atom feed" "$TMP/b" '<feed xmlns="http://www.w3.org/2005/Atom"'
check "api-9.2 well-formed XML" xmllint --noout "$TMP/b"

# The access log, in the combined format.
check "api-10.1 combined log lines" grep -qE \
	'^127\.0\.0\.1 - - \[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}:[0-9:]{8} \+0000\] "GET /v1/meta HTTP/1\.1" 200 [0-9]+ "-" "curl/[^"]*"$' "$ACCESS_LOG"
check "api-10.2 a 405 is logged" grep -q '"FOO /v1/meta HTTP/1.1" 405' "$ACCESS_LOG"

# Many at once: the bulk check, as JSON and as CSV.
list=$(snapsql "$SNAP" "SELECT group_concat(n, ',') FROM (SELECT lower(substr(number, 9)) AS n
	FROM certificates ORDER BY number LIMIT 90)")
list="$list,CNITSEC-CS1-2099-0001,CNITSEC-CS1-2099-0002,914403058GLX14WMJB,nonsense,CS9-2024-0001"
list="$list,$(snapsql "$SNAP" "SELECT group_concat(credit_code, ',') FROM (SELECT DISTINCT credit_code
	FROM certificates WHERE credit_code IS NOT NULL ORDER BY credit_code LIMIT 5)")"
check_eq "api-13.1 a bulk check of 100 mixed entries" 200 "$(fetch "/v1/certificates?number=$list")"
check_eq "api-13.2 a result per entry" 100 "$(json_get "$TMP/b" '$.entries')"
check_eq "api-13.3 in the order given" "$(echo "$list" | cut -d, -f1)" "$(json_get "$TMP/b" '$.results[0].input')"
check_eq "api-13.4 unknown entries are results, not found" 5 \
	"$(sqlite3 :memory: "SELECT count(*) FROM json_each(readfile('$TMP/b'), '\$.results') WHERE json_extract(value, '\$.found') = 0")"
check_eq "api-13.5 with the snapshot's SHA-256" "$(snapsql "$SNAP" "SELECT value FROM meta WHERE key = 'sha256'")" \
	"$(json_get "$TMP/b" '$.sha256')"
check_eq "api-13.6 as CSV" 200 "$(fetch "/v1/certificates?number=$list&format=csv")"
sqlite3 "$TMP/check.db" ".import --csv $TMP/b checked" 2>"$TMP/csv.err"
check_eq "api-13.7 sqlite3 reads the CSV without complaint" "" "$(cat "$TMP/csv.err")"
check_eq "api-13.8 a row per certificate and per entry not found" \
	$((90 + 5 + $(snapsql "$SNAP" "SELECT count(*) FROM certificates WHERE credit_code IN
		(SELECT DISTINCT credit_code FROM certificates WHERE credit_code IS NOT NULL ORDER BY credit_code LIMIT 5)"))) \
	"$(sqlite3 "$TMP/check.db" "SELECT count(*) FROM checked")"
check_eq "api-13.9 each row says which snapshot" 1 "$(sqlite3 "$TMP/check.db" "SELECT count(DISTINCT sha256) FROM checked")"
check_eq "api-13.10 101 entries are refused, naming number" 400 "$(fetch "/v1/certificates?number=$list,CS1-2024-0001")"
check_eq "api-13.11 naming number" number "$(json_get "$TMP/b" '$.parameter')"

# Truthful statuses: the same cases in the single answer, the NDJSON and
# the CSV exports (tests/site/registry.sh checks the pages).
fetch /v1/export/certificates.ndjson >/dev/null
cp "$TMP/b" "$TMP/all.ndjson"
fetch /v1/export/certificates.csv >/dev/null
rm -f "$TMP/all.db"
sqlite3 "$TMP/all.db" ".import --csv $TMP/b export"
truth() { # NAME SQL STATUS FLAGS RENEWAL VALIDITY-PATTERN
	local name=$1 number
	number=$(snapsql "$SNAP" "SELECT number FROM certificates WHERE $2 ORDER BY number LIMIT 1")
	fetch "/v1/certificates/$number" >/dev/null
	check_eq "api-14 $name ($number): status" "$3" "$(json_get "$TMP/b" '$.status')"
	check_eq "api-14 $name: flags" "$4" "$(json_get "$TMP/b" '$.flags')"
	check_eq "api-14 $name: renewal window" "$5" "$(json_get "$TMP/b" '$.renewal.state')"
	check "api-14 $name: the validity in words" grep -qE "\"validity_label\":\"$6\"" "$TMP/b"
	grep -F "\"number\":\"$number\"" "$TMP/all.ndjson" >"$TMP/line"
	check_eq "api-14 $name: NDJSON status" "$3" "$(json_get "$TMP/line" '$.status')"
	check_eq "api-14 $name: NDJSON flags" "$4" "$(json_get "$TMP/line" '$.flags')"
	check_eq "api-14 $name: NDJSON renewal window" "$5" "$(json_get "$TMP/line" '$.renewal.state')"
	check_eq "api-14 $name: CSV" "$3|$(echo "$4" | tr -d '[]"' | tr , ';')|$5" \
		"$(sqlite3 "$TMP/all.db" "SELECT status || '|' || flags || '|' || renewal_state FROM export WHERE number = '$number'")"
	sqlite3 "$TMP/all.db" "SELECT validity_label FROM export WHERE number = '$number'" >"$TMP/validity"
	check "api-14 $name: CSV validity in words" grep -qE "^$6\$" "$TMP/validity"
}
truth suspended "status = 'suspended'" suspended '[]' upcoming '有效期至 [0-9]+年[0-9]+月[0-9]+日'
truth revoked "status = 'revoked'" revoked '[]' ended '原有效期至 [0-9]+年[0-9]+月[0-9]+日，已于 [0-9]+年[0-9]+月[0-9]+日取消'
truth expired "status = 'expired'" expired '[]' closed '有效期至 [0-9]+年[0-9]+月[0-9]+日，已届满'
truth superseded-by-upgrade "status = 'superseded' AND renewal_state = 'ended'" superseded '[]' ended \
	'原有效期至 [0-9]+年[0-9]+月[0-9]+日，已于 [0-9]+年[0-9]+月[0-9]+日换发'
truth overdue-rectification "flags = 'rectification_overdue'" valid '["rectification_overdue"]' upcoming \
	'有效期至 [0-9]+年[0-9]+月[0-9]+日'
revoked=$(snapsql "$SNAP" "SELECT number FROM certificates WHERE status = 'revoked' ORDER BY number LIMIT 1")
fetch "/v1/certificates/$revoked" >/dev/null
check_eq "api-14.1 a revoked certificate shows no window as pending" 0 \
	"$(grep -oE '"state":"(upcoming|open)"' "$TMP/b" | wc -l)"
check_eq "api-14.2 no revoked or superseded certificate of the export has a pending window" 0 \
	"$(sqlite3 "$TMP/all.db" "SELECT count(*) FROM export WHERE status IN ('revoked', 'superseded') AND
		'upcoming' IN (annual_check_1_state, annual_check_2_state, renewal_state)")"
check_eq "api-14.3 an unknown number: 404" 404 "$(fetch /v1/certificates/CNITSEC-CS1-2099-0001)"
check_eq "api-14.4 which says it is not in the registry (in_registry false)" 0 "$(json_get "$TMP/b" '$.in_registry')"

# The command line.
check "api-11.1 --help" "$REGISTRYD" --help
check "api-11.2 --version" "$REGISTRYD" --version
"$REGISTRYD" >/dev/null 2>&1
check_eq "api-11.3 no --db: usage error" 2 $?
"$REGISTRYD" --db "$TMP/none.db" --listen "127.0.0.1:$PORT" >/dev/null 2>"$TMP/err"
check_eq "api-11.4 a missing snapshot: refused" 1 $?
check_contains "api-11.5 and says which" "$TMP/err" "registryd: $TMP/none.db"
"$REGISTRYD" --db "$SNAP" --listen "127.0.0.1:$PORT" >/dev/null 2>"$TMP/err"
check_eq "api-11.6 a taken port: refused" 1 $?
check_contains "api-11.7 and says so" "$TMP/err" "cannot listen on 127.0.0.1:$PORT"
check_contains "api-11.8 and why" "$TMP/err" "Address already in use"
"$REGISTRYD" --db "$SNAP" --listen "$PORT" >/dev/null 2>&1
check_eq "api-11.9 a bare port (every interface) is refused" 2 $?

# SIGTERM: a clean stop.
kill -TERM "$REGISTRYD_PID"
wait "$REGISTRYD_PID"
check_eq "api-12.1 SIGTERM exits 0" 0 $?
check_contains "api-12.2 and says it stops" "$REGISTRYD_LOG" "SIGTERM: stopping"
done_testing
