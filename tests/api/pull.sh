#!/bin/bash
# What people who pull the data get, over real HTTP: the exports narrowed
# by the list's filters and changed_since (each against sqlite3 on the
# snapshot as the oracle, the CSV read back by sqlite3's CSV parser); the
# change feed with holders' names as of each event, English and Chinese
# kinds, since/until, its CSV form, and absolute page links from
# --base-url; the Atom feed validated by jing against RFC 4287's RELAX NG
# grammar (tests/api/atom.rnc); the Keep-Alive header, and a pooling
# client (tests/api/node/pool.mjs) that never meets a closing socket.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/helpers.bash"

PUBLIC="https://registry.example.org/mirror/"
api_fixture "$TMP/fx" >/dev/null || { not_ok "pull-0.1 the fixture is built"; done_testing; }
start_registryd --db "$TMP/fx/snapshot.db" -q --keep-alive 3000 \
	--base-url "${PUBLIC%/}" || { not_ok "pull-0.2 registryd starts"; done_testing; }
SNAP="$TMP/fx/snapshot.db"
oracle() { snapsql "$SNAP" "$1"; }

# numbers FORMAT QUERY: the certificate numbers an export gives, sorted,
# read by a CSV parser (CSV) or sqlite3's JSON functions (NDJSON).
numbers() {
	local format=$1 query=$2
	: >"$TMP/b"
	curl -s -o "$TMP/b" -D "$TMP/h" "$BASE/v1/export/certificates.$format?$query"
	rm -f "$TMP/x.db"
	if [ "$format" = csv ]; then
		sqlite3 "$TMP/x.db" ".import --csv $TMP/b export" &&
			sqlite3 "$TMP/x.db" "SELECT number FROM export ORDER BY number"
	else
		sqlite3 :memory: "SELECT json_extract(value, '\$.number') AS n FROM
			json_each('[' || replace(rtrim(CAST(readfile('$TMP/b') AS TEXT), char(10)),
			char(10), ',') || ']') ORDER BY n"
	fi
}

# pull-1: every filter, each format, against the oracle.
Q=青岚
QL=tailspin # ASCII, another case than the names
while IFS='|' read -r name query sql; do
	want=$(oracle "$sql")
	count=$(echo "$want" | grep -c .)
	for format in csv ndjson; do
		check_eq "pull-1 $name ($format, $count)" "$want" "$(numbers $format "$query")"
	done
	[ "$count" -gt 0 ] || not_ok "pull-1 $name: the oracle finds something to compare"
done <<SQL
status=suspended|status=suspended|SELECT number FROM certificates WHERE status = 'suspended' ORDER BY number
status=revoked|status=revoked|SELECT number FROM certificates WHERE status = 'revoked' ORDER BY number
level=2|level=2|SELECT number FROM certificates WHERE level = 2 ORDER BY number
category=CS|category=CS|SELECT number FROM certificates WHERE category = 'CS' ORDER BY number
changed_since=2025-10-01|changed_since=2025-10-01|SELECT DISTINCT number FROM events WHERE number IS NOT NULL AND effective_on >= '2025-10-01' ORDER BY number
changed_since and status=valid and level=1|changed_since=2025-06-01&status=valid&level=1|SELECT number FROM certificates WHERE status = 'valid' AND level = 1 AND number IN (SELECT number FROM events WHERE effective_on >= '2025-06-01') ORDER BY number
q, a name|q=$(printf %s "$Q" | jq -sRr @uri)|SELECT number FROM certificates WHERE organisation_id IN (SELECT id FROM organisations WHERE instr(name, '$Q') UNION SELECT organisation_id FROM former_names WHERE instr(name, '$Q')) ORDER BY number
q, ASCII in another case|q=$QL|SELECT number FROM certificates WHERE organisation_id IN (SELECT id FROM organisations WHERE instr(lower(name), '$QL') UNION SELECT organisation_id FROM former_names WHERE instr(lower(name), '$QL')) ORDER BY number
q, a former name only|q=$(printf %s 示例全新名称 | jq -sRr @uri)|SELECT number FROM certificates WHERE organisation_id = 15 ORDER BY number
q, a number prefix (short form)|q=cs2-2024|SELECT number FROM certificates WHERE number LIKE 'CNITSEC-CS2-2024%' ORDER BY number
q, a credit code|q=$(oracle "SELECT credit_code FROM organisations WHERE credit_code IS NOT NULL AND id IN (SELECT organisation_id FROM certificates) LIMIT 1")|SELECT number FROM certificates WHERE credit_code = (SELECT credit_code FROM organisations WHERE credit_code IS NOT NULL AND id IN (SELECT organisation_id FROM certificates) LIMIT 1) ORDER BY number
SQL

