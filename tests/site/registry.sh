#!/bin/bash
# The registry, the requirement ids, the checklist, the search index and
# the API page on the website, through the real sitegen and registryctl.
. "$(dirname "$0")/../lib.sh"
SITEGEN="$BUILD/sitegen"
CTL="$BUILD/registryctl"
"$CTL" --db "$TMP/r.db" sample -q && "$CTL" --db "$TMP/r.db" publish "$TMP/s.db" -q
check_eq "registry-0 the sample registry is published" 0 $?
o="$TMP/site"
"$SITEGEN" build --repo "$SRC" --worktree --registry "$TMP/s.db" --base-url https://guide.example.org/ \
	--out "$o" >"$TMP/log" 2>&1
check_eq "registry-1.0 the site builds with the registry" 0 $?
q() { sqlite3 "$TMP/s.db" "$1"; }
total=$(q "select count(*) from certificates")
check_eq "registry-1.1 the list has a row per certificate" "$total" "$(grep -c '<tr data-status=' "$o/registry/index.html")"
check_contains "registry-1.2 the summary line counts the registry" "$TMP/log" "$total certificates and $(q 'select count(*) from organisations') organisations"
for s in valid suspended revoked expired superseded; do
	n=$(q "select count(*) from certificates where status='$s'")
	check_eq "registry-1.3 the $s list has exactly the $s certificates" "$n" "$(grep -c "<tr data-status=\"$s\"" "$o/registry/status/$s/index.html")"
done
check_eq "registry-1.4 the level 2 list has the level 2 certificates" "$(q "select count(*) from certificates where level=2")" \
	"$(grep -c 'data-level="2"' "$o/registry/level/2/index.html")"
check_eq "registry-1.5 a page per certificate" "$total" "$(ls "$o/registry/certificates" | wc -l)"
check_eq "registry-1.6 a page per organisation" "$(q 'select count(*) from organisations')" "$(ls "$o/registry/organisations" | wc -l)"
num=$(q "select number from certificates where status='revoked' order by number limit 1")
p="$o/registry/certificates/$num/index.html"
check_contains "registry-2.1 a revoked certificate says so in words" "$p" '<span class="status status-revoked">已取消</span>'
check_contains "registry-2.2 the status is stated as of the snapshot" "$p" "状态截至 <time datetime=\"$(q "select value from meta where key='as_of'")\">"
check_contains "registry-2.3 the page holds its QR code" "$p" "<svg xmlns=\"http://www.w3.org/2000/svg\""
check_contains "registry-2.4 the QR code is labelled with the page's address" "$p" "aria-label=\"二维码：https://guide.example.org/registry/certificates/$num/\""
check_contains "registry-2.5 the page links to the live API" "$p" "href=\"../../../v1/certificates/$num\""
check_contains "registry-2.6 the history lists the revocation" "$p" "<strong>取消证书</strong>"
flagged=$(q "select number from certificates where flags like '%rectification%' limit 1")
check_contains "registry-2.7 an open rectification order is shown with its deadline" \
	"$o/registry/certificates/$flagged/index.html" "整改期限："
renamed=$(q "select organisation_id from former_names limit 1")
former=$(q "select name from former_names where organisation_id=$renamed limit 1")
check_contains "registry-2.8 an organisation lists its former names" "$o/registry/organisations/$renamed/index.html" "曾用名：$former"
check_contains "registry-2.9 sample data says it is fictional" "$o/registry/index.html" "本名录为示例数据"
check "registry-2.10 registry pages are well-formed for an XML parser" xmllint --html --noout "$p"

# Search index: built, sharded, with guide sections and registry names.
check "registry-3.1 the search index has its meta file" test -s "$o/search/meta.json"
check_eq "registry-3.2 64 index shards" 64 "$(ls "$o"/search/index-*.json | wc -l)"
org=$(q "select name from organisations order by id limit 1")
check "registry-3.3 registry names are search documents" grep -qF "\"$org\"" "$o"/search/docs-*.json
check "registry-3.4 the bigram 年检 is in the index" grep -qF '"年检"' "$o"/search/index-*.json
"$SITEGEN" build --repo "$SRC" --worktree --registry "$TMP/s.db" --base-url https://guide.example.org/ --out "$TMP/again" -q
check "registry-3.5 the same inputs build the same index and pages" diff -r "$o" "$TMP/again"

# Requirement ids and the checklist.
check_contains "registry-4.1 a requirement item carries its id as an anchor" "$o/basic-capability/index.html" \
	'<a class="req-id" id="R-3.2.3-5" href="#R-3.2.3-5">R-3.2.3-5</a>'
check_eq "registry-4.2 the checklist lists every requirement id" "$(grep -ho '{#R-[^}]*}' "$SRC"/content/*.md | wc -l)" \
	"$(grep -c 'type="checkbox"' "$o/checklist/index.html")"
mkdir -p "$TMP/dup/content"
printf -- '---\ntitle: 首页\n---\n1. {#R-1} 甲\n' >"$TMP/dup/content/index.md"
printf -- '---\ntitle: 乙\n---\n正文\n\n1. {#R-1} 乙\n' >"$TMP/dup/content/b.md"
"$SITEGEN" build --repo "$TMP/dup" --worktree --out "$TMP/dup/out" >"$TMP/err" 2>&1
check_eq "registry-4.3 a duplicate requirement id fails the build" 1 $?
check_contains "registry-4.4 and names both places" "$TMP/err" "content/index.md:4: item id 'R-1' is already used in content/b.md"

# The API page from an OpenAPI document.
cat >"$TMP/openapi.json" <<'JSON'
{"openapi": "3.1.0", "info": {"title": "Registry API", "version": "1"},
 "paths": {"/v1/certificates/{number}": {"get": {"summary": "一张证书",
   "parameters": [{"name": "number", "in": "path", "required": true, "schema": {"type": "string"}, "example": "CNITSEC-CS1-2024-0001"},
                  {"name": "as_of", "in": "query", "schema": {"type": "string", "format": "date"}, "example": "2026-01-01"}],
   "responses": {"200": {"description": "证书", "content": {"application/json": {"example": {"number": "CNITSEC-CS1-2024-0001", "status": "valid"}}}},
                 "404": {"description": "没有这张证书"}}}}}}
JSON
"$SITEGEN" build --repo "$SRC" --worktree --api-doc "$TMP/openapi.json" --base-url https://guide.example.org/ --out "$TMP/api" -q
check_contains "registry-5.1 the API page shows an example request" "$TMP/api/api/index.html" \
	"curl 'https://guide.example.org/v1/certificates/CNITSEC-CS1-2024-0001?as_of=2026-01-01'"
check_contains "registry-5.2 and its example response" "$TMP/api/api/index.html" "&quot;status&quot;: &quot;valid&quot;"
check_contains "registry-5.3 and its parameters" "$TMP/api/api/index.html" "<td><code>as_of</code></td><td>query</td>"
echo '{"openapi": ' >"$TMP/bad.json"
"$SITEGEN" build --repo "$SRC" --worktree --api-doc "$TMP/bad.json" --out "$TMP/api" >"$TMP/err" 2>&1
check_eq "registry-5.4 a broken OpenAPI document fails the build" 1 $?
check_contains "registry-5.5 naming the file and line" "$TMP/err" "$TMP/bad.json:2: unexpected token"
done_testing
