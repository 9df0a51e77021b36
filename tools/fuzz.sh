#!/bin/bash
# Runs each libFuzzer target for a bounded time: tools/fuzz.sh DIR SECONDS NAME...
# (the targets are DIR/NAME).
# Each target keeps its corpus in DIR/corpus/NAME (seeded from
# tests/fuzz/seeds/NAME when present); a crash fails the run and leaves the
# input that caused it in DIR/crashes/.
set -u
dir=$1 seconds=$2
shift 2
mkdir -p "$dir/crashes"
failed=0
for name in "$@"; do
	target="$dir/$name"
	corpus="$dir/corpus/$name"
	mkdir -p "$corpus"
	seeds="tests/fuzz/seeds/${name#fuzz_}"
	[ -d "$seeds" ] && cp -n "$seeds"/* "$corpus"/ 2>/dev/null
	echo "fuzz: $name for ${seconds}s"
	if ! "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$dir/crashes/$name-" -print_final_stats=0 \
		"$corpus" >"$dir/$name.log" 2>&1; then
		echo "fuzz: $name FAILED; see $dir/$name.log and $dir/crashes/"
		tail -n 30 "$dir/$name.log"
		failed=1
	else
		grep -E '^#[0-9]+.*DONE' "$dir/$name.log" | tail -n 1
	fi
done
exit $failed
