#!/bin/bash
# registryd against hostile and careless clients, over real sockets with
# the exact bytes of each request (tests/api/raw.pl): ambiguous HTTP
# answered as RFC 9112 says, a slow request head cut off at its deadline,
# keep-alive that yields its worker when every worker is taken, keyed
# cursors, and export slots that slow readers give back.  The soak tests
# with slowhttptest and wrk are in make bench (tools/bench-hostile.sh).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/helpers.bash"

RAW="$SRC/tests/api/raw.pl"
api_fixture "$TMP/fx" >/dev/null || { not_ok "hostile-0.1 the fixture is built"; done_testing; }
start_registryd --db "$TMP/fx/snapshot.db" --request-timeout 1000 \
	--keep-alive 1000 --access-log "$TMP/access.log" ||
	{ not_ok "hostile-0.2 registryd starts"; done_testing; }

# send NAME WAIT: the bytes of standard input (\r\n written as such) to
# the server; the reply in $TMP/NAME, its status line in $status, its
# count of status lines in $answers, "closed" or "open" in $end.
send() {
	printf "$(cat)" | perl "$RAW" "$PORT" "$2" >"$TMP/$1"
	status=$(head -n 1 "$TMP/$1" | tr -d '\r')
	answers=$(grep -c '^HTTP/1\.1 ' "$TMP/$1")
	end=$(tail -n 1 "$TMP/$1" | cut -d' ' -f1)
}

# http-1: request smuggling.  Content-Length with Transfer-Encoding is
# refused and the connection closed, so the request hidden in the body
# is never answered.
send smuggle 3 <<'EOF'
POST /v1/meta HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n
EOF
check_eq "http-1.1 Content-Length with Transfer-Encoding: 400" "HTTP/1.1 400 Bad Request" "$status"
check_eq "http-1.2 the smuggled request is not answered" 1 "$answers"
check_eq "http-1.3 and the connection is closed" closed "$end"
check_contains "http-1.4 the problem says why" "$TMP/smuggle" "Content-Length and Transfer-Encoding together"
send two-lengths 3 <<'EOF'
GET /v1/meta HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 5\r\n\r\nhello
EOF
check_eq "http-1.5 two different Content-Length: 400" "HTTP/1.1 400 Bad Request" "$status"
check_eq "http-1.6 and closed" closed "$end"
send length-list 3 <<'EOF'
GET /v1/meta HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 6\r\n\r\nhello
EOF
check_eq "http-1.7 a list of different lengths: 400" "HTTP/1.1 400 Bad Request" "$status"
send bad-length 3 <<'EOF'
GET /v1/meta HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n
EOF
check_eq "http-1.8 a length that is no number: 400 (not 411)" "HTTP/1.1 400 Bad Request" "$status"
send chunked-get 3 <<'EOF'
GET /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n
EOF
check_eq "http-1.9 a body this API does not take: answered once" 1 "$answers"
check_eq "http-1.10 then closed" closed "$end"
check_contains "http-1.11 saying so" "$TMP/chunked-get" "Connection: close"

# http-2: Host (RFC 9112 3.2).
send no-host 3 <<'EOF'
GET /v1/meta HTTP/1.1\r\n\r\n
EOF
check_eq "http-2.1 HTTP/1.1 without Host: 400" "HTTP/1.1 400 Bad Request" "$status"
check_eq "http-2.2 and closed" closed "$end"
send two-hosts 3 <<'EOF'
GET /v1/meta HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n
EOF
check_eq "http-2.3 two Host lines: 400" "HTTP/1.1 400 Bad Request" "$status"
send bad-host 3 <<'EOF'
GET /v1/meta HTTP/1.1\r\nHost: a b/c\r\n\r\n
EOF
check_eq "http-2.4 a Host that is not a host: 400" "HTTP/1.1 400 Bad Request" "$status"
send http10 3 <<'EOF'
GET /v1/meta HTTP/1.0\r\n\r\n
EOF
check_eq "http-2.5 HTTP/1.0 needs no Host" "HTTP/1.1 200 OK" "$status"

