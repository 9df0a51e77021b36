#!/bin/bash
# make run: builds the site from the committed content and serves it at
# http://127.0.0.1:8080/ (PORT overrides the port) until interrupted.
# Until registryd serves the site and the API together, Debian's civetweb
# binary serves the built folder, with CGI, SSI and listings off (its
# error_pages option answers 200, so 404s get its plain page instead).
set -eu
build=$1
port=${PORT:-8080}
"$build/sitegen" build --out "$build/public"
echo "run: serving $build/public at http://127.0.0.1:$port/ (Ctrl-C stops)"
exec civetweb -document_root "$build/public" \
	-listening_ports "127.0.0.1:$port" \
	-cgi_pattern '' -ssi_pattern '' -enable_directory_listing no \
	-hide_files_patterns '**/.*' \
	-additional_header "Content-Security-Policy: default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'" \
	-additional_header "X-Content-Type-Options: nosniff" \
	-additional_header "Referrer-Policy: same-origin"
