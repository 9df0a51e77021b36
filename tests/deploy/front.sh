#!/bin/bash
# The production front on loopback: Debian's nginx with the shipped
# configuration (tools/deploy/nginx/registry.conf) before two registryd
# nodes, each on its own copy of the snapshot under a supervisor that
# restarts it (standing in for systemd's Restart=on-failure).  TLS and
# HTTP/2, the precompressed site, the API's cache and its ETag, the rate
# limit's problem document; then 65 s of load through nginx during which a
# new snapshot is rolled out to both nodes (one reached over an ssh
# stand-in), one node is killed and comes back by itself, and a roll to a
# node whose copy arrives damaged leaves that node on its old snapshot:
# not one request fails.  Last, slowhttptest holds hundreds of slow
# connections while a normal client is still answered.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/front.bash"

LOAD_SECONDS=${LOAD_SECONDS:-65}
ROLL="$SRC/tools/deploy/registry-roll"
export REGISTRY_LIBEXEC=$BUILD REGISTRY_ROLL_REMOTE_LIBEXEC=$BUILD
export REGISTRY_ROLL_SSH=$TMP/ssh

front_fixture >"$TMP/fixture.log" 2>&1 || {
	not_ok "front-0.1 the fixture is built"; sed 's/^/#   /' "$TMP/fixture.log"; done_testing
}
start_node 1 && start_node 2 || { not_ok "front-0.2 two nodes start"; done_testing; }
start_front 1 2 || { not_ok "front-0.3 nginx starts with the shipped configuration"; done_testing; }
ok "front-0.3 nginx starts with the shipped configuration"
check "front-0.4 nginx -t accepts it" "$NGINX" -t -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf"

# An ssh stand-in for the nodes reached "over ssh": runs the command here.
# The host "damaged" flips a byte of whatever it is sent, as a bad link
# or disk would.
cat >"$TMP/ssh" <<'EOF'
#!/bin/sh
host=$1; shift
case "$host:$*" in
damaged:"cat > "*) { head -c 5000; printf X; head -c 1 >/dev/null; cat; } | sh -c "$*"; exit ;;
esac
exec sh -c "$*"
EOF
chmod +x "$TMP/ssh"
printf 'node1 %s http://127.0.0.1:%s\nnode2 localhost:%s http://127.0.0.1:%s\n' \
	"$TMP/node1/snapshot.db" "${NODE_PORT[1]}" "$TMP/node2/snapshot.db" "${NODE_PORT[2]}" >"$TMP/nodes"
printf 'node1 %s http://127.0.0.1:%s\nnode2 damaged:%s http://127.0.0.1:%s\n' \
	"$TMP/node1/snapshot.db" "${NODE_PORT[1]}" "$TMP/node2/snapshot.db" "${NODE_PORT[2]}" >"$TMP/nodes-damaged"

# get PATH [CURL...]: through nginx; status and HTTP version printed,
# headers in $TMP/h, body in $TMP/b.
get() {
	local path=$1
	shift
	: >"$TMP/b"
	curl -sk -o "$TMP/b" -D "$TMP/h" -w '%{http_code} %{http_version}' "$@" "$FRONT$path"
}
hdr() { grep -i "^$1:" "$TMP/h" | head -n 1 | sed 's/^[^:]*: *//' | tr -d '\r'; }

# --- TLS, HTTP/2, the site
check_eq "front-1.1 HTTPS with HTTP/2" "200 2" "$(get /v1/meta --http2)"
check_eq "front-1.2 HTTP/1.1 too" "200 1.1" "$(get /v1/meta --http1.1)"
check_eq "front-1.3 plain HTTP is sent to HTTPS" \
	"301 https://127.0.0.1/v1/meta" \
	"$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$HTTP_PORT/v1/meta" | sed "s/:$HTTP_PORT//")"
check_eq "front-1.4 the certificate served is the one configured" \
	"$(openssl x509 -in "$TMP/fx/tls.pem" -noout -fingerprint -sha256)" \
	"$(openssl s_client -connect "127.0.0.1:$HTTPS_PORT" </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256)"
