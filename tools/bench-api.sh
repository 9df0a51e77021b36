#!/bin/bash
# make bench, the API: registryd on loopback against a snapshot of
# 1,000,000 certificates (tools/gen-registry.c, imported and published
# with registryctl), measured with wrk: requests per second and p99
# latency of a lookup by number, a Chinese name search and a page of the
# list; beside nginx (Debian's nginx-light) serving the same lookup's JSON
# as a static file in the same run; and registryd's peak memory.
#
#   tools/bench-api.sh BUILD_DIR
#     BENCH_CERTIFICATES=1000000  BENCH_SECONDS=10  BENCH_CONNECTIONS=8
#     BENCH_API_SNAPSHOT=FILE     use this snapshot instead of generating one
#
# Both servers log every request to a file, use the same wrk settings
# (2 threads, BENCH_CONNECTIONS connections, keep-alive) and registryd has
# its default workers (more than the connections: with as many, every
# worker would be taken and keep-alive would yield after each answer).  Targets (the issue):
# the lookup at least 0.6 times nginx's rate, the search's p99 under 20 ms,
# registryd under 100 MB.
set -eu
build=$(cd "$1" && pwd)
count=${BENCH_CERTIFICATES:-1000000}
seconds=${BENCH_SECONDS:-10}
connections=${BENCH_CONNECTIONS:-8}
say() { echo "bench-api: $*" >&2; }
. "$(dirname "$0")/benchlib.sh"
for tool in registryd registryctl gen-registry; do
	[ -x "$build/$tool" ] || { say "$build/$tool is missing; run make"; exit 1; }
done
for tool in wrk nginx; do
	command -v "$tool" >/dev/null || { say "$tool is missing (tools/deps.sh bench)"; exit 1; }
done
work=$(bench_workdir api)
registryd_pid="" nginx_pid=""
cleanup() {
	[ -z "$registryd_pid" ] || kill "$registryd_pid" 2>/dev/null || true
	[ -z "$nginx_pid" ] || kill "$nginx_pid" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
export SOURCE_DATE_EPOCH=1767225600 # 2026-01-01: the same registry every run

[ -n "${BENCH_API_SNAPSHOT:-}" ] ||
	say "publishing a registry of $count certificates (about 90 s for 1,000,000)"
snapshot=$(bench_registry_snapshot "$count" "$work")

# get PORT PATH: the body of GET PATH from 127.0.0.1 (bash, no curl).
get() {
	local reply
	exec 3<>"/dev/tcp/127.0.0.1/$1"
	printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3
	reply=$(cat <&3)
	exec 3<&-
	printf '%s' "${reply#*$'\r\n\r\n'}"
}

# A free port: registryd refuses a taken one, so try until one starts.
for attempt in 1 2 3 4 5 6 7 8 9 10; do
	port=$((20000 + RANDOM % 40000))
	# Statuses as of the snapshot's date, as on any day it was published.
	"$build/registryd" --db "$snapshot" --listen "127.0.0.1:$port" \
		--today 2026-01-01 \
		--access-log "$work/registryd.log" 2>"$work/registryd.err" &
	registryd_pid=$!
	for i in $(seq 1 50); do
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
		kill -0 "$registryd_pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$registryd_pid" 2>/dev/null && break
	wait "$registryd_pid" 2>/dev/null || true
	registryd_pid=""
done
[ -n "$registryd_pid" ] || { cat "$work/registryd.err" >&2; say "registryd did not start"; exit 1; }
base="http://127.0.0.1:$port"

# The lookup: a certificate in the middle of the registry.
organisation=$(((count / 3) / 2 + 1))
number=$(get "$port" "/v1/organisations/$organisation" |
	sed -n 's/.*"certificates":\[{"number":"\([A-Z0-9-]*\)".*/\1/p')
[ -n "$number" ] || { say "no certificate found for organisation $organisation"; exit 1; }
lookup="/v1/certificates/$number"
search="/v1/certificates?q=%E7%BB%84%E7%BB%87$((organisation % 10000))" # 组织NNNN
search2="/v1/certificates?q=%E7%BB%84%E7%BB%87" # 组织: two characters
page="/v1/certificates?limit=20"

# nginx serves the same JSON at the same path, as a static file.
mkdir -p "$work/www/v1/certificates" "$work/nginx"
get "$port" "$lookup" >"$work/www$lookup"
for attempt in 1 2 3 4 5 6 7 8 9 10; do
	nginx_port=$((20000 + RANDOM % 40000))
	[ "$nginx_port" = "$port" ] && continue
	{
		[ "$(id -u)" = 0 ] && echo "user root;"
		cat <<NGINX
worker_processes auto;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
	access_log $work/nginx/access.log;
	client_body_temp_path $work/nginx; proxy_temp_path $work/nginx;
	fastcgi_temp_path $work/nginx; uwsgi_temp_path $work/nginx;
	scgi_temp_path $work/nginx;
	default_type application/json;
	server { listen 127.0.0.1:$nginx_port; root $work/www; }
}
NGINX
	} >"$work/nginx/nginx.conf"
	nginx -c "$work/nginx/nginx.conf" 2>"$work/nginx/stderr" &
	nginx_pid=$!
	for i in $(seq 1 50); do
		(exec 3<>"/dev/tcp/127.0.0.1/$nginx_port") 2>/dev/null && break
		kill -0 "$nginx_pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$nginx_pid" 2>/dev/null && break
	wait "$nginx_pid" 2>/dev/null || true
	nginx_pid=""
