# Helpers for the registryd tests: source after tests/lib.sh.
#
#   api_fixture DIR       the sample registry as of 2026-01-01 with two more
#                         renames (one to a name with a comma and quotes),
#                         published to DIR/snapshot.db and signed with a
#                         new key DIR/log.key (the log: DIR/snapshot.db.tlog)
#   start_registryd ARGS  starts registryd on a free loopback port (retrying
#                         another when the one picked is taken); sets
#                         REGISTRYD_PID, PORT and BASE; every server started
#                         is killed when the script exits
#   fetch PATH [CURL...]  GET BASE/PATH: the status is printed, the headers
#                         are in $TMP/h and the body in $TMP/b
#   header NAME           a header of the last fetch ($TMP/h)

REGISTRYCTL="$BUILD/registryctl"
REGISTRYD="$BUILD/registryd"
NOW=1767225600 # 2026-01-01T00:00:00Z
_servers=""

_cleanup() {
	local pid
	for pid in $_servers; do
		kill "$pid" 2>/dev/null
	done
	for pid in $_servers; do
		wait "$pid" 2>/dev/null
	done
	[ -n "${KEEP_TMP:-}" ] || rm -rf "$TMP"
}
trap _cleanup EXIT

api_fixture() {
	local dir=$1
	mkdir -p "$dir"
	"$REGISTRYCTL" -q --db "$dir/registry.db" --now "$NOW" sample &&
	"$REGISTRYCTL" -q --db "$dir/registry.db" --now "$NOW" \
		org rename 15 "示例全新名称科技有限公司" --date 2025-12-20 &&
	"$REGISTRYCTL" -q --db "$dir/registry.db" --now "$NOW" \
		org rename 16 '示例"引号",逗号有限公司' --date 2025-12-21 &&
	"$REGISTRYCTL" keygen registry.test/log "$dir/log.key" >/dev/null &&
	"$REGISTRYCTL" -q --db "$dir/registry.db" --now "$NOW" \
		publish --key "$dir/log.key" "$dir/snapshot.db"
}

# start_registryd ARGS...: --listen is added.
start_registryd() {
	local attempt log
	for attempt in 1 2 3 4 5 6 7 8 9 10; do
		PORT=$((20000 + RANDOM % 40000))
		BASE="http://127.0.0.1:$PORT"
		log="$TMP/registryd.$PORT.log"
		"$REGISTRYD" --listen "127.0.0.1:$PORT" "$@" \
			>"$TMP/access.$PORT.log" 2>"$log" &
		REGISTRYD_PID=$!
		_servers="$_servers $REGISTRYD_PID"
		ACCESS_LOG="$TMP/access.$PORT.log"
		REGISTRYD_LOG=$log
		local i
		for i in $(seq 1 100); do
			if curl -s -o /dev/null "$BASE/healthz"; then
				return 0
			fi
			if ! kill -0 "$REGISTRYD_PID" 2>/dev/null; then
				break
			fi
			sleep 0.1
		done
		kill "$REGISTRYD_PID" 2>/dev/null
		wait "$REGISTRYD_PID" 2>/dev/null
		grep -q "cannot listen" "$log" || {
			echo "# registryd did not start:"
			sed 's/^/#   /' "$log"
			return 1
		}
	done
	echo "# no free port found"
	return 1
}

fetch() {
	local path=$1
	shift
	: >"$TMP/b" # curl leaves the file alone when there is no body
	curl -s -o "$TMP/b" -D "$TMP/h" -w '%{http_code}' "$@" "$BASE$path"
}

header() {
	grep -i "^$1:" "$TMP/h" | head -n 1 | sed 's/^[^:]*: *//' | tr -d '\r'
}

# json_get FILE EXPRESSION: a value from a JSON document, with sqlite3's
# JSON functions (package sqlite3, already a test dependency).
json_get() {
	sqlite3 :memory: "SELECT json_extract(readfile('$1'), '$2')"
}
