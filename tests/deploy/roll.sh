#!/bin/bash
# registry-roll on its own: the snapshot and its signature are checked
# before any node is touched; a node reached over ssh (a stand-in that
# runs the command here); a node that never shows the new snapshot gets
# its previous file back; what the command says and its exit status.
# The roll-out under load through nginx is front.sh's.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/front.bash"

ROLL="$SRC/tools/deploy/registry-roll"
SIGN="$BUILD/tests/sign-checkpoint"
export REGISTRY_LIBEXEC=$BUILD REGISTRY_ROLL_REMOTE_LIBEXEC=$BUILD
export REGISTRY_ROLL_SSH=$TMP/ssh
printf '#!/bin/sh\nshift\nexec sh -c "$*"\n' >"$TMP/ssh"
chmod +x "$TMP/ssh"

fx=$TMP/fx
mkdir -p "$fx/public"
head -c 32 /dev/urandom >"$fx/cursor-secret"
"$REGISTRYCTL" -q --db "$fx/registry.db" --now "$NOW" sample &&
	"$REGISTRYCTL" -q --db "$fx/registry.db" --now "$NOW" publish "$fx/snapshot.db" ||
	{ not_ok "roll-0.1 the fixture is built"; done_testing; }
start_node 1 && start_node 2 || { not_ok "roll-0.2 two nodes start"; done_testing; }
sha_of() { "$BUILD/snapshot-check" "$1" | cut -d' ' -f1; }
sha0=$(sha_of "$fx/snapshot.db")
printf '# the nodes\nnode1 %s http://127.0.0.1:%s\n\nnode2 localhost:%s http://127.0.0.1:%s\n' \
	"$TMP/node1/snapshot.db" "${NODE_PORT[1]}" "$TMP/node2/snapshot.db" "${NODE_PORT[2]}" >"$TMP/nodes"

publish_new
sha1=$(sha_of "$fx/new.db")
"$SIGN" "$fx/new.db" 7 "$TMP/checkpoint" "$TMP/key" &&
	"$SIGN" "$fx/new.db" 8 "$TMP/checkpoint.other" "$TMP/key.other" &&
	"$SIGN" "$fx/snapshot.db" 7 "$TMP/checkpoint.old" "$TMP/key.same" ||
	{ not_ok "roll-0.3 checkpoints are signed"; done_testing; }

# roll ARGS: runs registry-roll; its output in $TMP/out, its status printed.
roll() { "$ROLL" "$@" >"$TMP/out" 2>&1; echo $?; }

# --- refused before any node is touched
check_eq "roll-1.1 no snapshot: usage" 2 "$(roll -n "$TMP/nodes")"
check_contains "roll-1.1 says how to call it" "$TMP/out" "usage: registry-roll"
check_eq "roll-1.2 --checkpoint without --key" 2 "$(roll -n "$TMP/nodes" --checkpoint "$TMP/checkpoint" "$fx/new.db")"
check_contains "roll-1.2 says it needs the key" "$TMP/out" "--checkpoint needs --key"
check_eq "roll-1.3 a missing list of nodes" 2 "$(roll -n "$TMP/none" "$fx/new.db")"
check_contains "roll-1.3 names it" "$TMP/out" "$TMP/none: cannot read the list of nodes"
printf 'not a snapshot\n' >"$TMP/bad.db"
check_eq "roll-1.4 a file that is not a snapshot" 2 "$(roll -n "$TMP/nodes" "$TMP/bad.db")"
check_contains "roll-1.4 is refused, naming it" "$TMP/out" "refused before any node was touched: "
check_contains "roll-1.4 and the file" "$TMP/out" "$TMP/bad.db"
check_eq "roll-1.5 a checkpoint signed by another key" 2 \
	"$(roll -n "$TMP/nodes" --checkpoint "$TMP/checkpoint.other" --key "$TMP/key" "$fx/new.db")"
check_contains "roll-1.5 is refused: not signed by the key" "$TMP/out" "not signed by registry.example.org/log"
check_eq "roll-1.6 a checkpoint of another snapshot" 2 \
	"$(roll -n "$TMP/nodes" --checkpoint "$TMP/checkpoint.old" --key "$TMP/key" "$fx/new.db")"
check_contains "roll-1.6 is refused: it signs another snapshot" "$TMP/out" \
	"the checkpoint signs the snapshot sha256:$sha0, and $fx/new.db is sha256:$sha1"
