#!/bin/bash
# receipts: the signed log over HTTP.  registryd serves the checkpoint
# publish --key signed, a certificate's receipt and consistency proofs;
# `registryctl verify` passes what it serves and refuses every tampering
# (one byte of an event, two events reordered, the last dropped, a proof
# truncated, a fork of the same size, another key), naming the failing
# check.  The tampered receipts are kept in $RECEIPTS_OUT when it is set
# (the browser test checks them too).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/helpers.bash"

DIR="$TMP/reg"
api_fixture "$DIR" >/dev/null
# The fixture's snapshot is signed, its log beside it.
KEY="$DIR/log.key" LOG="$DIR/snapshot.db.tlog"
VKEY=$(cat "$LOG/verifier-key")
check "receipts-0.1 the log is beside the snapshot" test -f "$LOG/checkpoint"
SIZE1=$(sed -n 2p "$LOG/checkpoint")
cp "$LOG/checkpoint" "$TMP/checkpoint.1"

start_registryd --db "$DIR/snapshot.db" -q --today 2026-01-01 || exit 1
# check_exit NAME STATUS COMMAND...: its output in $TMP/.out, errors in .err.
check_exit() {
	local name=$1 want=$2; shift 2
	"$@" >"$TMP/.out" 2>"$TMP/.err"
	local got=$?
	if [ "$got" = "$want" ]; then ok "$name"; else
		not_ok "$name"; echo "#   expected exit $want, got $got"
		sed 's/^/#   /' "$TMP/.out" "$TMP/.err" | head -n 8
	fi
}

# ---- the routes ----
check_eq "route-1.1 GET /v1/checkpoint" 200 "$(fetch /v1/checkpoint)"
check "route-1.1 the checkpoint signed, byte for byte" cmp -s "$TMP/b" "$LOG/checkpoint"
check_eq "route-1.2 as text" "text/plain; charset=utf-8" "$(header Content-Type)"
check "route-1.3 with an entity tag" test -n "$(header ETag)"
ETAG=$(header ETag)
check_eq "route-1.3 and 304 for it" 304 "$(fetch /v1/checkpoint -H "If-None-Match: $ETAG")"
check_eq "route-2.1 /v1/meta" 200 "$(fetch /v1/meta)"
check_eq "route-2.1 /v1/meta has the verifier key" "$VKEY" "$(json_get "$TMP/b" '$.log.verifier_key')"
check_eq "route-2.2 and the tree size" "$SIZE1" "$(json_get "$TMP/b" '$.log.size')"
NUM=$(snapsql "$DIR/snapshot.db" "SELECT number FROM certificates WHERE status = 'suspended' ORDER BY number LIMIT 1")
check_eq "route-3.1 a receipt" 200 "$(fetch "/v1/certificates/$NUM/receipt")"
cp "$TMP/b" "$TMP/receipt.json"
check_eq "route-3.1 as JSON" "application/json; charset=utf-8" "$(header Content-Type)"
check_contains "route-3.1 downloaded as a file" "$TMP/h" "filename=\"receipt-$NUM.json\""
check_eq "route-3.2 the certificate's status as of the checkpoint" "suspended 2026-01-01" \
	"$(json_get "$TMP/receipt.json" '$.status.status') $(json_get "$TMP/receipt.json" '$.as_of')"
check "route-3.3 its events with inclusion proofs" \
	test "$(json_get "$TMP/receipt.json" '$.events[0].proof[0]')" != ""
check_eq "route-3.5 a number not in the registry: 404" 404 "$(fetch /v1/certificates/CNITSEC-CS1-2099-0001/receipt)"
check_eq "route-3.5 as a problem document" "application/problem+json" "$(header Content-Type)"
check_eq "route-3.6 a receipt takes no parameter" 400 "$(fetch "/v1/certificates/$NUM/receipt?as_of=2025-01-01")"
check_eq "route-4.1 consistency to the latest" 200 "$(fetch "/v1/log/consistency?from=5")"
check_eq "route-4.1 from 5 to the size signed" "5 $SIZE1" \
	"$(json_get "$TMP/b" '$.old_size') $(json_get "$TMP/b" '$.new_size')"
