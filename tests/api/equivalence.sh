#!/bin/bash
# The registry's answers do not change: every answer of registryd's API
# and every page `sitegen build --registry` writes for the registry,
# recorded once (tests/api/equivalence/*.txt, one line per request: the
# request and the SHA-256 of its normalised answer) and compared on every
# run, for the sample registry (as tests/api/helpers.bash publishes it,
# signed) and for a generated one of 10,000 certificates
# (build/gen-registry 10000, signed).  A change to how the registry is
# imported, published, stored or served must leave them all as they are.
#
#   EQUIVALENCE_WRITE=1 tests/run.sh build tests/api/equivalence.sh
#                         (or EQUIVALENCE_WRITE=1 bash tests/api/equivalence.sh build)
#                         records them anew, after a change that is meant
#                         to change answers
#
# What is asked: both exports with and without every filter; the change
# feed (kinds, since/until, walked through its cursors to the end; CSV;
# Atom); every kind of search (numbers whole, short, by prefix, in
# full-width; credit codes; current and former names; one, two and more
# Chinese or Latin characters; queries that find nothing; with filters
# and as_of), the lists walked through their cursors; single lookups
# (certificate, organisation, history, receipt); /v1/meta; the signed
# log; the bulk check (the API's and the site's); every file of the
# registry's pages (registry/ and en/registry/: lists, certificates,
# organisations, their index.json, receipts and feeds; the search index).
# tests/api/equivalence/record.pl says what is normalised (the snapshot's
# digest and the signatures over it: nothing else) and how lists are
# walked.  The snapshot is signed with the committed test key
# tests/api/equivalence/log.key, so its verifier key is the same on every
# run; cursors are made with a fixed secret.  On a difference the test
# prints the request and both hashes and, for the sample, a diff against
# the recorded answer (tests/api/equivalence/sample-answers.txt.xz).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/helpers.bash"

DIR="$SRC/tests/api/equivalence"
RECORD="perl $DIR/record.pl"
export SOURCE_DATE_EPOCH=$NOW # the publish time, pinned
TODAY=2026-01-01
PUBLIC=https://registry.example.org
printf 'equivalence test cursor secret, not a real one\n' >"$TMP/cursor-secret"
# git keeps the key readable by all; registryctl wants it private.
KEY="$TMP/log.key"
cp "$DIR/log.key" "$KEY" && chmod 600 "$KEY"
SITEGEN="$BUILD/sitegen"
WRITE=${EQUIVALENCE_WRITE:-}

# digest SNAPSHOT: its content digest, as /v1/meta gives it (the digest
# of its rows, kept in its meta table: a new schema of the same rows
# changes it, and answers that quote it are compared without it).
digest() { sqlite3 "$1" "SELECT value FROM meta WHERE key = 'sha256'"; }

# serve SNAPSHOT [ARGS]: registryd on the snapshot as the tests pin it.
serve() {
	local snap=$1
	shift
	start_registryd --db "$snap" -q --today "$TODAY" \
		--cursor-secret "$TMP/cursor-secret" --base-url "$PUBLIC" "$@"
}

