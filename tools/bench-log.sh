#!/bin/bash
# The log's benchmark: build/bench-log over 1,000,000 synthetic events
# (hashing, every tile and entry bundle written to a tmpfs when there is
# one, proof sizes for 1,000 and 1,000,000 events, a receipt, signing),
# and the run's peak memory (the tree's level arrays).  Prints Markdown
# table rows.  tools/bench-log.sh BUILD_DIR [COUNT]
set -euo pipefail
build=$(cd "$1" && pwd)
count=${2:-1000000}
parent=${TMPDIR:-/tmp}
if [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ]; then
	parent=/dev/shm
fi
work=$(mktemp -d "$parent/bench-log.XXXXXX")
trap 'rm -rf "$work"' EXIT

mkdir "$work/log"
if [ -x /usr/bin/time ]; then
	/usr/bin/time -f '%M' -o "$work/time" "$build/bench-log" "$work/log" "$count"
	echo "| log: peak memory of the run above (the tree and its level arrays) | | $(($(tail -n 1 "$work/time") / 1024)) MB | |"
else
	"$build/bench-log" "$work/log" "$count"
fi