check_eq "route-4.2 from is required" 400 "$(fetch /v1/log/consistency)"
check_eq "route-4.2 naming it" from "$(json_get "$TMP/b" '$.parameter')"
check_eq "route-4.3 a size that is not a number" 400 "$(fetch "/v1/log/consistency?from=01")"
check_eq "route-4.4 from after to" 400 "$(fetch "/v1/log/consistency?from=9&to=5")"
check_eq "route-4.5 a size never signed: 404" 404 "$(fetch "/v1/log/consistency?from=1&to=7")"
check_eq "route-4.5 naming to" to "$(json_get "$TMP/b" '$.parameter')"

# ---- verify passes what is served ----
check_exit "verify-1.1 the receipt verifies" 0 "$REGISTRYCTL" verify "$TMP/receipt.json" --key "$VKEY"
for c in receipt checkpoint signature snapshot leaf-hash inclusion entry order certificate status holder; do
	check_contains "verify-1.2 check $c passed" "$TMP/.out" "$c"
done
check_eq "verify-1.3 every check ok" "0" "$(grep -c FAILED "$TMP/.out")"
check_contains "verify-1.4 says so at the end" "$TMP/.out" "verify: ok"
check_exit "verify-1.5 without a key: the signature is not checked, exit 1" 1 \
	"$REGISTRYCTL" verify "$TMP/receipt.json"
check_contains "verify-1.5 says why" "$TMP/.out" "signature: FAILED no verifier key"

# ---- a later publish: the old receipt is still part of the history ----
"$REGISTRYCTL" -q --db "$DIR/registry.db" --now "$NOW" org rename 17 "示例后来改名有限公司" --date 2026-01-01 >/dev/null
"$REGISTRYCTL" -q --db "$DIR/registry.db" --now "$NOW" publish --key "$KEY" "$DIR/snapshot.db"
SIZE2=$(sed -n 2p "$LOG/checkpoint")
check_eq "later-1.1 the log grew by one" "$((SIZE1 + 1))" "$SIZE2"
for i in $(seq 1 50); do
	[ "$(fetch /v1/meta >/dev/null; json_get "$TMP/b" '$.log.size')" = "$SIZE2" ] && break
	sleep 0.1
done
check_eq "later-1.2 registryd serves the new checkpoint" 200 "$(fetch /v1/checkpoint)"
check "later-1.2 byte for byte" cmp -s "$TMP/b" "$LOG/checkpoint"
check_eq "later-1.3 consistency from the old size" 200 "$(fetch "/v1/log/consistency?from=$SIZE1")"
cp "$TMP/b" "$TMP/consistency.json"
check_exit "later-1.4 the old receipt with it verifies" 0 \
	"$REGISTRYCTL" verify "$TMP/receipt.json" --key "$VKEY" --consistency "$TMP/consistency.json"
check_contains "later-1.4 consistency checked" "$TMP/.out" "consistency: ok"
check_eq "later-1.5 consistency between two older sizes" 200 "$(fetch "/v1/log/consistency?from=3&to=$SIZE1")"
check_eq "later-1.5 signed for the size asked" "$SIZE1" "$(json_get "$TMP/b" '$.new_size')"

# ---- a fork: another history of the same size, by the same key ----
FORK="$TMP/fork"
mkdir -p "$FORK"
"$REGISTRYCTL" -q --db "$FORK/registry.db" --now "$NOW" sample --today 2025-06-01
while [ "$(sqlite3 "$FORK/registry.db" 'SELECT count(*) FROM events')" -lt "$SIZE1" ]; do
	"$REGISTRYCTL" -q --db "$FORK/registry.db" --now "$NOW" org add "示例分叉机构$RANDOM有限公司" --date 2025-06-01 >/dev/null
