#!/bin/bash
# The OpenAPI document is the contract: registryd serves it as it is in
# the repository, redocly lint finds no error and no warning in it, its
# schemas compile in Ajv's strict mode, and real responses conform to it
# (Ajv, JSON Schema 2020-12: tests/api/node/check.mjs).  Every documented
# path is requested with the document's own parameter examples; more
# requests cover search, later pages, other dates, and every status each
# route documents.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/helpers.bash"

DOC="$SRC/registry/openapi.json"
NODE_DIR="$SRC/tests/api/node"
# The versions in package-lock.json exactly (npm ci), installed again only
# when the lock file changes.
lock_sum=$(sha256sum "$NODE_DIR/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$NODE_DIR/node_modules/.lock-sha256" 2>/dev/null)" != "$lock_sum" ]; then
	(cd "$NODE_DIR" && npm ci --no-audit --no-fund --silent) >"$TMP/npm.log" 2>&1 ||
		{ not_ok "openapi-0.0 npm ci of @redocly/cli and ajv"; sed 's/^/#   /' "$TMP/npm.log"; done_testing; }
	echo "$lock_sum" >"$NODE_DIR/node_modules/.lock-sha256"
fi
schema_check() { node "$NODE_DIR/check.mjs" "$@"; }
CHECK=schema_check
api_fixture "$TMP/fx" >/dev/null || { not_ok "openapi-0.1 the fixture is built"; done_testing; }
start_registryd --db "$TMP/fx/snapshot.db" -q ||
	{ not_ok "openapi-0.2 registryd starts"; done_testing; }

"$NODE_DIR/node_modules/.bin/redocly" lint --format=stylish "$DOC" >"$TMP/lint.out" 2>&1
check_eq "openapi-1.0 redocly lint: valid" 0 $?
check_eq "openapi-1.0 redocly lint: no error, no warning" "" \
	"$(grep -E '^ +[0-9]+:[0-9]+ +(error|warning) ' "$TMP/lint.out")"
grep -qi warning "$TMP/lint.out" && sed 's/^/#   /' "$TMP/lint.out" | head -n 30
check "openapi-1.1 every schema compiles in Ajv's strict mode, every \$ref resolves" "$CHECK" "$DOC" --doc
fetch /v1/openapi.json >/dev/null
check "openapi-1.2 registryd serves the repository's document" cmp "$TMP/b" "$DOC"
check_eq "openapi-1.3 OpenAPI 3.1" 3.1.0 "$(json_get "$DOC" '$.openapi')"

# doc_sql SQL: a query over the document ($DOC bound as :doc).
doc_sql() {
	sqlite3 -separator "$(printf '\t')" :memory: \
		"SELECT * FROM (SELECT readfile('$DOC') AS doc) AS d, ($1)"
}

# The documented parameters of GET PATH: name, in, example.
parameters() {
	sqlite3 -separator "$(printf '\t')" :memory: "
		WITH d(doc) AS (SELECT readfile('$DOC'))
		SELECT json_extract(p.value, '\$.name'), json_extract(p.value, '\$.in'),
		       coalesce(json_extract(p.value, '\$.example'), '')
		FROM d, json_each(d.doc, '\$.paths.\"$1\".get.parameters') AS r,
		     json_each(d.doc, '\$.components.parameters') AS p
		WHERE p.key = substr(json_extract(r.value, '\$.\"\$ref\"'), 25)"
}

# request PATH: GET with every parameter's example; prints the status.
request() {
	local path=$1 url=$1 name in example args=()
	while IFS=$'\t' read -r name in example; do
		[ -n "$example" ] || continue
		case $in in
		path) url=${url//\{$name\}/$example} ;;
		query) args+=(--data-urlencode "$name=$example") ;;
		esac
	done < <(parameters "$path")
	: >"$TMP/b"
	curl -s -G -o "$TMP/b" -D "$TMP/h" -w '%{http_code}' "${args[@]}" "$BASE$url"
}

media() { header Content-Type | sed 's/;.*//'; }

paths=$(sqlite3 :memory: "SELECT key FROM json_each(readfile('$DOC'), '\$.paths')")
check_eq "openapi-2.0 the document has the sixteen routes" 16 "$(echo "$paths" | wc -l)"
for path in $paths; do
	status=$(request "$path")
	check_eq "openapi-2 GET $path with the examples: 200" 200 "$status"
	check "openapi-2 GET $path: the body conforms ($(media))" \
		"$CHECK" "$DOC" --response "$path" 200 "$(media)" "$TMP/b"
done

# The documented required query parameters of GET PATH with their
# examples, as "name=value&" each.
required_query() {
	sqlite3 :memory: "
		WITH d(doc) AS (SELECT readfile('$DOC'))
		SELECT group_concat(json_extract(p.value, '\$.name') || '=' ||
		                    json_extract(p.value, '\$.example') || '&', '')
		FROM d, json_each(d.doc, '\$.paths.\"$1\".get.parameters') AS r,
		     json_each(d.doc, '\$.components.parameters') AS p
		WHERE p.key = substr(json_extract(r.value, '\$.\"\$ref\"'), 25)
		  AND json_extract(p.value, '\$.in') = 'query'
		  AND json_extract(p.value, '\$.required')"
}

