#!/bin/bash
# registryd --site: the static website beside the API on one address.
# Files with their media types, folders and their index, the site's 404
# page, entity tags; and nothing outside the folder, whatever the
# encoding: dot-segments, encoded dots and slashes, backslashes, NUL,
# double encoding, symbolic links, dot-files; CGI and SSI never run.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/helpers.bash"

api_fixture "$TMP/fx" >/dev/null || { not_ok "site-0.1 the fixture is built"; done_testing; }
site="$TMP/site"
mkdir -p "$site/css" "$site/sub" "$site/empty" "$site/.git"
echo '<!doctype html><title>首页</title>' >"$site/index.html"
echo '<!doctype html><title>页面不存在</title>' >"$site/404.html"
mkdir -p "$site/en"
echo '<!doctype html><html lang="en"><title>Page not found</title>' >"$site/en/404.html"
mkdir -p "$site/registry/not-found" "$site/en/registry/not-found"
echo '<!doctype html><html lang="zh-CN"><a class="lang-switch" href="/en/registry/not-found/">English</a><p>编号 <span data-fill="number"></span> 不在名录中</p>' >"$site/registry/not-found/index.html"
echo '<!doctype html><html lang="en"><a class="lang-switch" href="/registry/not-found/">中文</a><p>The number <span data-fill="number"></span> is not in the registry</p>' >"$site/en/registry/not-found/index.html"
echo 'body { color: #222 }' >"$site/css/style.css"
echo '<!doctype html><title>子页</title>' >"$site/sub/index.html"
echo '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"/>' >"$site/feed.xml"
echo '<svg xmlns="http://www.w3.org/2000/svg"/>' >"$site/logo.svg"
echo '<!doctype html><title>文件</title>' >"$site/文件.html"
echo 'secret' >"$site/.hidden"
echo '[core]' >"$site/.git/config"
printf '#!/bin/sh\necho CGI-$((40 + 2))\n' >"$site/run.cgi"
chmod +x "$site/run.cgi"
echo '<!--#exec cmd="echo SSI-RAN" -->' >"$site/page.shtml"
ln -s /etc/passwd "$site/passwd-link"
ln -s /etc "$site/etc-link"

start_registryd --db "$TMP/fx/snapshot.db" --site "$site" ||
	{ not_ok "site-0.2 registryd starts"; done_testing; }

while read -r path status type; do
	check_eq "site-1 $path: status" "$status" "$(fetch "$path")"
	check_eq "site-1 $path: type" "$type" "$(header Content-Type)"
done <<'FILES'
/ 200 text/html; charset=utf-8
/index.html 200 text/html; charset=utf-8
/css/style.css 200 text/css; charset=utf-8
/sub/ 200 text/html; charset=utf-8
/feed.xml 200 application/atom+xml; charset=utf-8
/logo.svg 200 image/svg+xml
/%E6%96%87%E4%BB%B6.html 200 text/html; charset=utf-8
/nope.html 404 text/html; charset=utf-8
/empty/ 404 text/html; charset=utf-8
/v1/meta 200 application/json; charset=utf-8
FILES
fetch /nope.html >/dev/null
check_contains "site-2.1 the site's own 404 page" "$TMP/b" "页面不存在"
check_eq "site-2.1.1 an English address that is not there: 404" 404 "$(fetch /en/nope/)"
check_contains "site-2.1.2 ... with the English edition's 404 page" "$TMP/b" "Page not found"
check_eq "site-2.1.4 a certificate not in the registry, at its English address: 404" 404 "$(fetch /en/registry/certificates/cs1-2099-0001/)"
check_contains "site-2.1.5 the English page, the number written in" "$TMP/b" '<p>The number <span data-fill="number">CNITSEC-CS1-2099-0001</span> is not in the registry</p>'
check_contains "site-2.1.6 its switch: the same address in Chinese" "$TMP/b" '<a class="lang-switch" href="/registry/certificates/cs1-2099-0001/">'
check_eq "site-2.1.7 at the Chinese address: 404" 404 "$(fetch /registry/certificates/CNITSEC-CS1-2099-0001/)"
check_contains "site-2.1.8 the Chinese page" "$TMP/b" '编号 <span data-fill="number">CNITSEC-CS1-2099-0001</span> 不在名录中'
check_contains "site-2.1.9 switching to the English address" "$TMP/b" '<a class="lang-switch" href="/en/registry/certificates/CNITSEC-CS1-2099-0001/">'
fetch /english.html >/dev/null
check_contains "site-2.1.3 an address outside /en/ gets the Chinese one" "$TMP/b" "页面不存在"
fetch / >/dev/null
check_eq "site-2.2 the site's CSP" \
	"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'" \
	"$(header Content-Security-Policy)"
