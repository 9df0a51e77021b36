#!/bin/bash
# publish: the snapshot's tables and meta, the same hash for the same
# registry, and atomic replacement: a publish killed with SIGKILL at any
# point (at named stages, where build/tests/registryctl-faults pauses, and
# at arbitrary moments) leaves the old snapshot intact and readable.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/helpers.bash"

DB="$TMP/r.db" SNAP="$TMP/snapshot.db"
rctl -q --db "$DB" sample
check_exit "publish-1.1 publish" 0 rctl --db "$DB" publish "$SNAP"
check_contains "publish-1.1 one-line summary" "$TMP/.err" "published $(rows "$DB" certificates) certificates"
meta() { sqlite3 "$1" "SELECT value FROM meta WHERE key = '$2'"; }
check_eq "publish-1.2 schema version" "7" "$(meta "$SNAP" schema_version)"
check_eq "publish-1.3 published time from --now" "$NOW" "$(meta "$SNAP" published_at)"
check_eq "publish-1.4 as_of is the sample's date" "2026-01-01" "$(meta "$SNAP" as_of)"
check_eq "publish-1.5 marked as sample data" "1" "$(meta "$SNAP" sample)"
check_eq "publish-1.6 counts" "$(rows "$DB" certificates) $(rows "$DB" organisations) $(rows "$DB" events)" \
	"$(meta "$SNAP" certificates) $(meta "$SNAP" organisations) $(meta "$SNAP" events)"
check "publish-1.7 sha256 is 64 hex digits" grep -Eq '^[0-9a-f]{64}$' <<<"$(meta "$SNAP" sha256)"
check_eq "publish-1.8 integrity" "ok" "$(sqlite3 "$SNAP" 'PRAGMA integrity_check')"
check_eq "publish-1.9 no journal or temporary file left" "snapshot.db" "$(cd "$TMP" && ls snapshot.db*)"
for s in valid suspended revoked expired superseded; do
	check "publish-2.1 status $s present" test "$(snapsql "$SNAP" "SELECT count(*) FROM certificates WHERE status = '$s'")" -gt 0
done
for f in warning rectification annual_check_overdue; do
	check "publish-2.2 flag $f present" test "$(snapsql "$SNAP" "SELECT count(*) FROM certificates WHERE ',' || flags || ',' LIKE '%,$f,%'")" -gt 0
done
check_eq "publish-2.3 trigram search finds a name (3+ characters)" "1" \
	"$(snapsql "$SNAP" "SELECT count(*) > 0 FROM organisation_search WHERE organisation_search MATCH '\"松涧云\"'")"
check_eq "publish-2.4 former names are searchable" \
	"$(snapsql "$SNAP" "SELECT count(DISTINCT organisation_id) FROM former_names")" \
	"$(snapsql "$SNAP" "SELECT count(DISTINCT f.organisation_id) FROM former_names f WHERE f.organisation_id IN
		(SELECT rowid FROM organisation_search WHERE organisation_search MATCH '\"' || replace(f.name, '\"', '\"\"') || '\"')")"
check_eq "publish-2.5 voided events point at their void" \
	"$(snapsql "$SNAP" "SELECT count(*) FROM events WHERE kind = 'void'")" \
	"$(snapsql "$SNAP" "SELECT count(*) FROM events WHERE voided_by IS NOT NULL")"
check_eq "publish-2.6 events carry certificate numbers" "0" \
	"$(snapsql "$SNAP" "SELECT count(*) FROM events WHERE certificate_id IS NOT NULL AND number IS NULL")"
check_eq "publish-2.7 superseded certificates name their successor" "0" \
	"$(snapsql "$SNAP" "SELECT count(*) FROM certificates WHERE status = 'superseded' AND successor IS NULL")"

