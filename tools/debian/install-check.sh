#!/bin/bash
# The package on a machine of its own: installs it (with its dependencies,
# by apt), checks what the installation made (the system user, the data
# folders, the cursor secret, the units), puts a snapshot in place as an
# operator would, runs the unit's ExecStart line as the unit's user with
# the unit's paths (systemd is not running in a chroot), asks it for the
# snapshot, stops it, and purges the package: nothing of it stays but the
# system user (Debian leaves system users in place).  Prints TAP.
#
#   tools/debian/install-check.sh --throwaway PACKAGE.deb
#
# It changes the system it runs on: run it only in a throwaway chroot or
# container, e.g. a fresh Debian 12 made with debootstrap.
set -u
[ "${1:-}" = --throwaway ] && [ $# = 2 ] || {
	echo "usage: tools/debian/install-check.sh --throwaway PACKAGE.deb (changes this system)" >&2
	exit 2
}
deb=$(realpath "$2")
src=$(cd "$(dirname "$0")/../.." && pwd)
failed=0
ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; failed=1; }
check() {
	local name=$1
	shift
	if "$@" >/tmp/check.out 2>&1; then ok "$name"; else
		not_ok "$name"
		sed 's/^/#   /' /tmp/check.out | head -n 20
	fi
}

export DEBIAN_FRONTEND=noninteractive
before=$(mktemp)
find / -xdev \( -path /proc -o -path /sys -o -path /dev -o -path /tmp -o -path /root \
	-o -path /var/cache -o -path /var/lib/apt -o -path /var/lib/dpkg -o -path /var/log \) -prune -o -print |
	sort >"$before"
check "pkg-1.1 the package installs" apt-get install -y -qq --no-install-recommends "$deb"
check "pkg-1.2 the system user registryd exists" getent passwd registryd
check "pkg-1.2 it has no login shell" sh -c 'getent passwd registryd | grep -q ":/usr/sbin/nologin$"'
for dir in snapshot public nodes record; do
	check "pkg-1.3 /var/lib/qualification-registry/$dir exists" test -d "/var/lib/qualification-registry/$dir"
done
check "pkg-1.4 the system of record's folder is root's alone" \
	test "$(stat -c '%U %a' /var/lib/qualification-registry/record)" = "root 700"
check "pkg-1.5 the cursor secret is readable by registryd, not by others" \
	test "$(stat -c '%U %G %a %s' /etc/qualification-registry/cursor-secret)" = "root registryd 640 32"
check "pkg-1.6 the unit is installed" test -f /lib/systemd/system/registryd.service
check "pkg-1.6 and enabled" test -L /etc/systemd/system/multi-user.target.wants/registryd.service
check "pkg-1.7 the man pages" test -f /usr/share/man/man1/registry-roll.1.gz -a -f /usr/share/man/man1/registryd.1.gz
check "pkg-1.8 the nginx site" test -f /usr/share/qualification-registry/nginx/registry.conf
check "pkg-1.9 the theme" test -d /usr/share/qualification-registry/theme/templates -a -d /usr/share/qualification-registry/theme/static

# An operator publishes and puts the snapshot in place, and builds the site.
work=$(mktemp -d)
registryctl -q --db /var/lib/qualification-registry/record/registry.db sample &&
	registryctl -q --db /var/lib/qualification-registry/record/registry.db publish "$work/snapshot.db"
check "pkg-2.1 registryctl publishes" test -s "$work/snapshot.db"
cat >"$work/nodes" <<'EOF'
local /var/lib/qualification-registry/snapshot/snapshot.db
EOF
check "pkg-2.2 registry-roll puts it in place (the installed snapshot-check)" \
	registry-roll -n "$work/nodes" "$work/snapshot.db"
check "pkg-2.3 sitegen builds the site with the installed theme" \
	sitegen build -q --theme /usr/share/qualification-registry/theme --repo "$src" \
	--out /var/lib/qualification-registry/public --registry "$work/snapshot.db"

# The unit's command, as its user.
cmd=$(sed -n 's/^ExecStart=//p' /lib/systemd/system/registryd.service | sed 's/ *\$REGISTRYD_OPTIONS//')
user=$(sed -n 's/^User=//p' /lib/systemd/system/registryd.service)
echo "# $user: $cmd"
# shellcheck disable=SC2086
setpriv --reuid="$user" --regid="$user" --init-groups --no-new-privs $cmd 2>"$work/registryd.log" &
pid=$!
for i in $(seq 1 50); do
	curl -s -o /dev/null http://127.0.0.1:8081/healthz && break
	sleep 0.1
done
code=$(curl -s -o "$work/meta" -w '%{http_code}' http://127.0.0.1:8081/v1/meta)
check "pkg-3.1 the unit's command serves the installed snapshot (status $code)" test "$code" = 200
want=$(/usr/lib/qualification-registry/snapshot-check /var/lib/qualification-registry/snapshot/snapshot.db | cut -d' ' -f1)
check "pkg-3.2 the one in place" grep -q "\"sha256\":\"$want\"" "$work/meta"
check "pkg-3.3 and the site" test "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8081/registry/)" = 200
check "pkg-3.4 it runs as $user" test "$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status")" = "$(id -u "$user")"
kill "$pid"
wait "$pid"
check "pkg-3.5 SIGTERM stops it cleanly" test $? = 0
sed 's/^/#   /' "$work/registryd.log"

# Purge; the registry database is the operator's to remove.
rm -f /var/lib/qualification-registry/record/registry.db
check "pkg-4.1 the package purges" apt-get purge -y -qq qualification-registry
after=$(mktemp)
find / -xdev \( -path /proc -o -path /sys -o -path /dev -o -path /tmp -o -path /root \
	-o -path /var/cache -o -path /var/lib/apt -o -path /var/lib/dpkg -o -path /var/log \) -prune -o -print |
	sort >"$after"
# What apt installed as dependencies is theirs, not the package's.
left=$(comm -13 "$before" "$after" | grep -E 'qualification-registry|registryd|registry-roll|sitegen|registryctl' |
	grep -v -E '^/(etc|var/lib)/(passwd|group|shadow|gshadow|subuid|subgid)' || true)
check "pkg-4.2 nothing of it is left" test -z "$left"
[ -z "$left" ] || echo "$left" | sed 's/^/#   left: /'
rm -rf "$work"
exit $failed