# compare SET GOT: each line of GOT against tests/api/equivalence/SET.txt
# (or, with EQUIVALENCE_WRITE=1, GOT becomes it).  One TAP line for each
# request; the pages' lines are summed up in one.
compare() {
	local set=$1 got=$2 golden="$DIR/$1.txt"
	if [ -n "$WRITE" ]; then
		cp "$got" "$golden"
		ok "equivalence $set: $(wc -l <"$golden") answers recorded in tests/api/equivalence/$set.txt"
		return
	fi
	[ -f "$golden" ] || { not_ok "equivalence $set: tests/api/equivalence/$set.txt exists (EQUIVALENCE_WRITE=1 records it)"; return; }
	awk -F '\t' -v set="$set" -v differ="$TMP/differ.$set" '
	NR == FNR { want[$1] = $2; order[++n] = $1; next }
	{ seen[$1] = 1 }
	!($1 in want) { printf "not ok - equivalence %s: %s: a request the record does not have\n#   got:  %s\n", set, $1, $2; bad++; next }
	$1 ~ /^pages? / { if (want[$1] == $2) pages++; else {
		printf "not ok - equivalence %s: %s\n#   want: %s\n#   got:  %s\n", set, $1, want[$1], $2; bad++ }
		next }
	want[$1] == $2 { printf "ok - equivalence %s: %s\n", set, $1; next }
	{ printf "not ok - equivalence %s: %s\n#   want: %s\n#   got:  %s\n", set, $1, want[$1], $2; print $1 >> differ; bad++ }
	END {
		for (i = 1; i <= n; i++) if (!(order[i] in seen)) {
			printf "not ok - equivalence %s: %s: recorded, not asked\n", set, order[i]; bad++ }
		if (pages) printf "ok - equivalence %s: %d page files (or groups) as recorded\n", set, pages
	}' "$golden" "$got" >"$TMP/compare.$set"
	cat "$TMP/compare.$set"
	grep -q '^not ok' "$TMP/compare.$set" && _failed=1
	return 0
}

# answer FILE REQUEST: the recorded answer of REQUEST in an answers file.
answer() {
	awk -v req="### $2" '$0 == req { on = 1; next } /^### / { on = 0 } on' "$1"
}

# explain SET ANSWERS: for each request that differs, a diff of its
# answer against the recorded one (the sample's answers are kept).
explain() {
	local set=$1 answers=$2 req
	[ -f "$TMP/differ.$set" ] && [ -f "$DIR/$set-answers.txt.xz" ] || return 0
	xz -dc "$DIR/$set-answers.txt.xz" >"$TMP/want-answers"
	while IFS= read -r req; do
		echo "# $req: recorded (-) and now (+):"
		diff -u <(answer "$TMP/want-answers" "$req") <(answer "$answers" "$req") |
			tail -n +3 | head -n 40 | sed 's/^/#   /'
	done <"$TMP/differ.$set"
}

# keep_answers SET ANSWERS: with EQUIVALENCE_WRITE=1, the answers are
# kept compressed beside the record.
keep_answers() {
	[ -n "$WRITE" ] || return 0
	xz -9e -T1 -c "$2" >"$DIR/$1-answers.txt.xz"
}

# urlq TEXT: TEXT percent-encoded for a query string.
urlq() { printf %s "$1" | jq -sRr @uri; }

# --- the sample registry ----------------------------------------------
# As tests/api/helpers.bash publishes it (the sample on 2026-01-01 and two
# renames), signed with the committed key.
mkdir -p "$TMP/s"
"$REGISTRYCTL" -q --db "$TMP/s/registry.db" --now "$NOW" sample &&
	"$REGISTRYCTL" -q --db "$TMP/s/registry.db" --now "$NOW" \
		org rename 15 "示例全新名称科技有限公司" --date 2025-12-20 >/dev/null &&
	"$REGISTRYCTL" -q --db "$TMP/s/registry.db" --now "$NOW" \
		org rename 16 '示例"引号",逗号有限公司' --date 2025-12-21 >/dev/null &&
	"$REGISTRYCTL" -q --db "$TMP/s/registry.db" --now "$NOW" \
		publish --key "$KEY" "$TMP/s/snapshot.db" ||
	{ not_ok "equivalence-0.1 the sample registry is published"; done_testing; }
SNAP="$TMP/s/snapshot.db"
(cd "$SRC" && "$SITEGEN" build -q --repo "$SRC" --out "$TMP/s/site" --registry "$SNAP" \
	--api-doc registry/openapi.json --base-url "$PUBLIC/") 2>"$TMP/s/sitegen.err" ||
	{ not_ok "equivalence-0.2 sitegen builds the sample's pages"; sed 's/^/#   /' "$TMP/s/sitegen.err" | head; done_testing; }