done
"$REGISTRYCTL" -q --db "$FORK/registry.db" --now "$NOW" publish --key "$KEY" "$FORK/snapshot.db"
check_eq "fork-0.1 the fork has the size of the first checkpoint" "$SIZE1" "$(sed -n 2p "$FORK/snapshot.db.tlog/checkpoint")"
check "fork-0.1 and another root" test "$(sed -n 3p "$FORK/snapshot.db.tlog/checkpoint")" != "$(sed -n 3p "$TMP/checkpoint.1")"
# A consistency document from the fork's checkpoint to the log's.
perl -MJSON::PP -e 'local $/; open my $f, "<:raw", $ARGV[0]; my $d = JSON::PP->new->utf8->decode(<$f>);
	open my $g, "<:raw", $ARGV[1]; my $n = <$g>; utf8::decode($n); $d->{checkpoint} = $n;
	$d->{old_size} = $d->{new_size} = $ARGV[2] + 0; $d->{proof} = []; print JSON::PP->new->utf8->encode($d)' \
	"$TMP/consistency.json" "$FORK/snapshot.db.tlog/checkpoint" "$SIZE1" >"$TMP/fork-consistency.json"

# ---- tampering, each refused at its check ----
OUT=${RECEIPTS_OUT:-$TMP/out}
mkdir -p "$OUT"
cp "$TMP/receipt.json" "$OUT/receipt.json"
printf '%s\n' "$VKEY" >"$OUT/verifier-key"
tamper() { perl "$SRC/tests/api/tamper.pl" "$@"; }
tamper byte "$TMP/receipt.json" >"$OUT/byte.json"
tamper reorder "$TMP/receipt.json" >"$OUT/reorder.json"
tamper drop "$TMP/receipt.json" >"$OUT/drop.json"
tamper truncate "$TMP/receipt.json" >"$OUT/truncate.json"
tamper fork "$TMP/receipt.json" "$FORK/snapshot.db.tlog/checkpoint" >"$OUT/fork.json"
OTHER=$("$REGISTRYCTL" keygen registry.test/log "$TMP/other.key")
printf '%s\n' "$OTHER" >"$OUT/other-key"
first_failed() { sed -n 's/^verify: FAILED at \([a-z-]*\).*/\1/p' "$TMP/.out"; }
while read -r name file key check; do
	check_exit "tamper-1 $name: refused (exit 1)" 1 "$REGISTRYCTL" verify "$OUT/$file" --key "$key"
	check_eq "tamper-1 $name: at the $check check" "$check" "$(first_failed)"
done <<END
one-byte-of-an-event byte.json $VKEY leaf-hash
two-events-reordered reorder.json $VKEY order
the-last-event-dropped drop.json $VKEY status
a-proof-truncated truncate.json $VKEY inclusion
a-fork-of-the-same-size fork.json $VKEY inclusion
the-key-swapped receipt.json $OTHER signature
END
check_exit "tamper-2 a fork shown as the newer checkpoint: refused" 1 \
	"$REGISTRYCTL" verify "$TMP/receipt.json" --key "$VKEY" --consistency "$TMP/fork-consistency.json"
check_eq "tamper-2 at the consistency check" consistency "$(first_failed)"
check_contains "tamper-2 names the fork" "$TMP/.out" "fork"
check_exit "tamper-3 not a receipt" 1 "$REGISTRYCTL" verify "$OUT/verifier-key" --key "$VKEY"
check_eq "tamper-3 at the receipt check" receipt "$(first_failed)"
check_exit "tamper-4 a key that is not one: refused with the reason" 1 "$REGISTRYCTL" verify "$TMP/receipt.json" --key "nokey"
check_contains "tamper-4 names --key" "$TMP/.err" "--key nokey"

# ---- no log: no log routes ----
start_registryd --db "$FORK/snapshot.db" --log "$LOG" -q || exit 1
check_eq "nolog-1.1 a log that is not the snapshot's: 503" 503 "$(fetch /v1/checkpoint)"
check_contains "nolog-1.1 says why" "$TMP/b" "is not the snapshot's events"
cp "$DIR/snapshot.db" "$TMP/bare.db"
start_registryd --db "$TMP/bare.db" -q || exit 1
check_eq "nolog-1.2 without a log: 404" 404 "$(fetch /v1/checkpoint)"
check_eq "nolog-1.3 and /v1/meta's log is null" "" "$(fetch /v1/meta >/dev/null; json_get "$TMP/b" '$.log')"
done_testing
