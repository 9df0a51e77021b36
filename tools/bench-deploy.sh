#!/bin/bash
# Part of make bench: the production front (tests/deploy/front.bash, the
# shipped nginx configuration before registryd nodes on loopback).  wrk,
# 2 threads and 16 keep-alive connections for BENCH_SECONDS (default 10)
# after 2 s of warm-up, with the deployment test's load (certificates on
# many dates, so that most answers come from a node and not from the
# cache; searches; the snapshot's meta; a page of the site):
# through nginx (TLS) with 2 nodes, with 1 node, and with 2 nodes while
# two snapshots are rolled out to both; against registryd alone (plain
# HTTP, no nginx) with the same load, the baseline.
#   tools/bench-deploy.sh BUILD_DIR
set -u
BUILD=$(cd "${1:?usage: tools/bench-deploy.sh BUILD_DIR}" && pwd)
SRC=$(cd "$(dirname "$0")/.." && pwd)
# On a tmpfs when there is one: nginx's cache is then where the
# deployment guide advises it.
parent=${TMPDIR:-/tmp}
[ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] && parent=/dev/shm
TMP=$(mktemp -d "$parent/bench-deploy.XXXXXX")
seconds=${BENCH_SECONDS:-10}
say() { echo "bench-deploy: $*" >&2; }
. "$SRC/tests/deploy/front.bash"
export REGISTRY_LIBEXEC=$BUILD

front_fixture >"$TMP/fixture.log" 2>&1 || { cat "$TMP/fixture.log" >&2; say "fixture failed"; exit 1; }
start_node 1 >&2 && start_node 2 >&2 || { say "nodes did not start"; exit 1; }
load_script "$TMP/load.lua"
printf 'node1 %s http://127.0.0.1:%s\nnode2 %s http://127.0.0.1:%s\n' \
	"$TMP/node1/snapshot.db" "${NODE_PORT[1]}" "$TMP/node2/snapshot.db" "${NODE_PORT[2]}" >"$TMP/nodes"

# run NAME URL: wrk's figures "req/s p99_ms failed" into $TMP/NAME.
run() {
	wrk -t2 -c16 -d2s --timeout 5s -s "$TMP/load.lua" "$2" >/dev/null 2>&1
	wrk -t2 -c16 -d"${seconds}s" --timeout 5s --latency -s "$TMP/load.lua" "$2" >"$TMP/$1.wrk" 2>&1
	awk '
		/Requests\/sec/ { rps = $2 }
		/^ *99%/ { p = $2; if (p ~ /us$/) { sub(/us/, "", p); p /= 1000 }
		           else if (p ~ /ms$/) sub(/ms/, "", p)
		           else if (p ~ /s$/) { sub(/s/, "", p); p *= 1000 } }
		/Non-2xx/ { bad += $NF }
		/Socket errors/ { gsub(/,/, ""); bad += $4 + $6 + $8 + $10 }
		END { printf "%.0f %.2f %d\n", rps, p, bad }
	' "$TMP/$1.wrk" >"$TMP/$1"
	say "$1: $(cat "$TMP/$1") (req/s, p99 ms, failed)"
}

run alone "http://127.0.0.1:${NODE_PORT[1]}"
start_front 1 2 >&2 || { say "nginx did not start"; exit 1; }
run two "$FRONT"
(
	sleep 2
	for i in 1 2; do
		publish_new && "$SRC/tools/deploy/registry-roll" -n "$TMP/nodes" --wait 10 "$TMP/fx/new.db" >&2
		sleep 2
	done
) &
roller=$!
run rolling "$FRONT"
wait "$roller"
kill "$(cat "$TMP/nginx/nginx.pid")"
sleep 0.5
rm -f "$TMP/nginx/nginx.pid"
start_front 1 >&2 || { say "nginx (one node) did not start"; exit 1; }
run one "$FRONT"

fmt() { read -r rps p99 bad <"$TMP/$1"; printf "%'d req/s, p99 %s ms, %d failed" "$rps" "$p99" "$bad"; }
ratio() { awk -v a="$(cut -d' ' -f1 "$TMP/$1")" -v b="$(cut -d' ' -f1 "$TMP/$2")" 'BEGIN { printf "%.2f×", a / b }'; }
export LC_NUMERIC=en_US.UTF-8 2>/dev/null
echo "| deploy load through nginx (TLS, HTTP/1.1 keep-alive), 2 registryd nodes | $(fmt two) | | registryd alone, plain HTTP, the same load: $(fmt alone); $(ratio two alone) |"
echo "| the same, 1 node | $(fmt one) | | 2 nodes: $(ratio two one) of 1 node |"
echo "| the same, 2 nodes, two snapshots rolled out to both during the run | $(fmt rolling) | | without a roll-out: $(ratio rolling two) |"
