#!/bin/bash
# signed: the log a publish signs.  keygen's key files; publish --key
# writes the tlog-tiles and a signed checkpoint binding the snapshot;
# `verify --snapshot` checks them; a registry whose history was rewritten
# (a fork of the same size, fewer events, another history) or another key
# is refused and changes nothing; the private key is in no published file.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/helpers.bash"

DB="$TMP/r.db" SNAP="$TMP/snapshot.db" LOG="$TMP/snapshot.db.tlog" KEY="$TMP/log.key"
ORIGIN=registry.test/log

# ---- keygen ----
check_exit "keygen-1.1 keygen makes a key" 0 rctl keygen "$ORIGIN" "$KEY"
VKEY=$(cat "$TMP/.out")
check "keygen-1.2 prints the verifier key name+keyhash+base64" \
	grep -Eqx 'registry\.test/log\+[0-9a-f]{8}\+A[A-Za-z0-9+/]{43}' <<<"$VKEY"
check_eq "keygen-1.3 the private key file is mode 0600" "600" "$(stat -c %a "$KEY")"
check "keygen-1.4 the key file is a signer key" grep -Eq '^PRIVATE\+KEY\+registry\.test/log\+' "$KEY"
cp "$KEY" "$TMP/key.before"
check_exit "keygen-1.5 an existing key is never overwritten" 1 rctl keygen "$ORIGIN" "$KEY"
check_contains "keygen-1.5 says so" "$TMP/.err" "never overwritten"
check "keygen-1.5 the key is unchanged" cmp -s "$KEY" "$TMP/key.before"
check_exit "keygen-1.6 a name with a space is refused" 1 rctl keygen "bad name" "$TMP/bad.key"
check "keygen-1.6 and no file is left" test ! -e "$TMP/bad.key"
chmod 644 "$TMP/key.before"
rctl -q --db "$DB" sample
check_exit "keygen-1.7 a key others may read is refused by publish" 1 \
	rctl --db "$DB" publish --key "$TMP/key.before" "$SNAP"
check_contains "keygen-1.7 says why" "$TMP/.err" "chmod 600"
check "keygen-1.7 and nothing is published" test ! -e "$SNAP"

# ---- publish --key ----
check_exit "sign-1.1 publish --key" 0 rctl --db "$DB" publish --key "$KEY" "$SNAP"
EVENTS=$(rows "$DB" events)
check_contains "sign-1.1 says what it signed" "$TMP/.err" "signed the checkpoint of $EVENTS entries"
SHA=$(sqlite3 "$SNAP" "SELECT value FROM meta WHERE key = 'sha256'")
check_eq "sign-1.2 the checkpoint: origin, size, root, snapshot line" \
	"$ORIGIN|$EVENTS|44|snapshot 2026-01-01 sha256:$SHA|" \
	"$(head -n 4 "$LOG/checkpoint" | awk 'NR==3{print length($0); next} {print}' | tr '\n' '|')"
check "sign-1.3 one signature line by the key" \
	grep -Eqx "— $ORIGIN [A-Za-z0-9+/]{91}=" <(tail -n 1 "$LOG/checkpoint")
check_eq "sign-1.4 the verifier key beside it" "$VKEY" "$(cat "$LOG/verifier-key")"
check "sign-1.5 the checkpoint of this size is kept" cmp -s "$LOG/checkpoint" "$LOG/checkpoints/$EVENTS"
check "sign-1.6 level-0 tiles and entry bundles" test -f "$LOG/tile/0/000" -a -f "$LOG/tile/entries/000"
check_eq "sign-1.7 no staging folder is left" "" "$(ls -A "$LOG" | grep staging || true)"
check_exit "sign-2.1 verify --snapshot passes" 0 rctl verify --snapshot "$SNAP" --key "$VKEY"
for c in signature snapshot log tiles bundles; do
	check_contains "sign-2.2 check $c passed" "$TMP/.out" "$c: ok"
done
check_exit "sign-2.3 verify --snapshot with the key's file" 0 rctl verify --snapshot "$SNAP" --key "$LOG/verifier-key"