# On another date the status filter uses the statuses on that date: the
# list (paged) and the export agree, and they differ from the snapshot's.
list_numbers() {
	local query=$1 cursor="" page
	while :; do
		fetch "/v1/certificates?$query&limit=100${cursor:+&cursor=$cursor}" >/dev/null
		sqlite3 :memory: "SELECT json_extract(value, '\$.number') FROM json_each(readfile('$TMP/b'), '\$.items')"
		cursor=$(json_get "$TMP/b" '$.next_cursor')
		[ -n "$cursor" ] || break
	done | sort
}
want=$(list_numbers "status=suspended&as_of=2025-08-04")
check_eq "pull-1.20 as_of with status: the export is the list" "$want" "$(numbers csv "status=suspended&as_of=2025-08-04")"
check "pull-1.21 and it is not the snapshot's date's set" test "$want" != "$(oracle "SELECT number FROM certificates WHERE status = 'suspended' ORDER BY number")"
numbers csv "status=suspended" >/dev/null
check_eq "pull-1.22 a filtered export is still streamed" chunked "$(header Transfer-Encoding)"
check_eq "pull-1.23 the CSV's rows have every column" \
	"$(head -n 1 "$TMP/b" | tr ',' '\n' | wc -l)" "$(sqlite3 "$TMP/x.db" "SELECT count(*) FROM pragma_table_info('export')")"
