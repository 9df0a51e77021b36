#!/bin/bash
# The guide in English, through the real sitegen: every page of content/
# has its translation in content/en/ with the same requirement ids and fee
# figures; /en/ pages say lang="en"; every page's language switch lands on
# its counterpart, whose switch leads back; hreflang alternates are
# reciprocal; both languages are in the sitemap; a missing or drifting
# translation fails the build naming the file and the id, and leaves the
# previous site; editions, their redlines and page histories per language;
# each language has its own search index.
. "$(dirname "$0")/../lib.sh"
SITEGEN="$BUILD/sitegen"
export GIT_AUTHOR_NAME="编辑部" GIT_AUTHOR_EMAIL="editor@example.org"
export GIT_COMMITTER_NAME="编辑部" GIT_COMMITTER_EMAIL="editor@example.org"
export GIT_AUTHOR_DATE="2017-10-01T09:00:00+08:00" GIT_COMMITTER_DATE="2017-10-01T09:00:00+08:00"

# xpath FILE EXPR: the string value of EXPR in the HTML file.
xpath() { xmllint --html --xpath "$2" "$1" 2>/dev/null; }
# The folder of a page's address: "out/en/fees/index.html" -> "out/en/fees/".
resolve() { # FILE HREF: the file an href of FILE leads to
	local dir target
	dir=$(dirname "$1")
	case "$2" in
	/*) target=$(realpath -m "$o${2%%#*}") ;; # the base URL's path is /
	*) target=$(cd "$dir" && realpath -m "${2%%#*}") ;;
	esac
	case "$2" in */ | "") target="$target/index.html" ;; esac
	echo "$target"
}

# 1. The project's own content: page for page, ids and fees alike.
c="$SRC/content"
zh_pages=$(cd "$c" && find . -name '*.md' -not -path './en/*' | sort)
en_pages=$(cd "$c/en" && find . -name '*.md' | sort)
check_eq "lang-1.1 every page of content/ has its translation in content/en/, and no other" "$zh_pages" "$en_pages"
ids_differ="" fees_differ="" no_note=""
for p in $zh_pages; do
	a=$(grep -oE '\{#R-[0-9.]+-[0-9]+\}' "$c/$p" | sort)
	b=$(grep -oE '\{#R-[0-9.]+-[0-9]+\}' "$c/en/$p" | sort)
	[ "$a" = "$b" ] || ids_differ="$ids_differ $p"
	# the amounts of fee tables: the last cell of each table row
	fa=$(grep -E '^\|.*\| *\**[0-9][0-9,]*\** *\|$' "$c/$p" | sed -E 's/.*\| *\**([0-9,]+)\** *\|$/\1/')
	fb=$(grep -E '^\|.*\| *\**[0-9][0-9,]*\** *\|$' "$c/en/$p" | sed -E 's/.*\| *\**([0-9,]+)\** *\|$/\1/')
	[ "$fa" = "$fb" ] || fees_differ="$fees_differ $p"
done
check_eq "lang-1.2 each pair has the same requirement ids" "" "$ids_differ"
check_eq "lang-1.3 each pair has the same fee figures" "" "$fees_differ"
check "lang-1.4 there are requirement ids to compare" test "$(grep -ohE '\{#R-' "$c"/en/*.md | wc -l)" -gt 50
check "lang-1.5 and a fee table" grep -q '| \*\*Total\*\* | | | \*\*58,000\*\* |' "$c/en/fees.md"
check "lang-1.6 the English diagram is an SVG of its own" xmllint --noout "$c/en/images/certification-process.svg"
check_contains "lang-1.7 labelled in English" "$c/en/images/certification-process.svg" ">Contract and payment of fees<"
check_not_contains "lang-1.8 with no Chinese label left" "$c/en/images/certification-process.svg" "资格审查"

# 2. The site: /en/ pages, the switch, hreflang, the sitemap.
"$BUILD/registryctl" --db "$TMP/registry.db" sample -q >/dev/null &&
	"$BUILD/registryctl" --db "$TMP/registry.db" publish "$TMP/snapshot.db" -q >/dev/null
"$SITEGEN" build --repo "$SRC" --worktree --api-doc "$SRC/registry/openapi.json" \
	--registry "$TMP/snapshot.db" \
	--base-url "https://guide.example.org/" --out "$TMP/out" -q 2>"$TMP/err"
