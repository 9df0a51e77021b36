#!/bin/bash
# content-complete: proves that nothing of the guide's substance was lost
# when its source text became the Markdown pages under content/.
#
# Every non-empty line of the seed text is normalised (leading numbering
# such as "1.", "1、", "(1)", "（1）" or "3.2.1" dropped, all whitespace and
# all ASCII and full-width punctuation removed) and must occur in the
# normalised concatenation of content/*.md (front matter reduced to its
# title, which the template renders as the <h1>; link syntax, heading ids
# and Markdown markup removed).  The few lines that were restructured (the
# five levels, the flow chart, the fee list, the cycle sentence given twice
# and the page footer) have specific checks instead.  Further checks hold the
# pages to the generator's conventions: front matter, heading ids, links and
# anchors, the fee table's arithmetic and the flow chart image.
. "$(dirname "$0")/../lib.sh"

# The guide's source text, as the centre wrote it, kept beside this test.
seed="$SRC/tests/site/guide-source.txt"
content="$SRC/content"

if [ ! -f "$seed" ]; then
	not_ok "seed text exists: $seed"
	done_testing
fi
ok "seed text exists"

# Pages in sidebar order: file weight parent ("-" for none).
pages="index 0 -
introduction 10 -
basis 20 -
levels 30 -
requirements 40 -
basic-qualification 41 requirements
basic-capability 42 requirements
cloud-service-process 43 requirements
project-organisation-process 44 requirements
certification 50 -
supervision 60 -
sanctions 70 -
disputes 80 -
archives 90 -
fees 100 -
contact 110 -"

missing_pages=""
while read -r name _ _; do
	[ -f "$content/$name.md" ] || missing_pages="$missing_pages $name.md"
done <<<"$pages"
check_eq "every page of the guide exists in content/" "" "$missing_pages"

# --- normalisation -----------------------------------------------------------
cat >"$TMP/norm.pl" <<'PERL'
use strict;
use warnings;
use utf8;

# ASCII punctuation, Latin-1 and general punctuation (quotes, dashes, ×),
# CJK punctuation (、。《》「」…) and full-width forms (（），：；－…).
my $punct = qr/[\x{21}-\x{2F}\x{3A}-\x{40}\x{5B}-\x{60}\x{7B}-\x{7E}\x{A1}-\x{BF}\x{D7}\x{F7}\x{2010}-\x{205E}\x{3000}-\x{303F}\x{FF01}-\x{FF0F}\x{FF1A}-\x{FF20}\x{FF3B}-\x{FF40}\x{FF5B}-\x{FF65}]/;

sub strip_markdown {
	my $s = shift;
	$s =~ s/\{#[^}]*\}//g;                    # heading ids
	$s =~ s/!?\[([^\]]*)\]\([^)]*\)/$1/g;     # links and images: keep the text
	$s =~ s/<((?:https?|mailto):[^>]*)>/$1/g; # autolinks
	return $s;
}

sub norm {
	my $s = shift;
	$s =~ s/\s+//g;
	$s =~ s/$punct//g;
	return $s;
}

