#!/bin/bash
# make bench, hostile and careless clients: registryd alone, behind nginx
# (Debian's nginx-light as a reverse proxy) and nginx serving the same
# JSON as a static file, in the same run, under
#
#   slowloris   slowhttptest -H: 1,000 connections that send their heads a
#               line every 10 s; a new wave as soon as one ends, for
#               BENCH_SLOW_SECONDS (60)
#   slow read   slowhttptest -X: 1,000 connections that read 32 bytes
#               every 5 s through a 10-20 byte window, the same
#   keep-alive  wrk keeping 64 connections busy (and 2,000)
#
# while a normal client makes a new connection and a request 8 times a
# second: how many of its requests are answered (within 10 s), p50 and
# p99.  Then forged cursors on a snapshot of 1,000,000 certificates, and
# what checking that snapshot costs at start (--check quick and digest).
#
#   tools/bench-hostile.sh BUILD_DIR
#     BENCH_SLOW_SECONDS=60  BENCH_CERTIFICATES=1000000
#     BENCH_API_SNAPSHOT=FILE  a snapshot of BENCH_CERTIFICATES to use
#
# nginx: worker_processes auto, access log on, keepalive_requests above
# the traffic, its default client_header_timeout (60 s).
set -eu
build=$(cd "$1" && pwd)
seconds=${BENCH_SLOW_SECONDS:-60}
count=${BENCH_CERTIFICATES:-1000000}
say() { echo "bench-hostile: $*" >&2; }
. "$(dirname "$0")/benchlib.sh"
for tool in registryd registryctl gen-registry; do
	[ -x "$build/$tool" ] || { say "$build/$tool is missing; run make"; exit 1; }
done
for tool in wrk nginx slowhttptest curl; do
	command -v "$tool" >/dev/null || { say "$tool is missing (tools/deps.sh bench)"; exit 1; }