check_eq "lang-2.0 the site builds" "0:" "$?:$(cat "$TMP/err")"
o="$TMP/out"
for p in $zh_pages; do
	d=${p#./}; d=${d%.md}; [ "$d" = index ] && d="" || d="$d/"
	[ "$(xpath "$o/en/${d}index.html" 'string(/html/@lang)')" = en ] || bad_lang="${bad_lang:-} en/$d"
	[ "$(xpath "$o/${d}index.html" 'string(/html/@lang)')" = zh-CN ] || bad_lang="${bad_lang:-} $d"
done
check_eq "lang-2.1 every English page is lang=en and every Chinese one zh-CN" "" "${bad_lang:-}"
check_contains "lang-2.2 an English page says the Chinese text is authoritative" "$o/en/fees/index.html" "The Chinese text is the authoritative one"
check_contains "lang-2.3 the English fee table is on the English page" "$o/en/fees/index.html" "<td>Qualification approval by experts</td>"
check_contains "lang-2.4 the English page shows the English diagram" "$o/en/certification/index.html" 'src="../images/certification-process.svg"'
check_contains "lang-2.5 which is published below /en/" "$o/en/images/certification-process.svg" ">Issue of the certificate<"
check_contains "lang-2.6 the requirement ids are the same anchors" "$o/en/basic-capability/index.html" 'id="R-3.2.2-5"'

# Every HTML page with a switch: it lands on a page that exists, in the
# other language, whose own switch leads back; and the alternates of both
# name the same two addresses.  (perl: one pass over a thousand pages.)
perl -e '
	use strict; use File::Find; use File::Spec; use Cwd "abs_path";
	my $root = abs_path(shift); my (%lang, %switch, %alt);
	find({no_chdir => 1, wanted => sub {
		return unless /\.html$/; local $/; open my $f, "<", $_ or die; my $h = <$f>;
		my $p = abs_path($_);
		($lang{$p}) = $h =~ /<html lang="([^"]+)"/;
		if ($h =~ /<a class="lang-switch" href="([^"]*)"/) {
			my $href = $1; $href =~ s/#.*//; my $t;
			if ($href =~ m{^/}) { $t = "$root$href" } else { my ($v, $d) = File::Spec->splitpath($p); $t = "$d$href" }
			$t .= "index.html" if $t =~ m{/$};
			my @out; for my $c (split m{/}, $t) { if ($c eq "..") { pop @out } elsif ($c ne "." && $c ne "") { push @out, $c } }
			$switch{$p} = "/" . join "/", @out;
		}
		$alt{$p} = join " ", sort $h =~ /<link rel="alternate" hreflang="[^"]+" href="([^"]+)">/g;
	}}, $root);
	my ($n, @broken, @same, @oneway, @alt) = (0);
	for my $p (sort keys %switch) {
		$n++; my $t = $switch{$p}; my $name = substr($p, length $root);
		unless (exists $lang{$t}) { push @broken, $name; next }
		push @same, $name if $lang{$t} eq $lang{$p};
		push @oneway, $name unless ($switch{$t} // "") eq $p;
		push @alt, $name unless $p =~ m{/404\.html$|/registry/not-found/index\.html$} or ($alt{$p} ne "" and $alt{$p} eq $alt{$t});
	}
	sub few { my @l = @_; @l > 5 ? "@l[0..4] and " . (@l - 5) . " more" : "@l" }
	print "switches $n\nbroken ", few(@broken), "\nsamelang ", few(@same), "\noneway ", few(@oneway), "\nalternates ", few(@alt), "\n";
' "$o" >"$TMP/switches"
switches=$(sed -n 's/^switches //p' "$TMP/switches")
broken=$(sed -n 's/^broken *//p' "$TMP/switches")
samelang=$(sed -n 's/^samelang *//p' "$TMP/switches")
oneway=$(sed -n 's/^oneway *//p' "$TMP/switches")
alt_bad=$(sed -n 's/^alternates *//p' "$TMP/switches")
check "lang-2.7 pages have a language switch (guide, tools, histories, changes, editions, registry)" test "$switches" -ge 500
check_eq "lang-2.7a every page has one but the edition published before the translation" "" \
	"$(grep -rL 'class="lang-switch"' "$o" --include='*.html' | grep -v -e "^$o/editions/2017-10/" -e "^$o/changes/since/2017-10/")"
check_eq "lang-2.8 every switch lands on a page that exists" "" "$broken"
check_eq "lang-2.9 in the other language" "" "$samelang"
check_eq "lang-2.10 whose switch leads back" "" "$oneway"
check_eq "lang-2.11 hreflang alternates are reciprocal" "" "$alt_bad"
check_contains "lang-2.12 the alternates are absolute, under the base" "$o/en/fees/index.html" '<link rel="alternate" hreflang="zh-CN" href="https://guide.example.org/fees/">'
check_contains "lang-2.13 and name the English page too" "$o/fees/index.html" '<link rel="alternate" hreflang="en" href="https://guide.example.org/en/fees/">'
for own in checklist timeline search api changes editions; do
	check_eq "lang-2.14 the site's own page $own is in English below /en/" "en" "$(xpath "$o/en/$own/index.html" 'string(/html/@lang)')"
done
check_not_contains "lang-2.15 the English checklist has no Chinese labels" "$o/en/checklist/index.html" "自评清单"
check_contains "lang-2.16 it lists the English requirements" "$o/en/checklist/index.html" "at least 4 full-time Certified Information Security Professionals"
check_contains "lang-2.17 the English timeline" "$o/en/timeline/index.html" "Application for renewal"
check_contains "lang-2.18 the English 404 page" "$o/en/404.html" "Page not found"
check_contains "lang-2.19 the Chinese 404 page switches to it" "$o/404.html" 'href="/en/404.html"'
check "lang-2.20 the sitemap is well-formed XML" xmllint --noout "$o/sitemap.xml"
check_eq "lang-2.21 it lists every page written, in both languages" \
	"$(cd "$o" && find . -name index.html -not -path ./registry/not-found/index.html -not -path ./en/registry/not-found/index.html | wc -l)" "$(grep -c '<loc>' "$o/sitemap.xml")"
check_eq "lang-2.21a the English pages among them" \
	"$(cd "$o/en" && find . -name index.html -not -path ./registry/not-found/index.html | wc -l)" "$(grep -c '<loc>https://guide.example.org/en/' "$o/sitemap.xml")"
check_eq "lang-2.21b each with its alternates in both languages" \
	"$(grep -c '<loc>https://guide.example.org/en/' "$o/sitemap.xml")" "$(grep -c '<xhtml:link rel="alternate" hreflang="zh-CN" href="https://guide.example.org/[^"]*"/><xhtml:link rel="alternate" hreflang="en"' "$o/sitemap.xml" | awk -v z=0 '{print $1/2}')"
check_contains "lang-2.22 an English page with its alternates" "$o/sitemap.xml" '<url><loc>https://guide.example.org/en/fees/</loc><xhtml:link rel="alternate" hreflang="zh-CN" href="https://guide.example.org/fees/"/><xhtml:link rel="alternate" hreflang="en" href="https://guide.example.org/en/fees/"/></url>'
check_contains "lang-2.23 the English search index" "$o/en/search/meta.json" "index_shards"
check "lang-2.24 holds English words of English pages" grep -rqF '"person"' "$o/en/search/"
check "lang-2.25 and no Chinese bigram of the Chinese pages" bash -c "! grep -rqF '\"年检\"' '$o/en/search/'"
check "lang-2.26 the Chinese index has its own words" grep -rqF '"年检"' "$o/search/"
check "lang-2.27 an English page has its history below /en/" test -s "$o/en/history/fees/index.html"
check_eq "lang-2.28 linked from the page" "$o/en/history/fees/index.html" \
	"$(resolve "$o/en/fees/index.html" "$(xpath "$o/en/fees/index.html" 'string(//p[@class="page-meta"]/a/@href)')")"

# The registry in English: statuses and flags in English words, names as
# recorded, the check pages (which registryd answers) in Chinese.
r="$o/en/registry"
check_eq "lang-2.31 every certificate has its English page" "$(ls "$o/registry/certificates" | wc -l)" "$(ls "$r/certificates" | wc -l)"
check_eq "lang-2.32 every organisation too" "$(ls "$o/registry/organisations" | wc -l)" "$(ls "$r/organisations" | wc -l)"
for st in valid suspended revoked expired superseded; do
	check_contains "lang-2.33 the status $st in English words" "$r/status/$st/index.html" "<span class=\"status status-$st\">$st</span>"
done
for f in "warning:warning (within 12 months)" "rectification:rectification ordered" \
	"rectification_overdue:rectification overdue" "annual_check_overdue:annual check overdue"; do
	check "lang-2.34 the flag ${f%%:*} in English words" grep -rqF "<span class=\"flag flag-${f%%:*}\">${f#*:}</span>" "$r/certificates"
done
check "lang-2.35 no Chinese word for a status or flag on an English registry page" \
	bash -c "! grep -rlE '>(有效|暂停|已取消|已过期|已换发|整改逾期|限期整改中|年检逾期)<' '$r'"
revoked=$(grep -l '<p class="verdict-status">Status: <span class="status status-revoked">' "$r"/certificates/*/index.html | head -n 1)
check_contains "lang-2.36 a revoked certificate's validity in English" "${revoked:-$r/none}" '<p class="verdict-validity">was valid until'
check_contains "lang-2.36a with the day it was revoked" "${revoked:-$r/none}" '; revoked on '
check_contains "lang-2.36b a list page in English words" "$r/status/revoked/index.html" "Registry: revoked"
check_contains "lang-2.37 organisation names as recorded" "$r/index.html" "示例北辰云安全科技有限公司"
check_contains "lang-2.38 the certificate page's own address is the English one" "$r/certificates/CNITSEC-CS1-2024-0002/index.html" 'class="own-url" href="https://guide.example.org/en/registry/certificates/CNITSEC-CS1-2024-0002/"'
check "lang-2.39 and rectification notices in English" grep -rqF '<h2 id="notice-' "$r/certificates"
check "lang-2.39a an overdue rectification in English words" grep -rqF 'class="notice-title">Rectification overdue</h2>' "$r/certificates"
for p in check bulk not-found; do
	check_eq "lang-2.40 the check page $p in English" en "$(xpath "$r/$p/index.html" 'string(/html/@lang)')"
	check "lang-2.40a ... with no Chinese word outside the names and the switch" bash -c \
		"sed -e 's/<a class=\"lang-switch\"[^>]*>[^<]*<\\/a>//' -e 's/<title>[^<]*//' '$r/$p/index.html' | grep -v 'class=\"site-title\"' | grep -cP '\\p{Han}' | grep -qx 0"
done
check_contains "lang-2.40b the place registryd writes the check's answer into" "$r/check/index.html" '<!--check:begin--><div class="check-answer" data-answered="none">'
check_contains "lang-2.40c and the bulk check's" "$r/bulk/index.html" '<!--bulk:begin--><div class="bulk-answer" data-answered="none">'
check_contains "lang-2.40d and the missing number's" "$r/not-found/index.html" 'data-fill="number"></span> is not in the registry'
check_contains "lang-2.41 English pages send the check to the English check page" "$o/en/index.html" 'action="../en/registry/check/"'
check_contains "lang-2.41a the English list's bulk check is the English one" "$r/index.html" 'href="../../en/registry/bulk/">bulk check</a>'
check_contains "lang-2.41b the not-found page's switch: its counterpart (registryd writes the number in)" \
	"$r/not-found/index.html" 'class="lang-switch" href="/registry/not-found/"'
check_contains "lang-2.41c and back" "$o/registry/not-found/index.html" 'class="lang-switch" href="/en/registry/not-found/"'
check_contains "lang-2.41d the English 404 page recognises a certificate's address, in English" "$o/en/404.html" 'is not in the registry of certified organisations'
# The feeds in English, beside the English pages.
f="$r/certificates/CNITSEC-CS1-2024-0002/feed.xml"
check "lang-2.42 a certificate's English feed is well-formed Atom" xmllint --noout "$f"
check_contains "lang-2.42a in English" "$f" '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">'
check_contains "lang-2.42b its title in English" "$f" '<title>Record of certificate CNITSEC-CS1-2024-0002</title>'
check_contains "lang-2.42c its events in English words" "$f" '<title>warning ('
check_contains "lang-2.42d linked to the English page's record of the event" "$f" 'href="https://guide.example.org/en/registry/certificates/CNITSEC-CS1-2024-0002/#event-'
check "lang-2.42e no Chinese but the reasons as recorded and the site's name" bash -c \
	"grep -v -e '<summary>' -e '<name>' '$f' | grep -cP '\\p{Han}' | grep -qx 0"
check_contains "lang-2.42f announced by the English page" "$r/certificates/CNITSEC-CS1-2024-0002/index.html" '<link rel="alternate" type="application/atom+xml" title="Record of certificate CNITSEC-CS1-2024-0002" href="feed.xml">'
check "lang-2.42g every certificate and organisation has one" test \
	"$(ls "$r"/certificates/*/feed.xml "$r"/organisations/*/feed.xml | wc -l)" -eq "$(ls "$o"/registry/certificates/*/feed.xml "$o"/registry/organisations/*/feed.xml | wc -l)"
g="$r/organisations/1/feed.xml"
check "lang-2.43 an organisation's English feed is well-formed Atom" xmllint --noout "$g"
check_contains "lang-2.43a naming the certificate of each event" "$g" '<title>CNITSEC-CS2-2024-0001: certificate issued ('
check_contains "lang-2.43b the Chinese feed stays Chinese" "$o/registry/organisations/1/feed.xml" '：颁发证书（'

# An organisation's English name, beside the recorded (legal) Chinese one.
check_contains "lang-2.44 an English organisation page shows the English name" "$r/organisations/1/index.html" '<p class="org-name-en">In English: <strong>Qinglan Cloud Security Technology Co., Ltd. (Sample)</strong></p>'
check_contains "lang-2.44a under the recorded Chinese name" "$r/organisations/1/index.html" '<h1>示例青岚云安全科技有限公司</h1>'
check_contains "lang-2.44b which is the legal one" "$r/organisations/1/index.html" 'the name recorded in Chinese is its legal name'
check_not_contains "lang-2.44c an organisation without one shows none" "$r/organisations/4/index.html" 'org-name-en'
check_contains "lang-2.44d its certificate's English page too" "$r/certificates/CNITSEC-CS2-2024-0001/index.html" '示例青岚云安全科技有限公司 (in English: Qinglan Cloud Security Technology Co., Ltd. (Sample))'
check_contains "lang-2.44e its feed names the event in English" "$r/organisations/1/feed.xml" '<title>English name recorded ('
# The API page in English: the document's English texts.
a="$o/en/api/index.html"
check_contains "lang-2.45 the English API page describes the routes in English" "$a" '<p><strong>Certificates: list, search and bulk check</strong></p>'
check_contains "lang-2.45a its parameters" "$a" 'The status on as_of (one of: '
check_contains "lang-2.45b its answers" "$a" '<code>404</code> No such certificate (saying it is not in the registry, what to check and whom to tell), organisation or path;'
check_contains "lang-2.45c the interface as a whole" "$a" 'The public, read-only interface of the registry'
check_not_contains "lang-2.45d with no description marked Chinese" "$a" '<span lang="zh-CN">'
check_not_contains "lang-2.45g nor a parameter's" "$a" '<td lang="zh-CN">'
check "lang-2.45e every operation, parameter and response has its English text" node -e '
	const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")), missing = [];
	const r = (o) => o.$ref ? o.$ref.split("/").slice(1).reduce((a, k) => a[k], d) : o;
	if (!d.info["x-description-en"]) missing.push("info");
	for (const [path, item] of Object.entries(d.paths))
		for (const [m, op] of Object.entries(item)) {
			if (typeof op !== "object" || !op.responses) continue;
			if (!op["x-summary-en"] || !op["x-description-en"]) missing.push(`${m} ${path}`);
			for (const p of op.parameters || []) if (!r(p)["x-description-en"]) missing.push(`${m} ${path} ${r(p).name}`);
			for (const [c, x] of Object.entries(op.responses)) if (!r(x)["x-description-en"]) missing.push(`${m} ${path} ${c}`);
		}
	if (missing.length) { console.error(missing.join("\n")); process.exit(1); }' "$SRC/registry/openapi.json"
check_contains "lang-2.45f the Chinese API page stays Chinese" "$o/api/index.html" '<strong>证书列表、搜索与批量核验</strong>'

# The check pages served by registryd at the English addresses: answered
# in English without JavaScript, each with its switch to the Chinese one.
. "$SRC/tests/api/helpers.bash"
if start_registryd --db "$TMP/snapshot.db" --site "$o" -q; then
	check_eq "lang-5.1 a name fragment at the English check: a short list" 200 "$(fetch /en/registry/check/ -G --data-urlencode "q=示例")"
	check_contains "lang-5.2 in English words" "$TMP/b" '<span class="status status-valid">valid</span>'
	check_contains "lang-5.3 as of the snapshot, said in English" "$TMP/b" '<p class="check-asof">Status as of <time datetime="'
	check_contains "lang-5.4 with the names as recorded" "$TMP/b" '示例北辰云安全科技有限公司'
	check_contains "lang-5.4a linked to the English pages" "$TMP/b" '<a href="../certificates/CNITSEC-'
	check_eq "lang-5.4b on the English page" en "$(xmllint --html --xpath 'string(/html/@lang)' "$TMP/b" 2>/dev/null)"
	check_contains "lang-5.4c whose switch is the Chinese check" "$TMP/b" 'class="lang-switch" href="../../../registry/check/"'
	check_eq "lang-5.5 a number: straight to its English page" 303 "$(fetch "/en/registry/check/?q=cs1-2024-0002")"
	check_eq "lang-5.6 its address" "../certificates/CNITSEC-CS1-2024-0002/" "$(header Location)"
	check_eq "lang-5.7 nothing found" 200 "$(fetch "/en/registry/check/?q=nothing-like-it")"
	check_contains "lang-5.8 said in English" "$TMP/b" '“nothing-like-it” is not in the registry.'
	check_eq "lang-5.9 an unknown number at its English address: 404" 404 "$(fetch /en/registry/certificates/CNITSEC-CS1-2099-0001/)"
	check_contains "lang-5.10 the English page says so, with the number" "$TMP/b" 'The number <span class="missing-number" data-fill="number">CNITSEC-CS1-2099-0001</span> is not in the registry'
	check_contains "lang-5.11 its switch: the same address in Chinese" "$TMP/b" 'class="lang-switch" href="/registry/certificates/CNITSEC-CS1-2099-0001/"'
	fetch /registry/certificates/CNITSEC-CS1-2099-0001/ >/dev/null
	check_contains "lang-5.12 and back" "$TMP/b" 'class="lang-switch" href="/en/registry/certificates/CNITSEC-CS1-2099-0001/"'
	check_eq "lang-5.13 another spelling of a number there is: its English page" 301 "$(fetch /en/registry/certificates/cs1-2024-0002/)"
	check_eq "lang-5.13a at" "../CNITSEC-CS1-2024-0002/" "$(header Location)"
	check_eq "lang-5.14 the English bulk check" 200 "$(fetch "/en/registry/bulk/?numbers=CS1-2024-0002%0D%0ACNITSEC-CS1-2099-0001%0D%0Ahello")"
	check_contains "lang-5.15 its summary in English" "$TMP/b" '<p class="bulk-summary">3 entered, 1 found, 2 not found.</p>'
	check_contains "lang-5.16 its table headed in English" "$TMP/b" '<th scope="col">Certificate number</th>'
	check_contains "lang-5.17 flags in English" "$TMP/b" '<span class="flag flag-warning">warning (within 12 months)</span>'
	check_contains "lang-5.18 what to check, in English" "$TMP/b" 'no certificate in the registry has this number'
	check_contains "lang-5.19 its CSV from the API at the site's root" "$TMP/b" 'href="../../../v1/certificates?format=csv&amp;number=CNITSEC-CS1-2024-0002%2CCNITSEC-CS1-2099-0001%2Chello"'
	check "lang-5.20 the answered page is well-formed" xmllint --html --noout "$TMP/b"
	check "lang-5.21 with no Chinese word but the names and the switch" bash -c \
		"sed -e 's/<a class=\"lang-switch\"[^>]*>[^<]*<\\/a>//' -e 's/<title>[^<]*//' '$TMP/b' | grep -v -e 'class=\"site-title\"' -e 'data-label=\"Organisation\"' | grep -cP '\\p{Han}' | grep -qx 0"
	check_eq "lang-5.22 the Chinese bulk check stays Chinese" 200 "$(fetch "/registry/bulk/?numbers=CS1-2024-0002")"
	check_contains "lang-5.23 in Chinese words" "$TMP/b" '<p class="bulk-summary">共 1 项，找到 1 项，未找到 0 项。</p>'
	kill "$REGISTRYD_PID" 2>/dev/null
else
	not_ok "lang-5.0 registryd serves the site"
fi

mkdir -p "$TMP/plain" && cp -r "$c" "$TMP/plain/content" && rm -f "$TMP/plain/content/editions.yaml" "$TMP/plain/content/notes.yaml"
"$SITEGEN" build --repo "$TMP/plain" --worktree --out "$TMP/plain-out" -q 2>/dev/null
check_contains "lang-2.29 without a git history, English pages say so in English" "$TMP/plain-out/en/fees/index.html" "Revision history unavailable: this site was not built from a commit"
check_contains "lang-2.30 and Chinese ones in Chinese" "$TMP/plain-out/fees/index.html" "修订历史不可用"

# 3. Translations cannot drift: a fixture repository with the project's
# content, broken one way at a time.
repo="$TMP/repo"
mkdir -p "$repo" && cp -r "$c" "$repo/content" && rm -f "$repo/content/editions.yaml" "$repo/content/notes.yaml" && git -C "$repo" init -q &&
	git -C "$repo" add -A && git -C "$repo" commit -qm "说明: 初版"
good() { git -C "$repo" checkout -q -- . && git -C "$repo" clean -qfd; }
build() { "$SITEGEN" build --repo "$repo" --worktree --out "$TMP/fx" -q 2>"$TMP/err"; }
build
check_eq "lang-3.0 the fixture builds" "0:" "$?:$(cat "$TMP/err")"
echo "a file of the previous site" >"$TMP/fx/marker"

rm "$repo/content/en/fees.md"
build
check_eq "lang-3.1 a page without its translation fails the build" 1 $?
check_contains "lang-3.2 naming the Chinese file and the missing one" "$TMP/err" "content/fees.md:1: no English translation: content/en/fees.md is missing"
check "lang-3.3 the previous site is left as it was" test -f "$TMP/fx/marker"
good

printf -- '---\ntitle: "Extra"\nweight: 5\n---\nOnly in English.\n' >"$repo/content/en/extra.md"
build
check_eq "lang-3.4 a translation of no page fails the build" 1 $?
check_contains "lang-3.5 naming it and the missing Chinese page" "$TMP/err" "content/en/extra.md:1: a translation of no page: content/extra.md is missing"
good

sed -i 's/{#R-3.2.2-5}/{#R-3.2.2-50}/' "$repo/content/en/basic-capability.md"
build
check_eq "lang-3.6 a requirement id changed in one language fails the build" 1 $?
line=$(grep -n 'R-3.2.2-50' "$repo/content/en/basic-capability.md" | cut -d: -f1)
check_contains "lang-3.7 naming the file, the line and the id it has" "$TMP/err" "content/en/basic-capability.md:$line: requirement id 'R-3.2.2-50' is not in the Chinese content/basic-capability.md"
check_contains "lang-3.8 and the id it lacks" "$TMP/err" "requirement id 'R-3.2.2-5' is not in the English content/en/basic-capability.md"
good

sed -i '/{#R-3.3.7-3}/d' "$repo/content/cloud-service-process.md"
build
check_contains "lang-3.9 an id dropped from the Chinese names the English file's id" "$TMP/err" "requirement id 'R-3.3.7-3' is not in the Chinese content/cloud-service-process.md"
good

# the total stays right (the fee rule passes), the figures differ
sed -i 's/| Annual fee | | CNY 5,000 a year × 3 years | 15,000 |/| Annual fee | | CNY 5,000 a year × 3 years | 14,000 |/; s/| Certificate fee | | | 3,000 |/| Certificate fee | | | 4,000 |/' "$repo/content/en/fees.md"
build
check_eq "lang-3.10 a fee figure changed in the translation fails the build" 1 $?
line=$(grep -n '^| Annual fee' "$repo/content/en/fees.md" | cut -d: -f1)
zline=$(grep -n '^| 年金' "$repo/content/fees.md" | cut -d: -f1)
check_contains "lang-3.11 naming both files, the row and both figures" "$TMP/err" "content/en/fees.md:$line: fee 'Annual fee' is 14,000, but content/fees.md:$zline says 15,000 ('年金')"
good

sed -i 's/| \*\*Total\*\* | | | \*\*58,000\*\* |/| **Total** | | | **59,000** |/' "$repo/content/en/fees.md"
build
check_contains "lang-3.12 the English fee table is checked by the same rule" "$TMP/err" "content/en/fees.md:$(grep -n '^| \*\*Total' "$repo/content/en/fees.md" | cut -d: -f1): fee table: the items add up to 58,000, but the total row says 59,000"
good

sed -i 's/| On-site audit fee | 3 | 5,000 | 15,000 |/| On-site audit fee | 2 | 5,000 | 15,000 |/' "$repo/content/en/fees.md"
build
check_contains "lang-3.13 person-days times the rate, in English too" "$TMP/err" "On-site audit fee: 2 person-days at 5000 is 10,000, but the amount says 15,000"
good

printf -- '---\ntitle: "English"\nweight: 5\n---\n正文\n' >"$repo/content/en.md"
build
check_contains "lang-3.14 a Chinese page may not take the English folder's address" "$TMP/err" "content/en.md:1: the name 'en' is reserved"
good

rm -r "$repo/content/en"
build
check_eq "lang-3.15 a content folder without en/ is a site in Chinese only" "0:" "$?:$(cat "$TMP/err")"
check "lang-3.16 with no /en/" test ! -e "$TMP/fx/en"
check_not_contains "lang-3.17 and no switch" "$TMP/fx/fees/index.html" 'class="lang-switch"'
good

# 4. Editions per language: an English edition exists from the first
# edition published with the translation.
ed="$TMP/ed"
mkdir -p "$ed/content/en" && git -C "$ed" init -q
pg() { printf -- '---\ntitle: "%s"\nweight: %s\n---\n%s\n' "$2" "$3" "$4" >"$ed/content/$1"; }
ci() { export GIT_AUTHOR_DATE="$1T10:00:00+08:00" GIT_COMMITTER_DATE="$1T10:00:00+08:00"
	git -C "$ed" add -A && git -C "$ed" commit -qm "$2" && git -C "$ed" rev-parse HEAD; }
pg index.md "样例指南" 0 "第一版的正文。"
rm -r "$ed/content/en"
first=$(ci 2017-09-20 "说明: 初版")
mkdir -p "$ed/content/en"
pg index.md "样例指南" 0 "第二版的正文。"
pg en/index.md "Sample guide" 0 "The text of the second edition."
second=$(ci 2018-03-01 "说明: 第二版，附英文译本")
pg index.md "样例指南" 0 "第三版的正文。"
pg en/index.md "Sample guide" 0 "The text of the third edition."
third=$(ci 2019-03-01 "说明: 第三版")
printf 'editions:\n  - name: "2017-10"\n    date: 2017-10-01\n    commit: %s\n  - name: "2018-04"\n    date: 2018-04-01\n    commit: %s\n  - name: "2019-04"\n    date: 2019-04-01\n    commit: %s\n' \
	"$first" "$second" "$third" >"$ed/content/editions.yaml"
ci 2019-03-02 "登记已发布的版本" >/dev/null
"$SITEGEN" build --repo "$ed" --out "$TMP/edout" -q 2>"$TMP/err"
check_eq "lang-4.0 a repository of three editions, two with English, builds" "0:" "$?:$(cat "$TMP/err")"
e="$TMP/edout"
check "lang-4.1 the edition before the translation has no English edition" test ! -e "$e/en/editions/2017-10"
check_contains "lang-4.2 the English editions page says it is in Chinese only" "$e/en/editions/index.html" '2017-10 edition</a> (in Chinese only)'
check_contains "lang-4.3 the editions with English are built in English" "$e/en/editions/2018-04/index.html" "The text of the second edition."
check_eq "lang-4.4 as English pages" en "$(xpath "$e/en/editions/2018-04/index.html" 'string(/html/@lang)')"
check_contains "lang-4.5 with the edition's banner in English" "$e/en/editions/2018-04/index.html" "You are reading the <strong>2018-04 edition</strong>"
check_contains "lang-4.6 whose switch leads to the Chinese edition" "$e/en/editions/2018-04/index.html" 'class="lang-switch" href="../../../editions/2018-04/"'
check_not_contains "lang-4.7 an edition in Chinese only has no switch" "$e/editions/2017-10/index.html" 'class="lang-switch"'
check_contains "lang-4.8 English editions are compared with the ones before in English" "$e/en/editions/index.html" 'href="../../en/editions/2019-04/changes-from/2018-04/">2018-04 edition</a>'
check_not_contains "lang-4.8a never with an edition without English" "$e/en/editions/index.html" 'changes-from/2017-10/'
check_contains "lang-4.8b and with the current text" "$e/en/changes/since/2018-04/index.html" "Differences between the current text and the 2018-04 edition"
check "lang-4.8c there is no English comparison with 2017-10" test ! -e "$e/en/changes/since/2017-10"
check_not_contains "lang-4.8d so the Chinese one has no switch" "$e/changes/since/2017-10/index.html" 'class="lang-switch"'
check_contains "lang-4.8e English requirements' changes by edition" "$e/en/changes/requirements/index.html" "Changes to the requirements"
r="$e/en/editions/2019-04/changes-from/2018-04/index.html"
check_contains "lang-4.9 the English redline shows the English change" "$r" "<ins>third</ins>"
check_contains "lang-4.10 and what it replaced" "$r" "<del>second</del>"
check_eq "lang-4.11 the Chinese redline stays Chinese" zh-CN "$(xpath "$e/editions/2019-04/changes-from/2018-04/index.html" 'string(/html/@lang)')"
check_contains "lang-4.12 and compares 2018-04 with 2017-10, the one before in Chinese" "$e/editions/index.html" 'href="../editions/2018-04/changes-from/2017-10/"'
check_contains "lang-4.13 English page histories list the English page's revisions" "$e/en/history/index.html" "第三版"
check_contains "lang-4.14 the English changes page names English pages" "$e/en/changes/index.html" '<a href="../">Sample guide</a>'
check_not_contains "lang-4.15 and not the Chinese ones" "$e/en/changes/index.html" "样例指南</a>"

# 6. The English name in the registry database, registryctl and the API.
db="$TMP/en-name.db"
ctl() { "$BUILD/registryctl" --db "$db" "$@"; }
ctl init -q
id=$(ctl org add "示例英名云安全有限公司" --name-en "Yingming Cloud Security Co., Ltd." --date 2024-01-02 -q)
check_eq "lang-6.1 org add --name-en adds the organisation" 1 "$id"
check_eq "lang-6.2 with its English name" "Yingming Cloud Security Co., Ltd." "$(sqlite3 "$db" "select name_en from organisations where id = 1")"
check_eq "lang-6.3 recorded as an event of its own, after the org-add" "org-add:|org-name-en::Yingming Cloud Security Co., Ltd." \
	"$(sqlite3 "$db" "select kind || ':' || coalesce(old_value, '') || ':' || coalesce(case when kind = 'org-add' then '' else new_value end, '') from events order by id" | paste -sd'|' | sed 's/:$//; s/:|/|/')"
ctl org name-en 1 "Yingming Cloud Security Ltd." --date 2024-03-01 -q
check_eq "lang-6.4 org name-en changes it" "Yingming Cloud Security Ltd." "$(sqlite3 "$db" "select name_en from organisations where id = 1")"
check_eq "lang-6.5 the one it had stays in the event" "Yingming Cloud Security Co., Ltd.|Yingming Cloud Security Ltd." \
	"$(sqlite3 "$db" "select old_value || '|' || new_value from events where kind = 'org-name-en' order by id desc limit 1")"
ctl org show 1 >"$TMP/show"
check_contains "lang-6.5a org show shows it" "$TMP/show" "name_en         Yingming Cloud Security Ltd."
check_contains "lang-6.5b and its history the events" "$TMP/show" "org-name-en   英文名称登记  from: Yingming Cloud Security Co., Ltd.  to: Yingming Cloud Security Ltd."
events=$(sqlite3 "$db" "select count(*) from events")
ctl org name-en 1 "Yingming Cloud Security Ltd." -q 2>"$TMP/err"
check_eq "lang-6.6 the same English name again is refused" 1 $?
check_contains "lang-6.7 saying so" "$TMP/err" "organisation 1 already has the English name Yingming Cloud Security Ltd."
ctl org name-en 1 "" -q 2>"$TMP/err"
check_eq "lang-6.8 an empty one too" 1 $?
check_eq "lang-6.9 and nothing is recorded" "$events" "$(sqlite3 "$db" "select count(*) from events")"
ctl org add "示例无英名有限公司" --date 2024-01-03 -q >/dev/null
ctl issue --org 1 --date 2024-04-01 -q >/dev/null && ctl issue --org 2 --date 2024-04-02 -q >/dev/null
# A database of schema 1 (before English names) is migrated by init.
cp "$db" "$TMP/old.db"
sqlite3 "$TMP/old.db" "alter table organisations drop column name_en; pragma user_version = 1"
"$BUILD/registryctl" --db "$TMP/old.db" org add "示例新组织有限公司" -q 2>"$TMP/err"
check_eq "lang-6.10 a database of the schema before is refused" 1 $?
check_contains "lang-6.11 saying to migrate it" "$TMP/err" "schema version 1, expected 3 (run \`registryctl init\` to migrate)"
"$BUILD/registryctl" --db "$TMP/old.db" init -q
check_eq "lang-6.12 init migrates it: the schema version, the column, the organisations" "3:1:2" \
	"$(sqlite3 "$TMP/old.db" "pragma user_version"):$(sqlite3 "$TMP/old.db" "select count(*) from pragma_table_info('organisations') where name = 'name_en'"):$(sqlite3 "$TMP/old.db" "select count(*) from organisations")"
check_eq "lang-6.13 keeping its organisations and events" "$(sqlite3 "$db" "select count(*) from events")" "$(sqlite3 "$TMP/old.db" "select count(*) from events")"
check_eq "lang-6.14 which then have no English name" "" "$(sqlite3 "$TMP/old.db" "select name_en from organisations where id = 1")"
ctl publish "$TMP/en-name-snap.db" -q
check_eq "lang-6.15 the snapshot carries it" "Yingming Cloud Security Ltd.|" "$(sqlite3 "$TMP/en-name-snap.db" "select group_concat(coalesce(name_en, ''), '|') from (select name_en from organisations order by id)")"
. "$SRC/tests/api/helpers.bash"
if start_registryd --db "$TMP/en-name-snap.db" -q; then
	fetch /v1/organisations/1 >/dev/null
	check_eq "lang-6.16 the API's organisation has name_en" "Yingming Cloud Security Ltd." "$(json_get "$TMP/b" '$.name_en')"
	check_eq "lang-6.17 beside its recorded name" "示例英名云安全有限公司" "$(json_get "$TMP/b" '$.name')"
	fetch /v1/organisations/2 >/dev/null
	check_not_contains "lang-6.18 one without an English name has no name_en" "$TMP/b" '"name_en"'
	num=$(snapsql "$TMP/en-name-snap.db" "select number from certificates where organisation_id = 1")
	fetch "/v1/certificates/$num" >/dev/null
	check_eq "lang-6.19 the certificate's organisation has it" "Yingming Cloud Security Ltd." "$(json_get "$TMP/b" '$.organisation.name_en')"
	fetch "/v1/certificates/$(sqlite3 "$TMP/en-name-snap.db" "select number from certificates where organisation_id = 2")" >/dev/null
	check_not_contains "lang-6.20 and the other's not" "$TMP/b" '"name_en"'
	fetch "/v1/changes?kind=org-name-en" >/dev/null
	check_eq "lang-6.21 the change feed has the event by kind" "org-name-en org-name-en" "$(jq -r '.items[].kind' "$TMP/b" | paste -sd' ')"
	check_eq "lang-6.22 in English words" "English name recorded" "$(json_get "$TMP/b" '$.items[0].label_en')"
	kill "$REGISTRYD_PID" 2>/dev/null
else
	not_ok "lang-6.0 registryd serves the snapshot"
fi

done_testing