# The same registry publishes the same content hash, at any time.
rctl -q --db "$DB" --now 2026-03-01T00:00:00Z publish "$TMP/again.db"
check_eq "publish-3.1 same registry, same sha256" "$(meta "$SNAP" sha256)" "$(meta "$TMP/again.db" sha256)"
check_eq "publish-3.2 published time differs" "2026-03-01T00:00:00Z" "$(meta "$TMP/again.db" published_at)"
OLD_SHA=$(meta "$SNAP" sha256)
OLD_COUNT=$(rows "$SNAP" events)

# A change, then publishes that die midway.
C=$(sqlite3 "$DB" "SELECT number FROM certificates ORDER BY id LIMIT 1")
rctl -q --db "$DB" warn "$C" --date 2025-12-30 --reason "测试" >/dev/null
intact() { # NAME
	check_eq "$1: old snapshot intact" "$OLD_SHA $OLD_COUNT ok" \
		"$(meta "$SNAP" sha256) $(rows "$SNAP" events) $(sqlite3 "$SNAP" 'PRAGMA integrity_check')"
}
for stage in schema written before-rename; do
	# The test program (registryctl with tests/registry/faults.c), not
	# the rctl function, so that $! is its pid.
	REGISTRY_FAULT_PAUSE=$stage "$BUILD/tests/registryctl-faults" \
		--now "$NOW" --db "$DB" publish "$SNAP" 2>"$TMP/pause.err" &
	pid=$!
	for _ in $(seq 100); do grep -q paused "$TMP/pause.err" && break; sleep 0.1; done
	check_contains "kill-4.1 paused at $stage" "$TMP/pause.err" "paused at $stage"
	kill -KILL "$pid"; wait "$pid" 2>/dev/null
	check_eq "kill-4.2 killed at $stage" "137" "$?"
	intact "kill-4.2 SIGKILL at $stage"
done
for delay in 0 0.002 0.005 0.01 0.02 0.03 0.05 0.08; do
	"$RCTL_BIN" --now "$NOW" -q --db "$DB" publish "$SNAP" &
	pid=$!
	sleep "$delay"
	kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
	sha=$(meta "$SNAP" sha256)
	if [ "$sha" = "$OLD_SHA" ]; then intact "kill-4.3 SIGKILL after ${delay}s"
	else # it finished first: then it must be the complete new snapshot
		check_eq "kill-4.3 SIGKILL after ${delay}s: finished, complete" "$((OLD_COUNT + 1)) ok" \
			"$(rows "$SNAP" events) $(sqlite3 "$SNAP" 'PRAGMA integrity_check')"
	fi
done
# Killed means gone: nothing replaces the snapshot afterwards.
after="$(meta "$SNAP" sha256) $(rows "$SNAP" events)"
sleep 0.3
check_eq "kill-4.4 nothing changes after the kills" "$after" "$(meta "$SNAP" sha256) $(rows "$SNAP" events)"

# What killed publishes left is removed, and named, by the next publish
# to the same target; a publish still running keeps its file.  (Each
# publish of the loop above removed what the one before it left.)
paused() { # ERR: a publish paused once its rows are written; sets pid
	REGISTRY_FAULT_PAUSE=written "$BUILD/tests/registryctl-faults" \
		--now "$NOW" --db "$DB" publish "$SNAP" 2>"$1" &
	pid=$!
	for _ in $(seq 100); do grep -q paused "$1" && break; sleep 0.1; done
}
paused "$TMP/pause.a"; a=$pid
paused "$TMP/pause.b"; b=$pid
kill -KILL "$a" "$b"; wait "$a" "$b" 2>/dev/null
left=$(cd "$TMP" && ls | grep -c '^snapshot\.db\.tmp-')
check_eq "leftover-7.1 two publishes killed together left two files" 2 "$left"
check_exit "leftover-7.2 the next publish works" 0 rctl --db "$DB" publish "$SNAP"
check_contains "leftover-7.3 and says what it removed" "$TMP/.err" \
	"removed 2 temporary files"
