#!/bin/bash
# Browser tests of the receipt: the sample registry published with a
# signing key, the site built with its log, served by registryd on a
# loopback port, and receipt.test.mjs in Debian's chromium: a certificate
# page verifies its receipt in the browser and says what it checked; the
# receipts tampered with (tests/api/tamper.pl) and another key fail, each
# at its named check.
. "$(dirname "$0")/../lib.sh"
here="$SRC/tests/browser"
lock_sum=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$here/node_modules/.lock-sha256" 2>/dev/null)" != "$lock_sum" ]; then
	(cd "$here" && npm ci --no-audit --no-fund --silent) >"$TMP/npm.log" 2>&1 ||
		{ not_ok "receipt-0 npm ci of playwright-core and axe-core"; sed 's/^/#   /' "$TMP/npm.log"; done_testing; }
	echo "$lock_sum" >"$here/node_modules/.lock-sha256"
fi
for tool in node chromium perl; do
	command -v "$tool" >/dev/null || { not_ok "receipt-0 $tool is installed (tools/deps.sh browser)"; done_testing; }
done
R="$BUILD/registryctl"
"$R" -q --db "$TMP/registry.db" sample &&
	"$R" keygen sample.registry.invalid/log "$TMP/log.key" >"$TMP/verifier-key" &&
	"$R" -q --db "$TMP/registry.db" publish --key "$TMP/log.key" "$TMP/snapshot.db" ||
	{ not_ok "receipt-0 the sample registry is published and signed"; done_testing; }
SIZE=$(sed -n 2p "$TMP/snapshot.db.tlog/checkpoint")
# A fork: another history of the same size, signed by the same key.
"$R" -q --db "$TMP/fork.db" sample --today 2025-06-01
while [ "$(sqlite3 "$TMP/fork.db" 'SELECT count(*) FROM events')" -lt "$SIZE" ]; do
	"$R" -q --db "$TMP/fork.db" org add "示例分叉机构$RANDOM有限公司" --date 2025-06-01 >/dev/null
done
"$R" -q --db "$TMP/fork.db" publish --key "$TMP/log.key" "$TMP/fork-snapshot.db"
"$R" keygen sample.registry.invalid/log "$TMP/other.key" >"$TMP/other-key"

for attempt in 1 2 3 4 5; do
	port=$((20000 + RANDOM % 30000))
	url="http://127.0.0.1:$port/"
	"$BUILD/sitegen" build --repo "$SRC" --worktree --registry "$TMP/snapshot.db" \
		--base-url "$url" --out "$TMP/site" -q 2>"$TMP/build.log" ||
		{ not_ok "receipt-0 the site builds"; sed 's/^/#   /' "$TMP/build.log"; done_testing; }
	"$BUILD/registryd" --db "$TMP/snapshot.db" --site "$TMP/site" \
		--listen "127.0.0.1:$port" -q >"$TMP/server.log" 2>&1 &
	server=$!
	for i in $(seq 50); do
		curl -fs -o /dev/null "$url" && break
		kill -0 "$server" 2>/dev/null || break
		sleep 0.1
	done
	curl -fs -o /dev/null "$url" && break
	kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; server=
done
[ -n "${server:-}" ] || { not_ok "receipt-0 the site is served on loopback"; sed 's/^/#   /' "$TMP/server.log"; done_testing; }
trap 'kill $server 2>/dev/null; rm -rf "$TMP"' EXIT

# The suspended certificate's receipt, and its tamperings.
NUM=$(snapsql "$TMP/snapshot.db" "SELECT number FROM certificates WHERE status = 'suspended' ORDER BY number LIMIT 1")
OUT="$TMP/tampered"
mkdir -p "$OUT"
RECEIPT="$TMP/site/registry/certificates/$NUM/receipt.json"
for how in byte reorder drop truncate; do
	perl "$SRC/tests/api/tamper.pl" "$how" "$RECEIPT" >"$OUT/$how.json"
done
perl "$SRC/tests/api/tamper.pl" fork "$RECEIPT" "$TMP/fork-snapshot.db.tlog/checkpoint" >"$OUT/fork.json"
cp "$TMP/other-key" "$OUT/other-key"

SITE_URL="$url" CERT="$NUM" TAMPERED="$OUT" LOG_SIZE="$SIZE" SCREENSHOTS="$BUILD/screenshots" \
	NODE_PATH="$here/node_modules" \
	node --test --test-reporter=tap "$here/receipt.test.mjs" 2>&1 |
	sed -e 's/^ok [0-9]* - /ok - /' -e 's/^not ok [0-9]* - /not ok - /'
exit "${PIPESTATUS[0]}"