serve "$SNAP" --site "$TMP/s/site" || { not_ok "equivalence-0.3 registryd starts"; done_testing; }

# The requests: one a line, "get PATH" or "walk PATH" (record.pl).
C=/v1/certificates
E=/v1/export/certificates
{
	echo "get /v1/meta"
	echo "get /healthz"
	echo "get /v1/checkpoint"
	echo "get /v1/log/consistency?from=100"
	echo "get /v1/log/consistency?from=1&to=841"
	# Exports: whole, each filter, filters together, as_of.
	for format in csv ndjson; do
		for query in "" "status=valid" "status=suspended" "status=revoked" \
			"status=expired" "status=superseded" "level=1" "level=2" "level=5" \
			"category=CS" "category=SO" "category=DR" "changed_since=2025-10-01" \
			"changed_since=2025-06-01&status=valid&level=1" "as_of=2025-08-04" \
			"as_of=2024-01-01&status=valid" "as_of=2025-08-04&status=suspended" \
			"q=$(urlq 青岚)" "q=tailspin" "q=$(urlq 松涧)" "q=cs2-2024" \
			"q=914403058GLX14WMJA" "q=$(urlq 云)&status=valid&category=CS" \
			"q=$(urlq 龘龘)" "changed_since=2099-01-01" "status=ok" "level=9" \
			"changed_since=2025-02-30"; do
			echo "get $E.$format${query:+?$query}"
		done
	done
	# The change feed.
	for query in "" "kind=suspend,revoke" "kind=org-rename" "kind=issue&since=2025-01-01" \
		"since=2025-01-01&until=2025-12-31" "kind=suspend,revoke&since=2025-01-01&until=2025-12-31" \
		"since=2025-12-01" "until=2023-01-01" "since=2099-01-01"; do
		echo "walk /v1/changes?limit=100${query:+&$query}"
		echo "walk /v1/changes?limit=7${query:+&$query}"
		echo "get /v1/changes.csv${query:+?$query}"
		echo "get /v1/changes.atom${query:+?$query}"
		echo "get /v1/changes.atom?limit=5${query:+&$query}"
	done
	echo "get /v1/changes?limit=5"
	echo "get /v1/changes?since=2025-13-01"
	echo "get /v1/changes.csv?until=soon"
	# Lists and searches, walked.  (A page of a filtered list or a search
	# may stop early, when its time budget is spent, so only the first
	# pages of the unfiltered lists are compared as they are, cursors
	# included.)
	for query in "" "status=valid" "status=suspended" "level=2" "category=SO" \
		"level=1&category=CS&status=expired" "as_of=2025-08-04" \
		"as_of=2025-08-04&status=suspended" "as_of=2020-01-01" \
		"q=CNITSEC-CS1-2024-0004" "q=CS1-2024-0004" "q=cs1-2024-0004" \
		"q=$(urlq ＣＳ１－２０２４－０００４)" "q=CNITSEC-CS1" "q=CS2-2024" "q=so" "q=SO5" \
		"q=CNITSEC-XX9-2024-0001" "q=914403058GLX14WMJA" "q=914403058glx14wmja" \
		"q=91440305" "q=$(urlq 云)" "q=$(urlq 青岚)" "q=$(urlq 青岚云安全)" \
		"q=$(urlq 示例青岚云安全科技有限公司)" "q=$(urlq 松涧)" "q=$(urlq 示例松涧云安全科技有限公司)" \
		"q=$(urlq 全新名称)" "q=$(urlq '"引号",逗号')" "q=a" "q=ta" "q=tailspin" "q=TAILSPIN" \
		"q=Data%20Security" "q=$(urlq 龘)" "q=$(urlq 龘龘)" "q=$(urlq 龘龘龘龘)" "q=x" "q=zq" \
		"q=zzzzqqq" "q=$(urlq 云)&status=valid" "q=$(urlq 云)&level=2" "q=$(urlq 云)&category=CS" \
		"q=$(urlq 云)&as_of=2025-08-04&status=suspended" "q=tailspin&as_of=2024-06-01" \
		"q=CNITSEC-CS1-2024-0004&as_of=2024-01-01"; do
		echo "walk $C?limit=100${query:+&$query}"
		echo "walk $C?limit=3${query:+&$query}"
	done
	echo "walk /v1/organisations?limit=100"
	echo "walk /v1/organisations?limit=9"
	echo "get /v1/organisations?limit=5"
	echo "get /v1/organisations"
	echo "get $C?limit=5"
	echo "get $C"
	echo "get $C?q="
	echo "get $C?limit=500"
	echo "get $C?status=ok"
	echo "get $C?as_of=2025-02-30"
	echo "get $C?cursor=forged"
	# Single lookups.
	for number in CNITSEC-CS1-2024-0004 CNITSEC-CS1-2024-0003 CNITSEC-CS1-2024-0013 \
		CNITSEC-CS1-2024-0005 CNITSEC-SI1-2024-0001 CNITSEC-CS1-2023-0001 \
		CNITSEC-CS1-2025-0002 CNITSEC-SO5-2025-0001 CNITSEC-CS1-2024-0122 \
		CNITSEC-CS1-2024-0090 CS1-2024-0004 cnitsec-cs1-2024-0004 CNITSEC-CS1-2099-0001 NOT-A-NUMBER; do
		echo "get $C/$number"
		echo "get $C/$number?as_of=2025-08-04"
		echo "get $C/$number?as_of=2022-01-01"
		echo "get $C/$number/history"
		echo "get $C/$number/receipt"
	done
	for id in 1 9 15 16 40 62 148 200 201 0 x; do
		echo "get /v1/organisations/$id"
		echo "get /v1/organisations/$id?as_of=2025-05-01"
	done
	# The bulk check, the API's and the site's, and the check page.
	bulk="CS1-2024-0004,CNITSEC-CS1-2099-0001,914403058GLX14WMJA,$(urlq ＣＳ１－２０２４－０００３),CNITSEC-CS1-2024-0013,x"
	echo "get $C?number=$bulk"
	echo "get $C?number=$bulk&format=csv"
	echo "get $C?number=$bulk&as_of=2025-08-04"
	echo "get /registry/bulk/?numbers=$bulk"
	echo "get /registry/check/?q=CS1-2024-0004"
	echo "get /registry/check/?q=$(urlq 青岚)"
	echo "get /registry/check/?q=$(urlq 龘)"
	echo "get /registry/certificates/CS1-2024-0004/"
	echo "get /registry/certificates/CNITSEC-CS1-2099-0001/"
} >"$TMP/s/requests"