done
[ -n "$nginx_pid" ] || { cat "$work/nginx/stderr" "$work/nginx/error.log" >&2; say "nginx did not start"; exit 1; }
cmp -s "$work/www$lookup" <(get "$nginx_port" "$lookup") ||
	{ say "nginx does not serve the lookup's JSON"; exit 1; }

# measure NAME URL: wrk's requests per second and p99 (ms) into $work/NAME.
measure() {
	wrk -t2 -c"$connections" -d2s "$2" >/dev/null # warm up
	wrk -t2 -c"$connections" -d"${seconds}s" --latency "$2" >"$work/wrk.$1"
	awk '
	/Requests\/sec:/ { rps = $2 }
	/^ +99%/ { v = $2; ms = v + 0
		if (v ~ /us$/) ms /= 1000; else if (v ~ /ms$/) ms += 0; else if (v ~ /s$/) ms *= 1000 }
	/Non-2xx/ { bad = $NF }
	END { printf "%d %.2f %d\n", rps, ms, bad }' "$work/wrk.$1" >"$work/result.$1"
	read -r rps p99 bad <"$work/result.$1"
	say "$1: $rps requests/s, p99 $p99 ms${bad:+, $bad non-2xx}"
	[ "${bad:-0}" = 0 ] || { say "$1: errors"; cat "$work/wrk.$1" >&2; exit 1; }
}
say "wrk: 2 threads, $connections connections, ${seconds} s each, after 2 s of warm-up"
measure nginx "http://127.0.0.1:$nginx_port$lookup"
measure lookup "$base$lookup"
measure search "$base$search"
measure search2 "$base$search2"
measure page "$base$page"
peak_kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$registryd_pid/status")

awk -v count="$count" -v c="$connections" -v kb="$peak_kb" -v number="$number" \
    -v q="组织$((organisation % 10000))" \
    -v nginx="$(cat "$work/result.nginx")" -v lookup="$(cat "$work/result.lookup")" \
    -v search="$(cat "$work/result.search")" -v search2="$(cat "$work/result.search2")" \
    -v page="$(cat "$work/result.page")" "$BENCH_AWK"'
BEGIN {
	split(nginx, n); split(lookup, l); split(search, s); split(search2, t); split(page, p)
	ratio = l[1] / n[1]
	printf "| API lookup by number, %s certificates (registryd, wrk %d connections) | %s req/s, p99 %.2f ms | %d MB | nginx, the same JSON as a static file: %s req/s, p99 %.2f ms; %.2f× (target 0.6×) |\n",
	    commas(count), c, commas(l[1]), l[2], kb / 1024 + 0.5, commas(n[1]), n[2], ratio
	printf "| API Chinese name search, q=%s | %s req/s, p99 %.2f ms | | target p99 under 20 ms |\n",
	    q, commas(s[1]), s[2]
	printf "| API Chinese name search, two characters (q=组织) | %s req/s, p99 %.2f ms | | |\n",
	    commas(t[1]), t[2]
	printf "| API list page, 20 certificates | %s req/s, p99 %.2f ms | | |\n",
	    commas(p[1]), p[2]
}'
