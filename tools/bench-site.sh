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

# The builds write to a tmpfs when there is room (BENCH_DIR chooses another
# parent folder), so that the figures are the generators' and not the
# disk's: on ext4, creating files soon after deleting many is slow, and
# every build here deletes the previous output first.
parent=${BENCH_DIR:-}
if [ -z "$parent" ]; then
	parent=$build
	if [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] &&
	    [ "$(df -Pk /dev/shm | awk 'NR == 2 { print $4 }')" -gt 2000000 ]; then
		parent=/dev/shm
	fi
fi
work=$(mktemp -d "$parent/sitegen-bench.XXXXXX")
work=$(cd "$work" && pwd) # Hugo wants absolute paths
trap 'rm -rf "$work"' EXIT

say "generating a repository of $pages pages"
git init -q -b main "$work/repo"
"$build/gen_pages" --pages "$pages" | git -C "$work/repo" fast-import --quiet
git -C "$work/repo" reset -q --hard

cp -R "$top/tools/hugo" "$work/hugo"
mkdir -p "$work/hugo/static/assets"
cp "$top/site/static/style.css" "$work/hugo/static/assets/"
cp -R "$work/repo/content" "$work/hugo/content"
for f in "$work/hugo/content/index.md" "$work/hugo/content"/*/index.md; do
	mv "$f" "${f%index.md}_index.md"
done

# run TOOL OUT CMD...: runs CMD, which writes the folder OUT, into an empty
# OUT, and adds its wall time (seconds) and peak resident memory (KB) to
# $work/times.TOOL.
run() {
	local tool=$1 out=$2
	shift 2
	rm -rf "$out"
	if ! /usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/log" 2>&1; then
		cat "$work/log" >&2
		fail "failed: $*"
	fi
	tail -n 1 "$work/time" >>"$work/times.$tool"
}

# median TOOL: the medians of its timed runs' wall time and memory.
median() {
	local middle=$(((runs + 1) / 2))
	echo "$(cut -d' ' -f1 "$work/times.$1" | sort -n | sed -n "${middle}p")" \
	    "$(cut -d' ' -f2 "$work/times.$1" | sort -n | sed -n "${middle}p")"
}

sitegen_build() {
	run sitegen "$work/out-sitegen" "$build/sitegen" build \
	    --repo "$work/repo" --out "$work/out-sitegen" -q
}
hugo_build() {
	run hugo "$work/out-hugo" hugo --quiet --source "$work/hugo" \
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
ours=$(median sitegen)
theirs=$(median hugo)
hugo_version=$(hugo version | sed -n 's/^hugo v\([0-9.]*\).*/\1/p')

echo "$ours $theirs" | awk -v pages="$pages" -v hv="$hugo_version" '
function commas(n,   s) {
	s = sprintf("%d", n)
	while (s ~ /[0-9][0-9][0-9][0-9]/)
		sub(/[0-9][0-9][0-9]($|,)/, ",&", s)
	return s
}
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
