#!/bin/bash
# faults: a publish that meets a read error anywhere in the registry fails
# with a message saying what it was reading, and leaves the previous
# snapshot as it was, with no temporary file behind.  The errors come from
# build/tests/registryctl-faults (tests/registry/faults.c): an SQLite VFS
# that fails the Nth read of the registry file, as a failing disk does
# (SQLITE_IOERR_READ), or lets it bring back garbage, as a disk that fails
# silently does (the page is then malformed, an error SQLite reports for
# the one statement that read it).  Every read of a publish is tried.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/helpers.bash"

FAULTS="$BUILD/tests/registryctl-faults"
DB="$TMP/r.db" SNAP="$TMP/snapshot.db"
meta() { sqlite3 "$1" "SELECT value FROM meta WHERE key = '$2'"; }
rctl -q --db "$DB" sample
rctl -q --db "$DB" publish "$SNAP"
C=$(sqlite3 "$DB" "SELECT number FROM certificates ORDER BY id LIMIT 1")
rctl -q --db "$DB" warn "$C" --date 2025-12-30 --reason "测试" >/dev/null
OLD="$(meta "$SNAP" sha256) $(rows "$SNAP" events) ok"

cp "$SNAP" "$TMP/old.db"

# How many reads of the registry a publish makes, and what it publishes
# with no fault.
REGISTRY_FAULT_FILE=/r.db REGISTRY_FAULT_COUNT=1 "$FAULTS" --now "$NOW" -q \
	--db "$DB" publish "$TMP/counted.db" 2>"$TMP/count.err"
READS=$(sed -n 's/^faults: \([0-9]*\) reads of .*/\1/p' "$TMP/count.err")
NEW="$(meta "$TMP/counted.db" sha256) $(rows "$TMP/counted.db" events) ok"
check "faults-1.1 a publish reads the registry" test "${READS:-0}" -gt 10
check_eq "faults-1.2 the counting run publishes what registryctl does" \
	"$(rctl -q --db "$DB" publish "$TMP/plain.db"; meta "$TMP/plain.db" sha256)" \
	"$(meta "$TMP/counted.db" sha256)"

# publish_with_fault MODE N: publish over a copy of the old snapshot with
# read N failing in MODE ("error" or "garble"); sets $status, $why (the
# message) and $now (the snapshot's digest, events and integrity after).
publish_with_fault() {
	local mode=$1 n=$2 garble=
	[ "$mode" = garble ] && garble=1
	cp "$TMP/old.db" "$SNAP"
	REGISTRY_FAULT_FILE=/r.db REGISTRY_FAULT_READ=$n \
		REGISTRY_FAULT_GARBLE=$garble "$FAULTS" --now "$NOW" -q \
		--db "$DB" publish "$SNAP" >/dev/null 2>"$TMP/fault.err"
	status=$?
	why=$(head -n 1 "$TMP/fault.err")
	now="$(meta "$SNAP" sha256) $(rows "$SNAP" events) $(sqlite3 "$SNAP" 'PRAGMA integrity_check')"
}

# A clear message names the registry file that could not be opened, or
# what publish was reading, then SQLite's reason.
CLEAR='^registryctl: (.*/r\.db|publish: reading [a-z ]+): (disk I/O error|database disk image is malformed|file is not a database)$'
for mode in error garble; do
	bad="" unclear="" changed="" left="" reading="" failed=0
	for n in $(seq 1 "${READS:-0}"); do
		publish_with_fault "$mode" "$n"
		if [ "$status" = 0 ]; then
			# SQLite read again and got it right: then it is the
			# whole new snapshot.
			[ "$now" = "$NEW" ] || changed="$changed $n"
		elif [ "$status" = 1 ]; then
			failed=$((failed + 1))
			grep -Eq "$CLEAR" <<<"$why" || unclear="$unclear
#     read $n: $why"
			[ "$now" = "$OLD" ] || changed="$changed $n"
		else
			bad="$bad $n:$status"
		fi
		ls "$TMP" | grep -q 'snapshot\.db\.tmp-' && left="$left $n"
		rm -f "$TMP"/snapshot.db.tmp-*
		reading="$reading
${why#registryctl: }"
	done
	check_eq "faults-2.1 $mode: exit 1 or 0, nothing else (read:status)" "" "$bad"
	check "faults-2.2 $mode: nearly every faulty read fails the publish ($failed of $READS)" \
		test "$failed" -ge $((READS - 3))
	check_eq "faults-2.3 $mode: each failure says what it was reading and why" "" "$unclear"
	check_eq "faults-2.4 $mode: the previous snapshot stays, or the whole new one is there (reads that broke it)" "" "$changed"
	check_eq "faults-2.5 $mode: no temporary file stays (reads that left one)" "" "$left"
	for what in organisations certificates events; do
		check_contains "faults-2.6 $mode: a failure while reading $what" \
			<(echo "$reading") "publish: reading $what: "
	done
done

# And with no fault, the same program publishes the change.
cp "$TMP/old.db" "$SNAP"
check_exit "faults-3.1 no fault: published" 0 "$FAULTS" --now "$NOW" -q --db "$DB" publish "$SNAP"
check_eq "faults-3.2 no fault: the new snapshot" "$NEW" \
	"$(meta "$SNAP" sha256) $(rows "$SNAP" events) $(sqlite3 "$SNAP" 'PRAGMA integrity_check')"
done_testing
