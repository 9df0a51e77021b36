#!/bin/bash
# The committed C sources are formatted as `make format` leaves them
# (clang-format with the checkout's .clang-format): one check per file,
# showing the first lines clang-format would change.
. "$(dirname "$0")/lib.sh"
cd "$SRC" || exit 1
command -v clang-format >/dev/null ||
	{ not_ok "format-0 clang-format is installed (tools/deps.sh test)"; done_testing; }
files=$(git ls-files '*.c' '*.h' 2>/dev/null)
[ -n "$files" ] || files=$(find site registry tools tests -name '*.[ch]' -not -path '*/node_modules/*' | sort)
check "format-0 there are C files to check" test -n "$files"
for f in $files; do
	[ -f "$f" ] || continue # deleted in the working tree
	if clang-format --dry-run -Werror "$f" >"$TMP/fmt" 2>&1; then
		ok "format $f"
	else
		not_ok "format $f (run make format)"
		grep -m 3 -A 2 'error:' "$TMP/fmt" | sed 's/^/#   /'
	fi
done
done_testing
