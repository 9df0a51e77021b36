#!/bin/bash
# Page history from git, through the real sitegen on a fixture repository
# made here with fixed dates: last updated, a rename, a page deleted and
# restored, history pages, the changes page and Atom feed, editions with
# their banners, a redline, determinism, and the shallow-clone warning.
. "$(dirname "$0")/../lib.sh"
# The style sheet's fingerprinted name, which pages use (site/assets.h).
STYLE="style.$(sha256sum "$SRC/site/static/style.css" | cut -c1-10).css"
SITEGEN="$BUILD/sitegen"
export GIT_AUTHOR_NAME="编辑部" GIT_AUTHOR_EMAIL="editor@example.org"
export GIT_COMMITTER_NAME="编辑部" GIT_COMMITTER_EMAIL="editor@example.org"
repo="$TMP/repo"
c="$repo/content"

commit() { # DATE MESSAGE
	export GIT_AUTHOR_DATE="$1T10:00:00+08:00" GIT_COMMITTER_DATE="$1T10:00:00+08:00"
	git -C "$repo" add -A && git -C "$repo" commit -qm "$2"
	git -C "$repo" rev-parse --short=7 HEAD
}
page() { # FILE TITLE WEIGHT BODY
	printf -- '---\ntitle: %s\nweight: %s\n---\n%s\n' "$2" "$3" "$4" >"$c/$1"
}

mkdir -p "$c" && git -C "$repo" init -q
page index.md "样例指南" 0 "见[甲](a.md)、[乙](b.md)与[丙](c.md)。"
page a.md "甲 要求" 10 "## 条款 {#terms}

第一段：申请组织必须是独立实体。

第二段：将被删除的旧规定。

第三段：费用为五千元。"
page b.md "乙 流程" 20 "流程说明，内容足够长以便识别重命名。流程说明，内容足够长以便识别重命名。"
page c.md "丙 档案" 30 "档案保存十年以上。"
echo "说明" >"$repo/README"
h1=$(commit 2017-01-10 "初版")
GIT_COMMITTER_DATE="2017-01-15T09:00:00+08:00" git -C "$repo" tag -a edition/2017-01 -m "2017-01 版"

page a.md "甲 要求" 10 "## 条款 {#terms}

第一段：申请组织必须是独立实体。

第三段：费用为五万八千元。

