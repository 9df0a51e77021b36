#!/bin/bash
# make bench: runs every part of the benchmark (tools/bench-*.sh, in name
# order) with the build folder, then prints their results as one Markdown
# table, ready for the README.  Usage: tools/bench.sh BUILD_DIR
#
# A part prints its result rows on stdout, each a table row of up to four
# cells:
#   | what was measured | time or size | peak memory | compared with what |
# and anything else (progress, errors) on stderr.  A part that fails is
# named at the end and makes this script fail; the other rows still print.
set -u
build=${1:?usage: tools/bench.sh BUILD_DIR}
tools=$(cd "$(dirname "$0")" && pwd)

rows=""
failed=""
for part in "$tools"/bench-*.sh; do
	[ -e "$part" ] || continue
	name=$(basename "$part" .sh)
	echo "bench: running $name" >&2
	if out=$(bash "$part" "$build"); then
		rows="$rows$out"$'\n'
	else
		rows="$rows$out"$'\n'
		failed="$failed $name"
	fi
done

echo
echo "| Benchmark | Result | Peak memory | Compared with |"
echo "| --- | --- | --- | --- |"
printf '%s' "$rows" | grep '^|' || true
if [ -n "$failed" ]; then
	echo "bench: failed:$failed" >&2
	exit 1
fi
