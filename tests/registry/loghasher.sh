#!/bin/bash
# loghasher: the log's leaves, tiles and bundles are made on a thread of
# their own while the snapshot is written (record/logpub.c).  A file of
# the log that this thread cannot write fails the publish with the file's
# name, and leaves the previous snapshot and log as they were; a publish
# after the cause is gone signs the same log as one that never failed.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/helpers.bash"

DB="$TMP/r.db" SNAP="$TMP/snapshot.db" LOG="$TMP/snapshot.db.tlog" KEY="$TMP/log.key"
meta() { sqlite3 "$1" "SELECT value FROM meta WHERE key = '$2'"; }
rctl -q keygen registry.test/log "$KEY" >/dev/null
rctl -q --db "$DB" sample
check_exit "hasher-1.1 a first signed publish" 0 rctl -q --db "$DB" publish --key "$KEY" "$SNAP"
OLD_SHA=$(meta "$SNAP" sha256)
cp "$LOG/checkpoint" "$TMP/checkpoint.before"
(cd "$LOG" && find . -path ./.staging -prune -o -print | sort) >"$TMP/files.before"

# More than a tile of new events (256 leaves), so that the thread writes
# a tile while the events still stream by, not only at the end.
C=$(sqlite3 "$DB" "SELECT number FROM certificates ORDER BY id LIMIT 1")
for i in $(seq 300); do
	rctl -q --db "$DB" warn "$C" --date 2025-12-30 --reason "测试 $i" >/dev/null || break
done
check_eq "hasher-1.2 300 events added" \
	"$(($(sqlite3 "$TMP/snapshot.db" "SELECT value FROM meta WHERE key = 'events'") + 300))" \
	"$(rows "$DB" events)"

# A staging folder the publish cannot clear, holding a file where its
# tile folder goes: every tile and bundle it writes fails.
mkdir -p "$LOG/.staging" && touch "$LOG/.staging/tile"
blocked=""
if [ "$(id -u)" = 0 ]; then
	chattr +i "$LOG/.staging/tile" 2>/dev/null && blocked=chattr
else
	chmod 555 "$LOG/.staging" && blocked=chmod
fi
if [ -z "$blocked" ]; then
	skip "hasher-2 a log file that cannot be written" "chattr +i is not permitted here"
else
	check_exit "hasher-2.1 the publish fails" 1 rctl -q --db "$DB" publish --key "$KEY" "$SNAP"
	check_contains "hasher-2.2 naming the file" "$TMP/.err" "$LOG/.staging/tile/"
	check_contains "hasher-2.3 and why" "$TMP/.err" "Not a directory"
	check_eq "hasher-2.4 the previous snapshot is in place" "$OLD_SHA" "$(meta "$SNAP" sha256)"
	check "hasher-2.5 the checkpoint is unchanged" cmp "$TMP/checkpoint.before" "$LOG/checkpoint"
	(cd "$LOG" && find . -path ./.staging -prune -o -print | sort) >"$TMP/files.after"
	check "hasher-2.6 no file of the log was added or removed" diff "$TMP/files.before" "$TMP/files.after"
	check_eq "hasher-2.7 no temporary snapshot is left" "snapshot.db" "$(cd "$TMP" && ls -d snapshot.db* | grep -v tlog)"
	if [ "$blocked" = chattr ]; then chattr -i "$LOG/.staging/tile"; else chmod 755 "$LOG/.staging"; fi
fi

# Once the cause is gone: the same log as a publish that never failed.
rm -rf "$LOG/.staging"
check_exit "hasher-3.1 the next publish signs" 0 rctl -q --db "$DB" publish --key "$KEY" "$SNAP"
check_eq "hasher-3.2 the checkpoint counts every event" "$(rows "$DB" events)" "$(sed -n 2p "$LOG/checkpoint")"
rm -rf "$TMP/fresh.db" "$TMP/fresh.db.tlog"
rctl -q --db "$DB" publish --key "$KEY" "$TMP/fresh.db"
# (The appended log also keeps the partial tiles of its first size.)
same_files() { # FROM TO: every file under FROM is in TO, byte for byte
	local f n=0
	while read -r f; do
		cmp "$1/$f" "$2/$f" || return 1
		n=$((n + 1))
	done < <(cd "$1" && find . -type f)
	[ "$n" -gt 0 ]
}
check "hasher-3.3 its tiles and bundles are those of a new log of the same events" \
	same_files "$TMP/fresh.db.tlog/tile" "$LOG/tile"
check_exit "hasher-3.4 and it verifies" 0 rctl verify --snapshot "$SNAP" --key "$LOG/verifier-key"
done_testing
