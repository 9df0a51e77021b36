#!/bin/bash
# make run: creates the sample registry, publishes it, builds the site
# from the committed content with the registry's pages and the API page,
# and serves the site and the API together with registryd at
# http://127.0.0.1:8080/ (PORT overrides the port) until interrupted.
#   tools/run.sh BUILD_DIR
set -eu
build=$1
port=${PORT:-8080}

# The sample fills an empty registry: start from none each time.
rm -f "$build/registry.db"
"$build/registryctl" -q --db "$build/registry.db" sample
"$build/registryctl" -q --db "$build/registry.db" publish "$build/snapshot.db"
"$build/sitegen" build --out "$build/public" --registry "$build/snapshot.db" \
	--api-doc registry/openapi.json
echo "run: the site at http://127.0.0.1:$port/ and the API at http://127.0.0.1:$port/v1/ (Ctrl-C stops)"
exec "$build/registryd" --db "$build/snapshot.db" --site "$build/public" \
	--listen "127.0.0.1:$port"
