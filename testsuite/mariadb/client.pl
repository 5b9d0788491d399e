#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Test client (Perl, DBI + DBD::MariaDB = libdbd-mariadb-perl over libmariadb.so.3, loaded
# with dlopen by DynaLoader when DBI->connect first needs the driver).
#
#   client.pl [--wait-file F] [--ready-file F] [--sql SQL] [--duration SEC] [--quiet] SOCKET N
#
# Same behaviour and output as client.py: "result I: VALUE" per query, N = 0 loops forever.
use strict;
use warnings;
use Time::HiRes qw(sleep time);

$| = 1;

sub usage
{
	print STDERR "usage: client.pl [--wait-file F] [--ready-file F] [--sql SQL] "
	    . "[--duration SEC] [--quiet] SOCKET N\n";
	exit 2;
}

my ($wait_file, $ready_file, $duration);
my $sql = 'SELECT sleep(0.2)';
my $quiet = 0;
while (@ARGV && $ARGV[0] =~ /^--/) {
	my $opt = shift @ARGV;
	if ($opt eq '--quiet') { $quiet = 1; next; }
	usage() unless @ARGV;
	my $val = shift @ARGV;
	if ($opt eq '--wait-file') { $wait_file = $val; }
	elsif ($opt eq '--ready-file') { $ready_file = $val; }
	elsif ($opt eq '--sql') { $sql = $val; }
	elsif ($opt eq '--duration') { $duration = $val; }
	else { usage(); }
}
usage() unless @ARGV == 2;
my ($sock, $n) = @ARGV;

if (defined $wait_file) {
	print "waiting\n";
	sleep(0.05) until -e $wait_file;
}

# Loaded at run time, after the wait: DBI itself does not link libmariadb, DBD::MariaDB does.
require DBI;
my $dbh = DBI->connect("DBI:MariaDB:database=test;mariadb_socket=$sock", 'root', '',
		       { RaiseError => 1, PrintError => 0 });
print "connected\n";
if (defined $ready_file) {
	open(my $fh, '>', $ready_file) or die "$ready_file: $!";
	close($fh);
}

my $i = 0;
my $t0 = time();
while ($n == 0 || $i < $n) {
	my ($v) = $dbh->selectrow_array($sql);
	$i++;
	print "result $i: $v\n" unless $quiet;
	last if defined $duration && time() - $t0 >= $duration;
}
if (defined $duration) {
	my $el = time() - $t0;
	printf "queries %d seconds %.3f qps %.1f\n", $i, $el, $i / $el;
}
$dbh->disconnect;
exit 0;
