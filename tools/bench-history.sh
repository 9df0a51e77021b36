#!/bin/bash
# make bench, the history part: a generated repository of 10,000 pages and
# 10,000 commits (tools/gen_pages.c: one page edited per commit, a page
# renamed every 50th), repacked as a clone from a server would be.  A full
# sitegen build with history (last updated, page histories, changes page,
# feed), beside Hugo with enableGitInfo on the same repository.  sitegen's
# --timings split the build: the history (the walk and the history pages)
# against the page rendering (reading and writing the pages).
#
#   tools/bench-history.sh BUILD_DIR   (BENCH_PAGES=10000 BENCH_COMMITS=10000 BENCH_RUNS=3)
set -eu
build=$1
pages=${BENCH_PAGES:-10000}
commits=${BENCH_COMMITS:-10000}
runs=${BENCH_RUNS:-3}
say() { echo "bench-history: $*" >&2; }
. "$(dirname "$0")/benchlib.sh"
for tool in "$build/sitegen" "$build/gen_pages"; do
	[ -x "$tool" ] || { say "$tool is missing; build it with make $tool"; exit 1; }
done
command -v hugo >/dev/null || { say "hugo is missing (apt-get install hugo)"; exit 1; }
[ -x /usr/bin/time ] || { say "/usr/bin/time is missing (apt-get install time)"; exit 1; }

work=$(bench_workdir sitegen-history)
trap 'rm -rf "$work"' EXIT
say "generating $pages pages in $commits commits"
git init -q -b main "$work/repo"
"$build/gen_pages" --pages "$pages" --commits "$commits" --rename-every 50 |
	git -C "$work/repo" fast-import --quiet
git -C "$work/repo" reset -q --hard
git -C "$work/repo" repack -adfq
git -C "$work/repo" -c gc.auto=0 prune-packed
# Hugo's site is the repository itself, so enableGitInfo reads its history.
bench_hugo_site "$work/repo/content" "$work/repo"

sitegen_build() {
	bench_run sitegen "$work/out-sitegen" "$build/sitegen" build \
	    --repo "$work/repo" --out "$work/out-sitegen" -q --timings
	grep '^sitegen: timings:' "$work/stderr.sitegen" | sed 's/[^0-9. ]//g' |
	    awk '{ print $2 + $5, $3 + $4 }' >>"$work/split"  # history, pages
}
hugo_build() {
	bench_run hugo "$work/out-hugo" hugo --quiet --enableGitInfo \
	    --source "$work/repo" --destination "$work/out-hugo" \
	    --cacheDir "$work/hugo-cache" --noBuildLock
}
say "building once to warm the caches"
sitegen_build
hugo_build
: >"$work/times.sitegen"
: >"$work/times.hugo"
: >"$work/split"
for i in $(seq "$runs"); do
	say "timed builds, round $i of $runs"
	sitegen_build
	hugo_build
done
hv=$(hugo version | sed -n 's/^hugo v\([0-9.]*\).*/\1/p')
awk -v pages="$pages" -v commits="$commits" -v hv="$hv" \
    -v ours="$(bench_median "$work/times.sitegen" 1)" \
    -v mem="$(bench_median "$work/times.sitegen" 2)" \
    -v history="$(bench_median "$work/split" 1)" \
    -v rendering="$(bench_median "$work/split" 2)" \
    -v theirs="$(bench_median "$work/times.hugo" 1)" \
    -v theirmem="$(bench_median "$work/times.hugo" 2)" "$BENCH_AWK"'
BEGIN {
	printf "| site build with history, %s pages and %s commits | sitegen %.2f s: " \
	    "history %.2f s (walk and history pages) against page rendering %.2f s | " \
	    "%s MB | %.1f× faster than Hugo %s with enableGitInfo: %.2f s, %s MB |\n",
	    commas(pages), commas(commits), ours, history, rendering,
	    commas(mem / 1024 + 0.5), theirs / ours, hv, theirs,
	    commas(theirmem / 1024 + 0.5)
}'