check_eq "front-1.5 the site's home page" "200 2" "$(get /registry/ --http2)"
check_contains "front-1.5 it is the registry page" "$TMP/b" '<html lang="zh-CN"'
check_eq "front-1.6 the site's CSP on pages" \
	"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'" \
	"$(hdr Content-Security-Policy)"
get /registry/ -H 'Accept-Encoding: gzip' >/dev/null
check_eq "front-1.7 the precompressed page is sent gzip-encoded" gzip "$(hdr Content-Encoding)"
check "front-1.7 the bytes are those of index.html.gz (gzip_static)" \
	cmp "$TMP/b" "$TMP/fx/public/registry/index.html.gz"
check_eq "front-1.8 a missing page is the site's 404" "404 2" "$(get /no/such/page/)"
check_contains "front-1.8 with the site's page" "$TMP/b" '<html lang="zh-CN"'
check_eq "front-1.9 the check page is registryd's, through nginx" 303 \
	"$(get '/registry/check/?q=CNITSEC-CS2-2024-0001' | cut -d' ' -f1)"
check_eq "front-1.10 dot-files are not served" "404 2" "$(get /.git/config)"

# --- the API's cache and its ETag
probe=/v1/certificates/CNITSEC-CS2-2024-0001
direct_etag=$(curl -s -D - -o /dev/null "http://127.0.0.1:${NODE_PORT[1]}$probe" | grep -i '^etag:' | tr -d '\r' | cut -d' ' -f2)
get "$probe" >/dev/null
probe_t0=$(date +%s)
first=$(hdr X-Cache-Status) etag1=$(hdr ETag)
check_eq "front-2.1 the first answer comes from a node" MISS "$first"
check_eq "front-2.2 with the node's ETag" "$direct_etag" "$etag1"
check_eq "front-2.3 and its Cache-Control" "public, max-age=60" "$(hdr Cache-Control)"
get "$probe" >/dev/null
check_eq "front-2.4 the second from a node too, and kept (asked for twice)" "MISS $etag1" "$(hdr X-Cache-Status) $(hdr ETag)"
get "$probe" >/dev/null
check_eq "front-2.4 the third from the cache" "HIT $etag1" "$(hdr X-Cache-Status) $(hdr ETag)"
check_eq "front-2.5 If-None-Match with that ETag: 304 from the cache" "304 2" \
	"$(get "$probe" -H "If-None-Match: $etag1")"
check_eq "front-2.6 another ETag: the answer" "200 2" "$(get "$probe" -H 'If-None-Match: "0000"')"
check_eq "front-2.7 the API's own CSP, not the site's" "default-src 'none'; frame-ancestors 'none'" \
	"$(hdr Content-Security-Policy)"
get /v1/meta -H 'Accept-Encoding: gzip' >/dev/null
check_eq "front-2.8 JSON is compressed on the way" gzip "$(hdr Content-Encoding)"

# --- the rate limit, from another address than the load generator's
for i in $(seq 1 80); do printf 'url = "%s/v1/meta"\noutput = "%s/burst.%d"\n' "$FRONT" "$TMP" "$i"; done >"$TMP/burst"
curl -sk --interface 127.0.0.2 --http2 -K "$TMP/burst" -w '%{http_code} %{content_type} %{filename_effective}\n' \
	-D "$TMP/burst.h" >"$TMP/burst.out"
n429=$(grep -c '^429 ' "$TMP/burst.out") n200=$(grep -c '^200 ' "$TMP/burst.out")
check "front-3.1 a burst of 80 gets 429s ($n429) after the allowance ($n200 answered)" \
	test "$n429" -ge 20 -a "$n200" -ge 30 -a $((n429 + n200)) = 80
check_eq "front-3.2 each 429 is a problem document" "$n429 application/problem+json" \
	"$(grep '^429 ' "$TMP/burst.out" | awk '{ print $2 }' | sort | uniq -c | awk '{ print $1, $2 }')"
body=$(grep '^429 ' "$TMP/burst.out" | head -n 1 | awk '{ print $3 }')
check_eq "front-3.3 with Retry-After" "$n429 1" \
	"$(grep -i '^retry-after:' "$TMP/burst.h" | tr -d '\r' | awk '{ print $2 }' | sort | uniq -c | awk '{ print $1, $2 }')"
