#!/bin/bash
# The registry, the requirement ids, the checklist, the search index and
# the API page on the website, through the real sitegen and registryctl.
. "$(dirname "$0")/../lib.sh"
# The style sheet's fingerprinted name, which pages use (site/assets.h).
STYLE="style.$(sha256sum "$SRC/site/static/style.css" | cut -c1-10).css"
SITEGEN="$BUILD/sitegen"
CTL="$BUILD/registryctl"
"$CTL" --db "$TMP/r.db" sample -q && "$CTL" --db "$TMP/r.db" publish "$TMP/s.db" -q
check_eq "registry-0 the sample registry is published" 0 $?
o="$TMP/site"
"$SITEGEN" build --repo "$SRC" --worktree --registry "$TMP/s.db" --base-url https://guide.example.org/ \
	--out "$o" >"$TMP/log" 2>&1
check_eq "registry-1.0 the site builds with the registry" 0 $?
q() { snapsql "$TMP/s.db" "$1"; }
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
flagged=$(q "select number from certificates where flags = 'rectification' limit 1")
check_contains "registry-2.7 an open rectification order is a notice with its deadline" \
	"$o/registry/certificates/$flagged/index.html" "责令限期整改，期限至 $(q "select cast(substr(rectification_deadline, 1, 4) as int) || '年' ||
		cast(substr(rectification_deadline, 6, 2) as int) || '月' || cast(substr(rectification_deadline, 9, 2) as int) || '日'
		from certificates where number = '$flagged'")"
renamed=$(q "select organisation_id from former_names limit 1")
former=$(q "select name from former_names where organisation_id=$renamed limit 1")
check_contains "registry-2.8 an organisation lists its former names" "$o/registry/organisations/$renamed/index.html" "曾用名：$former"
check_contains "registry-2.9 sample data says it is fictional" "$o/registry/index.html" "本名录为示例数据"
check "registry-2.10 registry pages are well-formed for an XML parser" xmllint --html --noout "$p"

# Truthful statuses: the same cases as tests/api/routes.sh, on the pages.
page() { echo "$o/registry/certificates/$(q "select number from certificates where $1 order by number limit 1")/index.html"; }
p=$(page "status = 'suspended'")
check_contains "registry-6.1 suspended: in words" "$p" '<span class="status status-suspended">暂停</span>'
p=$(page "status = 'revoked'")
check_contains "registry-6.2 revoked: what its validity now means" "$p" '，已于 '
check_contains "registry-6.2 revoked: original validity" "$p" '<p class="verdict-validity">原有效期至 '
check_not_contains "registry-6.3 revoked: no window pending" "$p" '未到期'
check_contains "registry-6.4 revoked: the windows no longer due" "$p" '<td>不再办理</td>'
p=$(page "status = 'expired'")
check_contains "registry-6.5 expired: in words" "$p" '已届满</p>'
p=$(page "status = 'superseded' and renewal_state = 'ended'")
check_contains "registry-6.6 superseded: what its validity now means" "$p" '换发</p>'
check_not_contains "registry-6.7 superseded: no window pending" "$p" '未到期'
overdue=$(q "select number from certificates where flags = 'rectification_overdue' order by number limit 1")
p="$o/registry/certificates/$overdue/index.html"
check_contains "registry-6.8 an overdue order: its own flag" "$p" '<span class="flag flag-rectification_overdue">整改逾期</span>'
check_not_contains "registry-6.9 and not 'in progress'" "$p" '限期整改中'
check_contains "registry-6.10 a notice of its own, with deadline passed" "$p" '<section class="notice notice-rectify notice-overdue"'
check_contains "registry-6.11 with the reason" "$p" '<p>理由：'
warned=$(q "select number from certificates where flags = 'warning' order by number limit 1")
check_contains "registry-6.12 a warning: a notice of its own" "$o/registry/certificates/$warned/index.html" \
	'<section class="notice notice-warn"'
check_contains "registry-6.13 times in China Standard Time, in words" "$p" \
	"（名录于 <time datetime=\"$(q "select value from meta where key='published_at'")\">"
check_not_contains "registry-6.14 no raw UTC timestamp shown" "$p" "发布于 $(q "select value from meta where key='published_at'")"
check_contains "registry-6.15 the snapshot's SHA-256 on the page" "$p" "$(q "select value from meta where key='sha256'")"
check_contains "registry-6.16 the own address once, marked for print" "$p" 'class="own-url" href="https://guide.example.org/registry/certificates/'

# Watch a supplier: a feed per certificate and per organisation.
check "registry-7.1 a certificate's feed is well-formed Atom" xmllint --noout "$o/registry/certificates/$overdue/feed.xml"
check_contains "registry-7.2 discoverable from its page" "$p" '<link rel="alternate" type="application/atom+xml" title="证书 '"$overdue"' 的记录" href="feed.xml">'
check_contains "registry-7.3 entries link to the human page" "$o/registry/certificates/$overdue/feed.xml" \
	"<link rel=\"alternate\" type=\"text/html\" href=\"https://guide.example.org/registry/certificates/$overdue/#event-"
