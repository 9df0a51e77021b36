#!/bin/bash
# sitegen build, driven through the real binary: the project's own content,
# errors with file:line, the failed build that keeps the old site, --worktree
# against HEAD, determinism, and the command line's exit codes.
. "$(dirname "$0")/../lib.sh"
# The style sheet's fingerprinted name, which pages use (site/assets.h).
STYLE="style.$(sha256sum "$SRC/site/static/style.css" | cut -c1-10).css"
SITEGEN="$BUILD/sitegen"
export GIT_AUTHOR_DATE="2017-10-01T09:00:00+08:00" GIT_COMMITTER_DATE="2017-10-01T09:00:00+08:00"
export GIT_AUTHOR_NAME="Editor" GIT_AUTHOR_EMAIL="editor@example.org"
export GIT_COMMITTER_NAME="Editor" GIT_COMMITTER_EMAIL="editor@example.org"

# A fixture repository: $1 is its folder.
make_fixture() {
	mkdir -p "$1/content/images"
	cat >"$1/content/index.md" <<'MD'
---
title: 测试指南
weight: 0
description: 首页说明
---
欢迎阅读。见[费用](fees.md#fees-table)。
MD
	cat >"$1/content/fees.md" <<'MD'
---
title: 9 费用
weight: 20
description: 费用
---
## 费用表 {#fees-table}

| 项目 | 人日 | 单价（元/人日） | 金额（元） |
| --- | --- | --- | --- |
| 受理费 | 1 | 5,000 | 5,000 |
| 证书费 | | | 3,000 |
| **总计** | | | **8,000** |

![流程](images/flow.svg)
MD
	echo '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>' >"$1/content/images/flow.svg"
	git -C "$1" init -q
	git -C "$1" add -A
	git -C "$1" commit -qm "first edition"
}

# 1. The project's own content: every chapter page exists.
out="$TMP/own"
check "build-1.1 sitegen builds content/ of the working tree" \
	"$SITEGEN" build --repo "$SRC" --worktree --out "$out" -q
for page in index.html introduction basis levels requirements basic-qualification \
	basic-capability cloud-service-process project-organisation-process \
	certification supervision sanctions disputes archives fees contact; do
	f="$out/$page"; [ "$page" = index.html ] || f="$out/$page/index.html"
	check "build-1.2 chapter page $page exists" test -s "$f"
done
check "build-1.3 the flow chart SVG is published" test -s "$out/images/certification-process.svg"
check "build-1.4 sitemap.xml is well-formed XML" xmllint --noout "$out/sitemap.xml"
check_eq "build-1.5 sitemap lists every page written" \
	"$(cd "$out" && find . -name index.html | wc -l)" "$(grep -c '<loc>' "$out/sitemap.xml")"
check "build-1.6 robots.txt names the sitemap" grep -q '^Sitemap: http://127.0.0.1:8080/sitemap.xml' "$out/robots.txt"
check "build-1.7 404.html exists" test -s "$out/404.html"
check_contains "build-1.8 404.html links use absolute paths" "$out/404.html" 'href="/assets/'"$STYLE"'"'
check_contains "build-1.9 fee page has the table total" "$out/fees/index.html" "58,000"
check_contains "build-1.10 pages are zh-CN" "$out/basis/index.html" '<html lang="zh-CN">'
check "build-1.11 HEAD of the repository builds too" \
	"$SITEGEN" build --repo "$SRC" --out "$TMP/own-head" -q
check_not_contains "build-1.12 no external resources" "$out/fees/index.html" '//fonts.'

# 2. A fixture: structure of a page.
fx="$TMP/fx"; make_fixture "$fx"
check "build-2.1 fixture builds from HEAD" "$SITEGEN" build --repo "$fx" --out "$fx/public" -q
p="$fx/public/fees/index.html"
check_contains "build-2.2 heading carries its explicit id" "$p" '<h2 id="fees-table">'
check_contains "build-2.3 link to another page is rewritten to its address" "$fx/public/index.html" 'href="./fees/#fees-table"'
check_contains "build-2.4 image path is relative to the page" "$p" 'src="../images/flow.svg"'
check_contains "build-2.5 breadcrumbs start at the home page" "$p" '<li><a href="../">测试指南</a></li>'
check_contains "build-2.6 previous link" "$p" 'rel="prev" href="../"'
check_contains "build-2.7 next link from home" "$fx/public/index.html" 'rel="next" href="./fees/"'
check_contains "build-2.8 style sheet linked relatively" "$p" 'href="../assets/'"$STYLE"'"'
check "build-2.9 style sheet published" test -s "$fx/public/assets/style.css"
check_contains "build-2.10 current page marked in the sidebar" "$p" 'href="../fees/" aria-current="page"'

# 3. Errors name the file and line, and fail the build.
cp -r "$fx" "$TMP/bad"; bad="$TMP/bad"
sed -i 's/\*\*8,000\*\*/**9,000**/' "$bad/content/fees.md"
"$SITEGEN" build --repo "$bad" --worktree --out "$bad/out" >"$TMP/err" 2>&1; rc=$?
check_eq "build-3.1 wrong fee total exits 1" 1 "$rc"
check_contains "build-3.2 wrong fee total names file and line" "$TMP/err" \
	"content/fees.md:12: fee table: the items add up to 8,000, but the total row says 9,000"
cp "$fx/content/fees.md" "$bad/content/fees.md"
echo '另见[不存在](missing.md)与[锚点](fees.md#nope)。' >>"$bad/content/index.md"
"$SITEGEN" build --repo "$bad" --worktree --out "$bad/out" >"$TMP/err" 2>&1; rc=$?
check_eq "build-3.3 broken link exits 1" 1 "$rc"
check_contains "build-3.4 broken page link names file and line" "$TMP/err" \
	"content/index.md:7: broken link 'missing.md': missing.md does not exist"
check_contains "build-3.5 broken anchor names file and line" "$TMP/err" \
	"content/index.md:7: broken link 'fees.md#nope': fees.md has no heading or element with id 'nope'"
cp "$fx/content/index.md" "$bad/content/index.md"
printf -- '---\ntitle: 坏页\nweight: [1\n---\n正文\n' >"$bad/content/broken.md"
"$SITEGEN" build --repo "$bad" --worktree --out "$bad/out" >"$TMP/err" 2>&1; rc=$?
check_eq "build-3.6 broken front matter exits 1" 1 "$rc"
check_contains "build-3.7 broken front matter names file and line" "$TMP/err" "content/broken.md:3: front matter:"
printf -- '---\nweight: 1\n---\n正文\n' >"$bad/content/broken.md"
"$SITEGEN" build --repo "$bad" --worktree --out "$bad/out" >"$TMP/err" 2>&1
check_contains "build-3.8 a page without a title is refused" "$TMP/err" "content/broken.md:1: front matter has no 'title'"
printf -- '---\ntitle: x\nparent: nowhere\n---\n' >"$bad/content/broken.md"
"$SITEGEN" build --repo "$bad" --worktree --out "$bad/out" >"$TMP/err" 2>&1
check_contains "build-3.9 an unknown parent is refused" "$TMP/err" "content/broken.md:1: parent 'nowhere' is not a page"

# 4. A failed build leaves the previous site exactly as it was.
cp -r "$fx/public" "$TMP/before"
sed -i 's/\*\*8,000\*\*/**1**/' "$fx/content/fees.md"
check_fails "build-4.1 the broken build fails" "$SITEGEN" build --repo "$fx" --worktree --out "$fx/public" -q
check "build-4.2 previous site untouched" diff -r "$TMP/before" "$fx/public"
check_eq "build-4.3 no staging folder left behind" "" "$(ls -d "$fx"/public.tmp-* 2>/dev/null)"

# 5. --worktree builds uncommitted work; the default reads HEAD.
git -C "$fx" checkout -q content/fees.md
echo '未提交的修改。' >>"$fx/content/index.md"
"$SITEGEN" build --repo "$fx" --out "$TMP/head" -q
"$SITEGEN" build --repo "$fx" --worktree --out "$TMP/wt" -q
check_not_contains "build-5.1 HEAD build ignores uncommitted text" "$TMP/head/index.html" "未提交的修改"
check_contains "build-5.2 worktree build shows uncommitted text" "$TMP/wt/index.html" "未提交的修改"
git -C "$fx" commit -qam "second"
"$SITEGEN" build --repo "$fx" --rev HEAD~1 --out "$TMP/rev" -q
check "build-5.3 --rev HEAD~1 builds the earlier commit" diff -r "$TMP/head" "$TMP/rev"
check_fails "build-5.4 an unknown revision fails" "$SITEGEN" build --repo "$fx" --rev nosuch --out "$TMP/x" -q

# 6. Determinism: the same commit builds the same bytes, wherever it is.
"$SITEGEN" build --repo "$fx" --out "$TMP/d1" -q
git clone -q "$fx" "$TMP/elsewhere"
(cd "$TMP/elsewhere" && "$SITEGEN" build --out "$TMP/d2" -q)
check "build-6.1 two builds of one commit are byte-identical" diff -r "$TMP/d1" "$TMP/d2"
"$SITEGEN" build --repo "$SRC" --worktree --out "$TMP/own2" -q
check "build-6.2 the project's site builds identically twice" diff -r "$out" "$TMP/own2"

# 6b. Pages are rendered on several threads: every page still gets every
# extension (cmark-gfm shares a table of special characters between parsers).
many="$TMP/many" && mkdir -p "$many/content"
printf -- '---\ntitle: 首页\n---\n首页\n' >"$many/content/index.md"
for i in $(seq 300); do
	printf -- '---\ntitle: 第%d页\nweight: %d\n---\n~~旧~~ 见 www.example.org 第%d页\n' "$i" "$i" "$i" >"$many/content/p$i.md"
done
"$SITEGEN" build --repo "$many" --worktree --out "$many/out" -q 2>/dev/null
check_eq "build-6.3 strikethrough on every page built in parallel" 300 "$(cat "$many"/out/p*/index.html | grep -c '<del>旧</del>')"
check_eq "build-6.4 autolinks on every page built in parallel" 300 "$(cat "$many"/out/p*/index.html | grep -c 'href="http://www.example.org"')"

# 6c. The number of threads changes nothing: the same bytes, .gz copies and
# search index included, and the same errors in the same order.
"$SITEGEN" build --repo "$SRC" --worktree --out "$TMP/own-j1" -q --jobs 1
"$SITEGEN" build --repo "$SRC" --worktree --out "$TMP/own-j4" -q --jobs 4
check "build-6.5 the project's site: --jobs 1 and --jobs 4 write the same bytes" diff -r "$TMP/own-j1" "$TMP/own-j4"
check "build-6.6 and it is the default build's" diff -r "$out" "$TMP/own-j4"
check_eq "build-6.7 the .gz copies are compared too" 1 "$(find "$TMP/own-j1" -name '*.gz' | grep -c -m 1 .)"
"$SITEGEN" build --repo "$many" --worktree --out "$many/j1" -q --jobs 1 2>/dev/null
"$SITEGEN" build --repo "$many" --worktree --out "$many/j3" -q --jobs 3 2>/dev/null
check "build-6.8 300 pages: --jobs 1 and --jobs 3 write the same bytes" diff -r "$many/j1" "$many/j3"
# from git, the pages' blobs are read on the threads too
git init -q -b main "$many/repo"
cp -r "$many/content" "$many/repo/"
git -C "$many/repo" add content
git -C "$many/repo" -c user.name=t -c user.email=t@example.org commit -qm pages
"$SITEGEN" build --repo "$many/repo" --out "$many/git-j1" -q --jobs 1 2>/dev/null
"$SITEGEN" build --repo "$many/repo" --out "$many/git-j3" -q --jobs 3 2>/dev/null
check_eq "build-6.17 300 pages from git: every page written" 300 "$(ls -d "$many"/git-j3/p*/index.html | wc -l)"
check "build-6.18 and --jobs 1 and --jobs 3 write the same bytes" diff -r "$many/git-j1" "$many/git-j3"
for i in 7 150 290; do
	printf -- '见[无此页](nosuch%d.md)\n' "$i" >>"$many/content/p$i.md"
done
"$SITEGEN" build --repo "$many" --worktree --out "$many/bad" -q --jobs 1 >/dev/null 2>"$TMP/err-j1"
"$SITEGEN" build --repo "$many" --worktree --out "$many/bad" -q --jobs 4 >/dev/null 2>"$TMP/err-j4"
check_eq "build-6.9 three broken links, three errors" 3 "$(grep -c 'nosuch' "$TMP/err-j1")"
check_eq "build-6.10 the same errors in the same order on 1 and 4 threads" "$(cat "$TMP/err-j1")" "$(cat "$TMP/err-j4")"

# 6d. --worktree --content: an absolute folder is read as it is (not
# joined to --repo), a relative one inside --repo.
abs="$TMP/abs-content"
cp -r "$fx/content" "$abs"
sed -i 's/\*\*8,000\*\*/**9,000**/' "$abs/fees.md"
(cd "$fx" && "$SITEGEN" build --repo . --worktree --content "$abs" --out "$TMP/abs-out") >"$TMP/err" 2>&1; rc=$?
check_eq "build-6.11 a broken page in an absolute --content exits 1" 1 "$rc"
check_contains "build-6.12 the error names the absolute file and line" "$TMP/err" \
	"$abs/fees.md:12: fee table: the items add up to 8,000, but the total row says 9,000"
check_not_contains "build-6.13 the absolute --content is not joined to --repo" "$TMP/err" "./$abs"
cp "$fx/content/fees.md" "$abs/fees.md"
echo '只在另一个文件夹里。' >>"$abs/index.md"
(cd "$fx" && "$SITEGEN" build --repo . --worktree --content "$abs" --out "$TMP/abs-out" -q) >"$TMP/err" 2>&1
check_eq "build-6.14 an absolute --content builds" "" "$(cat "$TMP/err")"
check_contains "build-6.15 the pages are the absolute folder's" "$TMP/abs-out/index.html" "只在另一个文件夹里。"
cp -r "$abs" "$fx/elsewhere"
"$SITEGEN" build --repo "$fx" --worktree --content elsewhere --out "$TMP/rel-out" -q 2>"$TMP/err"
check_contains "build-6.16 a relative --content is read inside --repo" "$TMP/rel-out/index.html" "只在另一个文件夹里。"
rm -rf "$fx/elsewhere"

# 7. The command line.
check "build-7.1 --help exits 0" "$SITEGEN" --help
check "build-7.2 --version exits 0" "$SITEGEN" --version
"$SITEGEN" build --bogus >/dev/null 2>&1; check_eq "build-7.3 unknown option exits 2" 2 $?
"$SITEGEN" frobnicate >/dev/null 2>&1; check_eq "build-7.4 unknown command exits 2" 2 $?
"$SITEGEN" build --repo "$fx" --out "$TMP/s" >"$TMP/summary" 2>&1
check_contains "build-7.5 the build ends with a one-line summary" "$TMP/summary" "sitegen: built 2 pages ("
"$SITEGEN" build --repo "$fx" --out "$TMP/j" --jobs 0 >/dev/null 2>"$TMP/jobs-err"; check_eq "build-7.6 --jobs 0 exits 2" 2 $?
check_contains "build-7.7 and names the option" "$TMP/jobs-err" "--jobs '0' must be a number from 1 to 8"
check "build-7.8 and writes nothing" test ! -e "$TMP/j"
done_testing
