# Shared by the registry's shell tests (sourced after tests/lib.sh).
# RCTL runs the real registryctl with a fixed clock, so results do not
# depend on the day the tests run.
RCTL_BIN="$BUILD/registryctl"
NOW="2026-01-01T02:00:00Z"
rctl() { "$RCTL_BIN" --now "$NOW" "$@"; }

# check_exit NAME STATUS COMMAND...: COMMAND exits with STATUS; its
# standard error is kept in $TMP/.err and its output in $TMP/.out.
check_exit() {
	local name=$1 want=$2; shift 2
	"$@" >"$TMP/.out" 2>"$TMP/.err"
	local got=$?
	if [ "$got" = "$want" ]; then ok "$name"; else
		not_ok "$name"; echo "#   expected exit $want, got $got"
		sed 's/^/#   stderr: /' "$TMP/.err" | head -n 5
	fi
}

# Counts rows of a table of a database.
rows() { sqlite3 "$1" "SELECT count(*) FROM $2"; }
