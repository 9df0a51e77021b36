#!/bin/bash
# The registry's benchmark: generates COUNT (default 1,000,000) synthetic
# certificates (tools/gen-registry.c), and prints Markdown table rows, each
# with wall time, CPU time and peak memory (resident set) and the baseline
# measured in the same run:
#   - the import into a fresh registry, beside sqlite3's own `.import` of
#     the same CSV into a plain table (the sqlite3 command-line shell): the
#     ratio of the two, and each one's peak memory;
#   - the publish of a snapshot, unsigned, and with the signed log (--key:
#     every event into the log, its tiles and a signed checkpoint; a new log
#     each time, the most work), alternating unsigned and signed runs on
#     the same registry, beside the targets, and the ratio of the best
#     signed to the best unsigned;
#   - the registry database's, the snapshot's and the log's size on disk.
#   tools/bench-registry.sh BUILD_DIR [COUNT]
# Peak memory and CPU time come from GNU time (Debian package `time`).
set -euo pipefail
build=$(cd "$1" && pwd)
count=${2:-1000000}
say() { echo "bench-registry: $*" >&2; }
for tool in registryctl gen-registry; do
	[ -x "$build/$tool" ] || { say "$build/$tool is missing; run make"; exit 1; }
done
for tool in sqlite3 /usr/bin/time; do
	command -v "$tool" >/dev/null || { say "$tool is missing (tools/deps.sh bench)"; exit 1; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/bench-registry.XXXXXX")
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1767225600 # 2026-01-01: the same figures every run

say "generating $count certificates"
"$build/gen-registry" "$count" >"$work/registry.csv"
"$build/registryctl" -q --db "$work/registry.db" init

# measure COMMAND...: runs it under GNU time; sets secs, cpu (user +
# system, s) and mb (peak resident set).
measure() {
	/usr/bin/time -f '%e %M %U %S' -o "$work/time" "$@"
	local kb user sys
	read -r secs kb user sys <"$work/time"
	cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
	mb=$((kb / 1024))
}
# row LABEL [COMPARED]: a table row of the last measure.
row() {
	printf '| %s | %s s (CPU %s s) | %d MB | %s |\n' "$1" "$secs" "$cpu" "$mb" "${2:-}"
}
# best OLD NEW: the smaller, OLD empty counting as none.
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }
# A file's size in MiB (2^20 bytes), and in MB (10^6 bytes).
megabytes() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.0f", b / 1048576 }'; }
decimal_megabytes() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.1f", b / 1e6 }'; }
commas() { echo "$1" | sed -e ':a' -e 's/\B[0-9]\{3\}\>/,&/' -e 'ta'; }
n=$(commas "$count")
csv_mb=$(megabytes "$work/registry.csv")

# The import, and its baseline: sqlite3 reading the same file into a
# table of text columns, no index, no check (first, so that both read the
# CSV from the page cache).
say "sqlite3 .import"
measure sqlite3 "$work/plain.db" ".import --csv $work/registry.csv certificates"
base_secs=$secs base_cpu=$cpu base_mb=$mb
say "registryctl import"
measure "$build/registryctl" -q --db "$work/registry.db" import "$work/registry.csv"
row "registry import $n certificates ($csv_mb MiB CSV)" "$(awk -v s="$secs" -v b="$base_secs" \
	-v bc="$base_cpu" -v bm="$base_mb" -v m="$mb" 'BEGIN {
	printf "sqlite3 .import of the same CSV into a plain table, same run: %s s (CPU %s s), %d MB; import %.1f× its time (target ≤ 3×), %.1f× its memory (target ≤ 100 MB)", b, bc, bm, s / b, m / bm }')"

say "publish"
measure "$build/registryctl" -q --db "$work/registry.db" publish "$work/snapshot.db"
row "registry publish $n certificates, unsigned, run 1"
unsigned=$secs unsigned_cpu=$cpu
"$build/registryctl" keygen bench.registry.invalid/log "$work/log.key" >/dev/null
signed="" signed_cpu="" signed_mb=""
# Each signed run into a path of its own: writing a new log's 11,760
# files where the last run's were just removed costs ext4 (without a
# journal) a check of each recently freed inode, a cost of the benchmark's
# clean-up that no publish meets.
for round in 1 2; do
	signed_db="$work/signed-$round.db"
	say "publish --key, run $round"
	measure "$build/registryctl" -q --db "$work/registry.db" publish --key "$work/log.key" "$signed_db"
	row "registry publish $n certificates, signed (--key), run $round" "target ≤ 8 s, ≤ 150 MB"
	signed=$(best "$signed" "$secs")
	signed_cpu=$(best "$signed_cpu" "$cpu")
	signed_mb=$(best "$signed_mb" "$mb")
	if [ "$round" = 1 ]; then
		say "publish, run 2"
		measure "$build/registryctl" -q --db "$work/registry.db" publish "$work/snapshot.db"
		row "registry publish $n certificates, unsigned, run 2"
		unsigned=$(best "$unsigned" "$secs")
		unsigned_cpu=$(best "$unsigned_cpu" "$cpu")
	fi
done
awk -v s="$signed" -v u="$unsigned" 'BEGIN { printf "| signed publish / unsigned, wall time (best of each) | %.2f (+%.0f%%; at most +20%%) | | |\n", s / u, (s / u - 1) * 100 }'
awk -v s="$signed_cpu" -v u="$unsigned_cpu" 'BEGIN { if (u > 0) printf "| signed publish / unsigned, CPU time (best of each) | %.2f (+%.0f%%) | | |\n", s / u, (s / u - 1) * 100 }'
echo "| registry database / snapshot on disk, $n certificates | $(megabytes "$work/registry.db") MiB / $(megabytes "$signed_db") MiB ($(decimal_megabytes "$signed_db") MB) | | sqlite3's plain table of the CSV: $(megabytes "$work/plain.db") MiB; target snapshot ≤ 200 MB |"
echo "| registry log of $(commas "$(sed -n 2p "$signed_db.tlog/checkpoint")") events | $(du -sm "$signed_db.tlog" | cut -f1) MiB, $(find "$signed_db.tlog" -type f | wc -l) files | | |"
