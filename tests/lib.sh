# Helpers for the shell test suites: source it, call the checks, end with
# `done_testing`.  tests/harness.sh checks these helpers themselves.  Each check prints a TAP line "ok - name" or
# "not ok - name" followed by what was expected and what was seen.
# BUILD (the build folder) and SRC (the checkout) come from tests/run.sh.
set -u
: "${BUILD:=$(cd "$(dirname "$0")/../.." && pwd)/build}"
: "${SRC:=$(cd "$(dirname "$0")/../.." && pwd)}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/sitetest.XXXXXX")
trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$TMP"' EXIT
_failed=0

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; _failed=1; }

# check NAME COMMAND...: passes when COMMAND exits 0.
check() {
	local name=$1; shift
	if "$@" >"$TMP/.out" 2>&1; then ok "$name"; else
		not_ok "$name"; sed 's/^/#   /' "$TMP/.out" | head -n 20
	fi
}

# check_fails NAME COMMAND...: passes when COMMAND exits non-zero.
check_fails() {
	local name=$1; shift
	if "$@" >"$TMP/.out" 2>&1; then
		not_ok "$name (expected failure, command succeeded)"
	else ok "$name"; fi
}

# check_eq NAME EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else
		not_ok "$1"; echo "#   expected: $2"; echo "#   actual:   $3"
	fi
}

# check_contains NAME FILE TEXT: FILE contains the fixed string TEXT.
check_contains() {
	if grep -qF -- "$3" "$2" 2>/dev/null; then ok "$1"; else
		not_ok "$1"; echo "#   expected $2 to contain: $3"
	fi
}

# check_not_contains NAME FILE TEXT: FILE exists and does not contain TEXT.
# A missing file fails: absence of the file proves nothing.
check_not_contains() {
	if [ ! -f "$2" ]; then
		not_ok "$1"; echo "#   expected $2 to exist (and not to contain: $3)"
	elif ! grep -qF -- "$3" "$2"; then ok "$1"; else
		not_ok "$1"; echo "#   expected $2 not to contain: $3"
		grep -nF -- "$3" "$2" | head -n 3 | sed 's/^/#   /'
	fi
}

# skip NAME REASON: a check that could not run here.  tests/run.sh counts
# it as skipped, never as passed.
skip() { echo "ok - $1 # SKIP $2"; }

done_testing() { exit $_failed; }

# snapsql SNAPSHOT SQL...: sqlite3 on a published snapshot, its tables read
# through the plain-text views of tests/snapshot-views.sql.
snapsql() { sqlite3 -cmd ".read $SRC/tests/snapshot-views.sql" "$@"; }
