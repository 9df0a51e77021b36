# What the browser suites share, sourced after tests/lib.sh: the npm
# packages and the tools they need, the site served by registryd on a
# loopback port, and a test file run in Debian's chromium.
here="$SRC/tests/browser"

# browser_needs NAME TOOL...: the versions in package-lock.json exactly
# (npm ci), installed again only when the lock file changes, and each TOOL
# on the PATH; else "NAME-0 ..." fails and the suite ends.
browser_needs() {
	local name=$1 lock_sum tool
	shift
	lock_sum=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)
	if [ "$(cat "$here/node_modules/.lock-sha256" 2>/dev/null)" != "$lock_sum" ]; then
		(cd "$here" && npm ci --no-audit --no-fund --silent) >"$TMP/npm.log" 2>&1 ||
			{ not_ok "$name-0 npm ci of playwright-core and axe-core"; sed 's/^/#   /' "$TMP/npm.log"; done_testing; }
		echo "$lock_sum" >"$here/node_modules/.lock-sha256"
	fi
	for tool in node "$@"; do
		command -v "$tool" >/dev/null || { not_ok "$name-0 $tool is installed (tools/deps.sh browser)"; done_testing; }
	done
}

# browser_serve NAME SNAPSHOT [SITEGEN-OPTION...]: builds the site with the
# registry SNAPSHOT into $TMP/site and serves both with registryd (its
# security headers are the production ones) on a free loopback port:
# sets $url and $server, and stops the server at exit.  The server refuses
# to start on a taken port, so another is tried.
browser_serve() {
	local name=$1 snapshot=$2 attempt port i
	shift 2
	server=
	for attempt in 1 2 3 4 5; do
		port=$((20000 + RANDOM % 30000))
		url="http://127.0.0.1:$port/"
		"$BUILD/sitegen" build --repo "$SRC" --worktree --registry "$snapshot" "$@" \
			--base-url "$url" --out "$TMP/site" -q 2>"$TMP/build.log" ||
			{ not_ok "$name-0 the site builds"; sed 's/^/#   /' "$TMP/build.log"; done_testing; }
		"$BUILD/registryd" --db "$snapshot" --site "$TMP/site" \
			--listen "127.0.0.1:$port" -q >"$TMP/server.log" 2>&1 &
		server=$!
		for i in $(seq 50); do
			curl -fs -o /dev/null "$url" && break
			kill -0 "$server" 2>/dev/null || break
			sleep 0.1
		done
		curl -fs -o /dev/null "$url" && break
		kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; server=
	done
	[ -n "$server" ] || { not_ok "$name-0 the site is served on loopback"; sed 's/^/#   /' "$TMP/server.log"; done_testing; }
	trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; [ -n "${KEEP_TMP:-}" ] || rm -rf "$TMP"' EXIT
}

# browser_run FILE: runs the test file with node's TAP reporter, each test
# a line "ok - ..." of its own; returns node's status.  The caller sets
# SITE_URL and what else the file reads in the environment.
browser_run() {
	SCREENSHOTS="$BUILD/screenshots" NODE_PATH="$here/node_modules" \
		node --test --test-reporter=tap "$1" 2>&1 |
		sed -e 's/^ok [0-9]* - /ok - /' -e 's/^not ok [0-9]* - /not ok - /'
	return "${PIPESTATUS[0]}"
}