新增段：申请组织须提交年度调查表。"
h2=$(commit 2017-03-05 "Page a: fees 58,000 and the annual survey

说明: 修改甲页的费用和年检")
git -C "$repo" mv content/b.md content/bee.md
sed -i 's/(b.md)/(bee.md)/' "$c/index.md"
h3=$(commit 2017-04-01 "乙页改名")
git -C "$repo" rm -q content/c.md
sed -i 's/与\[丙\](c.md)//' "$c/index.md"
h4=$(commit 2017-05-01 "删除丙页")
page c.md "丙 档案" 30 "档案保存十年以上。"
printf -- '---\ntitle: 样例指南\nweight: 0\n---\n见[甲](a.md)、[乙](bee.md)与[丙](c.md)。\n' >"$c/index.md"
h5=$(commit 2017-06-01 "Restore c.md

说明：恢复丙页")
git -C "$repo" tag edition/2017-06
echo "只改说明" >"$repo/README"
commit 2017-07-01 "只改说明文件" >/dev/null

"$SITEGEN" build --repo "$repo" --out "$TMP/out" >"$TMP/log" 2>&1
check_eq "history-1.0 the fixture builds" 0 $?
o="$TMP/out"

# 1. Last updated: the author date and short hash of the last change.
check_contains "history-1.1 甲 last updated by its own edit" "$o/a/index.html" \
	"最后修订：<time datetime=\"2017-03-05\">2017-03-05</time>（<code>$h2</code>）"
check_contains "history-1.2 a renamed page is updated by the rename" "$o/bee/index.html" \
	"<time datetime=\"2017-04-01\">2017-04-01</time>（<code>$h3</code>）"
check_contains "history-1.3 a restored page is updated by the restore" "$o/c/index.html" \
	"<time datetime=\"2017-06-01\">2017-06-01</time>（<code>$h5</code>）"
check_contains "history-1.4 the home page links to its history" "$o/index.html" 'href="./history/">修订历史</a>'
check_not_contains "history-1.5 a commit outside content/ is not a change" "$o/changes/index.html" "只改说明文件"

# 2. Page histories, newest first; renames followed.
rows() { grep -o '<code>[0-9a-f]\{7\}</code>' "$1" | sed 's/<[/]*code>//g' | tr '\n' ' '; }
check_eq "history-2.1 甲's history" "$h2 $h1 " "$(rows "$o/history/a/index.html")"
check_eq "history-2.2 the renamed page's history follows the rename" "$h3 $h1 " "$(rows "$o/history/bee/index.html")"
check_eq "history-2.3 a deleted and restored page keeps all its history" "$h5 $h4 $h1 " "$(rows "$o/history/c/index.html")"
check_contains "history-2.4 history rows show the note for readers" "$o/history/a/index.html" "<td>修改甲页的费用和年检</td>"
check_not_contains "history-2.5 ... not the commit subject" "$o/history/a/index.html" "annual survey"
check_contains "history-2.6 a commit without a note is 文字修订" "$o/history/bee/index.html" "<td>文字修订</td>"
check_contains "history-2.7 a commit that only adds pages is 新增页面" "$o/history/bee/index.html" "<td>新增页面</td>"

# 3. The changes page and the Atom feed.
check_eq "history-3.1 the changes page lists the five content commits" 5 "$(grep -c 'class="change" id="commit-' "$o/changes/index.html")"
check "history-3.2 feed.xml is well-formed XML" xmllint --noout "$o/feed.xml"
check_eq "history-3.3 one feed entry per content commit" 5 "$(xmllint --xpath 'count(//*[local-name()="entry"])' "$o/feed.xml")"
check_eq "history-3.4 the feed is updated at the newest change" "2017-06-01T10:00:00+08:00" \
	"$(xmllint --xpath 'string(/*[local-name()="feed"]/*[local-name()="updated"])' "$o/feed.xml")"
check_eq "history-3.5 every entry has an id, a title, an updated and a link" 5 \
	"$(xmllint --xpath 'count(//*[local-name()="entry"][*[local-name()="id"]][*[local-name()="title"]][*[local-name()="updated"]][*[local-name()="link"]/@href])' "$o/feed.xml")"
check_eq "history-3.6 entry ids are unique" 5 \
	"$(grep -o '<id>[^<]*#commit-[^<]*</id>' "$o/feed.xml" | sort -u | wc -l)"
check_contains "history-3.7 the newest entry comes first" "$o/feed.xml" "<title>恢复丙页</title>"
check_contains "history-3.7b an entry's summary names pages by title" "$o/feed.xml" "<summary type=\"text\">修改：甲 要求</summary>"
for f in "$o/changes/index.html" "$o/feed.xml"; do
	for text in 编辑部 .md "Restore" "乙页改名" "删除丙页"; do
		check_not_contains "history-3.7c $(basename "$f") shows no author, file name or subject ($text)" "$f" "$text"
	done
done
check_contains "history-3.7d the changes page heads a commit with its note" "$o/changes/index.html" ">修改甲页的费用和年检</h2>"
check_contains "history-3.7e ... and a deleted page by its title" "$o/changes/index.html" "删除：<a href=\"../c/\">丙 档案</a>"
check_eq "history-3.8 the feed has a self link" 1 "$(grep -c 'rel="self" href="http://127.0.0.1:8080/feed.xml"' "$o/feed.xml")"
check_contains "history-3.9 pages advertise the feed" "$o/a/index.html" 'type="application/atom+xml"'

# 4. Editions: each built under /editions/<name>/ with its banner.
check "history-4.1 edition 2017-01 is built" test -s "$o/editions/2017-01/index.html"
check "history-4.2 edition 2017-06 is built" test -s "$o/editions/2017-06/bee/index.html"
check_contains "history-4.3 the edition banner names it" "$o/editions/2017-01/a/index.html" "您正在阅读<strong>2017-01版</strong>（2017-01-15 发布）"
check_contains "history-4.4 the banner links to the current page" "$o/editions/2017-01/a/index.html" 'href="../../../a/">阅读现行版本</a>'
check_contains "history-4.5 an edition keeps its own text" "$o/editions/2017-01/a/index.html" "第二段：将被删除的旧规定。"
check_not_contains "history-4.6 the current site has the new text only" "$o/a/index.html" "将被删除的旧规定"
check_contains "history-4.7 a page that no longer exists links to the current home" "$o/editions/2017-01/b/index.html" 'href="../../../">阅读现行版本</a>'
check_contains "history-4.8 the editions page lists 2017-06 with its date" "$o/editions/index.html" '2017-06 版</a>（<time datetime="2017-06-01">2017-06-01</time> 发布）'
check_contains "history-4.8b the edition whose content is the site's is marked current" "$o/editions/index.html" '2017-06-01</time> 发布） · 即现行版本'
check_eq "history-4.8c only that one" 1 "$(grep -c '即现行版本' "$o/editions/index.html")"
check_contains "history-4.9 the editions page links the redline" "$o/editions/index.html" 'href="../editions/2017-06/changes-from/2017-01/"'
check_contains "history-4.10 edition pages use the site's style sheet" "$o/editions/2017-01/a/index.html" 'href="../../../assets/'"$STYLE"'"'

# 5. The redline between the two editions.
r="$o/editions/2017-06/changes-from/2017-01/index.html"
check "history-5.1 the redline page exists" test -s "$r"
check_contains "history-5.2 an added paragraph is marked <ins>" "$r" '<p class="rl-added"><ins>新增段：申请组织须提交年度调查表。</ins></p>'
check_contains "history-5.3 a removed paragraph is marked <del>" "$r" '<p class="rl-removed"><del>第二段：将被删除的旧规定。</del></p>'
check_contains "history-5.4 a changed paragraph marks only what changed" "$r" '<p class="rl-changed">第三段：费用为五<ins>万八</ins>千元。</p>'
check_contains "history-5.5 an unchanged paragraph is shown as it is" "$r" '<p class="rl-same">第一段：申请组织必须是独立实体。</p>'
check_contains "history-5.6 the renamed page shows as added" "$r" '乙 流程</a>（新增页面）'
check_contains "history-5.7 the old page shows as removed" "$r" '<del>乙 流程</del>（整页删除）'
check_not_contains "history-5.8 an unchanged page is not listed" "$r" '<h2><a href="../../c/">丙 档案'

# 6. Determinism: the same commit and tags build the same bytes.
"$SITEGEN" build --repo "$repo" --out "$TMP/again" -q 2>/dev/null
check "history-6.1 two builds are byte-identical" diff -r "$o" "$TMP/again"
git clone -q "$repo" "$TMP/clone"
"$SITEGEN" build --repo "$TMP/clone" --out "$TMP/cloned" -q 2>/dev/null
check "history-6.2 a full clone elsewhere builds the same bytes" diff -r "$o" "$TMP/cloned"

# 6b. A rename with an edit in the same commit is still followed (by
# libgit2's similarity detection, not identical content).
r2="$TMP/similar" && mkdir -p "$r2/content" && git -C "$r2" init -q
long="本页内容较长，用于检验改名同时修改时仍能识别为同一页面。"
printf -- '---\ntitle: 首页\n---\n见[旧](old.md)。\n' >"$r2/content/index.md"
printf -- '---\ntitle: 旧名\n---\n%s\n\n%s\n\n%s\n' "$long" "$long" "$long" >"$r2/content/old.md"
export GIT_AUTHOR_DATE="2018-01-01T10:00:00+08:00" GIT_COMMITTER_DATE="2018-01-01T10:00:00+08:00"
git -C "$r2" add -A && git -C "$r2" commit -qm "一" && s1=$(git -C "$r2" rev-parse --short=7 HEAD)
git -C "$r2" mv content/old.md content/new.md
sed -i 's/旧名/新名/; s/(old.md)/(new.md)/' "$r2/content/new.md" "$r2/content/index.md"
export GIT_AUTHOR_DATE="2018-02-01T10:00:00+08:00" GIT_COMMITTER_DATE="2018-02-01T10:00:00+08:00"
git -C "$r2" add -A && git -C "$r2" commit -qm "二" && s2=$(git -C "$r2" rev-parse --short=7 HEAD)
"$SITEGEN" build --repo "$r2" --out "$TMP/similar-out" -q 2>/dev/null
check_eq "history-6.3 a page renamed and edited at once keeps its history" "$s2 $s1 " "$(rows "$TMP/similar-out/history/new/index.html")"

# 7. A shallow clone: one clear warning, "history unavailable", no failure.
git clone -q --depth 1 "file://$repo" "$TMP/shallow"
"$SITEGEN" build --repo "$TMP/shallow" --out "$TMP/sh" -q 2>"$TMP/sherr"
check_eq "history-7.1 a shallow clone still builds" 0 $?
check_eq "history-7.2 exactly one warning line" 1 "$(grep -c 'warning' "$TMP/sherr")"
check_contains "history-7.3 the warning says why" "$TMP/sherr" "is a shallow clone"
check_contains "history-7.4 pages say history unavailable" "$TMP/sh/a/index.html" "修订历史不可用"
check_not_contains "history-7.5 pages show no made-up date" "$TMP/sh/a/index.html" "最后修订："

# 8. The timeline's example certificate is issued on the day of the revision
# built (2017-07-01, a commit that changed no page), in a full clone and in
# a shallow one alike; without git, on 1970-01-01.
check_contains "history-8.1 the timeline's example is issued on the revision's day" "$o/timeline/index.html" 'value="2017-07-01"'
check_contains "history-8.2 and expires by the rules" "$o/timeline/index.html" '<time datetime="2020-06-30">'
check_contains "history-8.3 a shallow clone shows the same example" "$TMP/sh/timeline/index.html" 'value="2017-07-01"'
mkdir -p "$TMP/nogit" && cp -r "$c" "$TMP/nogit/content"
"$SITEGEN" build --repo "$TMP/nogit" --worktree --out "$TMP/nogit-out" -q 2>"$TMP/nogiterr"
check_eq "history-8.4 a folder outside git builds" 0 $?
check_contains "history-8.5 without git the example is issued on 1970-01-01" "$TMP/nogit-out/timeline/index.html" 'value="1970-01-01"'
check_eq "history-8.6 and one warning line says why" 1 "$(grep -c '^sitegen: warning: no page history: ' "$TMP/nogiterr")"
# 9. Notes for readers on past commits, in content/notes.yaml.
git clone -q "$repo" "$TMP/noted"
n3=$(git -C "$repo" rev-parse "$h3")
n1=$(git -C "$repo" rev-parse "$h1")
printf 'notes:\n  - commit: %s\n    note: 第2章改名为“乙 流程”\n  - commit: %s\n    note: 发布样例指南\n' "$n3" "$n1" \
	>"$TMP/noted/content/notes.yaml"
git -C "$TMP/noted" add -A && git -C "$TMP/noted" commit -qm "notes for past changes"
"$SITEGEN" build --repo "$TMP/noted" --out "$TMP/noted-out" -q 2>"$TMP/err"
check_eq "history-9.1 a notes file builds" "" "$(cat "$TMP/err")"
check_contains "history-9.2 a past commit shows its note from the file" "$TMP/noted-out/history/bee/index.html" "<td>第2章改名为“乙 流程”</td>"
check_contains "history-9.3 ... in the feed too" "$TMP/noted-out/feed.xml" "<title>发布样例指南</title>"
check_eq "history-9.4 the commit that only adds notes is not a change" 5 \
	"$(grep -c 'class="change" id="commit-' "$TMP/noted-out/changes/index.html")"
check "history-9.5 the notes file is not published" test ! -e "$TMP/noted-out/notes.yaml"
printf 'notes:\n  - commit: %s\n    note: 甲\n  - commit: %s\n    note: 乙\n  - commit: 0123456789abcdef0123456789abcdef01234567\n    note: 丙\n' "$n3" "$n3" \
	>"$TMP/noted/content/notes.yaml"
git -C "$TMP/noted" commit -qam "bad notes"
cp -r "$TMP/noted-out" "$TMP/noted-before"
"$SITEGEN" build --repo "$TMP/noted" --out "$TMP/noted-out" -q 2>"$TMP/err"
check_contains "history-9.6 a commit listed twice fails naming the file" "$TMP/err" \
	"sitegen: content/notes.yaml: notes[1]: commit ${n3:0:12} is also notes[0]"
check_contains "history-9.7 a commit not in the history fails" "$TMP/err" \
	"sitegen: content/notes.yaml: notes[2]: commit 0123456789ab did not change the content (or is not in its history)"
check "history-9.8 and the site is left as it was" diff -r "$TMP/noted-before" "$TMP/noted-out"
# More than 100 content commits: the changes page says it lists the last
# 100, and its sidebar's items stay links to their pages (a section's
# "all N pages" link is its own key, not the page's).
mkdir -p "$TMP/long/content" && git -C "$TMP/long" init -q
printf -- '---\ntitle: 样例指南\n---\n见[甲](a.md)。\n' >"$TMP/long/content/index.md"
for i in $(seq 101); do
	printf -- '---\ntitle: 甲\nweight: 1\n---\n第%s次修订。\n' "$i" >"$TMP/long/content/a.md"
	git -C "$TMP/long" add -A && git -C "$TMP/long" commit -qm "修订 $i"
done
"$SITEGEN" build --repo "$TMP/long" --out "$TMP/long-out" -q 2>"$TMP/err"
check_eq "history-10.1 101 commits build" "" "$(cat "$TMP/err")"
check_eq "history-10.2 the changes page lists 100 of them" 100 \
	"$(grep -c 'class="change" id="commit-' "$TMP/long-out/changes/index.html")"
check_contains "history-10.3 ... and says so" "$TMP/long-out/changes/index.html" "此处列出最近 100 次修订"
check_not_contains "history-10.4 its sidebar has no section-total link" "$TMP/long-out/changes/index.html" "本节全部"
check_contains "history-10.5 ... but the link to the page" "$TMP/long-out/changes/index.html" 'href="../a/">甲</a>'
done_testing