check_eq "site-2.3 nosniff" nosniff "$(header X-Content-Type-Options)"
check_eq "site-2.4 Referrer-Policy" same-origin "$(header Referrer-Policy)"
check_eq "site-2.5 a folder without its slash redirects" 301 "$(fetch /sub)"
check_eq "site-2.6 to the folder" /sub/ "$(header Location)"
etag=$(fetch /css/style.css >/dev/null; header ETag)
check "site-2.7 files have an ETag" test -n "$etag"
check_eq "site-2.8 and 304 for it" 304 "$(fetch /css/style.css -H "If-None-Match: $etag")"
check_eq "site-2.9 the API is there too" 200 "$(fetch /v1/certificates/CNITSEC-CS1-2024-0004)"
check_eq "site-2.10 no directory listing" 404 "$(fetch /css/)"
check_eq "site-2.11 POST to the site is 405" 405 "$(fetch / -X POST)"

# Nothing outside the folder, nothing hidden, nothing run.
while read -r path; do
	status=$(fetch "$path" --path-as-is)
	check "site-3 $path is refused ($status)" test "$status" = 404 -o "$status" = 400
	check_not_contains "site-3 $path: no passwd" "$TMP/b" "root:"
	check_not_contains "site-3 $path: no secrets" "$TMP/b" "secret"
done <<'ATTACKS'
/../../etc/passwd
/../../../../../../etc/passwd
/%2e%2e/%2e%2e/etc/passwd
/%2E%2E/%2E%2E/etc/passwd
/.%2e/.%2e/etc/passwd
/..%2f..%2fetc%2fpasswd
/..%2F..%2F..%2Fetc%2Fpasswd
/%2e%2e%2f%2e%2e%2fetc%2fpasswd
/%252e%252e/%252e%252e/etc/passwd
/..%5c..%5cetc%5cpasswd
/..\..\etc\passwd
/sub/../../etc/passwd
/sub/%2e%2e/%2e%2e/etc/passwd
/....//....//etc/passwd
//etc/passwd
/%00/etc/passwd
/index.html%00.css
/passwd-link
/etc-link/passwd
/.hidden
/.git/config
/%2ehidden
/sub/.%2e/.hidden
ATTACKS
# A request line without the leading slash, sent raw.
exec 3<>"/dev/tcp/127.0.0.1/$PORT"
printf 'GET ../../etc/passwd HTTP/1.0\r\n\r\n' >&3
timeout 10 cat <&3 >"$TMP/raw"
exec 3<&-
check_not_contains "site-3.1 a relative request line: no passwd" "$TMP/raw" "root:"
check_eq "site-3.2 a CGI script is a file, not a program" 200 "$(fetch /run.cgi)"
check_not_contains "site-3.3 and did not run" "$TMP/b" "CGI-42"
check_contains "site-3.4 its text is served" "$TMP/b" 'echo CGI-$((40 + 2))'
check_eq "site-3.5 an SSI page is a file" 200 "$(fetch /page.shtml)"
check_contains "site-3.6 the directive is not run" "$TMP/b" '<!--#exec cmd="echo SSI-RAN" -->'
done_testing
