#!/bin/bash
# make bench, the registry on the website: the guide built with a snapshot of
# 10,000 certificates (ten times the largest real registry expected), made
# by tools/gen-registry.c, imported and published with registryctl; the
# build's time, pages per second and peak memory, and the search index's
# size for this site and for the sample registry's.
#
#   tools/bench-site-registry.sh BUILD_DIR   (BENCH_CERTIFICATES=10000 BENCH_RUNS=3)
set -eu
build=$1
count=${BENCH_CERTIFICATES:-10000}
runs=${BENCH_RUNS:-3}
top=$(cd "$(dirname "$0")/.." && pwd)
say() { echo "bench-site-registry: $*" >&2; }
. "$(dirname "$0")/benchlib.sh"
for tool in sitegen registryctl gen-registry; do
	[ -x "$build/$tool" ] || { say "$build/$tool is missing; run make"; exit 1; }
done
work=$(bench_workdir sitegen-registry)
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1767225600 # 2026-01-01: the same registry every run

say "publishing a registry of $count certificates"
"$build/gen-registry" "$count" >"$work/registry.csv"
"$build/registryctl" -q --db "$work/registry.db" init
"$build/registryctl" -q --db "$work/registry.db" import "$work/registry.csv"
"$build/registryctl" -q --db "$work/registry.db" publish "$work/snapshot.db"
"$build/registryctl" -q --db "$work/sample.db" sample
"$build/registryctl" -q --db "$work/sample.db" publish "$work/sample-snapshot.db"

: >"$work/times.sitegen"
for i in $(seq 0 "$runs"); do
	say "build $i of $runs (0 warms the caches)"
	[ "$i" = 0 ] && { "$build/sitegen" build --repo "$top" --worktree -q \
	    --registry "$work/snapshot.db" --out "$work/out"; continue; }
	bench_run sitegen "$work/out" "$build/sitegen" build --repo "$top" \
	    --worktree -q --registry "$work/snapshot.db" --out "$work/out"
done
files=$(find "$work/out" -name index.html | wc -l)
index=$(cat "$work/out"/search/* | wc -c)
"$build/sitegen" build --repo "$top" --worktree -q --registry "$work/sample-snapshot.db" --out "$work/sample"
sample_index=$(cat "$work/sample"/search/* | wc -c)
sample_certs=$(find "$work/sample/registry/certificates" -mindepth 1 -maxdepth 1 | wc -l)
awk -v count="$count" -v files="$files" -v secs="$(bench_median "$work/times.sitegen" 1)" \
    -v kb="$(bench_median "$work/times.sitegen" 2)" -v idx="$index" \
    -v sample="$sample_index" -v sample_certs="$sample_certs" "$BENCH_AWK"'
BEGIN {
	printf "| site build with a registry of %s certificates | %.2f s, %s pages, %s pages/s | %s MB | |\n",
	    commas(count), secs, commas(files), commas(files / secs + 0.5), commas(kb / 1024 + 0.5)
	printf "| search index, guide and %s organisations of %s certificates | %.1f MB | | |\n",
	    "all", commas(count), idx / 1048576
	printf "| search index, guide and the sample registry (%s certificates) | %s KB | | |\n",
	    commas(sample_certs), commas(sample / 1024 + 0.5)
}'
