#!/bin/bash
# The registry's benchmark: generates 1,000,000 synthetic certificates,
# imports them into a fresh registry and publishes a snapshot, and prints
# Markdown table rows with wall time and peak memory (resident set) of each;
# then the same publish signed (--key: every event into the log, its tiles
# and a signed checkpoint), alternating unsigned and signed runs on the
# same registry, and the ratio of the best signed to the best unsigned.
#   tools/bench-registry.sh BUILD_DIR [COUNT]
# Peak memory comes from GNU time (Debian package `time`).
set -euo pipefail
build=$(cd "$1" && pwd)
count=${2:-1000000}
work=$(mktemp -d "${TMPDIR:-/tmp}/bench-registry.XXXXXX")
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1767225600  # 2026-01-01: the same figures every run

"$build/gen-registry" "$count" >"$work/registry.csv"
"$build/registryctl" -q --db "$work/registry.db" init

measure() { # LABEL COMMAND...
	local label=$1; shift
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%e %M' -o "$work/time" "$@"
		read -r seconds kb <"$work/time"
		last=$seconds
		printf '| %s | %s s | %d MB |\n' "$label" "$seconds" $((kb / 1024))
	else
		local start end
		start=$(date +%s.%N); "$@"; end=$(date +%s.%N)
		last=$(echo "$end - $start" | bc)
		printf '| %s | %.2f s | (install `time`) |\n' "$label" \
			"$(echo "$end - $start" | bc)"
	fi
}
n=$(echo "$count" | sed -e ':a' -e 's/\B[0-9]\{3\}\>/,&/' -e 'ta')
measure "registry import $n certificates" \
	"$build/registryctl" -q --db "$work/registry.db" import "$work/registry.csv"
measure "registry publish $n certificates" \
	"$build/registryctl" -q --db "$work/registry.db" publish "$work/snapshot.db"
echo "| registry snapshot size | $(( $(stat -c %s "$work/snapshot.db") / 1048576 )) MB | |"

# The log and its signature: the same publish with --key, a new log each
# time (every event hashed, every tile written: a first signing, the most
# work), alternating with unsigned runs.
"$build/registryctl" keygen bench.registry.invalid/log "$work/log.key" >/dev/null
unsigned=$last signed=
for round in 1 2; do
	rm -rf "$work/signed.db" "$work/signed.db.tlog"
	measure "registry publish $n certificates, signed (--key), run $round" \
		"$build/registryctl" -q --db "$work/registry.db" publish --key "$work/log.key" "$work/signed.db"
	signed=$(echo "$last" | awk -v b="$signed" '{ print (b == "" || $1 < b) ? $1 : b }')
	if [ "$round" = 1 ]; then
		measure "registry publish $n certificates, unsigned, run 2" \
			"$build/registryctl" -q --db "$work/registry.db" publish "$work/snapshot.db"
		unsigned=$(echo "$last" | awk -v b="$unsigned" '{ print ($1 < b) ? $1 : b }')
	fi
done
echo "| registry log of $(sed -n 2p "$work/signed.db.tlog/checkpoint") events | $(du -sm "$work/signed.db.tlog" | cut -f1) MB, $(find "$work/signed.db.tlog" -type f | wc -l) files | |"
awk -v s="$signed" -v u="$unsigned" 'BEGIN { printf "| signed publish / unsigned (best of each) | %.2f (+%.0f%%; at most +20%%) | |\n", s / u, (s / u - 1) * 100 }'
