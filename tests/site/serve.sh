#!/bin/bash
# sitegen serve, the authors' live preview: the real binary on a loopback
# port of its own choosing, a fixture repository edited while it serves.
# A saved page is served anew within a second; broken front matter shows
# its error (file:line) on the page while the last good page stays; the
# files written are what `sitegen build --worktree` writes.
. "$(dirname "$0")/../lib.sh"
SITEGEN="$BUILD/sitegen"
repo="$TMP/repo"
c="$repo/content"
mkdir -p "$c/guide"
printf -- '---\ntitle: 首页\n---\n第一版正文。见[指南](guide/index.md)。\n' >"$c/index.md"
printf -- '---\ntitle: 指南\n---\n指南正文。\n' >"$c/guide/index.md"
git -C "$repo" init -q
git -C "$repo" -c user.name=E -c user.email=e@example.org add -A
git -C "$repo" -c user.name=E -c user.email=e@example.org commit -qm "样例"

"$SITEGEN" serve --repo "$repo" --out "$TMP/out" --listen 127.0.0.1:0 \
	>"$TMP/serve.out" 2>"$TMP/serve.err" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; [ -n "${KEEP_TMP:-}" ] || rm -rf "$TMP"' EXIT
for _ in $(seq 100); do
	grep -q '^sitegen: serving ' "$TMP/serve.out" && break
	sleep 0.1
done
url=$(sed -n 's/^sitegen: serving \(http:[^ ]*\) .*/\1/p' "$TMP/serve.out")
check "serve-1 serve says where it serves, on loopback" test -n "$url"
case "$url" in http://127.0.0.1:*/) ok "serve-1.1 the address is 127.0.0.1 with a port chosen ($url)" ;;
*) not_ok "serve-1.1 the address is 127.0.0.1 ($url)" ;; esac
curl -s -D "$TMP/h" -o "$TMP/p" "$url"
check_contains "serve-2 the home page is served" "$TMP/p" '第一版正文。'
check_contains "serve-2.1 with the site's strict policy" "$TMP/h" "Content-Security-Policy: default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'"
check_contains "serve-2.2 the page loads the reload script as a file" "$TMP/p" '<script src="/__sitegen/live.js" defer></script>'
check_not_contains "serve-2.3 no inline script" "$TMP/p" '<script>'
check "serve-2.4 the script is served" sh -c "curl -sf '${url}__sitegen/live.js' | grep -q location.reload"
check "serve-2.5 the section page is served" sh -c "curl -sf '${url}guide/' | grep -q 指南正文"
check_eq "serve-2.6 a folder without its slash is redirected" 301 "$(curl -s -o /dev/null -w '%{http_code}' "${url}guide")"
check_eq "serve-2.7 a missing page is a 404" 404 "$(curl -s -o /dev/null -w '%{http_code}' "${url}no-such-page/")"
check_eq "serve-2.8 dot names are refused" 404 "$(curl -s -o /dev/null -w '%{http_code}' --path-as-is "${url}../../etc/passwd")"
check_eq "serve-2.9 only GET and HEAD" 405 "$(curl -s -o /dev/null -w '%{http_code}' -X POST "${url}")"
gen1=$(curl -s "${url}__sitegen/state" | sed 's/.*"generation":\([0-9]*\).*/\1/')

# wait_for TEXT [PATH]: polls the served page for up to a second; prints
# the milliseconds it took, or fails.
wait_for() {
	local start now
	start=$(date +%s%N)
	while :; do
		if curl -s "$url${2:-}" | grep -qF -- "$1"; then
			now=$(date +%s%N)
			echo $(((now - start) / 1000000))
			return 0
		fi
		now=$(date +%s%N)
		[ $(((now - start) / 1000000)) -lt 1000 ] || return 1
		sleep 0.02
	done
}

printf -- '---\ntitle: 首页\n---\n第二版正文。见[指南](guide/index.md)。\n' >"$c/index.md"
if ms=$(wait_for 第二版正文); then ok "serve-3 a saved page is served anew within a second (${ms} ms)"
else not_ok "serve-3 a saved page is served anew within a second"; fi
gen2=$(curl -s "${url}__sitegen/state" | sed 's/.*"generation":\([0-9]*\).*/\1/')
check "serve-3.1 the generation the page's script watches moved on ($gen1 → $gen2)" test "$gen2" -gt "$gen1"
check_contains "serve-3.2 the page carries the new generation" <(curl -s "$url") "<meta name=\"sitegen-generation\" content=\"$gen2\">"
mkdir -p "$c/guide/more"
printf -- '---\ntitle: 新页\n---\n新文件夹里的新页。\n' >"$c/guide/more/new.md"
if ms=$(wait_for 新文件夹里的新页 guide/more/new/); then ok "serve-3.3 a page in a new folder is served (${ms} ms)"
else not_ok "serve-3.3 a page in a new folder is served"; fi

printf -- '---\ntitle: [首页\n---\n第三版正文。\n' >"$c/index.md"
if wait_for 'sitegen-build-error' >/dev/null; then ok "serve-4 broken front matter: the page shows the build failed"
else not_ok "serve-4 broken front matter: the page shows the build failed"; fi
curl -s "$url" >"$TMP/p"
check_contains "serve-4.1 ... with file:line" "$TMP/p" 'sitegen: content/index.md:2: front matter:'
check_contains "serve-4.2 ... and the last good page below" "$TMP/p" '第二版正文。'
check_contains "serve-4.3 ... on every page" <(curl -s "${url}guide/") 'content/index.md:2: front matter:'
check_contains "serve-4.4 the terminal says so too" "$TMP/serve.err" 'sitegen: content/index.md:2: front matter:'
printf -- '---\ntitle: 首页\n---\n第四版正文。见[指南](guide/index.md)。\n' >"$c/index.md"
if wait_for 第四版正文 >/dev/null; then ok "serve-5 fixed: the new text is served"
else not_ok "serve-5 fixed: the new text is served"; fi
curl -s "$url" >"$TMP/p"
check_not_contains "serve-5.1 ... without the error" "$TMP/p" 'sitegen-build-error'

# What serve writes is what a build writes: the preview's additions are
# made as pages are served.
"$SITEGEN" build --repo "$repo" --worktree --out "$TMP/full" -q --base-url "$url" 2>/dev/null
check "serve-6 the output folder is byte for byte a full build's" diff -r "$TMP/full" "$TMP/out"

kill -TERM $pid
for _ in $(seq 50); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
check_fails "serve-7 SIGTERM stops it" kill -0 $pid
wait $pid
check_eq "serve-7.1 ... with status 0" 0 $?

"$SITEGEN" serve --repo "$repo" --listen 0.0.0.0:0 --out "$TMP/x" >/dev/null 2>"$TMP/err"
check_eq "serve-8 a non-loopback address is refused" 2 $?
check_contains "serve-8.1 ... saying why" "$TMP/err" "the preview serves on a loopback address only"
"$SITEGEN" serve --rev HEAD --repo "$repo" >/dev/null 2>"$TMP/err"
check_eq "serve-8.2 --rev is refused" 2 $?
done_testing
