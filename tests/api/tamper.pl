#!/usr/bin/perl
# tamper.pl HOW RECEIPT [FORK_CHECKPOINT] > TAMPERED: a receipt changed the
# way a forger would, for the tests of the verifiers.
#   byte       one byte of the last event's entry changed
#   reorder    the first two events swapped
#   drop       the last event left out
#   truncate   the last hash of the first event's inclusion proof left out
#   fork       FORK_CHECKPOINT instead of the receipt's (and the snapshot
#              it names): another history of the same size signed by the
#              same key
use strict;
use warnings;
use JSON::PP;
use MIME::Base64;

my ($how, $file, $fork) = @ARGV;
sub slurp { local $/; open my $f, '<:raw', $_[0] or die "$_[0]: $!"; <$f> }
my $json = JSON::PP->new->utf8->canonical->pretty;
my $r = $json->decode(slurp($file));
my $events = $r->{events};
if ($how eq 'byte') {
	my $e = decode_base64($events->[-1]{entry});
	substr($e, -1, 1) = chr(ord(substr($e, -1, 1)) ^ 0x01);
	$events->[-1]{entry} = encode_base64($e, '');
} elsif ($how eq 'reorder') {
	@$events[0, 1] = @$events[1, 0];
} elsif ($how eq 'drop') {
	pop @$events;
} elsif ($how eq 'truncate') {
	pop @{$events->[0]{proof}};
} elsif ($how eq 'fork') {
	my $note = slurp($fork);
	utf8::decode($note);
	$note =~ /^snapshot (\S+) sha256:([0-9a-f]{64})$/m or die "tamper.pl: $fork: no snapshot line\n";
	@$r{qw(checkpoint as_of snapshot_sha256)} = ($note, $1, $2);
} else {
	die "tamper.pl: unknown change $how\n";
}
binmode STDOUT, ':raw';
print $json->encode($r);