my $mode = shift @ARGV;
if ($mode eq 'seed') {
	# Output: line number, normalised text, trimmed original, separated by
	# the unit separator (tab is whitespace to read, which would merge empties).
	while (my $line = <STDIN>) {
		chomp $line;
		$line =~ s/\r$//;
		(my $raw = $line) =~ s/^\s+|\s+$//g;
		next if $raw eq '';
		(my $text = $raw) =~ s/^(?:\d+(?:\.\d+)*\s*[.、．]?|[（(]\s*\d+\s*[)）])\s*//;
		print "$.\x1f", norm($text), "\x1f$raw\n";
	}
} elsif ($mode eq 'content' || $mode eq 'items') {
	# content: all pages as one normalised line.
	# items: one normalised line per Markdown numbered-list item.
	my $all = '';
	for my $file (@ARGV) {
		open my $fh, '<', $file or die "$file: $!\n";
		my @lines = <$fh>;
		close $fh;
		if (@lines && $lines[0] =~ /^---\s*$/) {
			shift @lines;
			while (@lines) {
				my $l = shift @lines;
				last if $l =~ /^---\s*$/;
				if ($l =~ /^title:\s*(.*?)\s*$/) {
					(my $t = $1) =~ s/^(["'])(.*)\1$/$2/;
					$all .= "$t\n";
				}
			}
		}
		for my $l (@lines) {
			if ($mode eq 'items') {
				print norm(strip_markdown($l)), "\n" if $l =~ /^\s*\d+\.\s/;
			} else {
				$all .= strip_markdown($l);
			}
		}
	}
	print norm($all), "\n" if $mode eq 'content';
}
PERL

norm() { perl -CSD "$TMP/norm.pl" "$@"; }

files=()
while read -r name _ _; do
	[ -f "$content/$name.md" ] && files+=("$content/$name.md")
done <<<"$pages"
norm seed <"$seed" >"$TMP/seed.tsv"
norm content "${files[@]}" >"$TMP/content.norm"
norm items "${files[@]}" >"$TMP/items.norm"

# in_norm TEXT FILE...: the normalised pages (or FILE's normalised text)
# contain TEXT, itself normalised.
in_norm() {
	local text=$1 want
	shift
	want=$(printf '%s\n' "$text" | perl -CSD "$TMP/norm.pl" seed | cut -d $'\x1f' -f2)
	if [ $# -gt 0 ]; then
		norm content "$@" | grep -qF -- "$want"
	else
		grep -qF -- "$want" "$TMP/content.norm"
	fi
}

# --- restructured lines --------------------------------------------------------
fees_md="$content/fees.md"

# fee_cells ITEM: the 人日|单价|金额 cells of ITEM's row in the fee table,
# trimmed, with thousands commas and ** removed.
fee_cells() {
	awk -F'|' -v item="$1" '/^\|/ {
		c = $2; gsub(/[* ]/, "", c)
		if (c != item) next
		out = ""
		for (i = 3; i <= 5; i++) {
			v = $i; gsub(/^ +| +$/, "", v); gsub(/[*,]/, "", v)
			out = out (i > 3 ? "|" : "") v
		}
		print out
	}' "$fees_md" 2>/dev/null
}

# fee_row N ITEM DAYS RATE AMOUNT: seed line N's fee item is a table row.
fee_row() {
	check_eq "seed line $1: fee table row $2 (人日|单价|金额)" \
		"$3|$4|$5" "$(fee_cells "$2")"
}

level_row() { # N LINE: "一级：基本执行级" is a row of the levels table
	local level=${2%%：*} label=${2#*：}
	if grep -qE "^\| *$level *\| *$label *\|" "$content/levels.md" 2>/dev/null
	then ok "seed line $1: levels table row $level | $label"
	else not_ok "seed line $1: levels table has no row $level | $label: $2"
	fi
}

norm_has() { # N LINE FILE FRAGMENT...: FILE's normalised text has each fragment
	local n=$1 line=$2 file=$3 f missing=""
	shift 3
	for f in "$@"; do
		in_norm "$f" "$content/$file" || missing="$missing [$f]"
	done
	if [ -z "$missing" ]; then ok "seed line $n: kept in $file: $line"
	else not_ok "seed line $n: $file lacks$missing of: $line"
	fi
}

steps="申请 资格审查 签订合同、缴纳费用 静态评估 现场审核 综合评定 资质审定 颁发证书"
svg="$content/images/certification-process.svg"
flow_chart() { # N LINE
	check "seed line $1: heading 4.1 认定流程图 in certification.md" \
		grep -qE '^## 4\.1 认定流程图 \{#process-chart\}$' "$content/certification.md"
	check_contains "seed line $1: certification.md shows the flow chart" \
		"$content/certification.md" \
		'![认定流程图：申请 → 资格审查 → 签订合同并缴费 → 静态评估 → 现场审核 → 综合评定 → 资质审定 → 证书发放](images/certification-process.svg)'
	local i=0 s missing=""
	for s in $steps; do
		i=$((i + 1))
		grep -qE "^$i\. \[$s\]\(#[a-z0-9-]+\)" "$content/certification.md" \
			2>/dev/null || missing="$missing $i.$s"
	done
	check_eq "seed line $1: the chart's steps follow it as a linked numbered list" \
		"" "$missing"
}

handled=0
restructured=17
echo "# seed lines"
while IFS=$'\x1f' read -r n text raw; do
	case "$raw" in
	一级：* | 二级：* | 三级：* | 四级：* | 五级：*)
		level_row "$n" "$raw" ;;
	4.1认定流程图)
		flow_chart "$n" "$raw" ;;
	'（1） 受理费：5000元/1人日*5000元')
		fee_row "$n" 受理费 1 5000 5000 ;;
	'（2） 静态审核：5000元/1人日*5000元')
		fee_row "$n" 静态审核 1 5000 5000 ;;
	'（3） 现场审核费：15000元/3人日*5000元')
		fee_row "$n" 现场审核费 3 5000 15000 ;;
	'（4） 综合评审：5000元/1人日*5000元')
		fee_row "$n" 综合评审 1 5000 5000 ;;
	'（5） 专家资质审定：10000元/2人日*5000元')
		fee_row "$n" 专家资质审定 2 5000 10000 ;;
	'（6） 年金：5000*3=15000元')
		fee_row "$n" 年金 "" "5000 元/年 × 3 年" 15000 ;;
	'（7） 证书费：3000元')
		fee_row "$n" 证书费 "" "" 3000 ;;
	'（8） 总计：58000元')
		check_contains "seed line $n: fee table total row" "$fees_md" \
			'| **总计** | | | **58,000** |' ;;
	'从受理到颁发证书的周期为三个月，中间由于申请方原因（如，资料补充需要的时间等）造成的时间不计算在内。')
		norm_has "$n" "$raw" fees.md 从受理到颁发证书的周期为三个月 \
			中间由于申请方原因（如，资料补充需要的时间等）造成的时间 不计算在内 ;;
	'从受理到颁发证书的周期为三个月，但由于申请方原因（如，资料补充需要的时间等）造成的时间延误不计算在内。')
		norm_has "$n" "$raw" fees.md 从受理到颁发证书的周期为三个月，但 \
			由于申请方原因（如，资料补充需要的时间等）造成的时间延误不计算在内 ;;
	发布日期：2017年10月1日*第2页*共16页)
		# the page footer "第2页 共16页" is layout and is dropped
		norm_has "$n" "$raw" index.md 发布日期：2017年10月1日 ;;
	*)
		handled=$((handled - 1))
		if [ -z "$text" ]; then
			ok "seed line $n has no text"
		elif grep -qF -- "$text" "$TMP/content.norm"; then
			ok "seed line $n: $raw"
		else
			not_ok "seed line $n missing from content/*.md: $raw"
			echo "#   normalised: $text"
		fi ;;
	esac
	handled=$((handled + 1))