# The private key: in no snapshot, log or output.
# PRIVATE+KEY+<name>+<hash>+<base64 seed>: the seed may itself hold a "+", so everything past the fourth.
SEED=$(cut -d+ -f5- "$KEY")
check_eq "sign-3.1 the private key is in no file of the log" "" "$(grep -rlF -- "$SEED" "$LOG" || true)"
check_eq "sign-3.2 nor in the snapshot" "0" "$(grep -cF -- "$SEED" "$SNAP" || true)"
check_not_contains "sign-3.3 nor in publish's messages" "$TMP/.err" "$SEED"

# ---- append ----
ORG=$(sqlite3 "$DB" "SELECT id FROM organisations LIMIT 1")
rctl -q --db "$DB" issue --org "$ORG" --date 2026-01-01 >/dev/null
rctl -q --db "$DB" issue --org "$ORG" --date 2026-01-01 >/dev/null
cp "$LOG/checkpoint" "$TMP/cp.1"
check_exit "append-1.1 a later publish extends the log" 0 rctl --db "$DB" publish --key "$KEY" "$SNAP"
check_contains "append-1.1 from the last size" "$TMP/.err" "(the last one had $EVENTS)"
check_eq "append-1.2 the new size" "$((EVENTS + 2))" "$(sed -n 2p "$LOG/checkpoint")"
check "append-1.3 both checkpoints are kept" test -f "$LOG/checkpoints/$EVENTS" -a -f "$LOG/checkpoints/$((EVENTS + 2))"
check_exit "append-1.4 verify --snapshot passes" 0 rctl verify --snapshot "$SNAP" --key "$VKEY"

# One publish a log at a time (flock(1) holds the log's lock meanwhile).
check_exit "append-2.1 a publish while another signs the log is refused" 1 \
	flock "$LOG/.lock" "$RCTL_BIN" --now "$NOW" --db "$DB" publish --key "$KEY" "$SNAP"
check_contains "append-2.1 says why" "$TMP/.err" "another publish is signing this log"

# ---- rewrites refused ----
snapshot_state() { sha256sum "$SNAP" "$LOG/checkpoint" | awk '{print $1}' | tr '\n' ' '; find "$LOG" -type f | wc -l; }
BEFORE=$(snapshot_state)
# Another history of the same size: a sample of another day, two events
# more, so that it has as many events as the log.
DB2="$TMP/fork.db"
rctl -q --db "$DB2" sample --today 2025-06-01
while [ "$(rows "$DB2" events)" -lt "$((EVENTS + 2))" ]; do
	rctl -q --db "$DB2" issue --org "$ORG" --date 2025-06-01 >/dev/null
done
check_eq "rewrite-1.0 the fork has as many events" "$((EVENTS + 2))" "$(rows "$DB2" events)"
check_exit "rewrite-1.1 a fork of the same size is refused" 1 rctl --db "$DB2" publish --key "$KEY" "$SNAP"
check_contains "rewrite-1.1 says why" "$TMP/.err" "refusing to sign"
check_contains "rewrite-1.1 names the fork" "$TMP/.err" "fork"
check_eq "rewrite-1.2 nothing changed: snapshot, checkpoint, files" "$BEFORE" "$(snapshot_state)"
# A registry that lost its last events.
DB3="$TMP/short.db"
rctl -q --db "$DB3" sample
check_exit "rewrite-2.1 a shorter history is refused" 1 rctl --db "$DB3" publish --key "$KEY" "$SNAP"
check_contains "rewrite-2.1 says why" "$TMP/.err" "fewer than"
check_eq "rewrite-2.2 nothing changed" "$BEFORE" "$(snapshot_state)"
# One event's text changed in the registry (its triggers bypassed).
DB4="$TMP/edited.db"
cp "$DB" "$DB4"
sqlite3 "$DB4" "PRAGMA writable_schema=0; DROP TRIGGER IF EXISTS events_no_update;" 2>/dev/null
for t in $(sqlite3 "$DB4" "SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='events'"); do
	sqlite3 "$DB4" "DROP TRIGGER $t"
done
sqlite3 "$DB4" "UPDATE events SET reason = reason || '。' WHERE id = (SELECT min(id) FROM events WHERE reason <> '')"
check_exit "rewrite-3.1 an edited event is refused" 1 rctl --db "$DB4" publish --key "$KEY" "$SNAP"
check_contains "rewrite-3.1 says why" "$TMP/.err" "not an extension"
check_eq "rewrite-3.2 nothing changed" "$BEFORE" "$(snapshot_state)"
# Another key.
rctl keygen other.test/log "$TMP/other.key" >/dev/null
check_exit "rewrite-4.1 another key is refused" 1 rctl --db "$DB" publish --key "$TMP/other.key" "$SNAP"
check_contains "rewrite-4.1 says a log keeps its key" "$TMP/.err" "a log keeps its key"
check_eq "rewrite-4.2 nothing changed" "$BEFORE" "$(snapshot_state)"

