#!/bin/bash
# Every absolute address the site writes follows --base-url: pages
# (canonical links, QR code labels, the API page's examples), the sitemap,
# robots.txt and the feeds name no other origin of ours.  The only other
# absolute addresses allowed are XML namespace names and the external
# links the guide's authors wrote in content/.  And `make run` (tools/run.sh)
# derives the address from HOST and PORT, or takes BASE_URL.
. "$(dirname "$0")/../lib.sh"
base="http://127.0.0.1:18081/"
"$BUILD/registryctl" -q --db "$TMP/registry.db" sample &&
	"$BUILD/registryctl" -q --db "$TMP/registry.db" publish "$TMP/snapshot.db" ||
	{ not_ok "base-0 the sample registry is published"; done_testing; }
"$BUILD/sitegen" build --repo "$SRC" --worktree --registry "$TMP/snapshot.db" \
	--api-doc "$SRC/registry/openapi.json" --base-url "$base" --out "$TMP/site" -q 2>"$TMP/err"
check_eq "base-1.0 the site builds" 0 $?

# External links written in the content, as the authors wrote them.
grep -rhoE 'https?://[^ )>"]+' "$SRC/content" | sed -E 's#^(https?://[^/]+).*#\1#' | sort -u >"$TMP/authored"
# Every absolute http(s) address in every file of the site, with its file.
(cd "$TMP/site" && grep -rIoE 'https?://[A-Za-z0-9.:-]+' .) | sort -u >"$TMP/all"
check "base-1.1 the site has absolute addresses to check" test -s "$TMP/all"
grep -F "${base%/}" "$TMP/all" | cut -d: -f1 | sort -u >"$TMP/files-with-base"
check "base-1.2 pages name the base URL" grep -q 'index.html' "$TMP/files-with-base"
others=$(grep -vF "${base%/}" "$TMP/all" |
	grep -vE ':https?://www\.w3\.org$|:http://www\.sitemaps\.org$' |
	grep -vFf <(sed 's/^/:/' "$TMP/authored") || true)
check_eq "base-1.3 no other origin anywhere (beyond namespaces and authored links)" "" "$others"
ns=$(cd "$TMP/site" && grep -rIhoE '.{0,16}https?://www\.(w3|sitemaps)\.org[^"]*' . | grep -vE 'xmlns(:[a-z]+)?=("|&quot;)' | sort -u || true)
check_eq "base-1.4 w3.org and sitemaps.org appear only as namespace names" "" "$ns"
check_contains "base-1.5 the sitemap lists addresses under the base" "$TMP/site/sitemap.xml" "<loc>${base}fees/</loc>"
check_contains "base-1.6 robots.txt points at the sitemap under the base" "$TMP/site/robots.txt" "Sitemap: ${base}sitemap.xml"
check_contains "base-1.7 the feed's own address is under the base" "$TMP/site/feed.xml" "href=\"${base}feed.xml\""
cert=$(ls "$TMP/site/registry/certificates" | head -n 1)
check_contains "base-1.8 a certificate page's own address is under the base" "$TMP/site/registry/certificates/$cert/index.html" "${base}registry/certificates/$cert/"
check_contains "base-1.9 the API page's examples use the base" "$TMP/site/api/index.html" "curl"
check_not_contains "base-1.10 and never the default address" "$TMP/site/api/index.html" "127.0.0.1:8080"

# tools/run.sh, as `make run` calls it, on a free port.
mkdir -p "$TMP/run"
for p in registryctl registryd sitegen; do ln -s "$BUILD/$p" "$TMP/run/$p"; done
start_run() { # ENV...: starts tools/run.sh; sets run_pid and run_port
	for attempt in 1 2 3 4 5; do
		run_port=$((20000 + RANDOM % 30000))
		(cd "$SRC" && exec env PORT=$run_port "$@" tools/run.sh "$TMP/run") >"$TMP/run.log" 2>&1 &
		run_pid=$!
		for i in $(seq 100); do
			curl -fs -o /dev/null "http://127.0.0.1:$run_port/" && return 0
			kill -0 "$run_pid" 2>/dev/null || break
			sleep 0.1
		done
		kill "$run_pid" 2>/dev/null; wait "$run_pid" 2>/dev/null
	done
	return 1
}
stop_run() { kill "$run_pid" 2>/dev/null; wait "$run_pid" 2>/dev/null; }
if start_run; then
	curl -fs "http://127.0.0.1:$run_port/sitemap.xml" >"$TMP/sitemap" 2>&1
	check_contains "base-2.1 PORT=N make run: the sitemap names the served address" "$TMP/sitemap" "<loc>http://127.0.0.1:$run_port/fees/</loc>"
	check_contains "base-2.2 the start message names it" "$TMP/run.log" "http://127.0.0.1:$run_port/"
	check_eq "base-2.3 the API answers on the same address" 200 "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$run_port/v1/meta")"
	stop_run
else
	not_ok "base-2.0 tools/run.sh serves on a free port"; sed 's/^/#   /' "$TMP/run.log"
fi
if start_run BASE_URL=https://registry.example.org/guide/; then
	curl -fs "http://127.0.0.1:$run_port/robots.txt" >"$TMP/robots" 2>&1
	check_contains "base-2.4 BASE_URL sets the public address" "$TMP/robots" "Sitemap: https://registry.example.org/guide/sitemap.xml"
	stop_run
else
	not_ok "base-2.4 tools/run.sh with BASE_URL"; sed 's/^/#   /' "$TMP/run.log"
fi
(cd "$SRC" && BASE_URL=ftp://x PORT=1 tools/run.sh "$TMP/run") >"$TMP/bad.log" 2>&1
check_eq "base-2.5 a BASE_URL that is not http(s) is refused" 2 $?
check_contains "base-2.6 saying why" "$TMP/bad.log" "BASE_URL must start with http:// or https://"
done_testing
