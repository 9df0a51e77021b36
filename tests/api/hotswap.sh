#!/bin/bash
# A new snapshot published (renamed into place) under concurrent requests:
# no request fails, each is answered from one snapshot (the entity tag and
# the body always agree), and registryd moves to the newest snapshot,
# which /v1/meta then shows.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/helpers.bash"

api_fixture "$TMP/fx" >/dev/null || { not_ok "swap-0.1 the fixture is built"; done_testing; }
start_registryd --db "$TMP/fx/snapshot.db" --threads 4 -q ||
	{ not_ok "swap-0.2 registryd starts"; done_testing; }
cert=CNITSEC-CS2-2024-0001

# client N: requests in a loop until $TMP/stop exists; one line per
# request: status, ETag, checksum of the body, path.
client() {
	local n=$1 i=0 path
	while [ ! -e "$TMP/stop" ]; do
		case $((i % 4)) in
		0) path=/v1/meta ;;
		1) path=/v1/certificates/$cert/history ;;
		2) path="/v1/certificates?limit=5&level=2" ;;
		3) path=/v1/certificates/$cert ;;
		esac
		status=$(curl -s -o "$TMP/body.$n" -D "$TMP/head.$n" -w '%{http_code}' "$BASE$path")
		etag=$(grep -i '^ETag:' "$TMP/head.$n" | tr -d '\r' | cut -d' ' -f2)
		echo "$status $etag $(cksum <"$TMP/body.$n" | cut -d' ' -f1) $path"
		if [ "$path" = /v1/meta ]; then
			sed -n 's/.*"sha256":"\([0-9a-f]*\)".*/\1/p' "$TMP/body.$n" >>"$TMP/seen.$n"
		fi
		i=$((i + 1))
	done >"$TMP/client.$n"
}
pids=""
for n in 1 2 3 4; do
	client "$n" &
	pids="$pids $!"
done

# Two more publishes while the clients run.
shas=$(sqlite3 "$TMP/fx/snapshot.db" "SELECT value FROM meta WHERE key = 'sha256'")
sleep 0.5
for day in 2025-12-30 2025-12-31; do
	"$REGISTRYCTL" -q --db "$TMP/fx/registry.db" --now "$NOW" warn "$cert" \
		--reason "swap test" --date "$day" >/dev/null &&
	"$REGISTRYCTL" -q --db "$TMP/fx/registry.db" --now "$NOW" \
		publish "$TMP/fx/snapshot.db"
	shas="$shas $(sqlite3 "$TMP/fx/snapshot.db" "SELECT value FROM meta WHERE key = 'sha256'")"
	sleep 0.7
done
final=$(sqlite3 "$TMP/fx/snapshot.db" "SELECT value FROM meta WHERE key = 'sha256'")
# registryd moves to the last snapshot (each worker at its next request).
for i in $(seq 1 100); do
	fetch /v1/meta >/dev/null
	[ "$(json_get "$TMP/b" '$.sha256')" = "$final" ] && break
	sleep 0.1
done
# and so do the clients, through whichever workers serve them.
for i in $(seq 1 100); do
	cat "$TMP"/seen.* 2>/dev/null | grep -qxF "$final" && break
	sleep 0.1
done
# The clients keep going until they have made at least 40 requests between
# them (on a loaded machine the swaps above may be over sooner).
for i in $(seq 1 600); do
	[ "$(cat "$TMP"/client.* 2>/dev/null | wc -l)" -ge 40 ] && break
	sleep 0.1
done
touch "$TMP/stop"
# shellcheck disable=SC2086
wait $pids

cat "$TMP"/client.* >"$TMP/all"
total=$(wc -l <"$TMP/all")
check "swap-1.1 the clients made requests ($total)" test "$total" -ge 40
check_eq "swap-1.2 none failed" "" "$(grep -v '^200 ' "$TMP/all" | head -n 5)"
check_eq "swap-1.3 /v1/meta shows the last snapshot" "$final" "$(json_get "$TMP/b" '$.sha256')"
check_eq "swap-1.4 three snapshots were published" 3 "$(echo "$shas" | tr ' ' '\n' | sort -u | wc -l)"
cat "$TMP"/seen.* | sort -u >"$TMP/seen"
check_eq "swap-1.5 every snapshot meta showed is one that was published" "" \
	"$(grep -vxF -f <(echo "$shas" | tr ' ' '\n') "$TMP/seen")"
check "swap-1.6 the clients saw the new snapshot too" grep -qxF "$final" "$TMP/seen"
# One snapshot per request: a tag always comes with the same body.
check_eq "swap-1.7 each ETag has one body" "" \
	"$(awk '{ print $2, $3 }' "$TMP/all" | sort -u | awk '{ print $1 }' | uniq -d | head -n 3)"
check "swap-1.8 the history changed across the swaps" test \
	"$(grep " /v1/certificates/$cert/history$" "$TMP/all" | awk '{ print $3 }' | sort -u | wc -l)" -ge 2
done_testing
