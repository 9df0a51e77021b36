#!/bin/bash
# Golden files: the fixture site in tests/site/golden/content is committed
# to a fresh repository with fixed dates, built, and every output file
# compared with tests/site/golden/expected (diff -u).
# After an intended change of the templates, regenerate with
#   UPDATE_GOLDEN=1 BUILD=build SRC=. tests/site/golden.sh
. "$(dirname "$0")/../lib.sh"
golden="$SRC/tests/site/golden"
repo="$TMP/repo"
mkdir -p "$repo" && cp -r "$golden/content" "$repo/"
export GIT_AUTHOR_NAME="Editor" GIT_AUTHOR_EMAIL="editor@example.org"
export GIT_COMMITTER_NAME="Editor" GIT_COMMITTER_EMAIL="editor@example.org"
export GIT_AUTHOR_DATE="2017-10-01T09:00:00+08:00" GIT_COMMITTER_DATE="2017-10-01T09:00:00+08:00"
git -C "$repo" init -q && git -C "$repo" add -A && git -C "$repo" commit -qm "样例指南"
"$BUILD/sitegen" build --repo "$repo" --out "$TMP/out" -q \
	--base-url https://guide.example.org/ 2>"$TMP/err"
check_eq "golden-1 the fixture builds" "" "$(cat "$TMP/err")"
# Pages name the style sheet and scripts by their fingerprints
# (site/assets.h), which change with the theme: compared as plain names.
find "$TMP/out" -type f ! -name '*.gz' -exec sed -i -E 's#(assets/[a-z]+)\.[0-9a-f]{10}\.(css|js)#\1.\2#g' {} +
if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
	rm -rf "$golden/expected"
	cp -r "$TMP/out" "$golden/expected"
	rm -rf "$golden/expected/assets" # the theme's static files are not golden
	find "$golden/expected" -name '*.gz' -delete # copies (tests/api/pull.sh)
	echo "# golden files updated"
fi
(cd "$golden/expected" && find . -type f | sort) >"$TMP/want"
# The precompressed copies NAME.gz are checked against NAME by
# tests/api/pull.sh, not kept here.
(cd "$TMP/out" && find . -type f ! -path "./assets/*" ! -name '*.gz' | sort) >"$TMP/got"
check "golden-2 the same files are produced" diff -u "$TMP/want" "$TMP/got"
while read -r f; do
	check "golden-3 $f matches" diff -u "$golden/expected/$f" "$TMP/out/$f"
done <"$TMP/want"
done_testing
