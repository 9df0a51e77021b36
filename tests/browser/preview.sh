#!/bin/bash
# Browser tests of `sitegen serve`: a copy of the guide in a repository of
# its own, previewed on a loopback port the server chooses, and
# preview.test.mjs in Debian's chromium (playwright-core, axe-core, the
# versions of package-lock.json): a page open in the browser reloads itself
# when its file is saved, and shows a failed build's error, at phone and
# desktop widths, with no serious accessibility problem.
. "$(dirname "$0")/../lib.sh"
. "$SRC/tests/browser/lib.sh"
browser_needs preview chromium
repo="$TMP/repo"
mkdir -p "$repo" && cp -R "$SRC/content" "$repo/"
rm "$repo/content/editions.yaml" "$repo/content/notes.yaml" # their commits are not in this repository
git -C "$repo" init -q
git -C "$repo" -c user.name=E -c user.email=e@example.org add -A
git -C "$repo" -c user.name=E -c user.email=e@example.org commit -qm "样例"
"$BUILD/sitegen" serve --repo "$repo" --out "$TMP/out" --listen 127.0.0.1:0 -q \
	>"$TMP/serve.out" 2>"$TMP/serve.err" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 100); do
	grep -q '^sitegen: serving ' "$TMP/serve.out" && break
	sleep 0.1
done
url=$(sed -n 's/^sitegen: serving \(http:[^ ]*\) .*/\1/p' "$TMP/serve.out")
[ -n "$url" ] || { not_ok "preview-0 sitegen serve serves"; sed 's/^/#   /' "$TMP/serve.err"; done_testing; }
SITE_URL="$url" CONTENT="$repo/content" browser_run "$here/preview.test.mjs"
rc=$?
[ "$rc" = 0 ] || sed "s/^/#   serve: /" "$TMP/serve.err" | tail -n 20
exit "$rc"
