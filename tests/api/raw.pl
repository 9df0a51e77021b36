#!/usr/bin/perl
# A client that sends exactly the bytes it is given, for the tests of
# ambiguous and slow HTTP (tests/api/hostile.sh).  Usage:
#
#   raw.pl PORT WAIT [TRICKLE] < REQUEST
#
# Connects to 127.0.0.1:PORT, sends standard input as it is, then reads
# the reply for at most WAIT seconds (all of it, or with TRICKLE, at most
# TRICKLE bytes a second through a small receive buffer: a slow reader).
# Prints the reply, then a last line "closed after S s" when the server
# closed the connection, or "open after S s".
use strict;
use warnings;
use IO::Socket::INET;
use Socket qw(SOL_SOCKET SO_RCVBUF);
use Time::HiRes qw(time sleep);

my ($port, $wait, $trickle) = @ARGV;
die "usage: raw.pl PORT WAIT [TRICKLE] < REQUEST\n" unless $port && $wait;
local $/;
my $request = <STDIN> // '';
my $sock = IO::Socket::INET->new(Proto => 'tcp', PeerAddr => '127.0.0.1',
    PeerPort => $port) or die "raw.pl: cannot connect to $port: $!\n";
setsockopt($sock, SOL_SOCKET, SO_RCVBUF, 4096) if $trickle;
binmode $sock;
my $start = time;
syswrite($sock, $request) if length $request;
my ($reply, $closed) = ('', 0);
my $rin = '';
vec($rin, fileno($sock), 1) = 1;
while ((my $left = $start + $wait - time) > 0) {
	my $rout = $rin;
	last unless select($rout, undef, undef, $left);
	my $n = sysread($sock, my $chunk, $trickle ? int($trickle / 4) || 1 : 65536);
	if (!$n) { $closed = 1; last; }
	$reply .= $chunk unless $trickle && length $reply > 65536;
	sleep(0.25) if $trickle;
}
binmode STDOUT;
print $reply;
printf "\n%s after %.2f s\n", $closed ? 'closed' : 'open', time - $start;