printf 'registry.example.org/log+00000000+AAAA\n' >"$TMP/key.bad"
check_eq "roll-1.7 a key that is not a key" 2 \
	"$(roll -n "$TMP/nodes" --checkpoint "$TMP/checkpoint" --key "$TMP/key.bad" "$fx/new.db")"
check_contains "roll-1.7 is refused, naming the key file" "$TMP/out" "$TMP/key.bad: not a verifier key"
check_eq "roll-1.8 after all these, both nodes serve what they did" "$sha0 $sha0" "$(node_sha 1) $(node_sha 2)"
check_eq "roll-1.8 and no copy was made" "" "$(find "$TMP/node1" "$TMP/node2" -name '.*roll*' -o -name '*.previous')"

# --- a signed roll-out
check_eq "roll-2.1 a signed snapshot rolls out" 0 \
	"$(roll -n "$TMP/nodes" --checkpoint "$TMP/checkpoint" --key "$TMP/key" --wait 10 "$fx/new.db")"
sed 's/^/#   /' "$TMP/out"
check_contains "roll-2.2 the signature is a step of its own" "$TMP/out" \
	"registry-roll: signature: signed by registry.example.org/log: tree size 1, snapshot sha256:$sha1"
check_contains "roll-2.3 node 1" "$TMP/out" "node1: ok: serving ${sha1:0:12} (was ${sha0:0:12})"
check_contains "roll-2.3 node 2, over ssh" "$TMP/out" "node2: ok: serving ${sha1:0:12} (was ${sha0:0:12})"
check_contains "roll-2.4 the sum" "$TMP/out" "registry-roll: all 2 nodes serve sha256:$sha1"
check_eq "roll-2.5 both serve it" "$sha1 $sha1" "$(node_sha 1) $(node_sha 2)"
check "roll-2.6 the file each node had is kept as .previous" \
	cmp "$TMP/node2/snapshot.db.previous" "$fx/snapshot.db"
check_eq "roll-2.7 without a checkpoint, the command says it did not check one" 0 \
	"$(roll -n "$TMP/nodes" --wait 10 "$fx/new.db")"
check_contains "roll-2.7 says so" "$TMP/out" "signature: not checked (no --key)"

# --- a node that does not take the file: its previous one goes back
publish_new
sha2=$(sha_of "$fx/new.db")
mkdir -p "$TMP/elsewhere"
printf 'node1 %s http://127.0.0.1:%s\nnode2 %s http://127.0.0.1:%s\n' \
	"$TMP/node1/snapshot.db" "${NODE_PORT[1]}" "$TMP/elsewhere/snapshot.db" "${NODE_PORT[2]}" >"$TMP/nodes.wrong"
cp "$TMP/node2/snapshot.db" "$TMP/elsewhere/snapshot.db"
check_eq "roll-3.1 a node that never shows the snapshot fails the roll" 1 \
	"$(roll -n "$TMP/nodes.wrong" --wait 1 "$fx/new.db")"
sed 's/^/#   /' "$TMP/out"
check_contains "roll-3.2 the line says so" "$TMP/out" "node2: FAILED: still serving ${sha1:0:12} after 1 s"
check "roll-3.3 and its previous file is back in place" \
	cmp "$TMP/elsewhere/snapshot.db" "$TMP/node2/snapshot.db"
check_eq "roll-3.4 node 1 took it" "$sha2" "$(node_sha 1)"
printf 'node3 relative/path http://127.0.0.1:1\n' >"$TMP/nodes.rel"
check_eq "roll-3.5 a target that is not a path" 1 "$(roll -n "$TMP/nodes.rel" "$fx/new.db")"
check_contains "roll-3.5 is named" "$TMP/out" "node3: FAILED: target 'relative/path' is neither /path nor host:/path; nothing changed"
printf 'node4 /nonexistent/dir/snapshot.db\n' >"$TMP/nodes.nodir"
check_eq "roll-3.6 a node whose folder is missing" 1 "$(roll -n "$TMP/nodes.nodir" "$fx/new.db")"
check_contains "roll-3.6 fails at the copy" "$TMP/out" "node4: FAILED at copy: "
printf 'node5 %s\n' "$TMP/node5.db" >"$TMP/nodes.nourl"
check_eq "roll-3.7 a node without a URL: in place" "0 $sha2" \
	"$(roll -n "$TMP/nodes.nourl" "$fx/new.db") $(sha_of "$TMP/node5.db")"
check_contains "roll-3.7 says it could not ask" "$TMP/out" "node5: ok: in place (no URL to ask what it serves)"

# --- the signed log (registryctl publish --key) goes with the snapshot
"$REGISTRYCTL" keygen registry.example.org/log "$TMP/sign.key" >"$TMP/sign.pub" ||
	{ not_ok "roll-4.0 keygen"; done_testing; }
