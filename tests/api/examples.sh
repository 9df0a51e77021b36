#!/bin/bash
# The example responses of the OpenAPI document (and so of the API page)
# are real answers: registryd on the sample registry gives each of them to
# the request the page's curl line makes, modulo the time of publishing,
# SHA-256 digests and what the signing key makes (tests/api/node/examples.mjs
# says which); a changed example, or an answer that changed, fails.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/helpers.bash"
. "$(dirname "$0")/examples.bash"

DOC="$SRC/registry/openapi.json"
EXAMPLES="$SRC/tests/api/node/examples.mjs"
examples_registry "$TMP/fx" || { not_ok "examples-0.1 the sample registry is published"; done_testing; }
start_registryd --db "$TMP/fx/snapshot.db" -q \
	--base-url "$(json_get "$DOC" '$."x-examples-base-url"')" ||
	{ not_ok "examples-0.2 registryd starts"; done_testing; }

check "examples-1.1 every route's example is registryd's answer (new key, same sample)" \
	node "$EXAMPLES" "$DOC" "$BASE"
routes=$(sqlite3 :memory: "SELECT count(*) FROM json_each(readfile('$DOC'), '\$.paths')")
with=$(sqlite3 :memory: "
	SELECT count(*) FROM json_each(readfile('$DOC'), '\$.paths') AS p,
	     json_each(p.value, '\$.get.responses.\"200\".content') AS m
	WHERE json_type(m.value, '\$.example') IS NOT NULL")
check_eq "examples-1.2 every route but /v1/openapi.json has one ($with of $routes)" "$((routes - 1))" "$with"

# The checker catches drift both ways: an example edited, an answer changed.
sqlite3 :memory: "SELECT json_set(readfile('$DOC'),
	'\$.paths./v1/certificates/{number}.get.responses.200.content.application/json.example.status',
	'suspended')" >"$TMP/edited.json"
check_fails "examples-2.1 an example edited is caught" node "$EXAMPLES" "$TMP/edited.json" "$BASE"
sed 's/CNITSEC-CS1-2023-0007/CNITSEC-CS1-2023-0008/' "$DOC" >"$TMP/edited.json"
check_fails "examples-2.2 a CSV example edited is caught" node "$EXAMPLES" "$TMP/edited.json" "$BASE"
"$REGISTRYCTL" -q --db "$TMP/fx/registry.db" --now 1767225600 \
	org rename 15 "示例另一个名称有限公司" --date 2025-12-20 >/dev/null &&
	"$REGISTRYCTL" -q --db "$TMP/fx/registry.db" --now 1767225600 \
		publish --key "$TMP/fx/log.key" "$TMP/fx/snapshot.db" >/dev/null
for i in $(seq 1 50); do
	[ "$(fetch /v1/meta >/dev/null; json_get "$TMP/b" '$.counts.events')" = 842 ] && break
	sleep 0.1
done
check_fails "examples-2.3 an answer changed by a new event is caught" node "$EXAMPLES" "$DOC" "$BASE"

# The API page shows them, not values made up from the schemas.
"$BUILD/sitegen" build --repo "$SRC" --worktree --api-doc "$DOC" --out "$TMP/site" -q
page="$TMP/site/api/index.html"
check_contains "examples-3.1 the page shows a real certificate answer" "$page" "示例青岚数据科技有限公司"
check_contains "examples-3.2 the export's CSV lines" "$page" "CNITSEC-CS1-2023-0007,CS,云计算安全"
check_contains "examples-3.3 the checkpoint" "$page" "sample.registry.invalid/log"
check_not_contains "examples-3.4 no placeholder string" "$page" "&quot;string&quot;"
done_testing
