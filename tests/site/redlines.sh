#!/bin/bash
# Editions compared any way: every edition against every older one and the
# current text against each; redlines that compare text, not markup (a
# requirement id added to an unchanged item is no change; no markup shown
# as text), keep ordered lists' numbers; which requirement ids changed in
# each edition; search documents that are text.
. "$(dirname "$0")/../lib.sh"
SITEGEN="$BUILD/sitegen"
export GIT_AUTHOR_NAME="编辑部" GIT_AUTHOR_EMAIL="editor@example.org"
export GIT_COMMITTER_NAME="编辑部" GIT_COMMITTER_EMAIL="editor@example.org"
repo="$TMP/repo"
c="$repo/content"
mkdir -p "$c" && git -C "$repo" init -q
commit() { # DATE MESSAGE
	export GIT_AUTHOR_DATE="$1T10:00:00+08:00" GIT_COMMITTER_DATE="$1T10:00:00+08:00"
	git -C "$repo" add -A && git -C "$repo" commit -qm "$2"
	git -C "$repo" rev-parse HEAD
}
reqs() { # BODY
	printf -- '---\ntitle: 要求\nweight: 10\n---\n## 基本要求\n\n%s\n' "$1" >"$c/req.md"
}
printf -- '---\ntitle: 首页\n---\n见[要求](req.md)。\n' >"$c/index.md"
reqs "1. 必须是独立法人。
2. 必须有固定场所。

- 附注一条。"
e1=$(commit 2017-01-10 "e1")
reqs "1. {#R-1} 必须是独立法人。
2. {#R-2} 必须有固定场所。
3. {#R-3} 必须有十名以上技术人员。

- 附注一条。"
e2=$(commit 2018-01-10 "e2")
reqs "1. {#R-2} 必须有固定的办公场所。
2. {#R-3} 必须有十名以上技术人员。

- 附注一条。"
e3=$(commit 2019-01-10 "e3")
{
	echo "editions:"
	for e in "2017-01 $e1" "2018-01 $e2" "2019-01 $e3"; do
		set -- $e
		printf '  - name: "%s"\n    date: %s-15\n    commit: %s\n' "$1" "$1" "$2"
	done
} >"$c/editions.yaml"
commit 2019-02-01 "list" >/dev/null
reqs "1. {#R-2} 必须有固定的办公场所。
2. {#R-3} 必须有二十名以上技术人员。

- 附注一条。"
commit 2019-06-01 "now" >/dev/null
o="$TMP/out"
"$SITEGEN" build --repo "$repo" --out "$o" -q 2>"$TMP/err"
check_eq "redlines-1 the fixture builds" "" "$(cat "$TMP/err")"

# 1. Any two editions, and each with the current text.
for pair in 2018-01/changes-from/2017-01 2019-01/changes-from/2017-01 2019-01/changes-from/2018-01; do
	check "redlines-1.1 editions/$pair/ is written" test -s "$o/editions/$pair/index.html"
done
for e in 2017-01 2018-01 2019-01; do
	check "redlines-1.2 changes/since/$e/ is written" test -s "$o/changes/since/$e/index.html"
	check_contains "redlines-1.3 the editions page links changes since $e" "$o/editions/index.html" \
		"href=\"../changes/since/$e/\">此后至现行版本的修订</a>"
done
check_contains "redlines-1.4 the editions page links 2019-01 against 2017-01" "$o/editions/index.html" \
	'href="../editions/2019-01/changes-from/2017-01/">2017-01 版</a>'
check_contains "redlines-1.5 the current redline names both sides" "$o/changes/since/2019-01/index.html" \
	'<h1>现行版本与 2019-01 版的差异</h1>'

# 2. Text, not markup.
r="$o/editions/2018-01/changes-from/2017-01/index.html"
check_contains "redlines-2.1 an item that only gained an id is unchanged" "$r" \
	'<p class="rl-item rl-ordered rl-same"><span class="rl-number">1.</span> <span class="req-id">R-1</span> 必须是独立法人。</p>'
check_not_contains "redlines-2.2 ... not deleted" "$r" '<del>必须是独立法人。</del>'
for f in "$r" "$o/editions/2019-01/changes-from/2017-01/index.html" "$o/changes/since/2017-01/index.html"; do
	check_not_contains "redlines-2.3 no markup as text in $(echo "$f" | sed "s|$o/||")" "$f" '&lt;a'
	check_not_contains "redlines-2.4 no requirement link inside <ins> in $(echo "$f" | sed "s|$o/||")" "$f" '<ins><a'
done
check_contains "redlines-2.5 a new item is added with its number" "$r" \
	'<p class="rl-item rl-ordered rl-added"><span class="rl-number">3.</span> <span class="req-id">R-3</span> <ins>必须有十名以上技术人员。</ins></p>'
check_contains "redlines-2.6 a bullet stays a bullet" "$r" '<p class="rl-item rl-same">附注一条。</p>'
check_contains "redlines-2.7 a reworded item marks only the words" "$o/editions/2019-01/changes-from/2018-01/index.html" \
	'必须有固定<ins>的办公</ins>场所。'

# 3. Which requirements changed.
r3="$o/editions/2019-01/changes-from/2018-01/index.html"
check_contains "redlines-3.1 the redline lists a reworded requirement, linked in the newer edition" "$r3" '<li>修改：<a href="../../req/#R-2">R-2</a></li>'
check_contains "redlines-3.2 ... and a removed one" "$r3" '<li>删除：R-1</li>'
check_not_contains "redlines-3.3 ... and not an unchanged one" "$r3" '#R-3">R-3</a>'
q="$o/changes/requirements/index.html"
check "redlines-3.4 the requirements page is written" test -s "$q"
row() { grep -o "<tr><td>[^\n]*>$1<.*</tr>\|<tr><td>$1（已删除）.*</tr>" "$q" | sed 's/<\/\{0,1\}\(time\|a\)[^>]*>//g; s/<[^>]*>/ /g; s/  */ /g; s/^ //; s/ $//'; }
check_eq "redlines-3.5 R-1: added in 2018-01, removed in 2019-01" \
	"R-1（已删除） 2018-01 版（2018-01-15）：新增 2019-01 版（2019-01-15）：删除" "$(row R-1)"
check_eq "redlines-3.6 R-2: added in 2018-01, reworded in 2019-01" \
	"R-2 2018-01 版（2018-01-15）：新增 2019-01 版（2019-01-15）：修改" "$(row R-2)"
check_eq "redlines-3.7 R-3: added in 2018-01, reworded since the last edition" \
	"R-3 2018-01 版（2018-01-15）：新增 现行版本：修改" "$(row R-3)"
check "redlines-3.8 the requirements page is reachable from the editions page" \
	grep -q 'href="../changes/requirements/"' "$o/editions/index.html"

# 4. Search documents are text.
check "redlines-4.1 the search index has documents" test -s "$o/search/docs-000.json"
check_not_contains "redlines-4.2 no markup in search documents" "$o/search/docs-000.json" 'req-id'
check_not_contains "redlines-4.3 no tags in search documents" "$o/search/docs-000.json" '<a '
check_contains "redlines-4.4 a requirement is found by its id" "$o/search/docs-000.json" 'R-2 必须有固定的办公场所。'
done_testing