publish_signed() {
	"$REGISTRYCTL" -q --db "$fx/registry.db" --now "$NOW" warn CNITSEC-CS2-2024-0002 \
		--reason "signed $1" --date 2025-12-30 >/dev/null &&
	rm -rf "$fx/signed.db" "$fx/signed.db.tlog" &&
	"$REGISTRYCTL" -q --db "$fx/registry.db" --now "$NOW" publish "$fx/signed.db" --key "$TMP/sign.key" &&
	sha_of "$fx/signed.db"
}
export REGISTRY_ROLL_REGISTRYCTL=$REGISTRYCTL
sha3=$(publish_signed 1) || { not_ok "roll-4.0 a signed publish"; done_testing; }
mkdir -p "$TMP/node3"
printf 'node3 localhost:%s\n' "$TMP/node3/snapshot.db" >"$TMP/nodes3"
check_eq "roll-4.1 --key without a log or checkpoint" 2 "$(roll -n "$TMP/nodes3" --key "$TMP/sign.pub" "$fx/new.db")"
check_contains "roll-4.1 says what is missing" "$TMP/out" "no signed log beside $fx/new.db"
check_eq "roll-4.2 a signed snapshot and its log roll out" 0 "$(roll -n "$TMP/nodes3" --key "$TMP/sign.pub" "$fx/signed.db")"
sed 's/^/#   /' "$TMP/out"
check_contains "roll-4.3 the signature, checked by registryctl verify" "$TMP/out" \
	"registry-roll: signature: $fx/signed.db.tlog/checkpoint: registry.example.org/log, tree of"
check_contains "roll-4.3 and the whole log" "$TMP/out" "registry-roll: log: $fx/signed.db.tlog holds: signature, snapshot, log, tiles, bundles"
check "roll-4.4 the node has the log beside its snapshot" diff -r "$fx/signed.db.tlog" "$TMP/node3/snapshot.db.tlog"
check_eq "roll-4.4 and no copy is left" "" "$(find "$TMP/node3" -name '*roll*')"
start_node 3 || not_ok "roll-4.5 a node starts on it"
curl -s "http://127.0.0.1:${NODE_PORT[3]}/v1/checkpoint" >"$TMP/cp.served"
check "roll-4.5 which serves the log's checkpoint" cmp "$TMP/cp.served" "$fx/signed.db.tlog/checkpoint"
sha4=$(publish_signed 2)
printf 'node3 localhost:%s http://127.0.0.1:%s\n' "$TMP/node3/snapshot.db" "${NODE_PORT[3]}" >"$TMP/nodes3"
check_eq "roll-4.6 the next signed snapshot rolls out to the running node" 0 \
	"$(roll -n "$TMP/nodes3" --key "$TMP/sign.pub" --wait 10 "$fx/signed.db")"
check_eq "roll-4.6 which serves it" "$sha4" "$(node_sha 3)"
for i in $(seq 1 30); do
	curl -s "http://127.0.0.1:${NODE_PORT[3]}/v1/checkpoint" >"$TMP/cp.served"
	cmp -s "$TMP/cp.served" "$fx/signed.db.tlog/checkpoint" && break
	sleep 0.1
done
check "roll-4.7 and the new checkpoint" cmp "$TMP/cp.served" "$fx/signed.db.tlog/checkpoint"
# A log whose tile was changed after signing is refused before any node.
cp -r "$fx/signed.db.tlog" "$TMP/tampered.tlog"
tile=$(find "$TMP/tampered.tlog/tile" -type f | sort | head -n 1)
printf 'X' | dd of="$tile" bs=1 seek=3 conv=notrunc 2>/dev/null
check_eq "roll-4.8 a tampered log is refused" 2 \
	"$(roll -n "$TMP/nodes3" --key "$TMP/sign.pub" --log "$TMP/tampered.tlog" "$fx/signed.db")"
check_contains "roll-4.8 before any node, saying which check failed" "$TMP/out" "refused before any node was touched: the signed log does not hold:"
check_contains "roll-4.8 (FAILED)" "$TMP/out" "FAILED"
check_eq "roll-4.9 the node still serves what it did" "$sha4" "$(node_sha 3)"
check_eq "roll-4.10 another key is refused" 2 \
	"$(roll -n "$TMP/nodes3" --key "$TMP/key" "$fx/signed.db")"
check_contains "roll-4.10 at the signature" "$TMP/out" "signature: FAILED"

done_testing
