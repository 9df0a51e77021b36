#!/bin/bash
# Browser tests: builds the site with the sample registry, serves it and
# the API with registryd on a loopback port (its security headers are the
# production ones), and runs
# site.test.mjs and lang.test.mjs in Debian's chromium (playwright-core, axe-core from npm).
# Screenshots go to build/screenshots/.
. "$(dirname "$0")/../lib.sh"
here="$SRC/tests/browser"
# The versions in package-lock.json exactly (npm ci), installed again only
# when the lock file changes.
lock_sum=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$here/node_modules/.lock-sha256" 2>/dev/null)" != "$lock_sum" ]; then
	(cd "$here" && npm ci --no-audit --no-fund --silent) >"$TMP/npm.log" 2>&1 ||
		{ not_ok "browser-0 npm ci of playwright-core and axe-core"; sed 's/^/#   /' "$TMP/npm.log"; done_testing; }
	echo "$lock_sum" >"$here/node_modules/.lock-sha256"
fi
for tool in node chromium zbarimg; do
	command -v "$tool" >/dev/null || { not_ok "browser-0 $tool is installed (tools/deps.sh browser)"; done_testing; }
done

"$BUILD/registryctl" --db "$TMP/registry.db" sample -q >/dev/null &&
	"$BUILD/registryctl" --db "$TMP/registry.db" publish "$TMP/snapshot.db" -q >/dev/null ||
	{ not_ok "browser-0 the sample registry is published"; done_testing; }

# A free port: the server refuses to start on a taken one.
for attempt in 1 2 3 4 5; do
	port=$((20000 + RANDOM % 30000))
	url="http://127.0.0.1:$port/"
	"$BUILD/sitegen" build --repo "$SRC" --worktree --registry "$TMP/snapshot.db" \
		--api-doc "$SRC/registry/openapi.json" \
		--base-url "$url" --out "$TMP/site" -q 2>"$TMP/build.log" ||
		{ not_ok "browser-0 the site builds"; sed 's/^/#   /' "$TMP/build.log"; done_testing; }
	"$BUILD/registryd" --db "$TMP/snapshot.db" --site "$TMP/site" \
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
[ -n "${server:-}" ] || { not_ok "browser-0 the site is served on loopback"; sed 's/^/#   /' "$TMP/server.log"; done_testing; }
trap 'kill $server 2>/dev/null; rm -rf "$TMP"' EXIT

# Each test file on its own (site.test.mjs, lang.test.mjs: the English
# pages), so that each test is a line of its own; receipt.test.mjs and
# preview.test.mjs have scripts of their own.
rc=0
for file in "$here/site.test.mjs" "$here/lang.test.mjs"; do
	SITE_URL="$url" SCREENSHOTS="$BUILD/screenshots" NODE_PATH="$here/node_modules" \
		node --test --test-reporter=tap "$file" 2>&1 |
		sed -e 's/^ok [0-9]* - /ok - /' -e 's/^not ok [0-9]* - /not ok - /'
	[ "${PIPESTATUS[0]}" = 0 ] || rc=1
done
exit "$rc"