check_contains "leftover-7.4 naming them" "$TMP/.err" "$TMP/snapshot.db.tmp-"
paused "$TMP/pause.c"
running=$(cd "$TMP" && ls | grep '^snapshot\.db\.tmp-')
check_exit "leftover-7.5 a publish beside one still running works" 0 \
	rctl --db "$DB" publish "$SNAP"
check_not_contains "leftover-7.6 and leaves the running one's file alone" \
	"$TMP/.err" "removed"
check_eq "leftover-7.6 which is still there" "$running" \
	"$(cd "$TMP" && ls | grep '^snapshot\.db\.tmp-')"
kill -KILL "$pid"; wait "$pid" 2>/dev/null
check_exit "leftover-7.7 a publish after the last kill" 0 rctl -q --db "$DB" publish "$SNAP"
check_contains "leftover-7.7 names it even with -q" "$TMP/.err" "$running"
check_eq "leftover-7.8 nothing is left" "" "$(cd "$TMP" && ls | grep 'tmp-' || true)"

# Failures leave the old snapshot in place and clean up after themselves.
check_exit "fail-5.1 folder missing" 1 rctl --db "$DB" publish "$TMP/no/such/snapshot.db"
mkdir "$TMP/dir.db"
check_exit "fail-5.2 target is a folder" 1 rctl --db "$DB" publish "$TMP/dir.db"
check_contains "fail-5.2 says why" "$TMP/.err" "cannot rename"
check_eq "fail-5.3 temporary file removed" "" "$(cd "$TMP" && ls | grep tmp- || true)"
check_exit "publish-6.1 a normal publish replaces it" 0 rctl --db "$DB" publish "$SNAP"
check_eq "publish-6.1 new content" "$((OLD_COUNT + 1))" "$(rows "$SNAP" events)"
check "publish-6.2 new hash" test "$(meta "$SNAP" sha256)" != "$OLD_SHA"

# Schemas 4 and 5 on a generated registry, whose ids are not in the order of
# the numbers: the snapshot numbers certificates 1, 2, … by number, keeps
# the registry's id as `recorded`, and gives every reason back as it was
# recorded ("import of … line N", split into a shared text and N).
G="$TMP/gen.db" GSNAP="$TMP/gen-snapshot.db"
"$BUILD/gen-registry" 300 >"$TMP/gen.csv"
rctl -q --db "$G" init && rctl -q --db "$G" import "$TMP/gen.csv"
check_exit "order-8.1 publish a generated registry" 0 rctl -q --db "$G" publish "$GSNAP"
check "order-8.2 the registry's ids are not in the order of the numbers" test \
	"$(sqlite3 "$G" "SELECT count(*) FROM certificates a JOIN certificates b ON b.id = a.id + 1 WHERE b.number < a.number")" -gt 0
check_eq "order-8.3 the snapshot's ids are 1, 2, … in the order of the numbers" \
	"$(sqlite3 "$G" "SELECT group_concat(n, ' ') FROM (SELECT row_number() OVER (ORDER BY number) || ':' || number AS n FROM certificates)")" \
	"$(snapsql "$GSNAP" "SELECT group_concat(id || ':' || number, ' ') FROM (SELECT id, number FROM certificates ORDER BY id)")"
check_eq "order-8.4 recorded is the registry's id" \
	"$(sqlite3 "$G" "SELECT group_concat(id || ':' || number, ' ') FROM (SELECT id, number FROM certificates ORDER BY id)")" \
	"$(snapsql "$GSNAP" "SELECT group_concat(recorded || ':' || number, ' ') FROM (SELECT recorded, number FROM certificates ORDER BY recorded)")"
check_eq "order-8.5 events name their certificates by the snapshot's id" \
	"$(sqlite3 "$G" "SELECT e.id || ':' || c.number FROM events e JOIN certificates c ON c.id = e.certificate_id ORDER BY e.id" | md5sum)" \
	"$(snapsql "$GSNAP" "SELECT e.seq || ':' || c.number FROM events e JOIN certificates c ON c.id = e.certificate_id ORDER BY e.seq" | md5sum)"
