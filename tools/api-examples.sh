#!/bin/bash
# Writes registryd's real answers on the sample registry into
# registry/openapi.json as its example responses (the API page shows them;
# tests/api/examples.sh fails when one drifts from the answer).
#   tools/api-examples.sh BUILD_DIR
# Run it after a change to what a route answers or to a parameter's
# example, then review the document's diff.
set -eu
BUILD=$(cd "$1" && pwd)
SRC=$(cd "$(dirname "$0")/.." && pwd)
export BUILD SRC
. "$SRC/tests/lib.sh"
. "$SRC/tests/api/helpers.bash"
. "$SRC/tests/api/examples.bash"
DOC="$SRC/registry/openapi.json"
examples_registry "$TMP/fx"
start_registryd --db "$TMP/fx/snapshot.db" -q \
	--base-url "$(json_get "$DOC" '$."x-examples-base-url"')"
node "$SRC/tests/api/node/examples.mjs" "$DOC" "$BASE" --write
echo "api-examples: registry/openapi.json has registryd's answers as its examples"
