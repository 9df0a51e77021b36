# The sample registry the OpenAPI document's examples are answers of
# (tests/api/node/examples.mjs): registryctl sample as of its own date,
# 2026-01-01, published to DIR/snapshot.db and signed with a new key.
#   examples_registry DIR
examples_registry() {
	local dir=$1 now=1767225600
	mkdir -p "$dir"
	"$BUILD/registryctl" -q --db "$dir/registry.db" --now "$now" sample &&
		"$BUILD/registryctl" keygen sample.registry.invalid/log "$dir/log.key" >/dev/null &&
		"$BUILD/registryctl" -q --db "$dir/registry.db" --now "$now" \
			publish --key "$dir/log.key" "$dir/snapshot.db"
}
