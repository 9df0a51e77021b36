#!/bin/bash
# Bad snapshots: every kind (empty, text, truncated at several sizes,
# pages zeroed in the middle, another schema version) is refused at start
# with a message naming the file, and when renamed over the snapshot being
# served it is refused and logged while every worker, whether it served
# before or not, keeps answering from the checked one: no 5xx, ever.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/helpers.bash"

api_fixture "$TMP/fx" >/dev/null || { not_ok "bad-0.1 the fixture is built"; done_testing; }
good="$TMP/fx/snapshot.db"
good_sha=$(sqlite3 "$good" "SELECT value FROM meta WHERE key = 'sha256'")
size=$(stat -c %s "$good")
pages=$((size / 4096))

# The variants, each a file in $TMP/bad/.
mkdir -p "$TMP/bad"
: >"$TMP/bad/empty.db"
printf 'This is not a snapshot.\n' >"$TMP/bad/text.db"
for cut in 100 4096 $((size / 2)) $((size - 4096)); do
	head -c "$cut" "$good" >"$TMP/bad/truncated-$cut.db"
done
# The middle page of the events' rows: what the opening reads never
# touch, so that only the integrity check can find it (dbstat numbers
# pages from 1).
middle=$(sqlite3 "$good" "SELECT pageno FROM dbstat WHERE name = 'events'
	AND pagetype = 'leaf' ORDER BY pageno LIMIT 1 OFFSET (SELECT count(*) / 2
	FROM dbstat WHERE name = 'events' AND pagetype = 'leaf')")
cp "$good" "$TMP/bad/zeroed-middle.db"
dd if=/dev/zero of="$TMP/bad/zeroed-middle.db" bs=4096 seek=$((middle - 1)) \
	count=1 conv=notrunc 2>/dev/null
cp "$good" "$TMP/bad/zeroed-one.db"
dd if=/dev/zero of="$TMP/bad/zeroed-one.db" bs=4096 seek=$((pages * 3 / 4)) \
	count=1 conv=notrunc 2>/dev/null
# The version this registryd reads is the one the good snapshot carries.
reads=$(sqlite3 "$good" "SELECT value FROM meta WHERE key = 'schema_version'")
cp "$good" "$TMP/bad/schema-99.db"
sqlite3 "$TMP/bad/schema-99.db" "UPDATE meta SET value = '99' WHERE key = 'schema_version'"
cp "$good" "$TMP/bad/no-meta.db"
sqlite3 "$TMP/bad/no-meta.db" "DROP TABLE meta"
variants=$(cd "$TMP/bad" && ls)
check_eq "bad-0.2 ten variants" 10 "$(echo "$variants" | wc -l)"

# bad-1: refused at start, naming the file and saying why.
for v in $variants; do
	"$REGISTRYD" --db "$TMP/bad/$v" --listen 127.0.0.1:1 -q 2>"$TMP/start.err"
	rc=$?
	check_eq "bad-1.1 $v: refused at start (exit 1)" 1 "$rc"
	check_contains "bad-1.2 $v: the message names the file" "$TMP/start.err" "registryd: $TMP/bad/$v: "
done
check_contains "bad-1.3 zeroed pages: the integrity check says so" \
	<("$REGISTRYD" --db "$TMP/bad/zeroed-middle.db" --listen 127.0.0.1:1 -q 2>&1) "integrity check failed"
check_contains "bad-1.4 another schema version says which" \
	<("$REGISTRYD" --db "$TMP/bad/schema-99.db" --listen 127.0.0.1:1 -q 2>&1) "schema version 99, this program reads $reads"

# bad-2: on a swap.  One request warms one worker only; then each variant
# is renamed over the live file and a burst of concurrent requests (more
# than have ever been served at once, so most land on workers that never
# served) must all be answered from the good snapshot.
cp "$good" "$TMP/live.db"
start_registryd --db "$TMP/live.db" --threads 16 -q ||
	{ not_ok "bad-2.0 registryd starts"; done_testing; }
check_eq "bad-2.1 one request before any swap" 200 "$(fetch /healthz)"
cert=CNITSEC-CS2-2024-0001
# The statuses (and /v1/meta's sha256) of 24 concurrent requests; a
# subshell, so that `wait` waits for these only.
burst() (
	for i in $(seq 1 24); do
		case $((i % 3)) in
		0) curl -s -o /dev/null -w '%{http_code}\n' "$BASE/healthz" ;;
		1) out=$(curl -s -w '\n%{http_code}' "$BASE/v1/meta")
		   echo "${out##*$'\n'} $(sed -n 's/.*"sha256":"\([0-9a-f]*\)".*/\1/p' <<<"$out")" ;;
		2) curl -s -o /dev/null -w '%{http_code}\n' "$BASE/v1/certificates/$cert/history" ;;
		esac &
	done
	wait
)
n=0
for v in $variants; do
	n=$((n + 1))
	cp "$TMP/bad/$v" "$TMP/next.db" && mv "$TMP/next.db" "$TMP/live.db"
	# the watcher looks every 100 ms: wait for its refusal
	for _ in $(seq 1 50); do
		[ "$(grep -c 'refused the new snapshot' "$REGISTRYD_LOG")" -ge "$n" ] && break
		sleep 0.1
	done
	burst >"$TMP/burst.$v"
	check_eq "bad-2.2 $v renamed over it: 24 answers, all 200" "24 0" \
		"$(wc -l <"$TMP/burst.$v") $(grep -vc '^200' "$TMP/burst.$v")"
	check_eq "bad-2.3 $v: from the good snapshot" "" \
		"$(grep ' ' "$TMP/burst.$v" | grep -v " $good_sha\$" | head -n 3)"
done
check_eq "bad-2.4 each refusal logged once" "$(echo "$variants" | wc -l)" \
	"$(grep -c 'refused the new snapshot' "$REGISTRYD_LOG")"
check_contains "bad-2.5 naming the file and why" "$REGISTRYD_LOG" \
	"$TMP/live.db: integrity check failed"
check "bad-2.6 and nothing else went wrong" test \
	"$(grep -vc 'refused the new snapshot\|^registryd: serving' "$REGISTRYD_LOG")" = 0

# bad-3: a good snapshot after all that is taken.
"$REGISTRYCTL" -q --db "$TMP/fx/registry.db" --now "$NOW" warn "$cert" \
	--reason "after the bad ones" --date 2025-12-30 >/dev/null &&
	"$REGISTRYCTL" -q --db "$TMP/fx/registry.db" --now "$NOW" publish "$TMP/live.db"
new_sha=$(sqlite3 "$TMP/live.db" "SELECT value FROM meta WHERE key = 'sha256'")
for _ in $(seq 1 50); do
	fetch /v1/meta >/dev/null
	[ "$(json_get "$TMP/b" '$.sha256')" = "$new_sha" ] && break
	sleep 0.1
done
check_eq "bad-3.1 then a good one is served" "$new_sha" "$(json_get "$TMP/b" '$.sha256')"
check_contains "bad-3.2 and its swap logged" "$REGISTRYD_LOG" "serving the new snapshot $TMP/live.db"
burst >"$TMP/burst.after"
check_eq "bad-3.3 by every worker" "24 0" \
	"$(wc -l <"$TMP/burst.after") $(grep -vc '^200' "$TMP/burst.after")"
done_testing
