#!/bin/sh
# Installs the Debian packages a task needs, when missing.  Usage:
#   tools/deps.sh build|test|fuzz|bench|browser ...
# As root it runs apt-get and says what it does; otherwise it prints the
# exact apt-get line and fails.
set -eu

pkgs_run=""
pkgs_build="gcc libc6-dev make pkg-config git
 libcmark-gfm-dev libcmark-gfm-extensions-dev libgit2-dev libjansson-dev
 libyaml-dev libsqlite3-dev libcivetweb-dev libqrencode-dev nettle-dev
 zlib1g-dev libdeflate-dev"
pkgs_test="libcmocka-dev libxml2-utils curl sqlite3 perl clang-format jq
 nginx-light openssl wrk slowhttptest systemd-analyze:systemd
 jing node:nodejs npm:npm"
pkgs_fuzz="clang libclang-rt-14-dev"
pkgs_bench="hugo wrk nginx-light time slowhttptest"
pkgs_deb="build-essential debhelper dpkg-dev fakeroot lintian"
pkgs_browser="chromium node:nodejs npm:npm fonts-wqy-microhei zbar-tools"

want=""
for task in "$@"; do
	eval "want=\"\$want \$pkgs_$task\""
done

missing=""
for p in $want; do
	# "command:package": enough when the command is there, however it came
	case "$p" in
	*:*)
		command -v "${p%%:*}" >/dev/null 2>&1 && continue
		p=${p#*:} ;;
	esac
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$status" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

line="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing Debian packages; as root, run:" >&2
	echo "  apt-get update && $line" >&2
	exit 1
fi
echo "deps: installing missing Debian packages:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "deps: done"