$RECORD --api "$BASE" "$(digest "$SNAP")" "$TMP/s/requests" --answers "$TMP/s/answers" >"$TMP/s/got" ||
	not_ok "equivalence-0.4 the sample's answers are recorded"
$RECORD --pages "$TMP/s/site" "$(digest "$SNAP")" | grep -E $'^page (en/)?(registry|search)/' >>"$TMP/s/got"
compare sample "$TMP/s/got"
explain sample "$TMP/s/answers"
keep_answers sample "$TMP/s/answers"

# --- a generated registry of 10,000 certificates -------------------------
G="$TMP/g"
mkdir -p "$G"
"$BUILD/gen-registry" 10000 >"$G/registry.csv" &&
	"$REGISTRYCTL" -q --db "$G/registry.db" init &&
	"$REGISTRYCTL" -q --db "$G/registry.db" import "$G/registry.csv" &&
	"$REGISTRYCTL" -q --db "$G/registry.db" publish --key "$KEY" "$G/snapshot.db" ||
	{ not_ok "equivalence-0.5 the generated registry is published"; done_testing; }
# Its pages are built while the API is asked.
(cd "$SRC" && "$SITEGEN" build -q --repo "$SRC" --out "$G/site" --registry "$G/snapshot.db" \
	--base-url "$PUBLIC/") 2>"$G/sitegen.err" &
