#!/bin/bash
# make deb: the Debian package, built from the files git tracks (as they
# are in the worktree) with the packaging in tools/debian/pkg/, without
# the network, then checked by lintian (any error fails).
#   tools/debian/build.sh OUT_DIR VERSION
# The package lands in OUT_DIR; OUT_DIR/lintian.txt holds lintian's words.
set -euo pipefail
out=$1 version=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
changelog_version=$(dpkg-parsechangelog -l "$src/tools/debian/pkg/changelog" -S Version)
if [ "$changelog_version" != "$version" ]; then
	echo "deb: tools/debian/pkg/changelog is at $changelog_version, the Makefile's VERSION is $version: add a changelog entry" >&2
	exit 1
fi
rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)
tree=$out/qualification-registry-$version
mkdir -p "$tree"
(cd "$src" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$tree")
cp -r "$src/tools/debian/pkg" "$tree/debian"
cp "$src/tools/deploy/systemd/registryd.service" "$tree/debian/qualification-registry.registryd.service"
cp "$src/tools/deploy/systemd/registryd@.service" "$tree/debian/qualification-registry.registryd@.service"
# Reproducible: every file of the tree dated from the changelog.
export SOURCE_DATE_EPOCH=$(dpkg-parsechangelog -l "$tree/debian/changelog" -S Timestamp)
(cd "$tree" && dpkg-buildpackage -b -us -uc -j"$(nproc)" >"$out/build.log" 2>&1) || {
	tail -n 30 "$out/build.log" >&2
	echo "deb: dpkg-buildpackage failed (log: $out/build.log)" >&2
	exit 1
}
deb=$(ls "$out"/qualification-registry_"$version"_*.deb)
lintian --no-cfg --tag-display-limit 0 -I "$deb" >"$out/lintian.txt" 2>&1 || true
errors=$(grep -c '^E: ' "$out/lintian.txt" || true)
warnings=$(grep -c '^W: ' "$out/lintian.txt" || true)
infos=$(grep -c '^I: ' "$out/lintian.txt" || true)
sed 's/^/deb: lintian: /' "$out/lintian.txt"
echo "deb: $deb"
echo "deb: lintian: $errors errors, $warnings warnings, $infos notes"
[ "$errors" = 0 ]