done <"$TMP/seed.tsv"
check_eq "every restructured seed line met its specific check" \
	"$restructured" "$handled"

# --- numbered items stay numbered lists ---------------------------------------
missing=""
while IFS=$'\x1f' read -r n text raw; do
	case "$raw" in
	[0-9]\.\ * | [0-9][0-9]\.\ * | \([0-9]\)*)
		grep -qF -- "$text" "$TMP/items.norm" ||
			missing="$missing#   line $n is not a numbered-list item: $raw"$'\n' ;;
	esac
done <"$TMP/seed.tsv"
if [ -z "$missing" ]; then ok "numbered seed items are Markdown numbered-list items"
else not_ok "numbered seed items are Markdown numbered-list items"; printf '%s' "$missing"
fi

# --- details that normalisation would hide ------------------------------------
echo "# numbers, addresses and links kept exactly"
while read -r phone; do
	digits=${phone#010－}
	check "contact.md has the number $phone" \
		grep -qE "010(－|-)$digits" "$content/contact.md"
done < <(grep -oE '010－[0-9]{8}' "$seed" | sort -u)
check_contains "contact.md has the postcode" "$content/contact.md" 100085
while read -r url; do
	check "$url is an autolink" grep -qF "<$url>" "${files[@]}"
done < <(grep -oE 'https?://[A-Za-z0-9./_-]*[A-Za-z0-9/]' "$seed" | sort -u)
for amount in 5,000 15,000 10,000 3,000 58,000; do
	check "fees.md has the amount $amount" \
		grep -qE "\| *(\*\*)?$amount(\*\*)? *\| *$" "$fees_md"
done

# --- fee table -------------------------------------------------------------------
echo "# fee table"
check "fee table sits under a heading with id fees-table" \
	grep -qE '^##+ .*\{#fees-table\}$' "$fees_md"
check_contains "fee table header" "$fees_md" '| 项目 | 人日 | 单价（元/人日） | 金额（元） |'
fee_sums() {
	awk -F'|' '
	function num(v) { gsub(/[*, ]/, "", v); return v }
	/^\| *项目 *\|/ { intable = 1; next }
	intable && !/^\|/ { intable = 0 }
	!intable || /^\| *:?-+/ { next }
	{
		item = num($2); d = num($3); r = num($4); a = num($5)
		if (a !~ /^[0-9]+$/) { print "amount of " item " is not a number: " $5; bad = 1; next }
		if (item == "总计") { total = a; next }
		sum += a
		if (d ~ /^[0-9]+$/ && r ~ /^[0-9]+$/ && d * r != a) {
			print item ": " d " × " r " != " a; bad = 1
		}
	}
	END {
		if (sum != total) { print "rows sum to " sum ", 总计 says " total; bad = 1 }
		exit bad
	}' "$fees_md"
}
check "fee rows: 人日 × 单价 = 金额 and they sum to 总计" fee_sums
check "fees.md keeps the travel and lodging costs" \
	in_norm 申请组织还应承担因现场审核活动审核组成员所发生的交通和食宿费用 "$fees_md"

# --- conventions of the generator --------------------------------------------
cat >"$TMP/pages.pl" <<'PERL'
use strict;
use warnings;

# Usage: pages.pl DIR frontmatter NAME WEIGHT PARENT | headings NAME | links NAME
my ($dir, $what, $name, $weight, $parent) = @ARGV;

sub slurp {
	my $f = shift;
	open my $fh, '<', $f or return undef;
	local $/;
	my $s = <$fh>;
	close $fh;
	return $s;
}

sub split_page { # (front matter, body)
	my $s = shift;
	return (undef, $s) unless $s =~ /\A---\n(.*?)\n---\n(.*)\z/s;
	return ($1, $2);
}

sub ids {
	my $s = slurp("$dir/$_[0]");
	return () unless defined $s;
	my (undef, $body) = split_page($s);
	return map { /\{#([^}]*)\}\s*$/ ? ($1) : () } grep { /^#/ } split /\n/, $body;
}

my $src = slurp("$dir/$name.md");
die "cannot read $name.md\n" unless defined $src;
my ($fm, $body) = split_page($src);
my @err;

if ($what eq 'frontmatter') {
	die "no front matter between --- lines\n" unless defined $fm;
	my %kv;
	for (split /\n/, $fm) {
		next if /^\s*(#|$)/;
		if (/^([a-z]+):\s*(.*?)\s*$/) {
			my ($k, $v) = ($1, $2);
			$v =~ s/^(["'])(.*)\1$/$2/;
			$kv{$k} = $v;
		} else { push @err, "not a key: value line: $_" }
	}
	for my $k (keys %kv) {
		push @err, "unknown key $k"
			unless $k =~ /^(title|linktitle|weight|description|parent)$/;
	}
	push @err, "title is empty" unless ($kv{title} // '') ne '';
	push @err, "description is empty" unless ($kv{description} // '') ne '';
	push @err, "weight is " . ($kv{weight} // 'missing') . ", want $weight"
		unless ($kv{weight} // '') eq $weight;
	my $p = $kv{parent} // '-';
	push @err, "parent is $p, want $parent" unless $p eq $parent;
	push @err, "parent page $p.md does not exist"
		if $p ne '-' && !-f "$dir/$p.md";
} elsif ($what eq 'headings') {
	my %seen;
	my $fence = 0;
	for (split /\n/, $body) {
		$fence = !$fence if /^(```|~~~)/;
		next if $fence || !/^#/;
		if (/^#\s/) { push @err, "h1 in the body (the title is the h1): $_"; next }
		if (!/^#{2,6} \S.*\s\{#([a-z0-9]+(?:-[a-z0-9]+)*)\}$/) {
			push @err, "heading without a lowercase ASCII {#id}: $_";
			next;
		}
		push @err, "duplicate id $1" if $seen{$1}++;
	}
	push @err, "raw HTML: $_" for grep {
		(my $l = $_) =~ s/<(?:https?|mailto):[^>]*>//g;
		$l =~ /<[A-Za-z!\/?]/;
	} split /\n/, $body;
} elsif ($what eq 'links') {
	my %own = map { $_ => 1 } ids("$name.md");
	while ($body =~ /(!?)\[[^\]]*\]\(([^)\s]*)\)/g) {
		my ($img, $target) = ($1, $2);
		next if $target =~ /^[a-z][a-z0-9+.-]*:/i; # absolute URL
		# the site's own tools, by their site-absolute address
		next if $target =~ m{^/(checklist|timeline|search|registry|changes|editions)/$};
		my ($file, $anchor) = $target =~ /^([^#]*)(?:#(.*))?$/;
		if ($file eq '') {
			push @err, "no anchor #$anchor in this page"
				unless defined $anchor && $own{$anchor};
			next;
		}
		if (!-f "$dir/$file") { push @err, "no such file: $target"; next }
		push @err, "links to a page must end in .md: $target"
			if !$img && $file !~ /\.md$/;
		if (defined $anchor) {
			my %theirs = map { $_ => 1 } ids($file);
			push @err, "no anchor #$anchor in $file" unless $theirs{$anchor};
		}
	}
}
print "$_\n" for @err;
exit(@err ? 1 : 0);
PERL

echo "# conventions"
while read -r name weight parent; do
	[ -f "$content/$name.md" ] || continue
	check "$name.md: front matter (title, weight $weight, description, parent $parent)" \
		perl "$TMP/pages.pl" "$content" frontmatter "$name" "$weight" "$parent"
	check "$name.md: body headings start at ## and carry unique ASCII ids; no HTML" \
		perl "$TMP/pages.pl" "$content" headings "$name"
	check "$name.md: links resolve to existing pages and anchors" \
		perl "$TMP/pages.pl" "$content" links "$name"
done <<<"$pages"

# --- the flow chart image -------------------------------------------------------
echo "# flow chart image"
check "images/certification-process.svg exists" test -f "$svg"
# xmllint comes with the test dependencies (tools/deps.sh test): missing,
# it is a failure, not a skip.
check "the flow chart is well-formed XML (xmllint)" xmllint --noout "$svg"
check "the flow chart is an accessible image with a viewBox" \
	grep -qE '<svg[^>]* viewBox="[^"]+"[^>]* role="img"' "$svg"
check_contains "the flow chart has a <title>" "$svg" '<title'
check_contains "the flow chart has a <desc>" "$svg" '<desc'
for bad in '<script' 'href' '@font-face' '@import' '<image' '<foreignObject' '<style'; do
	check_not_contains "the flow chart has no $bad" "$svg" "$bad"
done
svg_urls_local() { ! grep -oE 'url\([^)]*\)' "$svg" | grep -v '^url(#'; }
svg_fonts_sans() {
	! grep -oE 'font-family="[^"]*"' "$svg" | grep -vx 'font-family="sans-serif"'
}
check "the flow chart references only its own markers (url(#…))" svg_urls_local
check "the flow chart uses only font-family sans-serif" svg_fonts_sans
for s in $steps; do
	check_contains "the flow chart shows the step $s" "$svg" ">$s</text>"
done

done_testing
