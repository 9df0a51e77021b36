#!/bin/bash
# Incremental builds under sitegen serve: after each save only the pages
# whose inputs changed are read and rendered again, and the output folder
# is byte for byte what a fresh `sitegen build --worktree` writes.  Each
# step (a body edited, a title edited, a page added, a page deleted, a
# heading another page links to renamed with its link, a file touched but
# not changed, a heading renamed without the link to it, broken front
# matter and its fix) is followed by a full build into another folder and
# diff -r against the served one; the inodes of the output's files show
# which pages were written again.
. "$(dirname "$0")/../lib.sh"
SITEGEN="$BUILD/sitegen"
repo="$TMP/repo"
c="$repo/content"
mkdir -p "$c/guide"
printf -- '---\ntitle: 首页\n---\n首页正文。见[指南](guide/index.md)。\n' >"$c/index.md"
printf -- '---\ntitle: 指南\n---\n指南正文。\n' >"$c/guide/index.md"
printf -- '---\ntitle: 甲\n---\n## 费用\n\n甲的正文。\n' >"$c/guide/a.md"
printf -- '---\ntitle: 乙\n---\n乙的正文，见[甲的费用](a.md#费用)。\n' >"$c/guide/b.md"
printf -- '---\ntitle: 丙\n---\n丙的正文。\n' >"$c/guide/c.md"
mkdir -p "$c/other"
printf -- '---\ntitle: 其他\n---\n其他正文。\n' >"$c/other/index.md"
for i in 1 2 3 4 5; do
	printf -- '---\ntitle: 其他%s\n---\n其他第%s页。\n' "$i" "$i" >"$c/other/p$i.md"
done
git -C "$repo" init -q
git -C "$repo" -c user.name=E -c user.email=e@example.org add -A
git -C "$repo" -c user.name=E -c user.email=e@example.org commit -qm "样例" -m "说明: 初版"

"$SITEGEN" serve --repo "$repo" --out "$TMP/out" --listen 127.0.0.1:0 \
	>"$TMP/serve.out" 2>"$TMP/serve.err" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; [ -n "${KEEP_TMP:-}" ] || rm -rf "$TMP"' EXIT
for _ in $(seq 100); do
	grep -q '^sitegen: serving ' "$TMP/serve.out" && break
	sleep 0.1
done
url=$(sed -n 's/^sitegen: serving \(http:[^ ]*\) .*/\1/p' "$TMP/serve.out")
check "incremental-1 serve started" test -n "$url"

generation() { curl -s "${url}__sitegen/state" | sed 's/.*"generation":\([0-9]*\).*/\1/'; }
# settled GEN: waits (up to 20 s) for the build after generation GEN to end
settled() {
	for _ in $(seq 400); do
		[ "$(generation)" -gt "$1" ] && return 0
		sleep 0.05
	done
	return 1
}
# step NAME: after a save, waits for the build, then compares the output
# with a full build's; NAME's last summary line says what was rendered
step() {
	local name=$1 gen=$2 n
	n=$((n_step = ${n_step:-0} + 1))
	if ! settled "$gen"; then
		not_ok "incremental-$((n + 1)) $name: the build after the save ended"
		return
	fi
	sleep 0.1 # a save of several events may start one more build
	while [ "$(generation)" != "$(sleep 0.3; generation)" ]; do :; done
	rm -rf "$TMP/full"
	"$SITEGEN" build --repo "$repo" --worktree --out "$TMP/full" -q --base-url "$url" 2>"$TMP/build.err"
	check "incremental-$((n + 1)) $name: the served folder is byte for byte a full build's" \
		diff -r "$TMP/full" "$TMP/out"
	last=$(grep '^sitegen: built ' "$TMP/serve.err" | tail -1)
	echo "# $last"
}
rendered() { grep '^sitegen: built ' "$TMP/serve.err" | tail -1 | sed 's/.*(\([0-9]*\) files written, \([0-9]*\) unchanged).*/\1 \2/'; }

ino() { stat -c %i "$TMP/out/$1"; }
g=$(generation)
ino_other=$(ino other/p3/index.html)
ino_sibling=$(ino guide/c/index.html)
ino_history=$(ino history/guide/a/index.html)
printf -- '---\ntitle: 甲\n---\n## 费用\n\n甲的正文，第二版。\n' >"$c/guide/a.md"
step "a page's body edited" "$g"
read -r r u <<<"$(rendered)"
check "incremental-2.1 ... written again: a few files, not the site ($r written, $u unchanged)" \
	test "$r" -gt 0 -a "$u" -gt "$r"
check_contains "incremental-2.2 ... the new text is there" "$TMP/out/guide/a/index.html" '甲的正文，第二版。'
check_eq "incremental-2.3 ... another section's page is the last build's file, not written again" \
	"$ino_other" "$(ino other/p3/index.html)"
check_eq "incremental-2.4 ... a page beside it (whose sidebar shows its unchanged title) neither" \
	"$ino_sibling" "$(ino guide/c/index.html)"
check_eq "incremental-2.5 ... nor its history page" "$ino_history" "$(ino history/guide/a/index.html)"
check_contains "incremental-2.6 ... the search index has the new text" "$TMP/out/search/docs-000.json" '甲的正文，第二版。'

