#!/bin/bash
# The guide as a publication: every public page in the sitemap (registry,
# histories, editions, redlines, tools), a meta description on every page,
# site-absolute links checked like the others, and the requirement chapters
# and the certification chapter linking to their tools.
. "$(dirname "$0")/../lib.sh"
SITEGEN="$BUILD/sitegen"
CTL="$BUILD/registryctl"
export GIT_AUTHOR_DATE="2017-10-01T09:00:00+08:00" GIT_COMMITTER_DATE="2017-10-01T09:00:00+08:00"
export GIT_AUTHOR_NAME="Editor" GIT_AUTHOR_EMAIL="editor@example.org"
export GIT_COMMITTER_NAME="Editor" GIT_COMMITTER_EMAIL="editor@example.org"

# 1. The project's own guide with the sample registry and the API page.
"$CTL" --db "$TMP/r.db" sample -q && "$CTL" --db "$TMP/r.db" publish "$TMP/s.db" -q
o="$TMP/own"
check "publication-1 the guide builds with the registry and the API page" \
	"$SITEGEN" build --repo "$SRC" --worktree --out "$o" -q --registry "$TMP/s.db" \
	--api-doc "$SRC/registry/openapi.json" --base-url https://guide.example.org/
check "publication-1.1 sitemap.xml is valid against the sitemaps.org schema's shape" \
	xmllint --noout "$o/sitemap.xml"
(cd "$o" && find . -name index.html ! -path './registry/not-found/*' ! -path './en/registry/not-found/*' | sed -e 's|^\./||' -e 's|index\.html$||' |
	sed 's|^|https://guide.example.org/|' | sort) >"$TMP/written"
grep -o '<loc>[^<]*</loc>' "$o/sitemap.xml" | sed 's/<[/]*loc>//g' | sort >"$TMP/listed"
check "publication-1.2 the sitemap lists every page written, and only those" diff -u "$TMP/written" "$TMP/listed"
n=$(wc -l <"$TMP/listed")
check "publication-1.3 ... which is hundreds of pages ($n)" test "$n" -gt 400
for dir in registry/ registry/check/ registry/bulk/ history/fees/ changes/ checklist/ timeline/ api/ editions/ \
	editions/2017-10/fees/ changes/since/2017-10/ changes/requirements/ search/; do
	check "publication-1.4 the sitemap lists /$dir" grep -qx "https://guide.example.org/$dir" "$TMP/listed"
done
check "publication-1.5 certificates are in the sitemap" grep -q '^https://guide.example.org/registry/certificates/CNITSEC-' "$TMP/listed"
check_not_contains "publication-1.6 the page registryd fills in is not" "$o/sitemap.xml" 'registry/not-found/'

# 2. A meta description on every page.
missing=$(cd "$o" && find . -name '*.html' -print0 | xargs -0 grep -L '<meta name="description" content="[^"]' | head -n 5)
check_eq "publication-2.1 every page has a meta description" "" "$missing"
check_contains "publication-2.2 a history page's says whose history it is" "$o/history/fees/index.html" \
	'<meta name="description" content="修订历史 · '
empty=$(cd "$o" && find . -name '*.html' -print0 | xargs -0 grep -l '<meta name="description" content="">' | head -n 3)
check_eq "publication-2.3 no description is empty" "" "$empty"

# 3. The requirement chapters link to the checklist, the certification
# chapter to the timeline.
for ch in basic-qualification basic-capability cloud-service-process project-organisation-process; do
	check_contains "publication-3.1 $ch links to the checklist in its text" "$o/$ch/index.html" \
		'逐项自评：<a href="../checklist/">自评清单</a>列出'
done
check_contains "publication-3.2 the supervision chapter links to the timeline in its text" "$o/supervision/index.html" \
	'<a href="../timeline/">证书时间表</a>即可算出'

# 4. Site-absolute links: checked, and made relative.
repo="$TMP/repo"
mkdir -p "$repo/content/images" "$repo/content/guide"
printf -- '---\ntitle: 首页\n---\n见[费用](/fees/#total)、[指南](/guide/)、[图](/images/a.svg)、[清单](/checklist/)、[接口](/v1/meta)。\n' >"$repo/content/index.md"
printf -- '---\ntitle: 费用\n---\n## 总计 {#total}\n\n回到[首页](/)，或[首页全文](/index.html)。\n' >"$repo/content/fees.md"
printf -- '---\ntitle: 指南\n---\n指南。\n' >"$repo/content/guide/index.md"
echo '<svg xmlns="http://www.w3.org/2000/svg"/>' >"$repo/content/images/a.svg"
git -C "$repo" init -q && git -C "$repo" add -A && git -C "$repo" commit -qm "样例"
"$SITEGEN" build --repo "$repo" --out "$TMP/out" -q 2>"$TMP/err"
check_eq "publication-4.1 site-absolute links to pages, files and the build's own pages build" "" "$(cat "$TMP/err")"
check_contains "publication-4.2 a link to a page is made relative" "$TMP/out/index.html" 'href="./fees/#total"'
check_contains "publication-4.3 ... to a folder's section page" "$TMP/out/index.html" 'href="./guide/"'
check_contains "publication-4.4 ... to a file" "$TMP/out/index.html" 'href="./images/a.svg"'
check_contains "publication-4.5 ... to the home page" "$TMP/out/fees/index.html" '<a href="../">首页</a>'
check_contains "publication-4.6 registryd's routes are left alone" "$TMP/out/index.html" 'href="/v1/meta"'
check_contains "publication-4.6b the build's own pages are made relative" "$TMP/out/index.html" '<a href="./checklist/">清单</a>'
printf -- '---\ntitle: 费用\n---\n## 总计 {#total}\n\n见[别处](/no-such-page/)。\n\n又见[锚](/fees/#nope)。\n' >"$repo/content/fees.md"
git -C "$repo" commit -qam "坏链接"
cp -r "$TMP/out" "$TMP/before"
"$SITEGEN" build --repo "$repo" --out "$TMP/out" -q 2>"$TMP/err"
check_eq "publication-4.7 a site-absolute link to nothing fails with file:line" \
	"sitegen: content/fees.md:6: broken link '/no-such-page/': the site has no page or file at that address" \
	"$(grep no-such-page "$TMP/err")"
check_eq "publication-4.8 ... and a missing anchor on a site-absolute link too" \
	"sitegen: content/fees.md:8: broken link '/fees/#nope': fees.md has no heading or element with id 'nope'" \
	"$(grep nope "$TMP/err")"
check "publication-4.9 the failed build left the previous site" diff -r "$TMP/before" "$TMP/out"
done_testing
