#!/bin/bash
# Browser tests: builds the site with the sample registry, serves it and
# the API with registryd on a loopback port (its security headers are the
# production ones), and runs
# site.test.mjs and lang.test.mjs in Debian's chromium (playwright-core, axe-core from npm).
# Screenshots go to build/screenshots/.
. "$(dirname "$0")/../lib.sh"
. "$SRC/tests/browser/lib.sh"
browser_needs browser chromium zbarimg

"$BUILD/registryctl" --db "$TMP/registry.db" sample -q >/dev/null &&
	"$BUILD/registryctl" --db "$TMP/registry.db" publish "$TMP/snapshot.db" -q >/dev/null ||
	{ not_ok "browser-0 the sample registry is published"; done_testing; }

browser_serve browser "$TMP/snapshot.db" --api-doc "$SRC/registry/openapi.json"

# Each test file on its own (site.test.mjs, lang.test.mjs: the English
# pages), so that each test is a line of its own; receipt.test.mjs and
# preview.test.mjs have scripts of their own.
rc=0
for file in "$here/site.test.mjs" "$here/lang.test.mjs"; do
	SITE_URL="$url" browser_run "$file" || rc=1
done
exit "$rc"