for bad in "changed_since=2025-02-30|changed_since" "status=ok|status" "level=9|level" "category=XX|category" "limit=5|limit" "cursor=x|cursor"; do
	query=${bad%|*} param=${bad#*|}
	check_eq "pull-1.3 $query: 400" 400 "$(fetch "/v1/export/certificates.ndjson?$query")"
	check_eq "pull-1.3 $query: names $param" "$param" "$(json_get "$TMP/b" '$.parameter')"
done

# pull-2: the change feed.  walk QUERY: every page's items as one array.
walk() {
	local query=$1 cursor="" more=true
	echo "[" >"$TMP/all.json"
	while [ "$more" = true ]; do
		fetch "/v1/changes?$query&limit=100${cursor:+&cursor=$cursor}" >/dev/null
		sqlite3 :memory: "SELECT value FROM json_each(readfile('$TMP/b'), '\$.items')" |
			sed 's/$/,/' >>"$TMP/all.json"
		cursor=$(json_get "$TMP/b" '$.next_cursor')
		more=$(json_get "$TMP/b" '$.more')
		[ "$more" = 1 ] && more=true
	done
	echo "null]" >>"$TMP/all.json"
}
items() { sqlite3 :memory: "SELECT $1 FROM json_each(readfile('$TMP/all.json')) WHERE value IS NOT NULL AND type = 'object'"; }

walk "kind=suspend,revoke&since=2025-01-01&until=2025-12-31"
check_eq "pull-2.1 kind, since and until: the events the oracle finds" \
	"$(oracle "SELECT seq FROM events WHERE kind IN ('suspend', 'revoke') AND effective_on BETWEEN '2025-01-01' AND '2025-12-31' ORDER BY seq")" \
	"$(items "json_extract(value, '\$.seq')")"
check_eq "pull-2.2 each with its number" \
	"$(oracle "SELECT number FROM events WHERE kind IN ('suspend', 'revoke') AND effective_on BETWEEN '2025-01-01' AND '2025-12-31' ORDER BY seq")" \
	"$(items "json_extract(value, '\$.number')")"
check_eq "pull-2.3 each with the kind in English" \
	"$(oracle "SELECT CASE kind WHEN 'suspend' THEN 'certificate suspended' ELSE 'certificate revoked' END FROM events WHERE kind IN ('suspend', 'revoke') AND effective_on BETWEEN '2025-01-01' AND '2025-12-31' ORDER BY seq")" \
	"$(items "json_extract(value, '\$.label_en')")"
check_eq "pull-2.4 and in Chinese" "暂停证书 取消证书" \
	"$(items "json_extract(value, '\$.label')" | sort -u | sort -r | tr '\n' ' ' | sed 's/ $//')"
check_eq "pull-2.5 each links to its certificate's page, absolute" \
	"$(oracle "SELECT '${PUBLIC}registry/certificates/' || number || '/#event-' || seq FROM events WHERE kind IN ('suspend', 'revoke') AND effective_on BETWEEN '2025-01-01' AND '2025-12-31' ORDER BY seq")" \
	"$(items "json_extract(value, '\$.page')")"
check_eq "pull-2.6 each with its holder's name (no rename among them)" \
	"$(oracle "SELECT o.name FROM events e JOIN organisations o ON o.id = e.organisation_id WHERE kind IN ('suspend', 'revoke') AND effective_on BETWEEN '2025-01-01' AND '2025-12-31' ORDER BY seq")" \
	"$(items "json_extract(value, '\$.organisation_name')")"

# The name as of each event: the first former name used until on or after
# its date, else the current one (organisation 15 was renamed on
# 2025-12-20 by the fixture).
walk ""
check_eq "pull-2.7 every event carries its holder's name on its date" \
	"$(oracle "SELECT e.seq || '|' || coalesce((SELECT f.name FROM former_names f WHERE f.organisation_id = e.organisation_id AND f.until >= e.effective_on ORDER BY f.until, f.event_id LIMIT 1), (SELECT name FROM organisations WHERE id = e.organisation_id)) FROM events e ORDER BY e.seq")" \
	"$(items "json_extract(value, '\$.seq') || '|' || json_extract(value, '\$.organisation_name')")"
old=$(oracle "SELECT name FROM former_names WHERE organisation_id = 15 ORDER BY until DESC LIMIT 1")
new=$(oracle "SELECT name FROM organisations WHERE id = 15")
check_eq "pull-2.7 an event of organisation 15 before the rename has the name it had then" "$old" \
	"$(sqlite3 :memory: "SELECT json_extract(value, '\$.organisation_name') FROM json_each(readfile('$TMP/all.json')) WHERE json_extract(value, '\$.organisation_id') = 15 AND json_extract(value, '\$.effective_on') < '2025-12-20' ORDER BY json_extract(value, '\$.effective_on') DESC LIMIT 1")"
check_eq "pull-2.8 and the rename itself the new name" "$new" \
	"$(sqlite3 :memory: "SELECT json_extract(value, '\$.organisation_name') FROM json_each(readfile('$TMP/all.json')) WHERE json_extract(value, '\$.organisation_id') = 15 AND json_extract(value, '\$.kind') = 'org-rename' AND json_extract(value, '\$.effective_on') = '2025-12-20'")"
check_eq "pull-2.9 an organisation event links to its organisation's page" "${PUBLIC}registry/organisations/15/" \
	"$(sqlite3 :memory: "SELECT json_extract(value, '\$.page') FROM json_each(readfile('$TMP/all.json')) WHERE json_extract(value, '\$.organisation_id') = 15 AND json_extract(value, '\$.kind') = 'org-rename' AND json_extract(value, '\$.effective_on') = '2025-12-20'")"
check_eq "pull-2.10 the whole feed walked: every event once" "$(oracle "SELECT count(*) FROM events")" "$(items 1 | wc -l)"
check_eq "pull-2.11 a cursor is bound to since" 400 \
	"$(fetch "/v1/changes?since=2025-01-01&cursor=$(fetch '/v1/changes?limit=1' >/dev/null; json_get "$TMP/b" '$.next_cursor')")"
for bad in "since=2025-13-01|since" "until=soon|until" "since=2025-06-01&until=2025-05-31|until"; do
	query=${bad%|*} param=${bad#*|}
	for route in changes changes.csv changes.atom; do
		check_eq "pull-2.12 /v1/$route?$query: 400 naming $param" "400 $param" \
			"$(fetch "/v1/$route?$query") $(json_get "$TMP/b" '$.parameter')"
	done
done

# pull-3: the change feed as CSV, read back by a CSV parser.
fetch "/v1/changes.csv?kind=suspend,revoke&since=2025-01-01&until=2025-12-31" >/dev/null
check_eq "pull-3.1 text/csv" "text/csv; charset=utf-8; header=present" "$(header Content-Type)"
rm -f "$TMP/c.db"
sqlite3 "$TMP/c.db" ".import --csv $TMP/b changes"
walk "kind=suspend,revoke&since=2025-01-01&until=2025-12-31"
check_eq "pull-3.2 the same events, names and pages as the JSON feed" \
	"$(items "json_extract(value, '\$.seq') || '|' || json_extract(value, '\$.number') || '|' || json_extract(value, '\$.organisation_name') || '|' || json_extract(value, '\$.label_en') || '|' || json_extract(value, '\$.page') || '|' || coalesce(json_extract(value, '\$.reason'), '')")" \
	"$(sqlite3 "$TMP/c.db" "SELECT seq || '|' || number || '|' || organisation_name || '|' || label_en || '|' || page || '|' || reason FROM changes ORDER BY CAST(seq AS INTEGER)")"
fetch "/v1/changes.csv" >/dev/null
rm -f "$TMP/c.db"
sqlite3 "$TMP/c.db" ".import --csv $TMP/b changes"
check_eq "pull-3.3 without filters, every event" "$(oracle "SELECT count(*) FROM events")" "$(sqlite3 "$TMP/c.db" "SELECT count(*) FROM changes")"
check_eq "pull-3.4 a name with a comma and quotes survives the round trip" \
	"$(oracle "SELECT name FROM organisations WHERE id = 16")" \
	"$(sqlite3 "$TMP/c.db" "SELECT organisation_name FROM changes WHERE organisation_id = '16' AND kind = 'org-rename' AND effective_on = '2025-12-21'")"

# pull-4: the Atom feed, against RFC 4287's grammar.
for query in "" "limit=100" "kind=suspend,revoke&since=2025-01-01" "kind=org-rename,transfer"; do
	check_eq "pull-4.1 /v1/changes.atom?$query: 200" 200 "$(fetch "/v1/changes.atom?$query")"
	check "pull-4.1 /v1/changes.atom?$query: valid against RFC 4287 (jing)" jing -c "$SRC/tests/api/atom.rnc" "$TMP/b"
	check "pull-4.1 /v1/changes.atom?$query: well-formed (xmllint)" xmllint --noout "$TMP/b"
done
fetch "/v1/changes.atom?limit=100" >/dev/null
check_contains "pull-4.2 the feed says its base" "$TMP/b" "xml:base=\"$PUBLIC\""
check_eq "pull-4.3 every link is absolute, under the base URL" 0 \
	"$(grep -o 'href="[^"]*"' "$TMP/b" | grep -vc "href=\"$PUBLIC")"
check_eq "pull-4.4 every entry links to its human page" \
	"$(grep -c '<entry>' "$TMP/b")" "$(grep -cE '<link rel="alternate" type="text/html" href="'"$PUBLIC"'registry/(certificates/CNITSEC-[A-Z0-9-]+/#event-[0-9]+|organisations/[0-9]+/)"' "$TMP/b")"
sed 's#<updated>#<updated>soon #' "$TMP/b" >"$TMP/bad.xml"
check_fails "pull-4.5 jing refuses a feed with a malformed date" jing -c "$SRC/tests/api/atom.rnc" "$TMP/bad.xml"
sed 's#<id>urn:uuid:5b0c[^<]*</id>##' "$TMP/b" >"$TMP/bad.xml"
check_fails "pull-4.6 and one without its id" jing -c "$SRC/tests/api/atom.rnc" "$TMP/bad.xml"

# pull-5: HTTP.  Keep-Alive states the idle timeout (--keep-alive 3000).
fetch /v1/meta >/dev/null
check_eq "pull-5.1 Keep-Alive: timeout= the idle time" "timeout=3" "$(header Keep-Alive)"
fetch /v1/meta -H "Connection: close" >/dev/null
check_eq "pull-5.2 no Keep-Alive on a closing answer" "" "$(header Keep-Alive)"
check_eq "pull-5.3 a bad --base-url is refused" 2 \
	"$("$REGISTRYD" --db "$SNAP" --base-url "ftp://x/" >/dev/null 2>&1; echo $?)"

# pull-7: gzip.  Every text answer in memory goes gzipped when asked, is
# the same after decompression, says Vary, and its weak ETag still gets
# a 304; without Accept-Encoding, or with gzip refused, it goes as it is.
mkdir -p "$TMP/site/registry"
for i in $(seq 1 200); do echo "<p>第 $i 段：获证组织名录</p>"; done >"$TMP/site/index.html"
printf 'body { color: #222; }\n%.0s' $(seq 1 50) >"$TMP/site/style.css"
start_registryd --db "$SNAP" -q --site "$TMP/site" ||
	{ not_ok "pull-7.0 registryd starts"; done_testing; }
for url in /v1/meta "/v1/certificates?limit=100" /v1/certificates/CNITSEC-CS1-2024-0004 \
	"/v1/changes?limit=50" /v1/changes.atom /v1/openapi.json /v1/organisations/15 \
	"/v1/certificates?zz=1" / /style.css; do
	fetch "$url" >/dev/null
	cp "$TMP/b" "$TMP/plain"
	check_eq "pull-7.1 $url: not coded without Accept-Encoding" "" "$(header Content-Encoding)"
	fetch "$url" -H "Accept-Encoding: gzip, deflate, br" >/dev/null
	status=$(head -n 1 "$TMP/h" | cut -d' ' -f2)
	if [ "$status" = 200 ]; then
		check_eq "pull-7.2 $url: gzip" gzip "$(header Content-Encoding)"
		check "pull-7.3 $url: the same bytes after decompression" cmp "$TMP/plain" <(gzip -dc "$TMP/b")
		check_eq "pull-7.4 $url: Vary" "Accept-Encoding" "$(header Vary)"
		check_eq "pull-7.5 $url: Content-Length is the coded length" "$(wc -c <"$TMP/b")" "$(header Content-Length)"
		etag=$(header ETag)
		check_eq "pull-7.6 $url: its weak ETag gets a 304" 304 \
			"$(fetch "$url" -H "Accept-Encoding: gzip" -H "If-None-Match: $etag")"
		check_eq "pull-7.6 $url: the 304 says Vary too" "Accept-Encoding" "$(header Vary)"
	else
		check_eq "pull-7.2 $url: an error is not coded here ($status)" "" "$(header Content-Encoding)"
	fi
done
fetch /v1/meta -H "Accept-Encoding: gzip;q=0, *" >/dev/null
check_eq "pull-7.7 gzip;q=0 refuses it" "" "$(header Content-Encoding)"
fetch /v1/meta -H "Accept-Encoding: *;q=0.5" >/dev/null
check_eq "pull-7.8 * accepts it" gzip "$(header Content-Encoding)"
fetch /v1/export/certificates.csv -H "Accept-Encoding: gzip" >/dev/null
check_eq "pull-7.9 a streamed export goes as it is" "" "$(header Content-Encoding)"
gz1=$(curl -s -H "Accept-Encoding: gzip" "$BASE/v1/meta" | sha256sum)
gz2=$(curl -s -H "Accept-Encoding: gzip" "$BASE/v1/meta" | sha256sum)
check_eq "pull-7.10 the same answer compresses to the same bytes" "$gz1" "$gz2"

# pull-8: the built site's precompressed copies.  sitegen writes NAME.gz
# beside each text file (no name, no time in the gzip header: the same
# build, the same bytes); registryd sends the copy to a client that
# accepts gzip, as nginx's gzip_static does.
"$BUILD/sitegen" build --repo "$SRC" --worktree --registry "$SNAP" \
	--api-doc "$SRC/registry/openapi.json" --out "$TMP/public" -q 2>"$TMP/sitegen.err"
check_eq "pull-8.0 the site builds" "" "$(cat "$TMP/sitegen.err")"
missing=0 differ=0 headers=0 total=0
while IFS= read -r f; do
	total=$((total + 1))
	if [ ! -f "$f.gz" ]; then
		[ "$(stat -c %s "$f")" -lt 256 ] || missing=$((missing + 1))
		continue
	fi
	gzip -dc "$f.gz" | cmp -s - "$f" || differ=$((differ + 1))
	# FLG (byte 4) without FNAME, MTIME (bytes 5-8) zero.
	[ "$(od -An -tx1 -j3 -N5 "$f.gz" | tr -d ' \n')" = 0000000000 ] || headers=$((headers + 1))
done < <(find "$TMP/public" -type f \( -name '*.html' -o -name '*.css' -o -name '*.js' -o -name '*.xml' -o -name '*.json' -o -name '*.svg' -o -name '*.txt' \))
check "pull-8.1 text files looked at ($total)" test "$total" -gt 100
check_eq "pull-8.1 every text file of 256 bytes or more has its .gz" 0 "$missing"
check_eq "pull-8.2 each .gz decompresses to its file" 0 "$differ"
check_eq "pull-8.3 no name and no time in any gzip header" 0 "$headers"
"$BUILD/sitegen" build --repo "$SRC" --worktree --registry "$SNAP" \
	--api-doc "$SRC/registry/openapi.json" --out "$TMP/public2" -q 2>/dev/null
check "pull-8.4 a second build gives the same .gz bytes" diff -r "$TMP/public" "$TMP/public2"
start_registryd --db "$SNAP" -q --site "$TMP/public" ||
	{ not_ok "pull-8.5 registryd starts"; done_testing; }
for url in / /registry/ /assets/style.css /assets/registry.js /sitemap.xml; do
	rel=${url#/}
	case $rel in "" | */) rel="${rel}index.html" ;; esac
	fetch "$url" -H "Accept-Encoding: gzip" >/dev/null
	check_eq "pull-8.5 $url: gzip" gzip "$(header Content-Encoding)"
	check "pull-8.6 $url: the .gz sitegen wrote is what is sent" cmp "$TMP/b" "$TMP/public/$rel.gz"
	check_eq "pull-8.7 $url: Vary" "Accept-Encoding" "$(header Vary)"
	check_eq "pull-8.8 $url: its ETag gets a 304" 304 \
		"$(fetch "$url" -H "Accept-Encoding: gzip" -H "If-None-Match: $(header ETag)")"
	fetch "$url" >/dev/null
	check "pull-8.9 $url: without Accept-Encoding, the file itself" cmp "$TMP/b" "$TMP/public/$rel"
	check_eq "pull-8.9 $url: not coded" "" "$(header Content-Encoding)"
done
# Fingerprinted style sheet and scripts: pages name them, each is its
# plain file under a name holding its SHA-256's first 10 hex digits, and
# registryd lets them be cached for a year as immutable.
refs=$(grep -rhoE 'assets/[a-z]+(\.[0-9a-f]{10})?\.(css|js)"' "$TMP/public" --include='*.html' | tr -d '"' | sort -u)
check_eq "pull-8.10 pages name no style sheet or script without its fingerprint" "" \
	"$(echo "$refs" | grep -vE '\.[0-9a-f]{10}\.(css|js)$')"
check "pull-8.10 pages name the style sheet and scripts ($(echo "$refs" | wc -l))" test "$(echo "$refs" | wc -l)" -ge 5
bad=0
for ref in $refs; do
	plain=$(echo "$ref" | sed -E 's/\.[0-9a-f]{10}\././')
	hash=$(echo "$ref" | sed -E 's/.*\.([0-9a-f]{10})\..*/\1/')
	cmp -s "$TMP/public/$ref" "$TMP/public/$plain" || bad=$((bad + 1))
	[ "$(sha256sum "$TMP/public/$plain" | cut -c1-10)" = "$hash" ] || bad=$((bad + 1))
done
check_eq "pull-8.11 each is its plain file, named by its SHA-256" 0 "$bad"
style=$(echo "$refs" | grep style)
fetch "/$style" >/dev/null
check_eq "pull-8.12 /$style: cached a year, immutable" "public, max-age=31536000, immutable" "$(header Cache-Control)"
fetch "/$style" -H "Accept-Encoding: gzip" >/dev/null
check_eq "pull-8.12 and so is its gzip" "public, max-age=31536000, immutable gzip" "$(header Cache-Control) $(header Content-Encoding)"
fetch /assets/style.css >/dev/null
check_eq "pull-8.13 the plain name stays, cached 300 s" "public, max-age=300" "$(header Cache-Control)"

# pull-9: the API page's curl lines, for the served address (the build's
# --base-url), work when pasted: every one answers 200.
"$BUILD/sitegen" build --repo "$SRC" --worktree --registry "$SNAP" \
	--api-doc "$SRC/registry/openapi.json" --base-url "$BASE/" --out "$TMP/apisite" -q 2>/dev/null
grep -o "curl '[^']*'" "$TMP/apisite/api/index.html" | sed "s/^curl '//; s/'\$//; s/&amp;/\&/g" >"$TMP/curls"
check "pull-9.1 the page has a curl line per route ($(wc -l <"$TMP/curls"))" test "$(wc -l <"$TMP/curls")" -ge 13
check_eq "pull-9.2 every line is for the served address" 0 "$(grep -vc "^$BASE/" "$TMP/curls")"
check_eq "pull-9.3 and URL-encoded (nothing outside ASCII, no space)" 0 "$(LC_ALL=C grep -c '[^ -~]\| ' "$TMP/curls")"
while read -r url; do
	check_eq "pull-9.4 curl ${url#"$BASE"}: 200" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$url")"
done <"$TMP/curls"
for word in "not_issued、valid、suspended、revoked、expired、superseded" "suspend（暂停证书）" "void（更正）"; do
	check_contains "pull-9.5 the page lists the values: $word" "$TMP/apisite/api/index.html" "$word"
done

size() { curl -s -o /dev/null -w '%{size_download}' "$@" "$BASE/registry/"; }
echo "# /registry/: $(size) bytes as it is, $(size -H 'Accept-Encoding: gzip') gzipped"

# pull-6: a pooling client (Node's fetch keeps idle sockets and reuses
# them) over 2,000 requests from 4 workers, pausing every 25 requests for
# 0.45 to 1.2 times the idle timeout: it reads the Keep-Alive header and
# drops a socket before the server closes it, so no request meets a
# closing socket.
start_registryd --db "$SNAP" -q --keep-alive 2000 ||
	{ not_ok "pull-6.0 registryd starts"; done_testing; }
node "$SRC/tests/api/node/pool.mjs" "$BASE" 2000 2000 4 >"$TMP/pool.out" 2>&1
check_eq "pull-6.1 a pooling client, 2,000 requests around the idle timeout: no failure" \
	"requests 2000 failures 0" "$(head -n 1 "$TMP/pool.out")"
sed -n '2,$p' "$TMP/pool.out" | head -n 5
done_testing
