#!/bin/bash
# Sections from folders: a repository laid out a folder per section with its
# index.md and no `parent:` lines gets a sidebar of the reader's ancestors,
# their siblings and the page's own section, never the whole site; `parent:`
# overrides the folder; a long list of siblings is cut to a window with a
# link to its section page, which lists them all.
. "$(dirname "$0")/../lib.sh"
SITEGEN="$BUILD/sitegen"
export GIT_AUTHOR_DATE="2017-10-01T09:00:00+08:00" GIT_COMMITTER_DATE="2017-10-01T09:00:00+08:00"
export GIT_AUTHOR_NAME="Editor" GIT_AUTHOR_EMAIL="editor@example.org"
export GIT_COMMITTER_NAME="Editor" GIT_COMMITTER_EMAIL="editor@example.org"

page() { # page FILE TITLE [FRONT-MATTER-LINE]
	mkdir -p "$(dirname "$1")"
	printf -- '---\ntitle: %s\n%s---\n%s的正文。\n' "$2" "${3:+$3
}" "$2" >"$1"
}
repo="$TMP/repo"
c="$repo/content"
page "$c/index.md" 首页
page "$c/guide/index.md" 指南
page "$c/guide/a.md" 甲篇
page "$c/guide/b.md" 乙篇
page "$c/guide/deep/index.md" 深层
page "$c/guide/deep/c.md" 丙篇
page "$c/guide/deep/nested/d.md" 丁篇 # no index.md in nested/: belongs to deep
page "$c/guide/moved.md" 移篇 "parent: other/index"
page "$c/other/index.md" 其他
page "$c/other/x.md" 戊篇
page "$c/loose/y.md" 己篇 # a folder without a section page: top level
for i in $(seq -w 1 150); do page "$c/big/p$i.md" "大节$i篇" "weight: $((10#$i))"; done
page "$c/big/index.md" 大节
git -C "$repo" init -q && git -C "$repo" add -A && git -C "$repo" commit -qm "样例"
out="$TMP/out"
check "sections-1 a site of folders without parent lines builds" \
	"$SITEGEN" build --repo "$repo" --out "$out" -q

# The sidebar of a file: the link texts of <nav id="site-nav">, one a line,
# with "*" for the current page and "+" for an open section.
sidebar() {
	sed -n '/<nav id="site-nav"/,/<h2 class="sidebar-title">查询与工具/p' "$1" |
	    sed -n 's/.*<li\( class="open"\)\{0,1\}><a href="[^"]*"\( aria-current="page"\)\{0,1\}>\([^<]*\)<.*/\1\2\3/p' |
	    sed -e 's/^ class="open"/+/' -e 's/^ aria-current="page"/*/'
}
sidebar "$out/guide/deep/c/index.html" >"$TMP/c.nav"
check_eq "sections-2 a page's sidebar: top pages, its ancestors open, their pages, its own" \
	"首页 大节 +指南 甲篇 乙篇 +深层 *丙篇 丁篇 己篇 其他" "$(tr '\n' ' ' <"$TMP/c.nav" | sed 's/ $//')"
check_not_contains "sections-3 another section's pages are not in the sidebar" \
	"$out/guide/deep/c/index.html" '戊篇'
check_contains "sections-4 breadcrumbs follow the folders" "$out/guide/deep/c/index.html" \
	'<li><a href="../../../">首页</a></li>'
check_contains "sections-4 breadcrumbs name the folder's section" "$out/guide/deep/c/index.html" \
	'<li><a href="../../../guide/deep/">深层</a></li>'
check_eq "sections-5 a page in a folder without index.md belongs to the folder above" \
	"首页 大节 +指南 甲篇 乙篇 +深层 丙篇 *丁篇 己篇 其他" \
	"$(sidebar "$out/guide/deep/nested/d/index.html" | tr '\n' ' ' | sed 's/ $//')"
check_eq "sections-6 parent: overrides the folder" \
	"首页 大节 指南 己篇 +其他 *移篇 戊篇" \
	"$(sidebar "$out/guide/moved/index.html" | tr '\n' ' ' | sed 's/ $//')"
check_contains "sections-7 a folder's section page lists its pages" "$out/guide/index.html" \
	'<h2 id="section-pages-title">本节内容</h2>'
check_contains "sections-7 ... with links to them" "$out/guide/index.html" '<a href="../guide/a/">甲篇</a>'
check_contains "sections-7 ... the overridden page is listed by its parent" "$out/other/index.html" \
	'<a href="../guide/moved/">移篇</a>'
check_not_contains "sections-7 ... and not by its folder" "$out/guide/index.html" '移篇'

# 150 siblings: the sidebar shows 100 around the reader and a link to all.
n=$(sidebar "$out/big/p120/index.html" | grep -c '大节[0-9]')
check_eq "sections-8 a long section shows 100 of its pages in the sidebar" 100 "$n"
check_eq "sections-8 ... around the reader's place" "大节051篇 大节150篇" \
	"$(sidebar "$out/big/p120/index.html" | grep '大节[0-9]' | sed -n '1p;$p' | tr '\n' ' ' | sed 's/ $//')"
check_contains "sections-8 ... and a link to the section page" "$out/big/p120/index.html" \
	'<li class="more"><a href="../../big/">本节全部 150 篇</a></li>'
check_eq "sections-9 the section page lists all 150" 150 \
	"$(sed -n '/section-pages-title/,/<\/section>/p' "$out/big/index.html" | grep -c '<li><a href="../big/p')"

check_eq "sections-9b the changes page lists 20 of the 162 pages a commit added" 20 \
	"$(grep -c '<li>新增：' "$out/changes/index.html")"
check_contains "sections-9b ... and counts the rest" "$out/changes/index.html" '<li>以及另外 142 个页面</li>'
check_contains "sections-9b ... so does the feed" "$out/feed.xml" '；以及另外 142 个页面</summary>'

# Linear output: 120 folders of 2 pages against 240 — twice the pages write
# about twice the bytes of HTML, since no list in a sidebar is longer than
# 100 (a sidebar of every section would make it four times).
grid() { # grid REPO N: N folders of 2 pages
	for s in $(seq 1 "$2"); do
		page "$1/content/s$s/index.md" "第${s}节"
		for p in 1 2; do page "$1/content/s$s/p$p.md" "第${s}节第${p}篇"; done
	done
	page "$1/content/index.md" 首页
	git -C "$1" init -q && git -C "$1" add -A && git -C "$1" commit -qm "样例"
}
grid "$TMP/g1" 120
grid "$TMP/g2" 240
"$SITEGEN" build --repo "$TMP/g1" --out "$TMP/o1" -q
"$SITEGEN" build --repo "$TMP/g2" --out "$TMP/o2" -q
b1=$(find "$TMP/o1" -path '*/s*/index.html' ! -path '*/history/*' -print0 | xargs -0 cat | wc -c)
b2=$(find "$TMP/o2" -path '*/s*/index.html' ! -path '*/history/*' -print0 | xargs -0 cat | wc -c)
check "sections-10 twice the pages write at most 2.2 times the bytes ($b1 → $b2)" \
	test $((b2 * 10)) -le $((b1 * 22))

# Two pages at one address fail with both names.
page "$repo/content/other.md" 重名
git -C "$repo" add -A && git -C "$repo" commit -qm "重名"
"$SITEGEN" build --repo "$repo" --out "$out" -q 2>"$TMP/err"
check_eq "sections-11 other.md beside other/index.md fails naming both" \
	"sitegen: content/other/index.md:1: this page and content/other.md would both be /other/" \
	"$(head -n 1 "$TMP/err")"
done_testing
