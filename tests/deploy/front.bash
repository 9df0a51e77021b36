# The production front on loopback, for tests/deploy/ and
# tools/bench-deploy.sh: Debian's nginx with the shipped configuration
# (tools/deploy/nginx/registry.conf, its ports and paths put in), a
# self-signed certificate, the site built by sitegen and precompressed,
# and registryd nodes each on its own copy of the snapshot, each under a
# supervisor that restarts it when it dies (as systemd's Restart= does).
# Source after tests/lib.sh; needs BUILD, SRC and TMP.
#
#   front_fixture            registry, snapshot, site, certificate, secret
#   start_node N             node N (1, 2, ...) on a free port: NODE_PORT[N]
#   kill_node N              SIGKILL to node N's registryd (it comes back)
#   stop_node N              node N stopped for good
#   start_front N...         nginx in front of the nodes listed: HTTPS_PORT,
#                            HTTP_PORT, FRONT (https://127.0.0.1:PORT)
#   publish_new              one more event published to $TMP/fx/new.db
#   node_sha N               the sha256 node N's /v1/meta shows
#
# Every process started is stopped when the script exits.

REGISTRYCTL="$BUILD/registryctl"
REGISTRYD="$BUILD/registryd"
NOW=1767225600 # 2026-01-01T00:00:00Z
NGINX=${NGINX:-/usr/sbin/nginx}
declare -A NODE_PORT
_front_pids=""

_front_cleanup() {
	local pid
	touch "$TMP/stop-supervisors"
	[ -f "$TMP/nginx/nginx.pid" ] && kill "$(cat "$TMP/nginx/nginx.pid")" 2>/dev/null
	for pid in $_front_pids; do kill "$pid" 2>/dev/null; done
	for f in "$TMP"/node.*.pid; do
		[ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
	done
	for pid in $_front_pids; do wait "$pid" 2>/dev/null; done
	sleep 0.2
	[ -n "${KEEP_TMP:-}" ] || rm -rf "$TMP"
}
trap _front_cleanup EXIT

# free_port: a port nothing listens on now.
free_port() {
	perl -MIO::Socket::INET -e \
		'print IO::Socket::INET->new(Listen => 1, LocalAddr => "127.0.0.1:0", ReuseAddr => 1)->sockport'
}

front_fixture() {
	local fx=$TMP/fx
	mkdir -p "$fx" &&
	"$REGISTRYCTL" -q --db "$fx/registry.db" --now "$NOW" sample &&
	"$REGISTRYCTL" -q --db "$fx/registry.db" --now "$NOW" publish "$fx/snapshot.db" &&
	"$BUILD/sitegen" build -q --repo "$SRC" --out "$fx/public" \
		--registry "$fx/snapshot.db" --base-url https://registry.example.org/ &&
	# The site precompressed, as the deployment guide says.
	find "$fx/public" -type f \( -name '*.html' -o -name '*.css' -o -name '*.js' \
		-o -name '*.json' -o -name '*.xml' -o -name '*.svg' -o -name '*.txt' \) \
		-exec gzip -9 -k -n -f {} + &&
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-subj /CN=registry.example.org -days 2 \
		-keyout "$fx/tls.key" -out "$fx/tls.pem" 2>/dev/null &&
	head -c 32 /dev/urandom >"$fx/cursor-secret"
}

# publish_new: one more event, published to $TMP/fx/new.db.
_events=0
publish_new() {
	_events=$((_events + 1))
	"$REGISTRYCTL" -q --db "$TMP/fx/registry.db" --now "$NOW" warn CNITSEC-CS2-2024-0001 \
		--reason "deploy test $_events" --date 2025-12-30 >/dev/null &&
	rm -f "$TMP/fx/new.db" &&
	"$REGISTRYCTL" -q --db "$TMP/fx/registry.db" --now "$NOW" publish "$TMP/fx/new.db"
}

# unit_command N PORT: the shipped unit's ExecStart line for node N, its
# paths and port put in (and no REGISTRYD_OPTIONS).
unit_command() {
	sed -n 's/^ExecStart=//p' "$SRC/tools/deploy/systemd/registryd.service" | sed \
		-e "s|^/usr/bin/registryd |$REGISTRYD |" \
		-e "s|/var/lib/qualification-registry/snapshot/snapshot.db|$TMP/node$1/snapshot.db|" \
		-e "s|/var/lib/qualification-registry/public|$TMP/fx/public|" \
		-e "s|/etc/qualification-registry/cursor-secret|$TMP/fx/cursor-secret|" \
		-e "s|127.0.0.1:8081|127.0.0.1:$2|" \
		-e 's| *\$REGISTRYD_OPTIONS||'
}

# start_node N: node N serves its own copy $TMP/node$N/snapshot.db, with
# the shipped unit's command line.  Its supervisor starts it again a
# second after it dies, on the same port, until the test ends.
start_node() {
	local n=$1 port attempt i
	mkdir -p "$TMP/node$n"
	[ -f "$TMP/node$n/snapshot.db" ] || cp "$TMP/fx/snapshot.db" "$TMP/node$n/snapshot.db"
	for attempt in 1 2 3 4 5; do
		port=$(free_port)
		(
			while [ ! -e "$TMP/stop-supervisors" ] && [ ! -e "$TMP/stop-node$n" ]; do
				# shellcheck disable=SC2046
				$(unit_command "$n" "$port") 2>>"$TMP/node$n/registryd.log" &
				echo $! >"$TMP/node.$n.pid"
				wait $!
				rc=$?
				echo "$(date +%s.%N) exited $rc" >>"$TMP/node$n/restarts"
				sleep 1
			done
		) &
		_front_pids="$_front_pids $!"
		for i in $(seq 1 100); do
			curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && {
				NODE_PORT[$n]=$port
				return 0
			}
			sleep 0.1
		done
		touch "$TMP/stop-node$n"
		kill "$(cat "$TMP/node.$n.pid")" 2>/dev/null
		sleep 1.2
		rm -f "$TMP/stop-node$n"
	done
	echo "# node $n did not start:"
	sed 's/^/#   /' "$TMP/node$n/registryd.log"
	return 1
}

kill_node() { kill -KILL "$(cat "$TMP/node.$1.pid")"; }

stop_node() {
	touch "$TMP/stop-node$1"
	kill "$(cat "$TMP/node.$1.pid")"
}

node_sha() {
	curl -s "http://127.0.0.1:${NODE_PORT[$1]}/v1/meta" |
		sed -n 's/.*"sha256" *: *"\([0-9a-f]*\)".*/\1/p'
}

# front_config N...: the shipped configuration with this test's ports and
# paths, in front of the nodes listed.
front_config() {
	local servers="" n
	for n in "$@"; do
		servers="$servers    server 127.0.0.1:${NODE_PORT[$n]} max_fails=1 fail_timeout=2s;\n"
	done
	awk -v servers="$servers" '
		/^upstream registryd/ { print; printf "%s", servers; skip = 1; next }
		skip && /^ *server / { next }
		{ skip = skip && !/^}/; print }
	' "$SRC/tools/deploy/nginx/registry.conf" | sed \
		-e "s|listen 80;|listen 127.0.0.1:$HTTP_PORT;|" \
		-e "s|listen 443 ssl http2;|listen 127.0.0.1:$HTTPS_PORT ssl http2;|" \
		-e '/listen \[::\]/d' \
		-e "s|/var/cache/nginx/registry|$TMP/nginx/cache|" \
		-e "s|/etc/ssl/certs/registry.pem|$TMP/fx/tls.pem|" \
		-e "s|/etc/ssl/private/registry.key|$TMP/fx/tls.key|" \
		-e "s|/var/log/nginx/registry.log|$TMP/nginx/access.log|" \
		-e "s|/var/lib/qualification-registry/public|$TMP/fx/public|" \
		-e "s|^\( *\)# 192.0.2.0/24 \"\";.*|\1127.0.0.1/32 \"\";   # the load generator|"
}