check_eq "registry-7.4 an entry per event" "$(q "select count(*) from events where number = '$overdue'")" \
	"$(grep -c '<entry>' "$o/registry/certificates/$overdue/feed.xml")"
org=$(q "select organisation_id from certificates where number = '$overdue'")
check "registry-7.5 an organisation's feed is well-formed Atom" xmllint --noout "$o/registry/organisations/$org/feed.xml"
check_contains "registry-7.6 discoverable from its page" "$o/registry/organisations/$org/index.html" '<link rel="alternate" type="application/atom+xml"'
check_contains "registry-7.7 holding its certificates' events" "$o/registry/organisations/$org/feed.xml" "$overdue：限期整改"
check_eq "registry-7.8 a feed per certificate and per organisation" "$((total + $(q 'select count(*) from organisations')))" \
	"$(find "$o/registry/certificates" "$o/registry/organisations" -name feed.xml | wc -l)"
check_contains "registry-7.9 the event's anchor on the page" "$p" '<li id="event-'

# One box to check; many at once; not in the registry.
check_contains "registry-8.1 the home page has the box" "$o/index.html" 'action="./registry/check/"'
check_contains "registry-8.2 the list has the box" "$o/registry/index.html" 'action="../registry/check/"'
check_contains "registry-8.3 the check page, with the place for answers" "$o/registry/check/index.html" '<!--check:begin-->'
check_contains "registry-8.4 the bulk check page" "$o/registry/bulk/index.html" '<!--bulk:begin-->'
check_contains "registry-8.5 the not-found page" "$o/registry/not-found/index.html" '不在获证组织名录中'
check_contains "registry-8.6 which says whom to tell" "$o/registry/not-found/index.html" 'href="/contact/"'
check_contains "registry-8.7 the 404 page recognises registry paths" "$o/404.html" 'id="registry-404" hidden'
check "registry-8.8 check pages are well-formed for an XML parser" xmllint --html --noout "$o/registry/check/index.html" "$o/registry/bulk/index.html" "$o/registry/not-found/index.html"
check_contains "registry-8.9 the list puts the status next to the name" "$o/registry/index.html" \
	'</a></td>
<td class="cell-status"><span class="status'

# The same pages served by registryd: the box answered without JavaScript.
. "$SRC/tests/api/helpers.bash"
start_registryd --db "$TMP/s.db" --site "$o" -q || not_ok "registry-9.0 registryd serves the site"
name=$(q "select substr(name, 3, 2) from organisations where id = $org")
check_eq "registry-9.1 a name fragment: a short list" 200 "$(fetch /registry/check/ -G --data-urlencode "q=$name")"
check_contains "registry-9.2 every row with its status" "$TMP/b" '<li class="check-item" data-status="'
check_contains "registry-9.3 in the site's own page" "$TMP/b" '<link rel="stylesheet" href="../../assets/'"$STYLE"'">'
check_eq "registry-9.4 a number: straight to its page" 303 "$(fetch "/registry/check/?q=$(echo "$overdue" | cut -c9- | tr A-Z a-z)")"
check_eq "registry-9.5 its page" "../certificates/$overdue/" "$(header Location)"
check_eq "registry-9.6 an unknown number: its page says so" 404 "$(fetch /registry/certificates/CNITSEC-CS1-2099-0001/)"
check_contains "registry-9.7 plainly" "$TMP/b" '编号 <span class="missing-number" data-fill="number">CNITSEC-CS1-2099-0001</span> 不在获证组织名录中'
check_contains "registry-9.8 with its styles (absolute, at any depth)" "$TMP/b" '<link rel="stylesheet" href="/assets/'"$STYLE"'">'
check_eq "registry-9.9 the bulk check" 200 "$(fetch "/registry/bulk/?numbers=$overdue%0D%0ACNITSEC-CS1-2099-0001")"
check_contains "registry-9.10 a row per entry, unknown ones too" "$TMP/b" '<tr data-status="not_found">'
check "registry-9.11 the answered pages are well-formed" xmllint --html --noout "$TMP/b"

# Search index: built, sharded, with guide sections and registry names.
check "registry-3.1 the search index has its meta file" test -s "$o/search/meta.json"
check_eq "registry-3.2 64 index shards" 64 "$(ls "$o"/search/index-*.json | wc -l)"
org=$(q "select name from organisations order by id limit 1")
check "registry-3.3 registry names are search documents" grep -qF "\"$org\"" "$o"/search/docs-*.json
check "registry-3.4 the bigram 年检 is in the index" grep -qF '"年检"' "$o"/search/index-*.json
check "registry-3.4a an organisation's document holds its certificates' statuses" \
	grep -qF "[\"$overdue\",\"valid\",\"有效\",\"rectification_overdue\",\"整改逾期\"," "$o"/search/docs-*.json
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
