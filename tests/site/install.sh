#!/bin/bash
# make install honours DESTDIR and PREFIX: programs and man pages land where
# asked, and the installed programs run.
. "$(dirname "$0")/../lib.sh"
make -s -C "$SRC" install B="$BUILD" DESTDIR="$TMP/root" PREFIX=/opt/qual >"$TMP/log" 2>&1
check_eq "install-1 make install succeeds" 0 $?
for prog in sitegen registryctl; do
	check "install-2 $prog is installed and runs" "$TMP/root/opt/qual/bin/$prog" --version
	check "install-3 $prog's man page is installed" test -s "$TMP/root/opt/qual/share/man/man1/$prog.1"
done
check_eq "install-4 nothing outside DESTDIR/PREFIX" "" "$(cd "$TMP/root" && find . -type f ! -path './opt/qual/*')"
done_testing