# start_front N...: nginx (master and workers) with the shipped
# configuration, in front of the nodes listed.
start_front() {
	local attempt i
	mkdir -p "$TMP/nginx/cache" "$TMP/nginx/tmp"
	for attempt in 1 2 3 4 5; do
		HTTPS_PORT=$(free_port)
		HTTP_PORT=$(free_port)
		FRONT="https://127.0.0.1:$HTTPS_PORT"
		front_config "$@" >"$TMP/nginx/registry.conf"
		cat >"$TMP/nginx/nginx.conf" <<EOF
$([ "$(id -u)" = 0 ] && echo "user root;")
worker_processes 2;
worker_rlimit_nofile 8192;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 4096; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path $TMP/nginx/tmp/body;
    proxy_temp_path $TMP/nginx/tmp/proxy;
    fastcgi_temp_path $TMP/nginx/tmp/fastcgi;
    uwsgi_temp_path $TMP/nginx/tmp/uwsgi;
    scgi_temp_path $TMP/nginx/tmp/scgi;
    include $TMP/nginx/registry.conf;
}
EOF
		"$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/error.log" 2>>"$TMP/nginx/start.log"
		for i in $(seq 1 50); do
			curl -sk -o /dev/null "$FRONT/healthz" && return 0
			sleep 0.1
		done
		[ -f "$TMP/nginx/nginx.pid" ] && kill "$(cat "$TMP/nginx/nginx.pid")" 2>/dev/null
		sleep 0.3
	done
	echo "# nginx did not start:"
	sed 's/^/#   /' "$TMP/nginx/start.log" "$TMP/nginx/error.log" | tail -n 20
	return 1
}

# load_script FILE: a wrk script that asks for certificates on many dates
# (most answers come from a node, not the cache), searches, the snapshot's
# meta and pages of the site.
load_script() {
	local numbers
	numbers=$(curl -s "http://127.0.0.1:${NODE_PORT[1]}/v1/export/certificates.csv" |
		awk -F, 'NR > 1 { printf "\"%s\",", $1 }')
	cat >"$1" <<EOF
local numbers = { ${numbers} }
local base = os.time({ year = 2019, month = 1, day = 1, hour = 12 })
local threads = 0
function setup(thread)
	threads = threads + 1
	thread:set("id", threads)
end
function init(args)
	math.randomseed(os.time() * 1000 + id)
end
request = function()
	local r = math.random(20)
	local path
	if r <= 14 then
		path = "/v1/certificates/" .. numbers[math.random(#numbers)] ..
			"?as_of=" .. os.date("%Y-%m-%d", base + 86400 * math.random(0, 2900))
	elseif r <= 16 then
		path = "/v1/certificates?limit=5&level=" .. math.random(1, 5) ..
			"&as_of=" .. os.date("%Y-%m-%d", base + 86400 * math.random(0, 2900))
	elseif r <= 18 then
		path = "/v1/meta"
	else
		path = "/registry/"
	end
	return wrk.format("GET", path)
end
EOF
}