sitegen_pid=$!
serve "$G/snapshot.db" || { not_ok "equivalence-0.6 registryd starts"; done_testing; }
{
	echo "get /v1/meta"
	echo "get /v1/checkpoint"
	echo "get /v1/log/consistency?from=1000"
	for format in csv ndjson; do
		for query in "" "status=expired" "status=superseded" "status=valid" "level=3" \
			"category=CS&level=5" "changed_since=2022-06-01" "as_of=2018-01-01" \
			"as_of=2018-01-01&status=valid&level=2" "q=$(urlq 合成组织1469)" \
			"q=cnitsec-cs1-2014" "q=915498114G1E2319TR" "q=$(urlq 龘)"; do
			echo "get $E.$format${query:+?$query}"
		done
	done
	echo "walk /v1/changes?limit=100"
	echo "walk /v1/changes?limit=100&kind=renew&since=2020-01-01"
	echo "walk /v1/changes?limit=100&since=2022-06-01&until=2022-12-31"
	echo "get /v1/changes?limit=5"
	echo "get /v1/changes.csv"
	echo "get /v1/changes.csv?kind=org-add,renew&since=2021-01-01"
	echo "get /v1/changes.atom"
	echo "get /v1/changes.atom?kind=renew&limit=20"
	for query in "" "status=valid" "level=4&status=expired" "as_of=2015-06-30" \
		"q=CNITSEC-CS1-2022-000166" "q=cs1-2022-000166" "q=CNITSEC-CS3-2015" "q=CS5" \
		"q=915498114G1E2319TR" "q=91549811" "q=$(urlq 合)" "q=$(urlq 组织)" \
		"q=$(urlq 合成组织1469)" "q=$(urlq 合成组织1469有限公司)" "q=$(urlq 组织33)" \
		"q=$(urlq 龘)" "q=$(urlq 龘龘)" "q=$(urlq 龘龘龘龘)" "q=x" "q=xy" "q=xyzzy" \
		"q=$(urlq 组织)&status=valid&level=2" "q=$(urlq 组织12)&as_of=2016-01-01"; do
		echo "walk $C?limit=100${query:+&$query}"
	done
	echo "get $C?limit=5"
	echo "walk /v1/organisations?limit=100"
	echo "get /v1/organisations?limit=5"
	for number in CNITSEC-CS1-2010-000001 CNITSEC-CS1-2022-000166 CNITSEC-CS1-2019-000153 \
		CNITSEC-CS5-2022-000043 CS1-2014-000002 CNITSEC-CS1-2099-000001; do
		echo "get $C/$number"
		echo "get $C/$number?as_of=2020-01-01"
		echo "get $C/$number/history"
		echo "get $C/$number/receipt"
	done
	for id in 1 1469 3374 3375; do
		echo "get /v1/organisations/$id"
		echo "get /v1/organisations/$id?as_of=2015-01-01"
	done
	echo "get $C?number=CNITSEC-CS1-2022-000166,CS1-2019-000153,915498114G1E2319TR,CNITSEC-CS1-2099-000001"
	echo "get $C?number=CNITSEC-CS1-2022-000166,CS1-2019-000153,915498114G1E2319TR,CNITSEC-CS1-2099-000001&format=csv"
} >"$G/requests"
$RECORD --api "$BASE" "$(digest "$G/snapshot.db")" "$G/requests" >"$G/got" ||
	not_ok "equivalence-0.7 the generated registry's answers are recorded"
if wait "$sitegen_pid"; then
	$RECORD --pages "$G/site" "$(digest "$G/snapshot.db")" --group |
		grep -E $'^pages (en/)?(registry|search)/' >>"$G/got"
else
	not_ok "equivalence-0.8 sitegen builds the generated registry's pages"
	sed 's/^/#   /' "$G/sitegen.err" | head
fi
compare generated "$G/got"
done_testing
