#!/bin/bash
# make run: creates the sample registry, publishes it, builds the site
# from the committed content with the registry's pages and the API page,
# and serves the site and the API together with registryd until
# interrupted.
#   tools/run.sh BUILD_DIR
# HOST and PORT say where to listen (default 127.0.0.1 and 8080); every
# absolute address on the site (canonical links, sitemap, feeds, QR codes,
# the API page's examples) follows from them, or from BASE_URL when the
# site is reached at a public address (BASE_URL=https://registry.example/).
set -eu
build=$1
host=${HOST:-127.0.0.1}
port=${PORT:-8080}
case "$host" in *:*) origin_host="[$host]" ;; *) origin_host=$host ;; esac
base_url=${BASE_URL:-http://$origin_host:$port/}
case "$base_url" in
http://*/ | https://*/) ;;
http://* | https://*) base_url="$base_url/" ;;
*) echo "run: BASE_URL must start with http:// or https:// (got '$base_url')" >&2; exit 2 ;;
esac

# The sample fills an empty registry: start from none each time, with a
# new log and a new sample signing key (its name says it is a sample's).
rm -rf "$build/registry.db" "$build/snapshot.db.tlog" "$build/sample-log.key"
"$build/registryctl" -q --db "$build/registry.db" sample
"$build/registryctl" keygen sample.registry.invalid/log "$build/sample-log.key" >/dev/null
"$build/registryctl" -q --db "$build/registry.db" publish --key "$build/sample-log.key" "$build/snapshot.db"
"$build/sitegen" build --out "$build/public" --registry "$build/snapshot.db" \
	--api-doc registry/openapi.json --base-url "$base_url"
echo "run: the site at ${base_url} and the API at ${base_url}v1/ (listening on $origin_host:$port; Ctrl-C stops)"
exec "$build/registryd" --db "$build/snapshot.db" --site "$build/public" \
	--listen "$origin_host:$port"
