#!/bin/bash
# The test harness itself, shown to fail when it should: a check on a
# missing file fails; a skip is counted as a skip, never as a pass; a
# suite that crashes without a word is a failure; table rows in C tests
# pass or fail one by one; a badly formatted C file fails the format check.
. "$(dirname "$0")/lib.sh"

# harness-1: check_not_contains on a file that does not exist.  (The
# inner lib.sh makes a TMP of its own: paths are fixed outside.)
outer=$TMP
(
	. "$SRC/tests/lib.sh"
	check_not_contains "inner" "$outer/no-such-file" "anything"
	done_testing
) >"$TMP/inner.out" 2>&1
check_eq "harness-1.1 check_not_contains on a missing file exits non-zero" 1 $?
check_contains "harness-1.2 and reports not ok" "$TMP/inner.out" "not ok - inner"
check_contains "harness-1.3 naming the missing file" "$TMP/inner.out" "expected $TMP/no-such-file to exist"
printf 'hello\n' >"$TMP/present"
(
	. "$SRC/tests/lib.sh"
	check_not_contains "inner" "$outer/present" "absent text"
	done_testing
) >"$TMP/inner.out" 2>&1
check_eq "harness-1.4 check_not_contains on a file without the text passes" 0 $?

# harness-2: tests/run.sh counts passes, failures and skips apart.
mkdir -p "$TMP/suites" "$TMP/runbuild"
cat >"$TMP/suites/mixed.sh" <<'SUITE'
#!/bin/sh
echo "ok - one passes"
echo "ok - two could not run # SKIP no such tool"
echo "ok 3 - three skipped by cmocka # skip"
echo "not ok - four fails"
exit 1
SUITE
cat >"$TMP/suites/crash.sh" <<'SUITE'
#!/bin/sh
echo "ok - before the crash"
kill -SEGV $$
SUITE
cat >"$TMP/suites/clean.sh" <<'SUITE'
#!/bin/sh
echo "ok - a"
echo "ok - b # SKIP not here"
SUITE
chmod +x "$TMP/suites/"*.sh
"$SRC/tests/run.sh" "$TMP/runbuild" "$TMP/suites/mixed.sh" >"$TMP/run.out" 2>&1
check_eq "harness-2.1 a failing suite makes run.sh fail" 1 $?
check_eq "harness-2.2 skips are counted apart from passes" "1 passed, 1 failed, 2 skipped" "$(tail -n 1 "$TMP/run.out")"
check_contains "harness-2.3 each skip is shown with its reason" "$TMP/run.out" "ok - two could not run # SKIP no such tool"
"$SRC/tests/run.sh" "$TMP/runbuild" "$TMP/suites/crash.sh" >"$TMP/run.out" 2>&1
check_eq "harness-2.4 a suite killed by a signal fails" 1 $?
check_eq "harness-2.5 and counts as a failure" "1 passed, 1 failed, 0 skipped" "$(tail -n 1 "$TMP/run.out")"
"$SRC/tests/run.sh" "$TMP/runbuild" "$TMP/suites/clean.sh" >"$TMP/run.out" 2>&1
check_eq "harness-2.6 skips alone do not fail the run" 0 $?
check_eq "harness-2.7 but are never passes" "1 passed, 0 failed, 1 skipped" "$(tail -n 1 "$TMP/run.out")"

# harness-3: a table of rows (tests/unit/rows.h) whose first row fails
# still runs and reports the others.
cat >"$TMP/rows_test.c" <<'C'
#include "tests/unit/rows.h"

static const struct row { const char *name; int value; } table[] = {
	{"first row", 1}, {"second row", 2}, {"third row", 3},
};

static void
row_is_even_or_three(void **state)
{
	const struct row *row = *state;
	if (row->value % 2 != 0 && row->value != 3)
		fail_msg("%s: %d is odd", row->name, row->value);
}

int
main(void)
{
	struct rows r = {0};
	ROWS_TABLE(&r, table, row_is_even_or_three, "rows %s", row->name);
	return rows_run(&r, "rows") == 1 ? 0 : 2;
}
C
if ${CC:-cc} -std=c11 -I"$SRC" -o "$TMP/rows_test" "$TMP/rows_test.c" -lcmocka 2>"$TMP/cc.out"; then
	CMOCKA_MESSAGE_OUTPUT=TAP "$TMP/rows_test" >"$TMP/rows.out" 2>&1
	check_eq "harness-3.1 exactly one row failed" 0 $?
	check "harness-3.2 the failing row is reported by its name" grep -q '^not ok 1 - rows first row' "$TMP/rows.out"
	check "harness-3.3 the row after it still ran and passed" grep -q '^ok 2 - rows second row' "$TMP/rows.out"
	check "harness-3.4 and the last" grep -q '^ok 3 - rows third row' "$TMP/rows.out"
else
	not_ok "harness-3.0 a table test compiles"; sed 's/^/#   /' "$TMP/cc.out"
fi

# harness-4: the format check fails on a file clang-format would change.
fake="$TMP/fake-src"
mkdir -p "$fake/tests"
cp "$SRC/.clang-format" "$fake/"
cp "$SRC/tests/lib.sh" "$SRC/tests/format.sh" "$fake/tests/"
printf 'int\nmain(void)\n{\n\treturn 0;\n}\n' >"$fake/good.c"
git -C "$fake" init -q && git -C "$fake" add -A
SRC="$fake" "$fake/tests/format.sh" >"$TMP/fmt.out" 2>&1
check_eq "harness-4.1 a formatted file passes the format check" 0 $?
printf 'int main(void){return 0;}\n' >"$fake/bad.c"
git -C "$fake" add -A
SRC="$fake" "$fake/tests/format.sh" >"$TMP/fmt.out" 2>&1
check_eq "harness-4.2 a badly formatted file fails it" 1 $?
check "harness-4.3 naming the file" grep -q '^not ok - format bad.c' "$TMP/fmt.out"
done_testing