# http-3: the other forms of request target (RFC 9112 3.2.2, 3.2.4).
send absolute 3 <<'EOF'
GET http://registry.example/v1/certificates/CNITSEC-CS2-2024-0001?as_of=2025-01-01 HTTP/1.1\r\nHost: other.example\r\n\r\n
EOF
check_eq "http-3.1 the absolute form is served" "HTTP/1.1 200 OK" "$status"
check_contains "http-3.2 with the path and query it names" "$TMP/absolute" '"as_of":"2025-01-01"'
send asterisk 3 <<'EOF'
OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n
EOF
check_eq "http-3.3 OPTIONS * is answered" "HTTP/1.1 204 No Content" "$status"
check_contains "http-3.4 with what the server allows" "$TMP/asterisk" "Allow: GET, HEAD, OPTIONS"
send asterisk-get 3 <<'EOF'
GET * HTTP/1.1\r\nHost: x\r\n\r\n
EOF
check_eq "http-3.5 the asterisk form is for OPTIONS only" "HTTP/1.1 400 Bad Request" "$status"
check_contains "http-3.6 each is logged" "$TMP/access.log" '"GET http://registry.example/v1/certificates/CNITSEC-CS2-2024-0001?as_of=2025-01-01 HTTP/1.1" 200'
check_contains "http-3.7 OPTIONS * too" "$TMP/access.log" '"OPTIONS * HTTP/1.1" 204'

# http-4: methods this API does not have.
for method in TRACE CONNECT DELETE BREW; do
	target=/v1/meta
	[ "$method" = CONNECT ] && target=registry.example:443
	send "method-$method" 3 <<EOF
$method $target HTTP/1.1\r\nHost: x\r\n\r\n
EOF
	check_eq "http-4.1 $method: 405" "HTTP/1.1 405 Method Not Allowed" "$status"
	check_contains "http-4.2 $method: Allow" "$TMP/method-$method" "Allow: GET, HEAD, OPTIONS"
done

# slow-1: a request head that never ends is cut off at its deadline
# (--request-timeout 1000), however the client trickles it.
send slow-head 6 <<'EOF'
GET /v1/meta HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n
EOF
seconds=$(tail -n 1 "$TMP/slow-head" | cut -d' ' -f3)
check_eq "slow-1.1 a head that never ends is closed" closed "$end"
check "slow-1.2 at its deadline, 1 s (closed after $seconds s)" \
	awk -v s="$seconds" 'BEGIN { exit !(s >= 0.9 && s < 3) }'
# and an idle keep-alive connection after its keep-alive time
send idle 6 <<'EOF'
GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n
EOF
seconds=$(tail -n 1 "$TMP/idle" | cut -d' ' -f3)
check_eq "slow-1.3 an idle keep-alive connection is answered, then closed" "HTTP/1.1 200 OK $end" "$status closed"
check "slow-1.4 after the keep-alive time, 1 s (closed after $seconds s)" \
	awk -v s="$seconds" 'BEGIN { exit !(s >= 0.9 && s < 3) }'

# slow-2: keep-alive yields.  With two workers and a long keep-alive, two
# clients that keep their connections would hold both; the answer that
# takes the last worker says Connection: close, so a third client is
# served at once.
start_registryd --db "$TMP/fx/snapshot.db" --threads 2 --keep-alive 8000 -q ||
	{ not_ok "slow-2.0 registryd starts"; done_testing; }
clients=""
for n in 1 2; do
	printf 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n' |
		perl "$RAW" "$PORT" 6 >"$TMP/keep.$n" &
	clients="$clients $!"
	sleep 0.3
done
third=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 4 "$BASE/healthz")
# shellcheck disable=SC2086
wait $clients
check_eq "slow-2.1 the first keeps its connection" "open" "$(tail -n 1 "$TMP/keep.1" | cut -d' ' -f1)"
check_contains "slow-2.2 the one that took the last worker is told to close" "$TMP/keep.2" "Connection: close"
check "slow-2.3 a third client is answered at once ($third)" \
	awk -v r="$third" 'BEGIN { split(r, a, " "); exit !(a[1] == 200 && a[2] < 2) }'