g=$(generation)
ino_sibling=$(ino guide/c/index.html)
ino_other=$(ino other/p3/index.html)
printf -- '---\ntitle: 乙之新名\n---\n乙的正文，见[甲的费用](a.md#费用)。\n' >"$c/guide/b.md"
step "a page's title edited" "$g"
check_contains "incremental-3.1 ... its neighbours' sidebars show the new title" "$TMP/out/guide/c/index.html" '乙之新名'
check "incremental-3.2 ... so they were written again" test "$ino_sibling" != "$(ino guide/c/index.html)"
check_contains "incremental-3.3 ... and its section's list of pages" "$TMP/out/guide/index.html" '乙之新名'
check_contains "incremental-3.4 ... and its history page" "$TMP/out/history/guide/b/index.html" '乙之新名'
check_eq "incremental-3.5 ... a page of another section, whose sidebar has it closed, was not" \
	"$ino_other" "$(ino other/p3/index.html)"

g=$(generation)
printf -- '---\ntitle: 丁\n---\n丁的正文。\n' >"$c/guide/d.md"
step "a page added" "$g"
check "incremental-4.1 ... its page is written" test -f "$TMP/out/guide/d/index.html"

g=$(generation)
rm "$c/guide/c.md"
step "a page deleted" "$g"
check_fails "incremental-5.1 ... its page is gone" test -e "$TMP/out/guide/c/index.html"

g=$(generation)
printf -- '---\ntitle: 甲\n---\n## 收费标准\n\n甲的正文，第二版。\n' >"$c/guide/a.md"
printf -- '---\ntitle: 乙之新名\n---\n乙的正文，见[甲的收费](a.md#收费标准)。\n' >"$c/guide/b.md"
step "a heading renamed with the link to it" "$g"

g=$(generation)
git -C "$repo" -c user.name=E -c user.email=e@example.org add -A
git -C "$repo" -c user.name=E -c user.email=e@example.org commit -qm "第二版" -m "说明: 修订甲乙两页"
touch "$c/index.md" # a commit alone is not a save under content/
step "a commit (the pages' histories) then a save" "$g"
check_contains "incremental-7.1 ... the change log has the new note" "$TMP/out/changes/index.html" '修订甲乙两页'

g=$(generation)
touch "$c/guide/a.md" "$c/other/p2.md"
step "pages touched, not changed" "$g"
read -r r u <<<"$(rendered)"
check_eq "incremental-8.1 ... nothing is written" "0" "$r"

# a heading renamed while another page still links to it: the build fails
# with the link's file and line, and the last good site stays served
g=$(generation)
printf -- '---\ntitle: 甲\n---\n## 收费\n\n甲的正文，第三版。\n' >"$c/guide/a.md"
if settled "$g"; then ok "incremental-9.0 a heading renamed, its link left: the build after the save ended"
else not_ok "incremental-9.0 a heading renamed, its link left: the build after the save ended"; fi
check_contains "incremental-9.1 ... the link check fails it with file:line" "$TMP/serve.err" \
	"sitegen: content/guide/b.md:4: broken link 'a.md#收费标准': guide/a.md has no heading or element with id '收费标准'"
check_contains "incremental-9.2 ... which the page shows" <(curl -s "${url}guide/b/") 'content/guide/b.md:4: broken link'
check_contains "incremental-9.3 ... above the last good page" <(curl -s "${url}guide/a/") '甲的正文，第二版。'
printf -- '---\ntitle: 乙之新名\n---\n乙的正文，见[甲的收费](a.md#收费)。\n' >"$c/guide/b.md"
step "the link mended" "$g"
check_contains "incremental-9.4 ... the new text is served" "$TMP/out/guide/a/index.html" '甲的正文，第三版。'

# broken front matter in a page: the error on the page, then the fix
g=$(generation)
printf -- '---\ntitle: [丁\n---\n丁的正文。\n' >"$c/guide/d.md"
if settled "$g"; then ok "incremental-10.0 broken front matter: the build after the save ended"
else not_ok "incremental-10.0 broken front matter: the build after the save ended"; fi
check_contains "incremental-10.1 ... the page shows the error with file:line" <(curl -s "${url}guide/d/") 'sitegen: content/guide/d.md:2: front matter:'
g=$(generation)
printf -- '---\ntitle: 丁\n---\n丁的正文，修好了。\n' >"$c/guide/d.md"
step "the front matter mended" "$g"
check_contains "incremental-10.2 ... the new text is served" "$TMP/out/guide/d/index.html" '丁的正文，修好了。'
g=$(generation)
printf -- '---\ntitle: 丁\n---\n丁的正文，修好了，再改一次。\n' >"$c/guide/d.md"
step "a body edited after a failed build" "$g"

# words only one page had, removed: the search index forgets them
check "incremental-12.0 a word only one page has (三版) is in the search index" \
	grep -q '"三版"' $TMP/out/search/index-*.json
g=$(generation)
printf -- '---\ntitle: 甲\n---\n## 收费\n\n甲文。\n' >"$c/guide/a.md"
step "a page's only words removed" "$g"
check_fails "incremental-12.1 ... its page gone from the word, the word is gone from the index" \
	grep -q '"三版"' $TMP/out/search/index-*.json

# the memo must not make a page's stale bytes survive: break one file of
# the served output (as a diverging incremental build would) and the
# comparison fails
echo broken >>"$TMP/out/guide/a/index.html"
check_fails "incremental-13 the comparison sees a diverging file" diff -r -q "$TMP/full" "$TMP/out"
done_testing