# ---- the site: the log at /registry/log/, a receipt per certificate ----
"$BUILD/sitegen" build --repo "$SRC" --worktree --registry "$SNAP" --base-url https://registry.test/ \
	--out "$TMP/site" -q 2>"$TMP/sitegen.err"
check_eq "site-1.1 sitegen builds with the log" "" "$(cat "$TMP/sitegen.err")"
check "site-1.2 the checkpoint is published" cmp -s "$LOG/checkpoint" "$TMP/site/registry/log/checkpoint"
check_exit "site-1.3 the published log checks against the snapshot, as a mirror would" 0 \
	rctl verify --snapshot "$SNAP" --log "$TMP/site/registry/log" --key "$VKEY"
NUM=$(snapsql "$SNAP" "SELECT number FROM certificates ORDER BY number LIMIT 1")
check_exit "site-1.4 a certificate page's receipt verifies" 0 \
	rctl verify "$TMP/site/registry/certificates/$NUM/receipt.json" --key "$VKEY"
check_eq "site-1.5 a receipt beside every certificate page" "$(rows "$SNAP" certificates)" \
	"$(find "$TMP/site/registry/certificates" -name receipt.json | wc -l)"
check_eq "site-1.6 the private key is in no file of the site" "" "$(grep -rlF -- "$SEED" "$TMP/site" || true)"
check_contains "site-1.7 the page holds the verifier key" "$TMP/site/registry/certificates/$NUM/index.html" "data-key=\"$VKEY\""
check_contains "site-1.8 the QR code holds the receipt's address" "$TMP/site/registry/certificates/$NUM/index.html" \
	"aria-label=\"二维码：https://registry.test/registry/certificates/$NUM/receipt.json\""
check_contains "site-1.9 the registry page states the key" "$TMP/site/registry/index.html" "$VKEY"
# A log that is not the snapshot's fails the build and leaves no site.
cp "$SNAP" "$TMP/lone.db"
cp -r "$LOG" "$TMP/lone.db.tlog"
sed -i 2s/.*/1/ "$TMP/lone.db.tlog/checkpoint"
"$BUILD/sitegen" build --repo "$SRC" --worktree --registry "$TMP/lone.db" --out "$TMP/site2" -q 2>"$TMP/sitegen.err"
check_eq "site-2.1 a checkpoint that does not open fails the build" "1" "$?"
check_contains "site-2.1 naming the file" "$TMP/sitegen.err" "lone.db.tlog/checkpoint"
check "site-2.2 and writes no site" test ! -e "$TMP/site2/index.html"

# ---- verify --snapshot refuses ----
cp "$SNAP" "$TMP/keep.db"
rctl -q --db "$DB2" publish "$TMP/other-snapshot.db"
cp "$TMP/other-snapshot.db" "$SNAP"
check_exit "check-1.1 another snapshot under the checkpoint fails" 1 rctl verify --snapshot "$SNAP" --key "$VKEY"
check_contains "check-1.1 at the snapshot check" "$TMP/.out" "snapshot: FAILED"
cp "$TMP/keep.db" "$SNAP"
rctl keygen other2.test/log "$TMP/o2.key" >"$TMP/o2.pub"
check_exit "check-1.3 a key not the log's fails at the signature" 1 rctl verify --snapshot "$SNAP" --key "$TMP/o2.pub"
check_contains "check-1.3 names the check" "$TMP/.out" "signature: FAILED"
TILE=$(find "$LOG/tile/0" -type f | head -n 1)
cp "$TILE" "$TMP/tile"
printf '\x00' | dd of="$TILE" bs=1 seek=5 conv=notrunc 2>/dev/null
check_exit "check-1.4 a damaged tile fails" 1 rctl verify --snapshot "$SNAP" --key "$VKEY"
check_contains "check-1.4 at the tiles or bundles" "$TMP/.out" "bundles: FAILED"
cp "$TMP/tile" "$TILE"
check_exit "check-1.5 usage: neither receipt nor snapshot" 2 rctl verify --key "$VKEY"
done_testing
