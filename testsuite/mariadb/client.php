<?php
// SPDX-License-Identifier: GPL-2.0-or-later
//
// Test client (PHP, mysqli over mysqlnd: PHP's own client library, not libmariadb). mysqlnd
// talks to the server through PHP streams, so the query packet goes through the PHP binary's
// exported _php_stream_write() and the wait for the answer is the first _php_stream_read()
// after it (prototypes: php.conf next to this file).
//
//   php client.php [--wait-file F] [--ready-file F] [--sql SQL] [--duration SEC] [--quiet] SOCKET N
//
// Same behaviour and output as client.py: "result I: VALUE" per query, N = 0 loops forever.
// Run with `php -n` to have the extensions loaded with dl() after the wait instead of at start.

function usage()
{
	fwrite(STDERR, "usage: client.php [--wait-file F] [--ready-file F] [--sql SQL] " .
	       "[--duration SEC] [--quiet] SOCKET N\n");
	exit(2);
}

$args = array_slice($argv, 1);
$wait_file = $ready_file = $duration = null;
$sql = 'SELECT sleep(0.2)';
$quiet = false;
while ($args && substr($args[0], 0, 2) === '--') {
	$opt = array_shift($args);
	if ($opt === '--quiet') {
		$quiet = true;
		continue;
	}
	if (!$args)
		usage();
	$val = array_shift($args);
	switch ($opt) {
	case '--wait-file': $wait_file = $val; break;
	case '--ready-file': $ready_file = $val; break;
	case '--sql': $sql = $val; break;
	case '--duration': $duration = (float)$val; break;
	default: usage();
	}
}
if (count($args) != 2)
	usage();
[$sock, $n] = [$args[0], (int)$args[1]];

if ($wait_file !== null) {
	echo "waiting\n";
	while (!file_exists($wait_file)) {
		usleep(50000);
		clearstatcache();
	}
}

// Under `php -n` no extension is loaded yet: load the driver now (dl() works in the CLI).
if (!extension_loaded('mysqli')) {
	if (!extension_loaded('mysqlnd'))
		dl('mysqlnd.so');
	dl('mysqli.so');
}
mysqli_report(MYSQLI_REPORT_ERROR | MYSQLI_REPORT_STRICT);
$db = new mysqli('localhost', 'root', '', 'test', 0, $sock);
echo "connected\n";
if ($ready_file !== null)
	touch($ready_file);

$i = 0;
$t0 = hrtime(true);
while ($n == 0 || $i < $n) {
	$row = $db->query($sql)->fetch_row();
	$i++;
	if (!$quiet)
		echo "result $i: $row[0]\n";
	if ($duration !== null && (hrtime(true) - $t0) / 1e9 >= $duration)
		break;
}
if ($duration !== null) {
	$el = (hrtime(true) - $t0) / 1e9;
	printf("queries %d seconds %.3f qps %.1f\n", $i, $el, $i / $el);
}
$db->close();
