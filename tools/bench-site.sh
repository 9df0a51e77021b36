#!/bin/bash
# make bench, the site part: a full build of a generated repository of
# 10,000 pages (tools/gen_pages.c: a home page and 100 sections of about 100
# pages) by sitegen, and by Hugo from the same Markdown with the comparable
# site in tools/hugo/.  Each tool builds once to warm the caches, then
# BENCH_RUNS times (default 3); the row gives sitegen's median wall time,
# pages per second and median peak resident memory (as /usr/bin/time
# measures them), and Hugo's beside them.  A second row does the same for
# the layout Hugo, MkDocs and Docusaurus authors use: the same pages with
# every `parent:` line removed, so that sections come from the folders
# alone (each folder's index.md is its section page).  Then, on that
# layout: `sitegen serve`, the time from saving one page to its rebuilt
# output (median of BENCH_SAVES saves) beside its first build, and one
# build of BENCH_LARGE_PAGES
# (default 100,000; 0 leaves it out) pages, its time and peak memory.
#
#   tools/bench-site.sh BUILD_DIR    (BENCH_PAGES=10000 BENCH_RUNS=3)
#
# sitegen reads its pages from the git repository, as it does in use; Hugo
# reads a checkout of it in which each index.md is renamed _index.md, which
# is how Hugo spells a section's own page.  Prints one Markdown table row on
# stdout (see tools/bench.sh); progress goes to stderr.
set -eu
build=$1
pages=${BENCH_PAGES:-10000}
runs=${BENCH_RUNS:-3}
top=$(cd "$(dirname "$0")/.." && pwd)

say() { echo "bench-site: $*" >&2; }
fail() { say "$*"; exit 1; }

for tool in "$build/sitegen" "$build/gen_pages"; do
	[ -x "$tool" ] || fail "$tool is missing; build it with make $tool"
done
command -v hugo >/dev/null || fail "hugo is missing (apt-get install hugo)"
[ -x /usr/bin/time ] || fail "/usr/bin/time is missing (apt-get install time)"

. "$(dirname "$0")/benchlib.sh"
work=$(bench_workdir sitegen-bench)
trap 'rm -rf "$work"' EXIT

say "generating a repository of $pages pages"
git init -q -b main "$work/repo"
"$build/gen_pages" --pages "$pages" | git -C "$work/repo" fast-import --quiet
git -C "$work/repo" reset -q --hard
git -C "$work/repo" repack -adfq # as a clone from a server is packed

mkdir -p "$work/hugo"
bench_hugo_site "$work/repo/content" "$work/hugo"

say "the same pages in folders, without parent: lines"
git clone -q "$work/repo" "$work/repo-folders"
find "$work/repo-folders/content" -name '*.md' -print0 | xargs -0 sed -i '/^parent: /d'
git -C "$work/repo-folders" -c user.name=bench -c user.email=bench@example.org \
    commit -qam "sections from folders"
git -C "$work/repo-folders" repack -adfq
mkdir -p "$work/hugo-folders"
bench_hugo_site "$work/repo-folders/content" "$work/hugo-folders"

sitegen_build() { # [SUFFIX]: the layout ("" or "-folders")
	bench_run "sitegen${1:-}" "$work/out-sitegen${1:-}" "$build/sitegen" build \
	    --repo "$work/repo${1:-}" --out "$work/out-sitegen${1:-}" -q
}
hugo_build() {
	bench_run "hugo${1:-}" "$work/out-hugo${1:-}" hugo --quiet \
	    --source "$work/hugo${1:-}" --destination "$work/out-hugo${1:-}" \
	    --cacheDir "$work/hugo-cache" --noBuildLock
}

# Both must have written the page of every Markdown file, or the comparison
# would be of different work.  (sitegen writes more: a history page for
# each page, the search index, the changes page and the feed.)
(cd "$work/repo/content" && find . -name '*.md') | sed -e 's|^\./||' \
    -e 's|index\.md$||' -e 's|\.md$|/|' -e 's|$|index.html|' >"$work/expected"
check_pages() {
	local missing
	missing=$(cd "$1" && while read -r f; do
		[ -e "$f" ] || echo "$f"
	done <"$work/expected" | head -n 1)
	[ -z "$missing" ] || fail "$2 did not write $missing"
}

# A first build of each warms the caches and is not counted.  The timed
# builds take turns, so a change in the machine's load touches both.
say "building once to warm the caches"
for layout in "" -folders; do
	sitegen_build "$layout"
	hugo_build "$layout"
	check_pages "$work/out-sitegen$layout" sitegen
	check_pages "$work/out-hugo$layout" hugo
	: >"$work/times.sitegen$layout"
	: >"$work/times.hugo$layout"
done
for i in $(seq "$runs"); do
	say "timed builds, round $i of $runs"
	for layout in "" -folders; do
		sitegen_build "$layout"
		hugo_build "$layout"
	done
