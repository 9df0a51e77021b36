#!/bin/bash
# make bench, the site part: a full build of a generated repository of
# 10,000 pages (tools/gen_pages.c: a home page and 100 sections of about 100
# pages) by sitegen, and by Hugo from the same Markdown with the comparable
# site in tools/hugo/.  Each tool builds once to warm the caches, then
# BENCH_RUNS times (default 3); the row gives sitegen's median wall time,
# pages per second and median peak resident memory (as /usr/bin/time
# measures them), and Hugo's beside them.
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

sitegen_build() {
	bench_run sitegen "$work/out-sitegen" "$build/sitegen" build \
	    --repo "$work/repo" --out "$work/out-sitegen" -q
}
hugo_build() {
	bench_run hugo "$work/out-hugo" hugo --quiet --source "$work/hugo" \
	    --destination "$work/out-hugo" --cacheDir "$work/hugo-cache" \
	    --noBuildLock
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
sitegen_build
hugo_build
check_pages "$work/out-sitegen" sitegen
check_pages "$work/out-hugo" hugo
: >"$work/times.sitegen"
: >"$work/times.hugo"
for i in $(seq "$runs"); do
	say "timed builds, round $i of $runs"
	sitegen_build
	hugo_build
done
ours="$(bench_median "$work/times.sitegen" 1) $(bench_median "$work/times.sitegen" 2)"
theirs="$(bench_median "$work/times.hugo" 1) $(bench_median "$work/times.hugo" 2)"
hugo_version=$(hugo version | sed -n 's/^hugo v\([0-9.]*\).*/\1/p')

echo "$ours $theirs" | awk -v pages="$pages" -v hv="$hugo_version" "$BENCH_AWK"'
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
	printf "| site build, %s pages | sitegen %s | %s | %s than Hugo %s: " \
	    "%s, %s |\n", commas(pages), speed($1), mb($2), verdict, hv,
	    speed($3), mb($4)
}'
index=$(cat "$work/out-sitegen"/search/* | wc -c)
files=$(ls "$work/out-sitegen/search" | wc -l)
awk -v pages="$pages" -v idx="$index" -v files="$files" "$BENCH_AWK"'BEGIN {
	printf "| search index, %s pages | %.1f MB in %d files (a query reads a few) | | |\n",
	    commas(pages), idx / 1048576, files }'
