#!/bin/bash
# The systemd units (tools/deploy/systemd/): hardened as the issue of a
# current Debian service is (systemd-analyze security, offline: exposure
# under 2.0), with the directives asked for; and their command line, its
# paths put in, serves the snapshot when run as an unprivileged user with
# no new privileges.  systemd itself is not running here: what only a
# running systemd does (the sandbox's mounts, the memory limit, restarts)
# is exercised by the package check in a throwaway chroot
# (tools/debian/install-check.sh) as far as it can go without one, and
# by front.sh's supervisor for restarts.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/front.bash"

units=$SRC/tools/deploy/systemd
for unit in registryd.service registryd@.service; do
	f=$units/$unit
	out=$(systemd-analyze security --offline=true --no-pager "$f" 2>&1)
	level=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' <<<"$out")
	echo "# $unit: exposure ${level:-?}"
	check "unit-1.1 $unit: systemd-analyze security exposure ${level:-?} is under 2.0" \
		awk -v l="${level:-99}" 'BEGIN { exit !(l < 2.0) }'
	for directive in User=registryd ProtectSystem=strict \
		ReadOnlyPaths=/var/lib/qualification-registry NoNewPrivileges=yes \
		PrivateTmp=yes "RestrictAddressFamilies=AF_INET AF_INET6" \
		SystemCallFilter=@system-service MemoryMax= Restart=on-failure \
		"InaccessiblePaths=-/var/lib/qualification-registry/record"; do
		check "unit-1.2 $unit has $directive" grep -q "^$directive" "$f"
	done
done
check_eq "unit-1.3 the template differs only by its node's file and port" \
	"$(sed -e 's|snapshot/snapshot.db|nodes/%i/snapshot.db|g' -e 's|127.0.0.1:8081|127.0.0.1:%i|' "$units/registryd.service" | grep -v '^#' | grep -v '^Description=')" \
	"$(grep -v '^#' "$units/registryd@.service" | grep -v '^Description=')"

# The command line, run as nobody.
mkdir -p "$TMP/fx/public" "$TMP/node1"
chmod 755 "$TMP" "$TMP/fx" "$TMP/fx/public" "$TMP/node1"
"$REGISTRYCTL" -q --db "$TMP/fx/registry.db" --now "$NOW" sample &&
	"$REGISTRYCTL" -q --db "$TMP/fx/registry.db" --now "$NOW" publish "$TMP/node1/snapshot.db" ||
	{ not_ok "unit-0.1 the fixture is built"; done_testing; }
echo '<!doctype html><title>x</title>' >"$TMP/fx/public/index.html"
head -c 32 /dev/urandom >"$TMP/fx/cursor-secret"
chmod 644 "$TMP/node1/snapshot.db" "$TMP/fx/cursor-secret" "$TMP/fx/public/index.html"
port=$(free_port)
cmd=$(unit_command 1 "$port")
echo "$cmd" >"$TMP/cmd"
check_not_contains "unit-2.1 every data path of the command line is put in" "$TMP/cmd" /var/lib/
check_not_contains "unit-2.1 and the secret's" "$TMP/cmd" /etc/qualification-registry
if [ "$(id -u)" = 0 ]; then
	as_user="setpriv --reuid=nobody --regid=nogroup --clear-groups --no-new-privs"
	who=nobody
else
	as_user="setpriv --no-new-privs"
	who=$(id -un)
fi
# shellcheck disable=SC2086
$as_user $cmd 2>"$TMP/unit.log" &
pid=$!
_front_pids="$_front_pids $pid"
for i in $(seq 1 50); do
	curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break
	sleep 0.1
done
code=$(curl -s -o "$TMP/meta" -w '%{http_code}' "http://127.0.0.1:$port/v1/meta")
check_eq "unit-2.2 the unit's command, as $who, serves the snapshot" 200 "$code"
check_eq "unit-2.3 the one in place" "$("$BUILD/snapshot-check" "$TMP/node1/snapshot.db" | cut -d' ' -f1)" \
	"$(sed -n 's/.*"sha256" *: *"\([0-9a-f]*\)".*/\1/p' "$TMP/meta")"
check_eq "unit-2.4 and the site beside it" 200 "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/")"
check_eq "unit-2.5 it runs as $who" "$who" "$(ps -o user= -p "$pid" | tr -d ' ')"
check_eq "unit-2.6 with no new privileges" 1 "$(awk '/^NoNewPrivs:/ { print $2 }' "/proc/$pid/status")"
kill "$pid"
wait "$pid"
check_eq "unit-2.7 SIGTERM stops it cleanly (what systemctl stop sends)" 0 $?

done_testing
