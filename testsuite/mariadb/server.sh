#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# A private MariaDB server for the tests only: its own data directory under a fresh temporary
# directory, a unix socket, no TCP, no system service, no systemd.
#
#   server.sh start [OWNER_PID]   start it; print the directory DIR on stdout (socket DIR/sock,
#                                 server log DIR/err.log); database `test` exists; user root, no
#                                 password. Exit 77 when MariaDB is not installed, 1 on failure.
#   server.sh stop DIR            stop it and remove DIR (harmless when already stopped).
#
# A watchdog stops the server when OWNER_PID (default: the caller) is gone, so a test killed by
# its time limit leaves no server behind; it also stops it after MDB_MAX_LIFETIME seconds
# (default 900) whatever happens.
set -u

die() { echo "server.sh: $*" >&2; exit 1; }

find_prog()
{
	for p in "$@"; do
		command -v "$p" 2>/dev/null && return 0
		for d in /usr/sbin /usr/bin /usr/local/sbin /usr/local/bin /usr/libexec; do
			[ -x "$d/$p" ] && { echo "$d/$p"; return 0; }
		done
	done
	return 1
}

# Options shared by the bootstrap and the server: small InnoDB files keep the start fast and
# the temporary directory small; a private tmpdir, because servers started at the same time
# (parallel tests) clash over their temporary tables in a shared /tmp.
common_opts()
{
	echo "--no-defaults --datadir=$1/data --tmpdir=$1/tmp --innodb-log-file-size=4M"
}

stop_server()
{
	dir=$1
	[ -n "$dir" ] && [ -d "$dir" ] || return 0
	# Only directories made by start (they hold our marker) are ever removed.
	[ -f "$dir/ltrace-mdb" ] || die "$dir was not made by server.sh start"
	if [ -f "$dir/pid" ]; then
		pid=$(cat "$dir/pid" 2>/dev/null)
		if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
			kill -TERM "$pid" 2>/dev/null
			i=0
			while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
				sleep 0.1
				i=$((i + 1))
			done
			kill -KILL "$pid" 2>/dev/null
		fi
	fi
	if [ -f "$dir/watchdog" ]; then
		wpid=$(cat "$dir/watchdog" 2>/dev/null)
		[ -n "$wpid" ] && [ "$wpid" != "$$" ] && kill "$wpid" 2>/dev/null
	fi
	rm -rf "$dir"
}

start_server()
{
	owner=${1:-$PPID}
	install_db=$(find_prog mariadb-install-db mysql_install_db) ||
		{ echo "server.sh: mariadb-install-db not found (apt-get install mariadb-server)" >&2; exit 77; }
	mariadbd=$(find_prog mariadbd mysqld) ||
		{ echo "server.sh: mariadbd not found (apt-get install mariadb-server)" >&2; exit 77; }
	client=$(find_prog mariadb mysql) ||
		{ echo "server.sh: mariadb client not found (apt-get install mariadb-client)" >&2; exit 77; }

	# A short path: unix socket paths are limited to 107 bytes.
	dir=$(mktemp -d "${MDB_TMPDIR:-/tmp}/ltrace-mdb.XXXXXX") || die "mktemp failed"
	: > "$dir/ltrace-mdb"
	mkdir "$dir/tmp" || die "cannot create $dir/tmp"
	useropt=
	[ "$(id -u)" -eq 0 ] && useropt=--user=root

	# shellcheck disable=SC2046
	# --force and --skip-name-resolve: a machine whose host name does not resolve (a fresh
	# container, a chroot) must do; the tests only use the unix socket.
	if ! "$install_db" $(common_opts "$dir") $useropt --auth-root-authentication-method=normal \
	     --skip-test-db --skip-name-resolve --force > "$dir/install.log" 2>&1; then
		cat "$dir/install.log" >&2
		stop_server "$dir"
		die "mariadb-install-db failed"
	fi

	# shellcheck disable=SC2046
	"$mariadbd" $(common_opts "$dir") $useropt --socket="$dir/sock" --skip-networking \
		--skip-name-resolve \
		--pid-file="$dir/pid" --log-error="$dir/err.log" --skip-log-bin \
		< /dev/null > /dev/null 2>&1 &
	spid=$!

	i=0
	until "$client" --no-defaults -S "$dir/sock" -uroot -e 'SELECT 1' > /dev/null 2>&1; do
		if ! kill -0 "$spid" 2>/dev/null || [ $i -ge 300 ]; then
			tail -n 20 "$dir/err.log" >&2
			kill -KILL "$spid" 2>/dev/null
			stop_server "$dir"
			die "the server did not start"
		fi
		sleep 0.1
		i=$((i + 1))
	done
	# The pid file is written by the server itself, but only once it is up; use ours.
	echo "$spid" > "$dir/pid"
	"$client" --no-defaults -S "$dir/sock" -uroot -e 'CREATE DATABASE IF NOT EXISTS test' ||
		{ stop_server "$dir"; die "cannot create database test"; }

	# The watchdog: stdout/stderr closed so that $(server.sh start) returns at once.
	(
		trap '' INT
		n=0
		while kill -0 "$owner" 2>/dev/null && kill -0 "$spid" 2>/dev/null &&
		      [ $n -lt "${MDB_MAX_LIFETIME:-900}" ]; do
			sleep 1
			n=$((n + 1))
		done
		rm -f "$dir/watchdog"
		[ -d "$dir" ] && stop_server "$dir"
	) < /dev/null > /dev/null 2>&1 &
	echo $! > "$dir/watchdog"
	echo "$dir"
}

case ${1:-} in
start) shift; start_server "$@" ;;
stop) [ $# -eq 2 ] || die "usage: server.sh stop DIR"; stop_server "$2" ;;
*) echo "usage: server.sh start [OWNER_PID] | stop DIR" >&2; exit 2 ;;
esac
