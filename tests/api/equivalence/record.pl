#!/usr/bin/perl
# The recorder of tests/api/equivalence.sh: asks registryd a list of
# requests, or reads the files of a site folder, normalises each answer
# and prints one line per request: the request, a tab, the SHA-256 of the
# normalised answer.  With --answers FILE it also writes every normalised
# answer there, each after a line "### request", so that a difference can
# be shown as a diff.
#
#   record.pl --api BASE DIGEST REQUESTS [--answers FILE]
#   record.pl --pages DIR DIGEST [--group]
#
# REQUESTS has one request a line: "get PATH" (one answer) or "walk PATH"
# (a list followed through its cursors to the end: until a page has
# no next_cursor, or for the change feed "more": false).  An answer is its
# status, its Content-Type (and Location, if any) and its body.  A walk is the first page's fields
# besides items and next_cursor, then every item of every page, one a
# line, as served: where a page stops depends on a time budget, so only
# what the pages hold together is compared.
#
# What is normalised, and only this: the snapshot's SHA-256 (DIGEST, in
# answers, pages and checkpoints), the signature lines of signed notes
# (they sign that digest), and in /v1/meta the fields that describe the
# snapshot file rather than the registry (sha256, published_at,
# schema_version).  The publish time needs no normalising: the test pins
# it with SOURCE_DATE_EPOCH.  Cursors of "get" answers are compared as they
# are: the test gives registryd a fixed --cursor-secret.
#
# --pages hashes every file of DIR but the .gz copies, one line each
# ("page PATH"); with --group, the files whose paths differ only in their
# last two digits share a line (a site of 10,000 certificates in a few
# thousand lines), its hash over the group's paths and hashes.
use strict;
use warnings;
use Digest::SHA qw(sha256_hex);
use File::Find;
use HTTP::Tiny;
use Time::HiRes qw(time);

sub normalise {
	my ($text, $digest) = @_;
	$text =~ s/\Q$digest\E/<snapshot-sha256>/g;
	# A signed note's signature line: "— NAME BASE64" (U+2014 in UTF-8,
	# or escaped in JSON).
	$text =~ s{((?:\xe2\x80\x94|\\u2014) [^ \n\\]+ )[A-Za-z0-9+/]+=*}{$1<signature>}g;
	return $text;
}

sub fetch {
	my ($http, $url) = @_;
	my $r = $http->get($url);
	die "record.pl: $url: $r->{content}\n" if $r->{status} == 599;
	my $type = $r->{headers}{'content-type'} // '';
	# A redirect's answer is where it leads.
	$type .= "\nLocation: $r->{headers}{location}" if defined $r->{headers}{location};
	return ($r->{status}, $type, $r->{content});
}

# page BODY: a list page's items (their text as served) and the rest of
# the page with items empty and next_cursor and more null (they say where
# this page stopped); dies on anything else.
sub page {
	my ($body) = @_;
	my $at = index $body, '"items":[';
	die "record.pl: not a list page: $body\n" if $at < 0;
	pos($body) = $at + length '"items":[';
	my ($depth, $start, @items) = (0, pos $body);
	while ($body =~ /\G("(?:[^"\\]|\\.)*"|[\[{]|[\]}]|,|[^"\[\]{},]+)/gc) {
		my $t = $1;
		if ($t eq '[' || $t eq '{') {
			$depth++;
		} elsif ($t eq ']' || $t eq '}') {
			if ($depth-- == 0) {
				my $item = substr $body, $start, pos($body) - 1 - $start;
				push @items, $item if $item ne '';
				my $rest = substr($body, 0, $at) . '"items":[]' .
				    substr($body, pos $body);
				$rest =~ s/"next_cursor":(?:"[^"]*"|null)/"next_cursor":null/;
				$rest =~ s/"more":(?:true|false)/"more":null/;
				return (\@items, $rest);
			}
		} elsif ($t eq ',' && $depth == 0) {
			push @items, substr $body, $start, pos($body) - 1 - $start;
			$start = pos $body;
		}
	}
	die "record.pl: an unfinished items list: $body\n";
}

