#!/bin/bash
# Published editions from the content's own list (content/editions.yaml),
# through the real sitegen: a clone without tags builds every listed
# edition; the list is data, neither published nor a change of the guide;
# a bad entry fails the build naming the file and the entry, and leaves
# the previous site; a tag may not contradict the list; a shallow clone
# lists an edition whose commit it lacks without pretending to have it.
. "$(dirname "$0")/../lib.sh"
SITEGEN="$BUILD/sitegen"
export GIT_AUTHOR_NAME="编辑部" GIT_AUTHOR_EMAIL="editor@example.org"
export GIT_COMMITTER_NAME="编辑部" GIT_COMMITTER_EMAIL="editor@example.org"
repo="$TMP/repo"
c="$repo/content"

commit() { # DATE MESSAGE
	export GIT_AUTHOR_DATE="$1T10:00:00+08:00" GIT_COMMITTER_DATE="$1T10:00:00+08:00"
	git -C "$repo" add -A && git -C "$repo" commit -qm "$2"
	git -C "$repo" rev-parse HEAD
}
page() { # FILE TITLE WEIGHT BODY
	printf -- '---\ntitle: %s\nweight: %s\n---\n%s\n' "$2" "$3" "$4" >"$c/$1"
}
list() { # ENTRY-LINES...: writes the editions list
	{ echo "editions:"; printf '%s\n' "$@"; } >"$c/editions.yaml"
}

mkdir -p "$c" && git -C "$repo" init -q
page index.md "样例指南" 0 "第一版的正文。"
first=$(commit 2017-09-20 "初版")
page index.md "样例指南" 0 "第二版的正文。"
second=$(commit 2018-03-01 "第二版")
list "  - name: \"2017-10\"" "    date: 2017-10-01" "    commit: $first" \
	"  - name: \"2018-04\"" "    date: 2018-04-01" "    commit: $second"
listed=$(commit 2018-03-02 "登记已发布的版本")

# 1. A clone with no tags at all builds every listed edition.
git clone -q --no-tags "file://$repo" "$TMP/clone"
check_eq "editions-1.0 the clone has no tags" "" "$(git -C "$TMP/clone" tag)"
"$SITEGEN" build --repo "$TMP/clone" --out "$TMP/out" -q 2>"$TMP/err"
check_eq "editions-1.1 the clone builds" 0 $?
o="$TMP/out"
check_contains "editions-1.2 edition 2017-10 is built with its own text" "$o/editions/2017-10/index.html" "第一版的正文。"
check_contains "editions-1.3 edition 2018-04 likewise" "$o/editions/2018-04/index.html" "第二版的正文。"
check_contains "editions-1.4 the banner carries the listed date" "$o/editions/2017-10/index.html" "（2017-10-01 发布）"
check_contains "editions-1.5 the editions page lists the older one with its date" "$o/editions/index.html" '2017-10 版</a>（<time datetime="2017-10-01">2017-10-01</time> 发布）'
check_contains "editions-1.6 the newer one is current (same text as the site)" "$o/editions/index.html" '2018-04-01</time> 发布） · 即现行版本'
check_eq "editions-1.7 only that one is current" 1 "$(grep -c '即现行版本' "$o/editions/index.html")"
check_contains "editions-1.8 consecutive editions are compared" "$o/editions/index.html" 'href="../editions/2018-04/changes-from/2017-10/"'
check "editions-1.9 the redline exists" test -s "$o/editions/2018-04/changes-from/2017-10/index.html"
check "editions-1.10 the list itself is not published" test ! -e "$o/editions.yaml"
check_not_contains "editions-1.11 recording an edition is not a change of the guide" "$o/changes/index.html" "登记已发布的版本"
check_not_contains "editions-1.12 nor an entry of the feed" "$o/feed.xml" "登记已发布的版本"
check_eq "editions-1.13 the build warns of nothing" "" "$(cat "$TMP/err")"