done
row() { # row SUFFIX LABEL
	local ours theirs
	ours="$(bench_median "$work/times.sitegen$1" 1) $(bench_median "$work/times.sitegen$1" 2)"
	theirs="$(bench_median "$work/times.hugo$1" 1) $(bench_median "$work/times.hugo$1" 2)"
	echo "$ours $theirs" | awk -v pages="$pages" -v hv="$hugo_version" -v label="$2" "$BENCH_AWK"'
function speed(secs) {
	return sprintf("%.2f s, %s pages/s", secs, commas(pages / secs + 0.5))
}
function mb(kb) {
	return commas(kb / 1024 + 0.5) " MB"
}
{
	ratio = $3 / $1
	verdict = sprintf("%.1f× faster", ratio)
	if (ratio < 1)
		verdict = sprintf("%.1f× slower", 1 / ratio)
	printf "| site build, %s pages%s | sitegen %s | %s | %s than Hugo %s: " \
	    "%s, %s (memory %.2f×) |\n", commas(pages), label, speed($1), mb($2),
	    verdict, hv, speed($3), mb($4), $2 / $4
}'
}
hugo_version=$(hugo version | sed -n 's/^hugo v\([0-9.]*\).*/\1/p')
row "" ""
row -folders " in 100 folders without parent:"
largest=$(find "$work/out-sitegen-folders" -name index.html ! -path '*/history/*' -printf '%s\n' | sort -n | tail -n 1)
total=$(du -sk "$work/out-sitegen-folders" | cut -f1)
awk -v l="$largest" -v t="$total" -v pages="$pages" "$BENCH_AWK"'BEGIN {
	printf "| site output, %s pages in 100 folders | %s MB in all, largest page %s KB | | |\n", commas(pages),
	    commas(t / 1024 + 0.5), commas(l / 1024 + 0.5) }'
index=$(cat "$work/out-sitegen"/search/* | wc -c)
files=$(ls "$work/out-sitegen/search" | wc -l)
awk -v pages="$pages" -v idx="$index" -v files="$files" "$BENCH_AWK"'BEGIN {
	printf "| search index, %s pages | %.1f MB in %d files (a query reads a few) | | |\n",
	    commas(pages), idx / 1048576, files }'

# The authors' preview on the folder layout: sitegen serve on the checked
# out tree; its first build is timed from the start to "serving", then one
# page is saved BENCH_SAVES times (default 5), and each time the wait is
# measured from the save to the page's new text in the output folder.
say "sitegen serve: the time from saving a page to its rebuilt output"
saves=${BENCH_SAVES:-5}
serve_start=$(date +%s%N)
"$build/sitegen" serve --repo "$work/repo-folders" --out "$work/out-serve" \
    --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
serve_pid=$!
# (|| true: under set -e a failed command in the trap, such as kill of a
# server already stopped, would end the script with status 1 and keep $work)
trap 'kill $serve_pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 6000); do
	grep -q '^sitegen: serving ' "$work/serve.out" && break
	sleep 0.1
done
grep -q '^sitegen: serving ' "$work/serve.out" || fail "sitegen serve did not start: $(cat "$work/serve.err")"
first_ms=$((($(date +%s%N) - serve_start) / 1000000))
page_md="$work/repo-folders/content/s050/p050.md"
page_html="$work/out-serve/s050/p050/index.html"
: >"$work/times.serve"
for i in $(seq "$saves"); do
	marker="保存测量第${i}次"
	start=$(date +%s%N)
	echo "$marker" >>"$page_md"
	until grep -qF "$marker" "$page_html" 2>/dev/null; do sleep 0.005; done
	echo $((($(date +%s%N) - start) / 1000000)) >>"$work/times.serve"
	sleep 0.5 # the build's last files are in place
done
kill "$serve_pid"
wait "$serve_pid" 2>/dev/null || true
trap 'rm -rf "$work"' EXIT # the server is stopped
saved=$(sort -n "$work/times.serve" | sed -n "$(((saves + 1) / 2))p")
written=$(sed -n 's/^sitegen: built .*(\([0-9]*\) files written, \([0-9]*\) unchanged).*/\1/p' "$work/serve.err" | tail -n 1)
say "serve: saves took $(tr '\n' ' ' <"$work/times.serve")ms"
awk -v ms="$saved" -v first="$first_ms" -v n="$saves" -v w="$written" -v pages="$pages" "$BENCH_AWK"'BEGIN {
	printf "| sitegen serve, %s pages in 100 folders: a saved page to its rebuilt output | %s ms (median of %d saves) | | the first build in the same run: %.2f s; target under 300 ms; the last save wrote %s files |\n",
	    commas(pages), commas(ms), n, first / 1000, w }'

# A build ten times larger, once (BENCH_LARGE_PAGES=0 leaves it out).
large=${BENCH_LARGE_PAGES:-100000}
if [ "$large" -gt 0 ]; then
	say "a build of $large pages in folders"
	rm -rf "$work/out-sitegen" "$work/out-sitegen-folders" "$work/out-hugo" \
	    "$work/out-hugo-folders" "$work/out-serve"
	git init -q -b main "$work/large"
	"$build/gen_pages" --pages "$large" | git -C "$work/large" fast-import --quiet
	git -C "$work/large" reset -q --hard
	find "$work/large/content" -name '*.md' -print0 | xargs -0 sed -i '/^parent: /d'
	git -C "$work/large" -c user.name=bench -c user.email=bench@example.org \
	    commit -qam "sections from folders"
	git -C "$work/large" repack -adfq
	bench_run large "$work/out-large" "$build/sitegen" build \
	    --repo "$work/large" --out "$work/out-large" -q
	read -r secs kb <"$work/times.large"
	awk -v s="$secs" -v kb="$kb" -v pages="$large" "$BENCH_AWK"'BEGIN {
		printf "| site build, %s pages in folders without parent: | sitegen %.2f s, %s pages/s | %s MB | |\n",
		    commas(pages), s, commas(pages / s + 0.5), commas(kb / 1024 + 0.5) }'
fi