sub walk {
	my ($http, $base, $path, $digest) = @_;
	my ($out, $cursor, $pages) = ('', undef, 0);
	my $sep = $path =~ /\?/ ? '&' : '?';
	while (1) {
		my $url = $base . $path;
		$url .= "${sep}cursor=$cursor" if defined $cursor;
		my ($status, $type, $body) = fetch($http, $url);
		if ($status != 200) {
			return "$status $type\n" . normalise($body, $digest);
		}
		my ($items, $rest) = page($body);
		$out .= "$status $type\n$rest\n" if $pages++ == 0;
		$out .= "$_\n" for @$items;
		# The change feed always gives a cursor (to poll with later);
		# "more" says whether there is a next page now.
		last unless $body =~ /"next_cursor":"([^"]+)"/;
		$cursor = $1;
		last if $body =~ /"more":false/;
		die "record.pl: $path: more than 100,000 pages\n" if $pages > 100000;
	}
	return normalise($out, $digest);
}

sub api {
	my ($base, $digest, $requests, $answers) = @_;
	my $http = HTTP::Tiny->new(keep_alive => 1, timeout => 60, max_redirect => 0);
	open my $in, '<', $requests or die "record.pl: $requests: $!\n";
	my $all;
	if (defined $answers) {
		open $all, '>', $answers or die "record.pl: $answers: $!\n";
	}
	while (my $line = <$in>) {
		chomp $line;
		next if $line eq '' || $line =~ /^#/;
		my ($how, $path) = split / /, $line, 2;
		my $t0 = time;
		my $answer;
		if ($how eq 'walk') {
			$answer = walk($http, $base, $path, $digest);
		} elsif ($how eq 'get') {
			my ($status, $type, $body) = fetch($http, $base . $path);
			$answer = "$status $type\n" . normalise($body, $digest);
			if ($path =~ m{^/v1/meta}) {
				$answer =~ s/"(?:sha256|published_at)":"[^"]*",?//g;
				$answer =~ s/"schema_version":\d+,?//g;
			}
		} else {
			die "record.pl: $requests: $.: not get or walk: $line\n";
		}
		printf STDERR "%.2f s %s\n", time - $t0, $line if $ENV{RECORD_TIMES};
		print "$line\t", sha256_hex($answer), "\n";
		print $all "### $line\n$answer\n" if $all;
	}
	close $all if $all;
}

sub pages {
	my ($dir, $digest, $group) = @_;
	my @files;
	find({no_chdir => 1, wanted => sub {
		push @files, $File::Find::name if -f $_ && !/\.gz$/;
	}}, $dir);
	my %groups;
	for my $file (sort @files) {
		open my $f, '<:raw', $file or die "record.pl: $file: $!\n";
		local $/;
		my $text = <$f>;
		close $f;
		(my $rel = $file) =~ s{^\Q$dir\E/}{};
		my $hash = sha256_hex(normalise($text, $digest));
		if ($group) {
			(my $key = $rel) =~ s{\d\d(/[^/]*)$}{**$1};
			$key =~ s{\d\d(/[^/]*/[^/]*)$}{**$1} if $key eq $rel;
			push @{$groups{$key}}, "$rel $hash\n";
		} else {
			print "page $rel\t$hash\n";
		}
	}
	for my $key (sort keys %groups) {
		my $n = @{$groups{$key}};
		print "pages $key ($n)\t", sha256_hex(join '', @{$groups{$key}}), "\n";
	}
}

my $mode = shift // '';
die "record.pl: the snapshot's digest is not a SHA-256: $ARGV[1]\n"
    unless ($ARGV[1] // '') =~ /^[0-9a-f]{64}$/;
if ($mode eq '--api') {
	my ($base, $digest, $requests, $flag, $answers) = @ARGV;
	api($base, $digest, $requests, defined $flag ? $answers : undef);
} elsif ($mode eq '--pages') {
	my ($dir, $digest, $group) = @ARGV;
	pages($dir, $digest, defined $group);
} else {
	die "usage: record.pl --api BASE DIGEST REQUESTS [--answers FILE]\n" .
	    "       record.pl --pages DIR DIGEST [--group]\n";
}
