#!/bin/bash
# JSON twins: every certificate and organisation page of the registry has
# index.json beside it, the document the API answers for the same resource
# on the snapshot's date, byte for byte (registryd, served another default
# date so that as_of must be what makes them equal); the page announces it
# with <link rel="alternate" type="application/json">, its .gz copy holds
# the same bytes, and a static host serves it as JSON.
. "$(dirname "$0")/../lib.sh"
. "$SRC/tests/api/helpers.bash"

api_fixture "$TMP/fx" >/dev/null || { not_ok "twins-0.1 the fixture is built"; done_testing; }
"$BUILD/sitegen" build --repo "$SRC" --worktree --registry "$TMP/fx/snapshot.db" \
	--out "$TMP/site" -q 2>"$TMP/err"
check_eq "twins-0.2 the site builds" 0 $?
start_registryd --db "$TMP/fx/snapshot.db" --today 2026-06-30 --site "$TMP/site" -q ||
	{ not_ok "twins-0.3 registryd starts"; done_testing; }
day=$(sqlite3 "$TMP/fx/snapshot.db" "SELECT value FROM meta WHERE key = 'as_of'" 2>/dev/null)
[ -n "$day" ] || day=$(fetch /v1/meta >/dev/null; json_get "$TMP/b" '$.as_of')
check_eq "twins-0.4 the snapshot's date" 2026-01-01 "$day"

# compare KIND KEY URL-PATH: counts a twin that differs from the answer.
differs=0 missing=0 nolink=0 badgz=0 count=0
compare() {
	local dir="$TMP/site/registry/$1/$2"
	count=$((count + 1))
	[ -f "$dir/index.json" ] || { missing=$((missing + 1)); return; }
	curl -s -o "$TMP/answer" "$BASE$3?as_of=$day"
	cmp -s "$TMP/answer" "$dir/index.json" || {
		differs=$((differs + 1))
		[ "$differs" -gt 3 ] || echo "# $1/$2: the twin differs from $3?as_of=$day"
	}
	grep -qF '<link rel="alternate" type="application/json" href="index.json">' "$dir/index.html" ||
		nolink=$((nolink + 1))
	if [ -f "$dir/index.json.gz" ]; then
		gzip -dc "$dir/index.json.gz" | cmp -s - "$dir/index.json" || badgz=$((badgz + 1))
	fi
}
certs=$(snapsql "$TMP/fx/snapshot.db" "SELECT number FROM certificates ORDER BY number")
orgs=$(sqlite3 "$TMP/fx/snapshot.db" "SELECT id FROM organisations ORDER BY id")
for n in $certs; do compare certificates "$n" "/v1/certificates/$n"; done
check "twins-1.0 every certificate of the sample ($count)" test "$count" -gt 200
check_eq "twins-1.1 every certificate page has its twin" 0 "$missing"
check_eq "twins-1.2 each twin is the API's answer on $day, byte for byte" 0 "$differs"
check_eq "twins-1.3 each page announces it" 0 "$nolink"
check_eq "twins-1.4 each .gz copy holds the same bytes" 0 "$badgz"
differs=0 missing=0 nolink=0 badgz=0 count=0
for id in $orgs; do compare organisations "$id" "/v1/organisations/$id"; done
check "twins-2.0 every organisation of the sample ($count)" test "$count" -gt 100
check_eq "twins-2.1 every organisation page has its twin" 0 "$missing"
check_eq "twins-2.2 each twin is the API's answer on $day, byte for byte" 0 "$differs"
check_eq "twins-2.3 each page announces it" 0 "$nolink"
check_eq "twins-2.4 each .gz copy holds the same bytes" 0 "$badgz"
check "twins-2.5 the renamed organisation's twin has its former name" \
	grep -q '"former_names":\[{' "$TMP/site/registry/organisations/15/index.json"

# The date matters: on registryd's default date (not the snapshot's) some
# answer differs, so the comparison above is not blind to as_of.
changed=0
for n in $certs; do
	curl -s -o "$TMP/answer" "$BASE/v1/certificates/$n"
	cmp -s "$TMP/answer" "$TMP/site/registry/certificates/$n/index.json" || { changed=1; break; }
done
check_eq "twins-3.1 on another date a twin is not the answer" 1 "$changed"
n=$(echo "$certs" | head -n 1)
check_eq "twins-3.2 the static site serves the twin" 200 "$(fetch "/registry/certificates/$n/index.json")"
check_eq "twins-3.3 as application/json" application/json "$(header Content-Type | sed 's/;.*//')"
check "twins-3.4 gzip copies exist for twins" test -f "$TMP/site/registry/organisations/15/index.json.gz"
done_testing
