#!/bin/bash
# Runs every test suite and sums their TAP lines.  Usage:
#   tests/run.sh BUILD_DIR SUITE...
# A suite is an executable (a unit-test binary or a script) that prints
# "ok - name" / "not ok - name" lines.  A suite that exits non-zero without
# reporting a failure counts as one failure, so a crash never passes.
# A line "ok - name # SKIP reason" is a skip, counted apart: never a pass.
# The last line is "N passed, N failed, N skipped"; the exit status is 1
# on any failure.
set -u
export BUILD="$(cd "$1" && pwd)"
shift
export SRC="$(cd "$(dirname "$0")/.." && pwd)"
export CMOCKA_MESSAGE_OUTPUT=TAP
logs="$BUILD/test-logs"
mkdir -p "$logs"
passed=0 failed=0 skipped=0
for suite in "$@"; do
	name=$(basename "$suite")
	log="$logs/$name.log"
	echo "# suite $name"
	"$suite" >"$log" 2>&1 </dev/null
	rc=$?
	s=$(grep -ciE '^ok .*# *skip' "$log")
	p=$(($(grep -c '^ok ' "$log") - s))
	f=$(grep -c '^not ok ' "$log")
	grep -E '^(not ok|#)' "$log" | grep -v '^# ok' | head -n 200
	grep -iE '^ok .*# *skip' "$log" | head -n 50
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		echo "not ok - $name exited with status $rc (log: $log)"
		tail -n 20 "$log" | sed 's/^/#   /'
		f=1
	fi
	echo "# $name: $p passed, $f failed, $s skipped"
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
