# Shared by the site benchmarks (tools/bench-site.sh, tools/bench-history.sh):
# where to work, how to time a build, medians, and Markdown figures.
# Source it after setting `build`, `runs` and a `say` function.

# bench_workdir NAME: a fresh folder for the run, on a tmpfs when there is
# room (BENCH_DIR chooses another parent), so that the figures are the
# generators' and not the disk's: on ext4, creating files soon after
# deleting many is slow, and every build deletes the previous output first.
bench_workdir() {
	local parent=${BENCH_DIR:-}
	if [ -z "$parent" ]; then
		parent=$build
		if [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] &&
		    [ "$(df -Pk /dev/shm | awk 'NR == 2 { print $4 }')" -gt 2000000 ]; then
			parent=/dev/shm
		fi
	fi
	local dir
	dir=$(mktemp -d "$parent/$1.XXXXXX") && (cd "$dir" && pwd) # absolute, for Hugo
}

# bench_run TOOL OUT CMD...: runs CMD, which writes the folder OUT, into an
# empty OUT, and appends its wall time (s) and peak memory (KB) to
# $work/times.TOOL; CMD's standard error goes to $work/stderr.TOOL.
bench_run() {
	local tool=$1 out=$2
	shift 2
	rm -rf "$out"
	if ! /usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/log" 2>"$work/stderr.$tool"; then
		cat "$work/log" "$work/stderr.$tool" >&2
		say "failed: $*"
		exit 1
	fi
	tail -n 1 "$work/time" >>"$work/times.$tool"
}

# bench_median FILE FIELD: the median of a whitespace-separated column.
bench_median() {
	local n middle
	n=$(wc -l <"$1")
	middle=$(((n + 1) / 2))
	cut -d' ' -f"$2" "$1" | sort -n | sed -n "${middle}p"
}

# bench_hugo_site SRC DEST: Hugo's copy of a content folder, with the
# comparable site of tools/hugo/ (index.md is _index.md to Hugo).
bench_hugo_site() {
	local top
	top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
	cp -R "$top/tools/hugo/." "$2/"
	mkdir -p "$2/static/assets"
	cp "$top/site/static/style.css" "$2/static/assets/"
	[ "$1" = "$2/content" ] || cp -R "$1" "$2/content"
	for f in "$2/content/index.md" "$2/content"/*/index.md; do
		mv "$f" "${f%index.md}_index.md"
	done
}

# Awk functions for the figures: commas(12345) is "12,345".
BENCH_AWK='
function commas(n,   s) {
	s = sprintf("%d", n)
	while (s ~ /[0-9][0-9][0-9][0-9]/)
		sub(/[0-9][0-9][0-9]($|,)/, ",&", s)
	return s
}'

# bench_registry_snapshot COUNT DIR: publishes a generated registry of
# COUNT certificates (tools/gen-registry.c) to DIR/snapshot.db, about 90 s
# for 1,000,000, and prints its path; BENCH_API_SNAPSHOT, when set, is
# printed instead.  Needs `build` and SOURCE_DATE_EPOCH set.
bench_registry_snapshot() {
	if [ -n "${BENCH_API_SNAPSHOT:-}" ]; then
		echo "$BENCH_API_SNAPSHOT"
		return
	fi
	"$build/gen-registry" "$1" >"$2/registry.csv"
	"$build/registryctl" -q --db "$2/registry.db" init
	"$build/registryctl" -q --db "$2/registry.db" import "$2/registry.csv"
	"$build/registryctl" -q --db "$2/registry.db" publish "$2/snapshot.db"
	rm -f "$2/registry.csv" "$2/registry.db"
	echo "$2/snapshot.db"
}