done
ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
work=$(bench_workdir hostile)
pids=""
cleanup() {
	# shellcheck disable=SC2086
	[ -z "$pids" ] || kill $pids 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
export SOURCE_DATE_EPOCH=1767225600

# free_port: a port nobody listens on.
free_port() {
	local port
	while :; do
		port=$((20000 + RANDOM % 40000))
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
	done
}
# wait_port PORT PID: until PORT answers (or PID is gone).
wait_port() {
	local i
	for i in $(seq 1 600); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# start_registryd ARGS...: registryd on a free port, trying others when
# the one picked is taken; sets port and pid.
start_registryd() {
	local attempt
	for attempt in 1 2 3 4 5 6 7 8 9 10; do
		port=$(free_port)
		"$build/registryd" --listen "127.0.0.1:$port" "$@" 2>"$work/registryd.err" &
		pid=$!
		wait_port "$port" "$pid" && return 0
		wait "$pid" 2>/dev/null || true
		grep -q "cannot listen" "$work/registryd.err" || break
	done
	cat "$work/registryd.err" >&2
	say "registryd did not start"
	exit 1
}

# The sample registry: what is served does not matter here, only how.
"$build/registryctl" -q --db "$work/registry.db" sample
"$build/registryctl" -q --db "$work/registry.db" publish "$work/snapshot.db"

start_registryd --db "$work/snapshot.db" --access-log "$work/registryd.log"
rport=$port registryd_pid=$pid
pids="$pids $registryd_pid"
mkdir -p "$work/www/v1" "$work/nginx"
curl -s "http://127.0.0.1:$rport/v1/meta" >"$work/www/v1/meta"
sport=$(free_port)
pport=$(free_port)
{
	[ "$(id -u)" = 0 ] && echo "user root;"
	cat <<NGINX
worker_processes auto;
worker_rlimit_nofile 20000;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 8192; }
http {
	access_log $work/nginx/access.log;
	keepalive_requests 1000000;
	client_body_temp_path $work/nginx; proxy_temp_path $work/nginx;
	fastcgi_temp_path $work/nginx; uwsgi_temp_path $work/nginx;
	scgi_temp_path $work/nginx;
	default_type application/json;
	server { listen 127.0.0.1:$sport; root $work/www; }
	upstream registryd { server 127.0.0.1:$rport; keepalive 32; }
	server {
		listen 127.0.0.1:$pport;
		location / {
			proxy_pass http://registryd;
			proxy_http_version 1.1;
			proxy_set_header Connection "";
		}
	}
}
NGINX
} >"$work/nginx/nginx.conf"
nginx -c "$work/nginx/nginx.conf" 2>"$work/nginx/stderr" &
nginx_pid=$!
pids="$pids $nginx_pid"
wait_port "$sport" "$nginx_pid" && wait_port "$pport" "$nginx_pid" ||
	{ cat "$work/nginx/stderr" "$work/nginx/error.log" >&2; say "nginx did not start"; exit 1; }

# probe URL SECONDS OUT: a normal client, 8 new connections and requests a
# second; "status seconds" per request into OUT.
probe() {
	local end=$((SECONDS + $2))
	while [ "$SECONDS" -lt "$end" ]; do
		curl -s -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 10 "$1" || true
		sleep 0.125
	done >"$3"
}
# summary OUT: "answered total p50_ms p99_ms" of a probe (unanswered
# requests count as 10 s).
summary() {
	awk '{ t = ($1 == 200) ? $2 : 10; print (($1 == 200) ? 1 : 0), t * 1000 }' "$1" |
		sort -k2 -n | awk '
		{ ok += $1; v[NR] = $2 }
		END {
			p50 = v[int((NR - 1) * 0.50) + 1]; p99 = v[int((NR - 1) * 0.99) + 1]
			printf "%d %d %.1f %.1f\n", ok, NR, p50, p99
		}'
}
# attack KIND URL: slowhttptest waves of 1,000 connections until
# $seconds are over.
attack() {
	local end=$((SECONDS + seconds)) wave=0
	while [ "$SECONDS" -lt "$end" ]; do
		wave=$((wave + 1))
		case $1 in
		slowloris) slowhttptest -c 1000 -H -i 10 -r 200 -t GET -u "$2" \
			-x 24 -p 3 -l $((end - SECONDS)) >"$work/slow.out" 2>&1 || true ;;
		slowread) slowhttptest -c 1000 -X -r 200 -w 10 -y 20 -n 5 -z 32 -k 3 \
			-u "$2" -p 3 -l $((end - SECONDS)) >"$work/slow.out" 2>&1 || true ;;
		esac
		[ "$SECONDS" -lt "$end" ] && sleep 0.2
	done
	echo "$wave"
}
# slow KIND NAME BASE: one attack on BASE/v1/openapi.json (slow read: the
# largest answer; nginx: its static meta) with the probe on BASE/v1/meta.
slow() {
	local target=$3/v1/openapi.json waves
	[ "$2" = nginx ] && target=$3/v1/meta
	probe "$3/v1/meta" $((seconds + 2)) "$work/probe.$1.$2" &
	local probe_pid=$!
	sleep 1
	waves=$(attack "$1" "$target")
	wait "$probe_pid"
	echo "$(summary "$work/probe.$1.$2") $waves" >"$work/result.$1.$2"
	say "$1, $2: $(cat "$work/result.$1.$2") (answered, requests, p50 ms, p99 ms, waves)"
}
for kind in slowloris slowread; do
	slow "$kind" registryd "http://127.0.0.1:$rport"
	slow "$kind" proxied "http://127.0.0.1:$pport"
	slow "$kind" nginx "http://127.0.0.1:$sport"
done

# busy NAME BASE CONNECTIONS: wrk keeps CONNECTIONS connections busy on a
# list page for 20 s; the probe makes new ones meanwhile.
busy() {
	local path=/v1/certificates?limit=20
	[ "$1" = nginx ] && path=/v1/meta
	wrk -t2 -c"$3" -d20s "$2$path" >"$work/wrk.$1.$3" 2>&1 &
	local wrk_pid=$!
	sleep 2
	probe "$2/v1/meta" 15 "$work/probe.busy.$1.$3"
	wait "$wrk_pid"
	# wrk's "Socket errors: connect N, read N, write N, timeout N"
	errors=$(awk '/Socket errors/ { gsub(",", ""); print $4, $6 + $8, $10 }' "$work/wrk.$1.$3")
	echo "$(summary "$work/probe.busy.$1.$3") ${errors:-0 0 0}" >"$work/result.busy.$1.$3"
	say "busy $3, $1: $(cat "$work/result.busy.$1.$3") (answered, requests, p50, p99; wrk's connect, read or write, timeout errors)"
}
busy registryd "http://127.0.0.1:$rport" 64
busy nginx "http://127.0.0.1:$sport" 64
busy registryd "http://127.0.0.1:$rport" 2000
kill "$registryd_pid" "$nginx_pid"
wait "$registryd_pid" "$nginx_pid" 2>/dev/null || true
pids=""

