#!/bin/bash
# layers: the registry's layers hold (registry/README.md).  In the
# programs built: registryd and sitegen read snapshots and hold no code
# that records, imports or writes one; registryctl holds no API or HTTP
# server; the fault injection of the tests is in the test program only
# (nm and strings of the binaries).  In the source: each layer includes
# only the layers below it, SQLite is spoken by the files that own a
# database only, and only the programs print.
. "$(dirname "$0")/../lib.sh"

# defines PROGRAM SYMBOL: the binary defines the function or object.
defines() { nm --defined-only "$1" 2>/dev/null | awk '{print $NF}' | grep -qx -- "$2"; }

# The writers and the system of record, by one public symbol each.
WRITERS="publish_snapshot ops_record bulk_import bulk_export_csv sample_build
	snapshot_write_begin snapshot_write_commit db_open db_scan_certs csv_read"

for program in registryd sitegen registryctl; do
	check "link-1.1 $program is built with its symbols (nm reads it)" \
		test -n "$(nm --defined-only "$BUILD/$program" 2>/dev/null | head -n 1)"
done
check "link-1.2 registryd has the API and the snapshot reader" \
	defines "$BUILD/registryd" api_handle
check "link-1.2 registryd reads snapshots" defines "$BUILD/registryd" snapshot_open
check "link-1.2 sitegen reads snapshots" defines "$BUILD/sitegen" snapshot_open
check "link-1.2 sitegen renders the registry" defines "$BUILD/sitegen" regpages_write
check "link-1.2 registryctl publishes" defines "$BUILD/registryctl" publish_snapshot
for symbol in $WRITERS; do
	check_fails "link-1.3 registryd has no $symbol" defines "$BUILD/registryd" "$symbol"
	check_fails "link-1.4 sitegen has no $symbol" defines "$BUILD/sitegen" "$symbol"
done
for symbol in api_handle http_start; do
	check_fails "link-1.5 registryctl has no $symbol" defines "$BUILD/registryctl" "$symbol"
done
check_eq "link-1.5 registryctl needs no Civetweb" "" \
	"$(nm -u "$BUILD/registryctl" | awk '{print $NF}' | grep '^mg_' || true)"

# Test hooks: in the test program, not in registryctl.
check "link-2.1 the test program has the fault injection" \
	defines "$BUILD/tests/registryctl-faults" __wrap_rename
check_eq "link-2.2 registryctl has no wrapped calls" "" \
	"$(nm --defined-only "$BUILD/registryctl" | awk '{print $NF}' | grep '^__wrap_' || true)"
for text in REGISTRY_FAULT REGISTRY_TEST_PUBLISH_PAUSE "paused at"; do
	check_eq "link-2.3 registryctl has no test hook \"$text\"" 0 \
		"$(strings "$BUILD/registryctl" | grep -c -- "$text")"
done

# The source: what each layer may include, lowest first.
cd "$SRC" || exit 1
allowed() { # LAYER: the layers its files may include
	case $1 in
	base) echo "base" ;;
	rules) echo "base rules" ;;
	log) echo "base rules log" ;;
	snapshot) echo "base rules log snapshot" ;;
	record) echo "base rules log snapshot record" ;;
	api) echo "base rules log snapshot api" ;;
	http) echo "base rules log snapshot api http" ;;
	esac
}
for layer in base rules log snapshot record api http; do
	check "layers-3.1 registry/$layer/ has files" test -n "$(ls registry/$layer/*.c 2>/dev/null)"
	wrong=""
	for file in registry/$layer/*.[ch]; do
		for used in $(sed -n 's|^#include "registry/\([a-z]*\)/.*|\1|p' "$file" | sort -u); do
			case " $(allowed "$layer") " in
			*" $used "*) ;;
			*) wrong="$wrong $file:$used" ;;
			esac
		done
	done
	check_eq "layers-3.2 registry/$layer/ includes only $(allowed "$layer")" "" "$wrong"
done
# snapshot/ uses the log in one module: a snapshot's events as the log's
# tree (snapshot/log.c), shared by registryd, sitegen and verify.
check_eq "layers-3.4 in registry/snapshot/ only log.h includes registry/log/ (for log.c)" \
	"registry/snapshot/log.h" \
	"$(grep -l '^#include "registry/log/' registry/snapshot/*.[ch] | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')"
# site/regpages.c also includes the API's document writers (registry/api/
# doc.h): each page's JSON twin is the API's own document, written by one
# writer rather than a second copy; doc.c, cert.c and json.c hold no HTTP.
check_eq "layers-3.3 site/regpages.c reads the registry through rules, snapshot and the API's documents only" "" \
	"$(sed -n 's|^#include "registry/\([a-z]*\)/.*|\1|p' site/regpages.c site/regpages.h | grep -vx 'base\|rules\|snapshot\|api' || true)"
check_eq "layers-3.3 and of the API, doc.h only" "registry/api/doc.h" \
	"$(sed -n 's|^#include "\(registry/api/[^"]*\)".*|\1|p' site/regpages.c site/regpages.h | sort -u | tr '\n' ' ' | sed 's/ $//')"
check_eq "layers-3.3 the API's document writers include no HTTP or call state" "" \
	"$(grep -hE '^#include "registry/(http|api/(call|server|api))' registry/api/doc.[ch] registry/api/cert.[ch] registry/api/json.[ch] || true)"

# SQLite: the files that own a database, and no other.
check_eq "layers-4.1 the files that speak SQLite" \
	"registry/record/db.c registry/record/db_scan.c registry/record/db_stmt.c registry/record/db_stmt.h registry/snapshot/connection.h registry/snapshot/grams.c registry/snapshot/grams.h registry/snapshot/read.c registry/snapshot/schema.c registry/snapshot/schema.h registry/snapshot/snapshot.c registry/snapshot/write.c" \
	"$(grep -l 'sqlite3' registry/*/*.[ch] registry/*.h site/*.[ch] | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')"

# Only the programs print: the modules leave messages for them.  (The one
# exception is base/mem.c's last words before it aborts on exhausted
# memory, which no caller handles.)
check_eq "layers-5.1 only registryctl and registryd write to standard error" \
	"registry/http/registryd.c registry/record/registryctl.c" \
	"$(grep -l 'stderr\|perror' registry/*/*.c | grep -v '^registry/base/mem\.c$' | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')"
done_testing
