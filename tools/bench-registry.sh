#!/bin/bash
# The registry's benchmark: generates 1,000,000 synthetic certificates,
# imports them into a fresh registry and publishes a snapshot, and prints
# Markdown table rows with wall time and peak memory (resident set) of each.
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
		printf '| %s | %s s | %d MB |\n' "$label" "$seconds" $((kb / 1024))
	else
		local start end
		start=$(date +%s.%N); "$@"; end=$(date +%s.%N)
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
