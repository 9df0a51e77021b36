#!/bin/bash
# Browser tests of the receipt: the sample registry published with a
# signing key, the site built with its log, served by registryd on a
# loopback port, and receipt.test.mjs in Debian's chromium: a certificate
# page verifies its receipt in the browser and says what it checked; the
# receipts tampered with (tests/api/tamper.pl) and another key fail, each
# at its named check.
. "$(dirname "$0")/../lib.sh"
. "$SRC/tests/browser/lib.sh"
browser_needs receipt chromium perl
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

browser_serve receipt "$TMP/snapshot.db"

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

SITE_URL="$url" CERT="$NUM" TAMPERED="$OUT" LOG_SIZE="$SIZE" \
	browser_run "$here/receipt.test.mjs"