check_eq "front-3.4 whose status is 429" 429 "$(sqlite3 :memory: "SELECT json_extract(readfile('$body'), '\$.status')" 2>&1)"
check_contains "front-3.5 and says when to retry" "$body" '"detail":"请求过于频繁：请在 1 秒后重试。'
sleep 2.5
check_eq "front-3.6 the address is answered again after the wait" 200 \
	"$(curl -sk --interface 127.0.0.2 -o /dev/null -w '%{http_code}' "$FRONT/v1/meta")"

# --- the load, with a roll-out, a node killed and a damaged copy
load_script "$TMP/load.lua"
sha0=$(node_sha 1)
: >"$TMP/nginx/access.log.start"
wrk -t2 -c16 -d"${LOAD_SECONDS}s" --timeout 5s --latency -s "$TMP/load.lua" "$FRONT" >"$TMP/wrk.out" 2>&1 &
wrk_pid=$!
load_t0=$(date +%s)
at() { while [ $(($(date +%s) - load_t0)) -lt "$1" ]; do sleep 0.2; done; }

at 10
publish_new
sha1=$(sqlite3 "$TMP/fx/new.db" "SELECT value FROM meta WHERE key = 'sha256'")
"$ROLL" -n "$TMP/nodes" --wait 10 "$TMP/fx/new.db" >"$TMP/roll1.out" 2>&1
check_eq "front-4.1 the roll-out under load succeeds" 0 $?
sed 's/^/#   /' "$TMP/roll1.out"
check_eq "front-4.2 node 1 serves the new snapshot" "$sha1" "$(node_sha 1)"
check_eq "front-4.3 node 2 (over ssh) serves the new snapshot" "$sha1" "$(node_sha 2)"
check_contains "front-4.4 the command says so for each node" "$TMP/roll1.out" "node2: ok: serving ${sha1:0:12} (was ${sha0:0:12})"
get "$probe" >/dev/null
if [ $(($(date +%s) - probe_t0)) -lt 58 ]; then
	check_eq "front-4.5 within max-age, the cache still gives the answer it holds" \
		"HIT $etag1" "$(hdr X-Cache-Status) $(hdr ETag)"
else
	skip "front-4.5 within max-age, the cache still gives the answer it holds" "too slow a machine: max-age passed"
fi

at 25
kill_node 1
killed_at=$(date +%s.%N)
back=""
for i in $(seq 1 100); do
	sleep 0.1
	[ "$(cat "$TMP/node1/restarts" 2>/dev/null | wc -l)" -ge 1 ] || continue
	curl -s -o /dev/null "http://127.0.0.1:${NODE_PORT[1]}/healthz" && { back=yes; break; }
done
check_eq "front-5.1 the killed node comes back by itself" yes "$back"
check_contains "front-5.2 it had been killed (SIGKILL)" "$TMP/node1/restarts" "exited 137"
check_eq "front-5.3 it serves the snapshot in its place" "$sha1" "$(node_sha 1)"

at 40
publish_new
sha2=$(sqlite3 "$TMP/fx/new.db" "SELECT value FROM meta WHERE key = 'sha256'")
"$ROLL" -n "$TMP/nodes-damaged" --wait 10 "$TMP/fx/new.db" >"$TMP/roll2.out" 2>&1
check_eq "front-6.1 a roll with a damaged copy fails" 1 $?
sed 's/^/#   /' "$TMP/roll2.out"
check_eq "front-6.2 node 1 takes the new snapshot" "$sha2" "$(node_sha 1)"
check_eq "front-6.3 node 2 keeps the one it had" "$sha1" "$(node_sha 2)"
check_contains "front-6.4 the command names the node and why" "$TMP/roll2.out" \
	"node2: FAILED at check: the copy's file SHA-256 is"
check_contains "front-6.5 and says it kept its snapshot" "$TMP/roll2.out" \
	"kept its snapshot (serving ${sha1:0:12})"
check_contains "front-6.6 and sums up" "$TMP/roll2.out" "1 of 2 nodes serve sha256:$sha2; 1 kept the snapshot they had"
check_eq "front-6.7 no copy is left beside node 2's snapshot" "" \
	"$(find "$TMP/node2" -name '.*roll*')"