check_eq "order-8.6 reasons read back as recorded" \
	"$(sqlite3 "$G" "SELECT id || ':' || reason FROM events ORDER BY id" | md5sum)" \
	"$(snapsql "$GSNAP" "SELECT seq || ':' || reason FROM events ORDER BY seq" | md5sum)"
check "order-8.7 the import's reasons share one text" test \
	"$(sqlite3 "$GSNAP" "SELECT count(*) FROM texts")" -lt 3
check_eq "order-8.8 the sample's reasons read back as recorded" \
	"$(sqlite3 "$DB" "SELECT id || ':' || reason FROM events ORDER BY id" | md5sum)" \
	"$(snapsql "$SNAP" "SELECT seq || ':' || reason FROM events ORDER BY seq" | md5sum)"
# The certificates go into their table in the order of their ids, through
# buckets by range of ids that wait in a file beside the snapshot
# (snapshot/write.c); 10,000 certificates fill the buckets' buffers, so the
# file is written and read back.
B="$TMP/big.db" BSNAP="$TMP/big-snapshot.db"
"$BUILD/gen-registry" 10000 >"$TMP/big.csv"
rctl -q --db "$B" init && rctl -q --db "$B" import "$TMP/big.csv"
check_exit "spill-9.1 publish 10,000 certificates" 0 rctl -q --db "$B" publish "$BSNAP"
check_eq "spill-9.2 every certificate, its id in the order of the numbers" \
	"$(sqlite3 "$B" "SELECT row_number() OVER (ORDER BY number) || ':' || id || ':' || number || ':' || level || ':' ||
		holder_id FROM certificates ORDER BY number" | md5sum)" \
	"$(snapsql "$BSNAP" "SELECT id || ':' || recorded || ':' || number || ':' || level || ':' || organisation_id
		FROM certificates ORDER BY id" | md5sum)"
check_eq "spill-9.3 predecessors and successors as the registry has them" \
	"$(sqlite3 "$B" "SELECT c.number || ':' || coalesce(p.number, '') || ':' || coalesce(s.number, '') FROM certificates c
		LEFT JOIN certificates p ON p.id = c.predecessor_id LEFT JOIN certificates s ON s.id = c.successor_id
		ORDER BY c.number" | md5sum)" \
	"$(snapsql "$BSNAP" "SELECT number || ':' || coalesce(predecessor, '') || ':' || coalesce(successor, '')
		FROM certificates ORDER BY id" | md5sum)"
check "spill-9.4 the certificates' pages are full (less than a page unused)" test \
	"$(sqlite3 "$BSNAP" "SELECT sum(unused) FROM dbstat WHERE name = 'certificates' AND pagetype = 'leaf'")" -lt 4096
check_eq "spill-9.5 integrity" "ok" "$(sqlite3 "$BSNAP" 'PRAGMA integrity_check')"
BSHA=$(meta "$BSNAP" sha256)
# A write of that file that fails (here past a limit of the file's size, as
# on a full disk) fails the publish, saying so, and leaves nothing behind.
(trap '' XFSZ; ulimit -f 100; exec "$RCTL_BIN" --now "$NOW" -q --db "$B" publish "$BSNAP") 2>"$TMP/.err"
check_eq "spill-9.6 a failed write fails the publish" "1" "$?"
check_contains "spill-9.6 says which write failed" "$TMP/.err" \
	"writing certificates: a temporary file beside $BSNAP: File too large"
check_eq "spill-9.7 the old snapshot intact" "$BSHA 10000 ok" \
	"$(meta "$BSNAP" sha256) $(rows "$BSNAP" certificates) $(sqlite3 "$BSNAP" 'PRAGMA integrity_check')"
check_eq "spill-9.8 no temporary file left" "" "$(cd "$TMP" && ls | grep tmp- || true)"
done_testing