# cursor-1: cursors are keyed.  Another server (another secret) refuses
# them, as it does an edited one; servers given the same secret share
# them, across a restart too.
head -c 32 /dev/urandom >"$TMP/secret"
start_registryd --db "$TMP/fx/snapshot.db" --cursor-secret "$TMP/secret" -q ||
	{ not_ok "cursor-1.0 registryd starts"; done_testing; }
first=$BASE
fetch "/v1/certificates?limit=2" >/dev/null
cursor=$(json_get "$TMP/b" '$.next_cursor')
check_eq "cursor-1.1 its own cursor: 200" 200 "$(fetch "/v1/certificates?limit=2&cursor=$cursor")"
edited="${cursor%?}$([ "${cursor: -1}" = A ] && echo B || echo A)"
check_eq "cursor-1.2 an edited cursor: 400" 400 "$(fetch "/v1/certificates?limit=2&cursor=$edited")"
check_eq "cursor-1.3 naming the parameter" cursor "$(json_get "$TMP/b" '$.parameter')"
start_registryd --db "$TMP/fx/snapshot.db" --cursor-secret "$TMP/secret" -q ||
	{ not_ok "cursor-1.4 registryd starts"; done_testing; }
check_eq "cursor-1.4 another server with the same secret reads it" 200 \
	"$(fetch "/v1/certificates?limit=2&cursor=$cursor")"
start_registryd --db "$TMP/fx/snapshot.db" -q ||
	{ not_ok "cursor-1.5 registryd starts"; done_testing; }
check_eq "cursor-1.5 a server with another secret refuses it" 400 \
	"$(fetch "/v1/certificates?limit=2&cursor=$cursor")"
printf 'short' >"$TMP/short"
check_fails "cursor-1.6 a secret under 16 bytes is refused" \
	"$REGISTRYD" --db "$TMP/fx/snapshot.db" --cursor-secret "$TMP/short"
BASE=$first

# export-1: slow readers give their export slots back.  Two clients
# trickle 200 bytes a second from the two slots; once the sockets'
# buffers are full (an export of 25,000 certificates is larger than
# they are) they are cut off (--export-stall 1000), and a normal export
# is served in full.
"$REGISTRYCTL" -q --db "$TMP/big.db" init &&
	"$BUILD/gen-registry" 25000 >"$TMP/big.csv" &&
	"$REGISTRYCTL" -q --db "$TMP/big.db" import "$TMP/big.csv" &&
	"$REGISTRYCTL" -q --db "$TMP/big.db" --now "$NOW" publish "$TMP/big-snapshot.db" ||
	{ not_ok "export-1.0 a registry of 25,000 certificates"; done_testing; }
start_registryd --db "$TMP/big-snapshot.db" --export-stall 1000 --request-timeout 1000 -q ||
	{ not_ok "export-1.0 registryd starts"; done_testing; }
clients=""
for n in 1 2; do
	printf 'GET /v1/export/certificates.csv HTTP/1.1\r\nHost: x\r\n\r\n' |
		perl "$RAW" "$PORT" 20 200 >"$TMP/trickle.$n" &
	clients="$clients $!"
done
sleep 0.5
check_eq "export-1.1 while the slow readers hold both slots: 503" 503 \
	"$(fetch /v1/export/certificates.csv)"
got="" started=$(date +%s)
for _ in $(seq 1 40); do
	got=$(fetch /v1/export/certificates.csv --max-time 20)
	[ "$got" = 200 ] && break
	sleep 0.25
done
waited=$(($(date +%s) - started))
check_eq "export-1.2 then a normal export is served" 200 "$got"
check "export-1.3 within a few seconds ($waited s)" test "$waited" -le 8
check_eq "export-1.4 in full" 25001 "$(grep -c $'\r$' "$TMP/b")"
kill $clients 2>/dev/null
# shellcheck disable=SC2086
wait $clients 2>/dev/null
done_testing