"$ROLL" -n "$TMP/nodes" --wait 10 "$TMP/fx/new.db" >"$TMP/roll3.out" 2>&1
check_eq "front-6.8 rolled again over a good link, node 2 takes it" "0 $sha2" "$? $(node_sha 2)"

# The cache entry of before the roll-outs is stale once max-age is past.
while [ $(($(date +%s) - probe_t0)) -lt 62 ]; do sleep 0.5; done
get "$probe" >/dev/null
check "front-7.1 past max-age the cache asks a node again ($(hdr X-Cache-Status))" \
	test "$(hdr X-Cache-Status)" != HIT
new_direct=$(curl -s -D - -o /dev/null "http://127.0.0.1:${NODE_PORT[1]}$probe" | grep -i '^etag:' | tr -d '\r' | cut -d' ' -f2)
check_eq "front-7.2 and gives the new snapshot's answer and ETag" "$new_direct" "$(hdr ETag)"
check "front-7.3 which differs from the old one" test "$new_direct" != "$etag1"

wait "$wrk_pid"
sed 's/^/#   /' "$TMP/wrk.out"
requests=$(awk '/requests in/ { print $1 }' "$TMP/wrk.out")
non2xx=$(awk -F': *' '/Non-2xx or 3xx/ { print $2 }' "$TMP/wrk.out")
sockerr=$(grep 'Socket errors' "$TMP/wrk.out" | sed 's/^ *//')
check "front-8.1 the load ran $LOAD_SECONDS s: ${requests:-no} requests" test "${requests:-0}" -ge 1000
check_eq "front-8.2 none answered other than 2xx or 3xx" 0 "${non2xx:-0}"
check_eq "front-8.3 no connection failed or timed out" "" "$sockerr"
log=$TMP/nginx/access.log
from_nodes=$(grep -c 'node_status="200' "$log")
retried=$(grep -c 'node_status="[^"]*, ' "$log")
check "front-8.4 most answers came from the nodes ($from_nodes of $(wc -l <"$log"))" \
	test "$from_nodes" -ge $((requests / 2))
check_eq "front-8.5 nginx's log has no 5xx and no 429 for the load" "" \
	"$(grep '^127.0.0.1 ' "$log" | awk '$7 >= 500 || $7 == 429' | head -n 3)"
echo "# nginx retried $retried requests on the other node (node_status with two entries)"
check_eq "front-8.6 every retried request was answered by the other node" "" \
	"$(grep 'node_status="[^"]*, ' "$log" | grep -v 'node_status="[^"]*, 200"' | head -n 3)"
check "front-8.7 both nodes answered during the load" \
	test "$(grep -c "node=\"127.0.0.1:${NODE_PORT[1]}\"" "$log")" -gt 100 -a \
	"$(grep -c "node=\"127.0.0.1:${NODE_PORT[2]}\"" "$log")" -gt 100

# --- slow clients: slowhttptest (slowloris) while a normal client asks
slowhttptest -H -c 600 -r 200 -i 5 -l 14 -t GET -u "$FRONT/v1/meta" -p 3 \
	>"$TMP/slow.out" 2>&1 &
slow_pid=$!
sleep 3
asked=0 answered=0
end=$(($(date +%s) + 9))
while [ "$(date +%s)" -lt "$end" ]; do
	code=$(curl -sk --max-time 10 -o /dev/null -w '%{http_code}' "$FRONT/v1/certificates?limit=3&as_of=2025-0$((asked % 9 + 1))-01")
	asked=$((asked + 1))
	[ "$code" = 200 ] && answered=$((answered + 1))
	sleep 0.25
done
wait "$slow_pid"
held=$(sed 's/\x1b\[[0-9;]*[A-Za-z]//g' "$TMP/slow.out" | grep -o 'connected: *[0-9]*' |
	awk '{ print $2 }' | sort -n | tail -n 1)
echo "# slowhttptest held up to ${held:-?} connections; the normal client: $answered of $asked answered"
check "front-9.1 slowhttptest held connections open (${held:-0})" test "${held:-0}" -ge 100
check_eq "front-9.2 every normal request was answered meanwhile" "$asked" "$answered"
check "front-9.3 at least 10 normal requests were made ($asked)" test "$asked" -ge 10

done_testing