# A snapshot of $count certificates: forged cursors and the check's cost.
[ -n "${BENCH_API_SNAPSHOT:-}" ] || say "publishing a registry of $count certificates"
mkdir -p "$work/big"
snapshot=$(bench_registry_snapshot "$count" "$work/big")
cat "$snapshot" >/dev/null # in the page cache, as a served snapshot is
for check in quick digest; do
	start=$(date +%s%N)
	start_registryd --db "$snapshot" --check "$check" -q
	echo $((($(date +%s%N) - start) / 1000000)) >"$work/check.$check"
	say "--check $check: serving after $(cat "$work/check.$check") ms"
	kill "$pid"
	wait "$pid" 2>/dev/null || true
done
start_registryd --db "$snapshot" --today 2026-01-01 -q
pids=$pid
# A cursor as the old, unkeyed format made one: window (0, 10^18] for a
# one-character search; now it is refused, whatever it says.
forged=$(printf '1.s.00000000.3.0.1000000000000000000.0..00000000' | base64 -w0 | tr '+/' '-_' | tr -d '=')
for n in $(seq 1 16); do
	(while :; do curl -s -o /dev/null "http://127.0.0.1:$port/v1/certificates?q=%E7%BB%84&cursor=$forged"; done) &
	pids="$pids $!"
done
sleep 1
probe "http://127.0.0.1:$port/v1/meta" 15 "$work/probe.forged"
status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v1/certificates?q=%E7%BB%84&cursor=$forged")
echo "$(summary "$work/probe.forged") $status" >"$work/result.forged"
say "forged cursors: $(cat "$work/result.forged") (answered, requests, p50, p99, the forged cursor's status)"

export work
awk -v s="$seconds" -v count="$count" "$BENCH_AWK"'
function row(what, file,   r) {
	r = ""; getline r <file; close(file); split(r, v, " ")
	return sprintf("%d of %d answered (%.1f %%), p50 %.1f ms, p99 %.1f ms", v[1], v[2], 100 * v[1] / v[2], v[3], v[4])
}
BEGIN {
	w = ENVIRON["work"]
	for (k = 1; k <= 2; k++) {
		kind = k == 1 ? "slowloris" : "slowread"
		name = k == 1 ? "Slowloris (slowhttptest -H)" : "Slow read (slowhttptest -X)"
		printf "| %s, 1,000 connections for %d s: a normal client, registryd alone | %s | | nginx serving the same JSON: %s |\n",
		    name, s, row(kind, w "/result." kind ".registryd"), row(kind, w "/result." kind ".nginx")
		printf "| %s: registryd behind nginx | %s | | |\n", name, row(kind, w "/result." kind ".proxied")
	}
	printf "| 64 busy keep-alive connections (wrk): a new client, registryd | %s | | nginx: %s |\n",
	    row("", w "/result.busy.registryd.64"), row("", w "/result.busy.nginx.64")
	text = row("", w "/result.busy.registryd.2000")
	printf "| 2,000 busy connections (wrk): a new client, registryd | %s | | wrk: %d connections refused, %d reset, %d answers slower than 2 s |\n",
	    text, v[5], v[6], v[7]
	text = row("", w "/result.forged")
	printf "| 16 clients sending forged cursors (window (0, 10^18], q=组), %s certificates: /v1/meta | %s | | the forged cursor: %d |\n",
	    commas(count), text, v[5]
	getline q <(w "/check.quick"); getline d <(w "/check.digest")
	printf "| snapshot checked at start, %s certificates: registryd serving after | quick_check %.1f s; with the SHA-256 (--check digest) %.1f s | | |\n",
	    commas(count), q / 1000, d / 1000
}'