# Every status each route documents, from real exchanges: an unknown
# parameter (400), a POST (405), a repeated request with its ETag (304);
# and the routes that document no 404 give none for a good request.  A
# required parameter is sent with its example, so that the 400 is the
# unknown parameter's and the 304 follows a 200.
for path in $paths; do
	url=${path//\{number\}/CNITSEC-CS1-2024-0004}
	url=${url//\{id\}/15}
	query=$(required_query "$path")
	check_eq "openapi-7 $path?${query}zz=1: 400" 400 "$(fetch "$url?${query}zz=1")"
	[ -z "$query" ] || url="$url?${query%&}"
	check_contains "openapi-7 $path?zz=1: the 400 names zz" "$TMP/b" '"parameter":"zz"'
	check "openapi-7 $path 400: declared, conforms" "$CHECK" "$DOC" --response "$path" 400 "$(media)" "$TMP/b"
	check_eq "openapi-7 POST $path: 405" 405 "$(fetch "$url" -X POST)"
	check "openapi-7 $path 405: declared, conforms" "$CHECK" "$DOC" --response "$path" 405 "$(media)" "$TMP/b"
	fetch "$url" >/dev/null
	check_eq "openapi-7 $path with its ETag: 304" 304 "$(fetch "$url" -H "If-None-Match: $(header ETag)")"
	check_eq "openapi-7 $path 304: declared" 1 \
		"$(sqlite3 :memory: "SELECT json_extract(readfile('$DOC'), '\$.paths.\"$path\".get.responses.\"304\"') IS NOT NULL")"
done
: >"$TMP/b"
curl -s -o "$TMP/b" -w '%{http_code}' -H "Transfer-Encoding: gzip" "$BASE/v1/meta" >"$TMP/status"
check "openapi-7.1 a refused transfer coding ($(cat "$TMP/status")) conforms" \
	"$CHECK" "$DOC" --response /v1/meta "$(cat "$TMP/status")" application/problem+json "$TMP/b"
check_fails "openapi-7.2 an undeclared status is refused by the checker" \
	"$CHECK" "$DOC" --response /v1/meta 418 application/problem+json "$TMP/b"

# conforms NAME PATH STATUS URL-PATH [CURL...]: fetch and check.
conforms() {
	local name=$1 path=$2 status=$3 url=$4
	shift 4
	check_eq "$name: status" "$status" "$(fetch "$url" "$@")"
	check "$name: conforms" "$CHECK" "$DOC" --response "$path" "$status" "$(media)" "$TMP/b"
}
conforms "openapi-3.1 a search" /v1/certificates 200 "/v1/certificates?q=%E7%A4%BA%E4%BE%8B&limit=100"
check_contains "openapi-3.1 with match members" "$TMP/b" '"match":"name_prefix"'
conforms "openapi-3.2 a former-name match" /v1/certificates 200 \
	"/v1/certificates?q=%E6%9B%B4%E5%90%8D%E7%A4%BA%E4%BE%8B"
conforms "openapi-3.3 number matches" /v1/certificates 200 "/v1/certificates?q=CNITSEC-CS1-2024&limit=50"
cursor=$(fetch "/v1/certificates?limit=100" >/dev/null; json_get "$TMP/b" '$.next_cursor')
conforms "openapi-3.4 a later page" /v1/certificates 200 "/v1/certificates?limit=100&cursor=$cursor"
conforms "openapi-3.5 the last page" /v1/certificates 200 \
	"/v1/certificates?limit=100&cursor=$(json_get "$TMP/b" '$.next_cursor')"
conforms "openapi-3.6 every status, flag and window" /v1/certificates 200 "/v1/certificates?limit=100&as_of=2025-08-04"
conforms "openapi-3.7 before issue" /v1/certificates/{number} 200 "/v1/certificates/CNITSEC-CS1-2024-0004?as_of=2020-01-01"
conforms "openapi-3.8 a suspended certificate" /v1/certificates/{number} 200 "/v1/certificates/CNITSEC-CS1-2024-0004?as_of=2025-08-04"
conforms "openapi-3.9 a renamed organisation" /v1/organisations/{id} 200 /v1/organisations/15
conforms "openapi-3.10 an organisation without code or names" /v1/organisations/{id} 200 /v1/organisations/200
conforms "openapi-3.11 the change feed's last page" /v1/changes 200 "/v1/changes?limit=100&cursor=$(
	fetch '/v1/changes?limit=100' >/dev/null; json_get "$TMP/b" '$.next_cursor')"
fetch "/v1/changes?limit=100" >/dev/null
for seq in 1 2 3 4 5 6 7 8 9; do
	cursor=$(json_get "$TMP/b" '$.next_cursor')
	fetch "/v1/changes?limit=100&cursor=$cursor" >/dev/null
done
check "openapi-3.12 every event kind conforms (all pages)" "$CHECK" "$DOC" --response /v1/changes 200 application/json "$TMP/b"
fetch /v1/export/certificates.ndjson >/dev/null
check "openapi-3.13 every NDJSON line is a Certificate" "$CHECK" "$DOC" --lines '#/components/schemas/Certificate' "$TMP/b"
fetch "/v1/export/certificates.ndjson?as_of=2025-08-04" >/dev/null
check "openapi-3.14 and on another date" "$CHECK" "$DOC" --lines '#/components/schemas/Certificate' "$TMP/b"

# The public's check: the bulk call, notices, a number not in the registry.
conforms "openapi-6.1 the bulk check" /v1/certificates 200 \
	"/v1/certificates?number=cs1-2024-0109,CNITSEC-CS1-2099-0001,914403058GLX14WMJB,nonsense,914403058GLX14WMJA"
check_contains "openapi-6.1 with a result not found" "$TMP/b" '"found":false'
conforms "openapi-6.2 the bulk check on another date" /v1/certificates 200 \
	"/v1/certificates?number=cs1-2024-0004&as_of=2025-08-04"
check_eq "openapi-6.3 the bulk check as CSV" 200 "$(fetch "/v1/certificates?number=cs1-2024-0109&format=csv")"
check "openapi-6.3 is documented as text/csv" "$CHECK" "$DOC" --response /v1/certificates 200 "$(media)" "$TMP/b"
conforms "openapi-6.4 a certificate with an overdue order as a notice" /v1/certificates/{number} 200 \
	/v1/certificates/CNITSEC-CS1-2024-0109
check_contains "openapi-6.4 with the notice" "$TMP/b" '"overdue":true'
number=$(snapsql "$TMP/fx/snapshot.db" "SELECT number FROM certificates WHERE flags = 'warning' LIMIT 1")
conforms "openapi-6.5 a certificate with a warning as a notice" /v1/certificates/{number} 200 "/v1/certificates/$number"
check_contains "openapi-6.5 with the warning's last day" "$TMP/b" '"until":'
number=$(snapsql "$TMP/fx/snapshot.db" "SELECT number FROM certificates WHERE status = 'revoked' LIMIT 1")
conforms "openapi-6.6 a revoked certificate, its windows ended" /v1/certificates/{number} 200 "/v1/certificates/$number"
check_contains "openapi-6.6 ended" "$TMP/b" '"state":"ended"'
conforms "openapi-6.7 a number not in the registry" /v1/certificates/{number} 404 /v1/certificates/cs1-2099-0001
check_contains "openapi-6.7 says so" "$TMP/b" '"in_registry":false'
fetch /v1/certificates/cs1-2099-0001 >/dev/null
sed 's/"in_registry":false/"in_registry":true/' "$TMP/b" >"$TMP/bad.json"
check_fails "openapi-6.8 the checker holds in_registry to false" "$CHECK" "$DOC" --response /v1/certificates/{number} 404 application/problem+json "$TMP/bad.json"
fetch "/v1/certificates?limit=2" >/dev/null
sed 's/"limit":2/"limit":2,"results":[]/' "$TMP/b" >"$TMP/bad.json"
check_fails "openapi-6.9 oneOf: a body of both shapes is caught" "$CHECK" "$DOC" --response /v1/certificates 200 application/json "$TMP/bad.json"

# Errors conform to the documented problem responses.
conforms "openapi-4.1 400" /v1/certificates 400 "/v1/certificates?as_of=2025-02-29"
conforms "openapi-4.2 400, unknown parameter" /v1/organisations 400 "/v1/organisations?page=2"
conforms "openapi-4.3 404 certificate" /v1/certificates/{number} 404 /v1/certificates/CNITSEC-CS1-2099-0001
conforms "openapi-4.4 404 organisation" /v1/organisations/{id} 404 /v1/organisations/424242
check_eq "openapi-4.5 405" 405 "$(fetch /v1/certificates -X PUT)"
check "openapi-4.5 conforms" "$CHECK" "$DOC" --schema \
	'#/components/responses/MethodNotAllowed/content/application~1problem+json/schema' "$TMP/b"
check_eq "openapi-4.6 304 has no body" "304 0" \
	"$(fetch /v1/meta -H "If-None-Match: $(fetch /v1/meta >/dev/null; header ETag)") $(wc -c <"$TMP/b")"

# The checker itself catches a body that breaks the contract.
fetch /v1/meta >/dev/null
sed 's/"sample":true/"sample":"yes"/' "$TMP/b" >"$TMP/bad.json"
check_fails "openapi-5.1 a wrong type is caught" "$CHECK" "$DOC" --response /v1/meta 200 application/json "$TMP/bad.json"
sed 's/"sha256"/"sha1"/' "$TMP/b" >"$TMP/bad.json"
check_fails "openapi-5.2 a renamed member is caught" "$CHECK" "$DOC" --response /v1/meta 200 application/json "$TMP/bad.json"
fetch /v1/certificates/CNITSEC-CS1-2024-0004 >/dev/null
sed 's/"as_of":"2026-01-01"/"as_of":"2026-02-30"/' "$TMP/b" >"$TMP/bad.json"
check_fails "openapi-5.3 an impossible date is caught" "$CHECK" "$DOC" --schema '#/components/schemas/Certificate' "$TMP/bad.json"
done_testing