# 2. A tag beside the list: agreeing is fine, contradicting fails.
git -C "$repo" tag edition/2017-10 "$first"
"$SITEGEN" build --repo "$repo" --out "$TMP/out2" -q 2>"$TMP/err"
check_eq "editions-2.1 a tag agreeing with the list builds" 0 $?
check_eq "editions-2.2 the edition is listed once" 1 "$(grep -c '>2017-10 版</a>（' "$TMP/out2/editions/index.html")"
git -C "$repo" tag -f edition/2017-10 "$second" >/dev/null
"$SITEGEN" build --repo "$repo" --out "$TMP/out2" -q 2>"$TMP/err"
check_eq "editions-2.3 a tag contradicting the list fails the build" 1 $?
check_contains "editions-2.4 the message names the list and both commits" "$TMP/err" "content/editions.yaml: edition 2017-10 is commit ${first:0:12}, but the tag edition/2017-10 points at ${second:0:12}"
git -C "$repo" tag -d edition/2017-10 >/dev/null
git -C "$repo" tag edition/2018-09 "$second"
"$SITEGEN" build --repo "$repo" --out "$TMP/out2" -q 2>"$TMP/err"
check "editions-2.5 a tag alone still publishes its edition" test -s "$TMP/out2/editions/2018-09/index.html"
git -C "$repo" tag -d edition/2018-09 >/dev/null

# 3. Bad entries: the build fails naming the file and the entry, and the
#    previous site stays.
bad() { # NAME EXPECTED-MESSAGE ENTRY-LINES...
	local name=$1 expected=$2
	shift 2
	list "$@"
	"$SITEGEN" build --repo "$repo" --worktree --out "$o" -q 2>"$TMP/err"
	check_eq "$name fails the build" 1 $?
	check_contains "$name names the file and the entry" "$TMP/err" "$expected"
}
bad "editions-3.1 a short commit id" "content/editions.yaml: editions[0] (2017-10): 'commit' must be a full commit id" \
	"  - name: \"2017-10\"" "    date: 2017-10-01" "    commit: ${first:0:7}"
bad "editions-3.2 an impossible date" "content/editions.yaml: editions[0] (2017-10): 'date' must be the day of publication" \
	"  - name: \"2017-10\"" "    date: 2017-02-30" "    commit: $first"
bad "editions-3.3 an unknown key" "content/editions.yaml: editions[0] (2017-10): unknown key 'comit'" \
	"  - name: \"2017-10\"" "    date: 2017-10-01" "    comit: $first"
bad "editions-3.4 a name twice" "content/editions.yaml: editions[1] (2017-10): the name is listed twice (also editions[0])" \
	"  - name: \"2017-10\"" "    date: 2017-10-01" "    commit: $first" \
	"  - name: \"2017-10\"" "    date: 2018-04-01" "    commit: $second"
bad "editions-3.5 a name that cannot be an address" "content/editions.yaml: editions[0] (../x): 'name' must be" \
	"  - name: \"../x\"" "    date: 2017-10-01" "    commit: $first"
bad "editions-3.6 broken YAML" "content/editions.yaml:3: editions list:" \
	"  - name: \"2017-10\"" "    date: [2017"
bad "editions-3.7 a commit the repository does not have" "edition 2017-10" \
	"  - name: \"2017-10\"" "    date: 2017-10-01" "    commit: 0123456789abcdef0123456789abcdef01234567"
check_contains "editions-3.8 the previous site stays after every failure" "$o/editions/2017-10/index.html" "第一版的正文。"
git -C "$repo" checkout -q -- content/editions.yaml

# 4. A shallow clone lacks the older commit: the edition is listed, said
#    to be unavailable, and the build does not fail.
git clone -q --depth 1 "file://$repo" "$TMP/shallow"
"$SITEGEN" build --repo "$TMP/shallow" --out "$TMP/sh" -q 2>"$TMP/sherr"
check_eq "editions-4.1 a shallow clone still builds" 0 $?
check_contains "editions-4.2 it warns that the edition's commit is missing" "$TMP/sherr" "edition 2017-10: commit ${first:0:12} is not in this clone"
check_contains "editions-4.3 the editions page still lists it, with its date" "$TMP/sh/editions/index.html" '2017-10 版（<time datetime="2017-10-01">2017-10-01</time> 发布）'
check_contains "editions-4.4 and says its text is not here" "$TMP/sh/editions/index.html" "此版本的全文暂未收录在本网站"
check "editions-4.5 no empty folder pretends to be the edition" test ! -e "$TMP/sh/editions/2017-10"

# 5. The project's own guide: its published edition is in the list, so a
#    checkout without tags builds /editions/2017-10/.
"$SITEGEN" build --repo "$SRC" --worktree --out "$TMP/guide" -q 2>"$TMP/gerr"
check_eq "editions-5.1 the guide builds" 0 $?
check "editions-5.2 the guide's edition 2017-10 is built" test -s "$TMP/guide/editions/2017-10/index.html"
check_contains "editions-5.3 published on 2017-10-01" "$TMP/guide/editions/index.html" '<time datetime="2017-10-01">2017-10-01</time> 发布'
done_testing
