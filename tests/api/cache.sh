#!/bin/bash
# registryd's answer cache (registry/http/cache.c) over real HTTP: an
# answer sent from the cache is the answer registryd makes without one,
# byte for byte and header for header (but Date), for GET, HEAD, gzip and
# plain; a cached coded answer is never sent to a client that did not ask
# for gzip, nor the other way round; conditional requests still get their
# 304; a new snapshot renamed into place is answered at once, cached or
# not; and the access log, written by a thread of its own, has every line
# when the server stops.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/helpers.bash"

api_fixture "$TMP/fx" >/dev/null || { not_ok "cache-0.1 the fixture is built"; done_testing; }
# The two servers give the same cursors and the same absolute links.
head -c 32 /dev/urandom >"$TMP/secret"
same_as=(--cursor-secret "$TMP/secret" --base-url https://registry.example/)
start_registryd --db "$TMP/fx/snapshot.db" "${same_as[@]}" --access-log "$TMP/cached.log" ||
	{ not_ok "cache-0.2 registryd starts"; done_testing; }
CACHED=$BASE
CACHED_PID=$REGISTRYD_PID
start_registryd --db "$TMP/fx/snapshot.db" "${same_as[@]}" --cache-size 0 -q ||
	{ not_ok "cache-0.3 registryd --cache-size 0 starts"; done_testing; }
PLAIN=$BASE
cert=CNITSEC-CS2-2024-0001

# get NAME URL [CURL...]: headers without Date to $TMP/NAME.h, the body
# to $TMP/NAME.b; prints the status.
get() {
	local name=$1 url=$2
	shift 2
	: >"$TMP/$name.b"
	curl -s -o "$TMP/$name.b" -D "$TMP/$name.raw" -w '%{http_code}' "$@" "$url"
	grep -iv '^Date:' "$TMP/$name.raw" | tr -d '\r' >"$TMP/$name.h"
}

# same NAME PATH [CURL...]: the path asked three times of the cached
# server (the first fills the cache, the others are answered from it)
# and once of the server without a cache: all four the same.
same() {
	local name=$1 path=$2 n
	shift 2
	get "$name.plain" "$PLAIN$path" "$@" >/dev/null
	for n in 1 2 3; do
		get "$name.$n" "$CACHED$path" "$@" >/dev/null
	done
	for n in 1 2 3; do
		cmp -s "$TMP/$name.plain.h" "$TMP/$name.$n.h" || {
			echo "headers of answer $n differ:"
			diff "$TMP/$name.plain.h" "$TMP/$name.$n.h"
			return 1
		}
		# HEAD: curl writes the headers, Date too, as the body.
		sed -i '/^Date:/Id' "$TMP/$name.plain.b" "$TMP/$name.$n.b"
		cmp -s "$TMP/$name.plain.b" "$TMP/$name.$n.b" || {
			echo "body of answer $n differs"
			return 1
		}
	done
	grep -q '^HTTP/1.1 200' "$TMP/$name.plain.h" || { echo "not a 200:"; cat "$TMP/$name.plain.h"; return 1; }
}

# cache-1: the same answers, cached or not.
gz=(-H 'Accept-Encoding: gzip')
check "cache-1.1 a certificate" same c1 "/v1/certificates/$cert"
check "cache-1.2 a certificate, gzip" same c2 "/v1/certificates/$cert" "${gz[@]}"
check "cache-1.3 a certificate, HEAD" same c3 "/v1/certificates/$cert" -I
check "cache-1.4 a certificate, HEAD with gzip" same c4 "/v1/certificates/$cert" -I "${gz[@]}"
check "cache-1.5 on another date" same c5 "/v1/certificates/$cert?as_of=2025-01-01"
check "cache-1.6 its history" same c6 "/v1/certificates/$cert/history" "${gz[@]}"
check "cache-1.7 a search" same c7 "/v1/certificates?q=%E7%A7%91%E6%8A%80&limit=3"
check "cache-1.8 the next page of it" same c8 \
	"/v1/certificates?q=%E7%A7%91%E6%8A%80&limit=3&cursor=$(json_get "$TMP/c7.1.b" '$.next_cursor')"
check "cache-1.9 a list page with a Link header" same c9 "/v1/certificates?limit=2&level=2"
check "cache-1.10 an organisation" same c10 /v1/organisations/15
check "cache-1.11 the change feed" same c11 "/v1/changes?limit=5" "${gz[@]}"
check "cache-1.12 the Atom feed" same c12 /v1/changes.atom
check "cache-1.13 the OpenAPI document" same c13 /v1/openapi.json "${gz[@]}"
check "cache-1.14 meta (never cached)" same c14 /v1/meta
check "cache-1.15 the parameters in another order" same c15 "/v1/certificates?level=2&limit=2"
check_fails "cache-1.16 another date is another answer" cmp -s "$TMP/c1.1.b" "$TMP/c5.1.b"
check_eq "cache-1.17 a 404 stays a 404" 404 "$(get c17 "$CACHED/v1/certificates/CNITSEC-CS1-2099-0001")"
check_eq "cache-1.18 and again" 404 "$(get c17 "$CACHED/v1/certificates/CNITSEC-CS1-2099-0001")"

# cache-2: one URL, gzip first then plain, and the other way round.
url="/v1/certificates/CNITSEC-CS1-2024-0001/history"
get g1 "$CACHED$url" "${gz[@]}" >/dev/null
get g2 "$CACHED$url" >/dev/null
check_eq "cache-2.1 gzip asked: coded" gzip "$(grep -i '^Content-Encoding:' "$TMP/g1.h" | cut -d' ' -f2)"
check_eq "cache-2.2 the coded body is gzip" 1f8b "$(head -c 2 "$TMP/g1.b" | od -An -tx1 | tr -d ' \n')"
check_eq "cache-2.3 then plain: not coded" "" "$(grep -i '^Content-Encoding:' "$TMP/g2.h")"
check_eq "cache-2.4 its body starts with {" "{" "$(head -c 1 "$TMP/g2.b")"
check_eq "cache-2.5 and is the coded one, decoded" "$(gzip -dc <"$TMP/g1.b" | cksum)" "$(cksum <"$TMP/g2.b")"
check_eq "cache-2.6 the coded answer's tag is weak" "W/$(grep -i '^ETag:' "$TMP/g2.h" | cut -d' ' -f2)" \
	"$(grep -i '^ETag:' "$TMP/g1.h" | cut -d' ' -f2)"
url="/v1/certificates/CNITSEC-CS1-2024-0002/history"
get g3 "$CACHED$url" >/dev/null
get g4 "$CACHED$url" --compressed >/dev/null
get g5 "$CACHED$url" -H 'Accept-Encoding: gzip;q=0, identity' >/dev/null
check_eq "cache-2.7 plain first, then gzip: coded" gzip "$(grep -i '^Content-Encoding:' "$TMP/g4.h" | cut -d' ' -f2)"
check_eq "cache-2.8 gzip refused by q=0: not coded" "" "$(grep -i '^Content-Encoding:' "$TMP/g5.h")"
check_eq "cache-2.9 and starts with {" "{" "$(head -c 1 "$TMP/g5.b")"

# cache-3: conditional requests on cached answers.
etag=$(grep -i '^ETag:' "$TMP/c1.1.h" | cut -d' ' -f2)
check_eq "cache-3.1 If-None-Match with the tag: 304" 304 \
	"$(get n1 "$CACHED/v1/certificates/$cert" -H "If-None-Match: $etag")"
check_eq "cache-3.2 without a body" 0 "$(wc -c <"$TMP/n1.b")"
check_eq "cache-3.3 another tag: 200" 200 \
	"$(get n2 "$CACHED/v1/certificates/$cert" -H 'If-None-Match: "0000000000000000"')"
check_eq "cache-3.4 the weak tag of the coded answer: 304" 304 \
	"$(get n3 "$CACHED/v1/certificates/$cert" "${gz[@]}" -H "If-None-Match: W/$etag")"
check_eq "cache-3.5 If-Modified-Since the publication: 304" 304 \
	"$(get n4 "$CACHED/v1/certificates/$cert" -H "If-Modified-Since: $(grep -i '^Last-Modified:' "$TMP/c1.1.h" | cut -d' ' -f2-)")"
check "cache-3.6 the 304s are as without a cache" sh -c "
	curl -s -D - -o /dev/null -H 'If-None-Match: $etag' '$PLAIN/v1/certificates/$cert' | tr -d '\r' | grep -iv '^Date:' >'$TMP/n5.h' &&
	cmp '$TMP/n1.h' '$TMP/n5.h'"

# cache-4: a new snapshot, at once.  The certificate's answer is cached
# (asked twice), a warning is published, and as soon as /v1/meta (never
# cached) shows the new snapshot the certificate shows the warning.
get s1 "$CACHED/v1/certificates/$cert" >/dev/null
get s2 "$CACHED/v1/certificates/$cert" >/dev/null
get s2g "$CACHED/v1/certificates/$cert" "${gz[@]}" >/dev/null
check_eq "cache-4.1 no warning before" '[]' "$(json_get "$TMP/s2.b" '$.flags')"
"$REGISTRYCTL" -q --db "$TMP/fx/registry.db" --now "$NOW" warn "$cert" \
	--reason "cache test" --date 2025-12-30 >/dev/null &&
	"$REGISTRYCTL" -q --db "$TMP/fx/registry.db" --now "$NOW" publish "$TMP/fx/snapshot.db"
final=$(sqlite3 "$TMP/fx/snapshot.db" "SELECT value FROM meta WHERE key = 'sha256'")
for i in $(seq 1 100); do
	get m "$CACHED/v1/meta" >/dev/null
	[ "$(json_get "$TMP/m.b" '$.sha256')" = "$final" ] && break
	sleep 0.1
done
check_eq "cache-4.2 registryd moved to the new snapshot" "$final" "$(json_get "$TMP/m.b" '$.sha256')"
get s3 "$CACHED/v1/certificates/$cert" >/dev/null
get s4 "$CACHED/v1/certificates/$cert" >/dev/null
get s4g "$CACHED/v1/certificates/$cert" "${gz[@]}" >/dev/null
check_eq "cache-4.3 the certificate shows the warning at once" '["warning"]' "$(json_get "$TMP/s3.b" '$.flags')"
check_eq "cache-4.4 and again (now from the cache)" '["warning"]' "$(json_get "$TMP/s4.b" '$.flags')"
check_eq "cache-4.5 the coded answer too" '["warning"]' "$(gzip -dc <"$TMP/s4g.b" >"$TMP/s4g.json" && json_get "$TMP/s4g.json" '$.flags')"
check "cache-4.6 with a new tag" test "$(grep -i '^ETag:' "$TMP/s1.h")" != "$(grep -i '^ETag:' "$TMP/s3.h")"
check_eq "cache-4.7 the old tag is no longer answered 304" 200 \
	"$(get s5 "$CACHED/v1/certificates/$cert" -H "If-None-Match: $(grep -i '^ETag:' "$TMP/s1.h" | cut -d' ' -f2)")"
for i in $(seq 1 100); do
	get m "$PLAIN/v1/meta" >/dev/null
	[ "$(json_get "$TMP/m.b" '$.sha256')" = "$final" ] && break
	sleep 0.1
done
check "cache-4.8 the same answer as the server without a cache" same s6 "/v1/certificates/$cert"

# cache-5: the access log.  Lines reach the file soon after their answer,
# and a server stopped by SIGTERM has written every line.
for i in $(seq 1 50); do
	grep -q '"HEAD /v1/certificates/CNITSEC-CS2-2024-0001 HTTP/1.1" 200 - ' "$TMP/cached.log" && break
	sleep 0.1
done
check_contains "cache-5.1 a HEAD from the cache is logged" "$TMP/cached.log" \
	'"HEAD /v1/certificates/CNITSEC-CS2-2024-0001 HTTP/1.1" 200 - "-" "curl/'
check "cache-5.2 each answer's bytes are logged (gzip: the coded length)" grep -q \
	"\"GET /v1/certificates/CNITSEC-CS1-2024-0001/history HTTP/1.1\" 200 $(wc -c <"$TMP/g1.b") " "$TMP/cached.log"
before=$(wc -l <"$TMP/cached.log")
# 500 requests on a few keep-alive connections, then SIGTERM at once.
urls=()
for i in $(seq 1 500); do urls+=("$CACHED/v1/certificates/$cert?n=$i"); done
printf 'url = "%s"\n' "${urls[@]}" | curl -s -K - >/dev/null
kill -TERM "$CACHED_PID"
wait "$CACHED_PID"
check_eq "cache-5.3a registryd stops cleanly on SIGTERM" 0 "$?"
check_eq "cache-5.3 every line is written when registryd stops" $((before + 500)) "$(wc -l <"$TMP/cached.log")"
check_eq "cache-5.4 in order, none cut" "$(seq 1 500 | sed 's/^/n=/')" \
	"$(tail -n 500 "$TMP/cached.log" | sed -n 's/.*?\(n=[0-9]*\) HTTP.*" 400 .*/\1/p')"
done_testing
