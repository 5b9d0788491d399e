# SPDX-License-Identifier: GPL-2.0-or-later
#
# Helpers of the MariaDB tests (testsuite/mariadb-*.test), sourced after init.sh:
#     . "${srcdir:-.}/init.sh"
#     . "$srcdir/mariadb/lib.sh"
#     mdb_require python            # skip (77) unless the interpreter and its driver work
#     mdb_start_server              # private server; $SOCK; stopped when the test exits
#
# The clients (client.py/.pl/.rb/.php) loop a query over the unix socket and print
# "result I: VALUE" per answer; see client.py. Traces are checked line by line with extended
# regular expressions (GNU grep/sed -E), durations and round trips with awk.

MDB="$srcdir/mariadb"
# The prototypes of the PHP stream functions mysqlnd calls (shipped in etc/).
PHPCONF="$srcdir/../etc/mysqlnd.so.conf"
MDB_SERVER_DIR=
# Extra VAR=VALUE settings for the attached ltrace (mdb_attach).
MDB_LTRACE_ENV=
CLIENT_PID=
LTRACE_PID=

# The traced commands write their trace to stderr, like the headline command
# `ltrace -ttTg -x mysql_real_query -p PID`.
TS='[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}'
HEX='0x[0-9a-f]+'
# The inside of a rendered string (escapes such as \" and \001 included); a rendered string
# argument: "text" or "text"... when cut at -s.
STRCHARS='([^"\\]|\\.)*'
STR="\"$STRCHARS\"(\\.\\.\\.)?"
DUR='<[0-9]+\.[0-9]{6}>'
SLEEP_SQL='"SELECT sleep\(0\.2\)"'

mdb_cleanup()
{
	[ -n "$LTRACE_PID" ] && kill -KILL "$LTRACE_PID" 2>/dev/null
	[ -n "$CLIENT_PID" ] && kill -KILL "$CLIENT_PID" 2>/dev/null
	[ -n "$MDB_SERVER_DIR" ] && sh "$MDB/server.sh" stop "$MDB_SERVER_DIR"
	MDB_SERVER_DIR=
}
trap 'mdb_cleanup' EXIT
trap 'exit 1' INT TERM HUP

# mdb_require LANG: set CLIENT (the command that runs the client of LANG, without arguments);
# skip the test when the interpreter or its MySQL driver is not installed.
mdb_require()
{
	case $1 in
	python)
		CLIENT=
		# The Debian module is for the system interpreter; a python3 earlier in PATH
		# (pyenv, virtualenv) may not see it.
		for py in /usr/bin/python3 python3; do
			if "$py" -c 'import MySQLdb' 2>/dev/null; then
				CLIENT="$py $MDB/client.py"
				break
			fi
		done
		[ -n "$CLIENT" ] || skip_ "python3 MySQLdb missing (apt-get install python3-mysqldb)"
		;;
	perl)
		perl -MDBI -MDBD::MariaDB -e 1 2>/dev/null ||
			skip_ "perl DBD::MariaDB missing (apt-get install libdbd-mariadb-perl)"
		CLIENT="perl $MDB/client.pl"
		;;
	ruby)
		ruby -rmysql2 -e 1 2>/dev/null ||
			skip_ "ruby mysql2 missing (apt-get install ruby-mysql2)"
		CLIENT="ruby $MDB/client.rb"
		;;
	php)
		php -r 'exit(extension_loaded("mysqli") ? 0 : 1);' 2>/dev/null ||
			skip_ "php mysqli missing (apt-get install php-cli php-mysql)"
		CLIENT="php $MDB/client.php"
		;;
	*)
		framework_failure_ "mdb_require: unknown language $1"
		;;
	esac
}

# mdb_start_server: a private server for this test (exit 77 of server.sh = not installed).
mdb_start_server()
{
	MDB_SERVER_DIR=$(sh "$MDB/server.sh" start $$)
	case $? in
	0) ;;
	77) skip_ "MariaDB server not installed (apt-get install mariadb-server)" ;;
	*) framework_failure_ "cannot start the MariaDB server" ;;
	esac
	SOCK="$MDB_SERVER_DIR/sock"
}

# mdb_wait_for FILE ERE SECONDS: wait until a line of FILE matches ERE; false on timeout.
mdb_wait_for()
{
	_n=0
	while ! grep -Eq "$2" "$1" 2>/dev/null; do
		[ $_n -ge $(( $3 * 20 )) ] && return 1
		sleep 0.05
		_n=$((_n + 1))
	done
	return 0
}

# mdb_results FILE: number of result lines the client printed so far.
mdb_results()
{
	grep -c '^result [0-9]*: ' "$1" 2>/dev/null
}

# mdb_expect_results FILE N: the client printed exactly N results.
mdb_expect_results()
{
	[ "$(mdb_results "$1")" -eq "$2" ] || { cat "$1"; fail_ "the client did not print $2 results"; }
}

# The query of SELECT sleep(0.2) in mysqlnd's packet, as mysqlnd.so.conf shows it (mysqlnd does not
# terminate the SQL in its command buffer: the text is printed up to the first NUL, stale bytes
# after it may show).
PHP_QUERY="\{ COM_QUERY, \"SELECT sleep\(0\.2\)$STRCHARS\" \}"

# mdb_start_client OUT ARGS...: run the client of mdb_require in the background, output to OUT.
mdb_start_client()
{
	_out=$1
	shift
	# shellcheck disable=SC2086
	$CLIENT "$@" > "$_out" 2>&1 &
	CLIENT_PID=$!
	echo "+ client $CLIENT $* (pid $CLIENT_PID)" >> "$W/commands"
}

# mdb_tracer_of PID: the TracerPid of PID (0 when not traced).
mdb_tracer_of()
{
	sed -n 's/^TracerPid:[[:space:]]*//p' "/proc/$1/status" 2>/dev/null
}

# mdb_attach TRACE SECONDS ARGS...: `ltrace ARGS... -p $CLIENT_PID` with its trace (stderr) in
# TRACE and stdout in TRACE.out; let it trace for SECONDS, then SIGINT it (detach) and wait for
# it to exit (10 s at most). Sets rc to ltrace's exit status.
mdb_attach()
{
	_trace=$1
	_secs=$2
	shift 2
	mdb_attach_start "$_trace" "$@"
	sleep "$_secs"
	mdb_detach
}

# mdb_attach_start TRACE ARGS...: start the attached ltrace and return once it traces the
# client (TracerPid set); mdb_detach ends it.
mdb_attach_start()
{
	_trace=$1
	shift
	echo "+ ${MDB_LTRACE_ENV:+$MDB_LTRACE_ENV }ltrace $* -p $CLIENT_PID" >> "$W/commands"
	# shellcheck disable=SC2086
	env $MDB_LTRACE_ENV "$LTRACE" "$@" -p "$CLIENT_PID" > "$_trace.out" 2> "$_trace" &
	LTRACE_PID=$!
	_n=0
	until [ "$(mdb_tracer_of "$CLIENT_PID")" = "$LTRACE_PID" ]; do
		if ! kill -0 "$LTRACE_PID" 2>/dev/null; then
			cat "$_trace"
			# A container without CAP_SYS_PTRACE under Yama ptrace_scope >= 1 forbids
			# attaching to a process that is not a descendant: not ltrace's fault.
			grep -q 'attach to pid.*Operation not permitted' "$_trace" &&
				skip_ "this environment does not allow ptrace attach (EPERM)"
			fail_ "ltrace $* -p $CLIENT_PID exited before it attached"
		fi
		[ $_n -ge 200 ] && { cat "$_trace"; fail_ "ltrace did not attach within 10 s"; }
		sleep 0.05
		_n=$((_n + 1))
	done
	# Attached; give it the time to read the link map and plant its breakpoints.
	sleep 0.5
}

mdb_detach()
{
	kill -INT "$LTRACE_PID" 2>/dev/null
	_n=0
	while kill -0 "$LTRACE_PID" 2>/dev/null; do
		if [ $_n -ge 200 ]; then
			kill -KILL "$LTRACE_PID" 2>/dev/null
			wait "$LTRACE_PID" 2>/dev/null
			LTRACE_PID=
			cat "$_trace"
			fail_ "ltrace did not exit within 10 s of SIGINT (killed)"
		fi
		sleep 0.05
		_n=$((_n + 1))
	done
	wait "$LTRACE_PID"
	rc=$?
	LTRACE_PID=
	echo "+ ltrace exited with status $rc, $((_n * 50)) ms after SIGINT" >> "$W/commands"
}

# mdb_expect_detached_rc: after SIGINT ltrace must exit on its own, cleanly.
mdb_expect_detached_rc()
{
	case $rc in
	0|130) ;;
	*) cat "$_trace"; fail_ "ltrace exited with status $rc after SIGINT (expected 0)" ;;
	esac
}

# mdb_complete_lines TRACE > OUT: the complete lines of TRACE, the alignment padding before
# "= " collapsed to one space. A detach (SIGINT) in the middle of a call leaves its left part
# as the last line, without newline (0.7.x) or with one: that line is left out.
mdb_complete_lines()
{
	if [ -s "$1" ] && [ "$(tail -c 1 "$1" | od -An -c | tr -d ' ')" != '\n' ]; then
		sed '$d' "$1"
	else
		sed -E '${/^[0-9:.]+ [^ ]+\(.*([^>]| <unfinished \.\.\.>)$/d;}' "$1"
	fi | sed -E 's/ {2,}= / = /'
}

# mdb_check_lines TRACE MENTION LINE_ERE: every complete line of TRACE that contains MENTION
# (an ERE) must match LINE_ERE (anchored here) entirely.
mdb_check_lines()
{
	mdb_complete_lines "$1" > "$1.norm"
	if grep -E "$2" "$1.norm" | grep -Ev "^($3)\$" > "$1.bad"; then
		echo "--- lines that do not match ^($3)\$:"
		cat "$1.bad"
		echo "--- trace:"
		cat "$1"
		fail_ "malformed trace lines in $1"
	fi
}

# mdb_count TRACE ERE: number of complete lines of TRACE matching ^ERE$.
mdb_count()
{
	mdb_complete_lines "$1" | grep -Ec "^($2)\$"
}

# mdb_check_count TRACE ERE MIN [MAX]
mdb_check_count()
{
	_c=$(mdb_count "$1" "$2")
	if [ "$_c" -lt "$3" ] || { [ -n "${4:-}" ] && [ "$_c" -gt "$4" ]; }; then
		echo "--- trace:"
		cat "$1"
		fail_ "$_c lines match ^($2)\$ in $1, expected ${4:+$3..}${4:-at least $3}"
	fi
}

# mdb_check_durations TRACE ERE MIN MAX: the <duration> of every complete line matching ^ERE$
# lies within MIN..MAX seconds.
mdb_check_durations()
{
	mdb_complete_lines "$1" | grep -E "^($2)\$" | sed -E 's/.*<([0-9.]+)>$/\1/' |
		awk -v lo="$3" -v hi="$4" '
			{ if ($1 + 0 < lo + 0 || $1 + 0 > hi + 0) { print "duration " $1; bad = 1 } }
			END { exit bad }' > "$1.baddur" ||
		{ cat "$1.baddur"; echo "--- trace:"; cat "$1"; fail_ "durations outside $3..$4 s"; }
}

# mdb_check_round_trips TRACE START_ERE END_ERE MIN MAX: for every complete line matching
# ^START_ERE$, the next line matching ^END_ERE$ must end (its timestamp plus its <duration>)
# MIN..MAX seconds after the start line's timestamp. At least one pair is required.
mdb_check_round_trips()
{
	mdb_complete_lines "$1" |
		sed -n -E "s/^($2)\$/S &/p; s/^($3)\$/E &/p" |
		sed -E 's/^([SE]) ([0-9]+):([0-9]+):([0-9.]+) .*<([0-9.]+)>$/\1 \2 \3 \4 \5/' |
		awk -v lo="$4" -v hi="$5" '
			{ t = $2 * 3600 + $3 * 60 + $4 }
			$1 == "S" { start = t; open = 1; next }
			$1 == "E" && open {
				rt = t + $5 - start
				if (rt < 0) rt += 86400
				n++
				if (rt < lo + 0 || rt > hi + 0) { printf "round trip %.6f\n", rt; bad = 1 }
				open = 0
			}
			END { if (!n) print "no round trip found"; exit bad || !n }' > "$1.badrt" ||
		{ cat "$1.badrt"; echo "--- trace:"; cat "$1"; fail_ "round trips outside $4..$5 s"; }
}

# mdb_check_client_output OUT: every line is "connected", "waiting" or "result I: 0" with
# I = 1, 2, 3, ... in order (a last line cut short is allowed while the client still runs).
mdb_check_client_output()
{
	mdb_complete_lines "$1" | awk '
		/^(waiting|connected)$/ { next }
		/^result [0-9]+: 0$/ { n++; if ($2 != n ":") { print "out of order: " $0; bad = 1 }; next }
		{ print "unexpected: " $0; bad = 1 }
		END { exit bad }' > "$1.bad" ||
		{ cat "$1.bad"; echo "--- client output:"; cat "$1"; fail_ "client output is wrong"; }
}

# mdb_check_client_continues: the client is still running, untraced, and keeps answering.
mdb_check_client_continues()
{
	kill -0 "$CLIENT_PID" 2>/dev/null || {
		wait "$CLIENT_PID"
		_crc=$?
		cat "$W/client.out"
		fail_ "the client died after ltrace detached (status $_crc)"
	}
	_t=$(mdb_tracer_of "$CLIENT_PID")
	[ "$_t" = 0 ] || fail_ "the client is still traced by pid $_t after ltrace exited"
	_before=$(mdb_results "$W/client.out")
	mdb_wait_for "$W/client.out" "^result $((_before + 2)): " 5 || {
		cat "$W/client.out"
		fail_ "the client stopped answering after ltrace detached ($_before results)"
	}
	mdb_check_client_output "$W/client.out"
}

# mdb_stop_client: end the looping client; it must die by our SIGTERM, nothing else.
mdb_stop_client()
{
	kill -TERM "$CLIENT_PID" 2>/dev/null
	wait "$CLIENT_PID"
	_crc=$?
	CLIENT_PID=
	[ "$_crc" -eq 143 ] ||
		{ cat "$W/client.out"; fail_ "client ended with status $_crc, expected 143 (SIGTERM)"; }
}

# mdb_libmariadb_mapped: true when the client has libmariadb mapped.
mdb_libmariadb_mapped()
{
	grep -q 'libmariadb\.so' "/proc/$CLIENT_PID/maps" 2>/dev/null
}

# ---------------------------------------------------------------------------------------------
# What each language's driver calls, and how its trace is checked.

# mdb_lang LANG: set XOPTS (the -x options that catch the queries), PROTOS1 (whether shipped
# prototypes cover them: conf or none) and write $W/custom.conf (the prototypes a user would
# write by hand for them).
mdb_lang()
{
	MDB_LANG=$1
	case $1 in
	python|perl)
		XOPTS="-x mysql_real_query"
		PROTOS1=conf
		echo 'int mysql_real_query(addr,string,ulong);' > "$W/custom.conf"
		;;
	ruby)
		XOPTS="-x mysql_send_query -x mysql_read_query_result"
		PROTOS1=conf
		printf '%s\n' 'int mysql_send_query(addr,string,ulong);' \
			'int mysql_read_query_result(addr);' > "$W/custom.conf"
		;;
	php)
		XOPTS="-x _php_stream_write -x _php_stream_read"
		# No prototypes ship for the PHP binary: the first attach shows raw arguments.
		PROTOS1=none
		cp "$PHPCONF" "$W/custom.conf"
		;;
	esac
}

# mdb_check_queries TRACE MIN PROTOS: the trace of the client's queries is right and shows at
# least MIN of them. PROTOS: "conf" when prototypes were found (the shipped ones or
# custom.conf), "none" when ltrace had to use its default prototype.
mdb_check_queries()
{
	case $MDB_LANG in
	python|perl)
		if [ "$3" = conf ]; then
			_all="$TS mysql_real_query@libmariadb\.so\.3\($HEX, $STR, [0-9]+\) = 0 $DUR"
			_q="$TS mysql_real_query@libmariadb\.so\.3\($HEX, $SLEEP_SQL, 17\) = 0 $DUR"
		else
			_all="$TS mysql_real_query@libmariadb\.so\.3\($HEX, $HEX, [0-9]+, .*\) = 0 $DUR"
			_q="$TS mysql_real_query@libmariadb\.so\.3\($HEX, $HEX, 17, .*\) = 0 $DUR"
		fi
		mdb_check_lines "$1" 'mysql_real_query' "$_all"
		mdb_check_count "$1" "$_q" "$2"
		mdb_check_durations "$1" "$_q" 0.15 1.0
		;;
	ruby)
		_all="$TS mysql_send_query@libmariadb\.so\.3\($HEX, $STR, [0-9]+\) = 0 $DUR"
		_q="$TS mysql_send_query@libmariadb\.so\.3\($HEX, $SLEEP_SQL, 17\) = 0 $DUR"
		_r="$TS mysql_read_query_result@libmariadb\.so\.3\($HEX\) = 0 $DUR"
		mdb_check_lines "$1" 'mysql_send_query' "$_all"
		mdb_check_lines "$1" 'mysql_read_query_result' "$_r"
		mdb_check_count "$1" "$_q" "$2"
		mdb_check_round_trips "$1" "$_q" "$_r" 0.15 1.0
		;;
	php)
		if [ "$3" = conf ]; then
			_all="$TS _php_stream_write\($HEX, \{ [A-Z_0-9-]+, $STR \}, [0-9]+\) = [0-9]+ $DUR"
			_q="$TS _php_stream_write\($HEX, $PHP_QUERY, 22\) = 22 $DUR"
			_r="$TS _php_stream_read\($HEX, $HEX, [0-9]+\) = [0-9]+ $DUR"
		else
			_all="$TS _php_stream_write\($HEX, $HEX, [0-9]+, .*\) = [0-9]+ $DUR"
			_q="$TS _php_stream_write\($HEX, $HEX, 22, .*\) = 22 $DUR"
			_r="$TS _php_stream_read\($HEX, $HEX, [0-9]+, .*\) = [0-9]+ $DUR"
		fi
		mdb_check_lines "$1" '_php_stream_write' "$_all"
		mdb_check_lines "$1" '_php_stream_read' "$_r"
		mdb_check_count "$1" "$_q" "$2"
		mdb_check_round_trips "$1" "$_q" "$_r" 0.15 1.0
		;;
	esac
}

# mdb_attach_test LANG: the attach test of LANG. The client loops; ltrace attaches with the
# headline command `ltrace -ttTg -x mysql_real_query -p PID` (the shipped prototypes), then
# again with -F custom.conf alone (no shipped prototypes, as for a user without them); after
# each detach the client must go on untraced and keep answering.
mdb_attach_test()
{
	mdb_require "$1"
	mdb_lang "$1"
	mdb_start_server
	mdb_start_client "$W/client.out" "$SOCK" 0
	mdb_wait_for "$W/client.out" '^result 1: ' 15 ||
		{ cat "$W/client.out"; framework_failure_ "the client does not answer"; }

	# shellcheck disable=SC2086
	mdb_attach "$W/trace1" 2 -ttTg $XOPTS
	mdb_expect_detached_rc
	mdb_check_queries "$W/trace1" 3 "$PROTOS1"
	mdb_check_client_continues

	mkdir -p "$W/empty"
	MDB_LTRACE_ENV="LTRACE_PKGDATADIR=$W/empty"
	# shellcheck disable=SC2086
	mdb_attach "$W/trace2" 2 -ttTg -F "$W/custom.conf" $XOPTS
	MDB_LTRACE_ENV=
	mdb_expect_detached_rc
	mdb_check_queries "$W/trace2" 3 conf
	mdb_check_client_continues

	mdb_stop_client
}

# mdb_attach_early_test LANG: attach while the client waits, before it loads its driver (for
# Python, Perl and Ruby libmariadb.so.3 is not mapped yet: the r_debug watcher must catch the
# dlopen); then let it go and trace its queries.
mdb_attach_early_test()
{
	mdb_require "$1"
	mdb_lang "$1"
	# PHP loads its extensions at start-up: -n makes the client dl() them after the wait.
	[ "$1" = php ] && CLIENT="php -n $MDB/client.php"
	mdb_start_server
	mdb_start_client "$W/client.out" --wait-file "$W/go" "$SOCK" 0
	mdb_wait_for "$W/client.out" '^waiting$' 15 ||
		{ cat "$W/client.out"; framework_failure_ "the client does not start"; }
	if [ "$1" = php ]; then
		! grep -q 'mysqlnd\.so' "/proc/$CLIENT_PID/maps" ||
			framework_failure_ "mysqlnd.so is loaded before the wait"
	else
		! mdb_libmariadb_mapped ||
			framework_failure_ "libmariadb is loaded before the wait: the test proves nothing"
	fi

	_fopt=
	[ "$1" = php ] && _fopt="-F $PHPCONF"
	# shellcheck disable=SC2086
	mdb_attach_start "$W/trace" -ttTg $_fopt $XOPTS
	: > "$W/go"
	if ! mdb_wait_for "$W/client.out" '^result 4: ' 15; then
		mdb_detach
		cat "$W/client.out"
		echo "--- trace:"
		cat "$W/trace"
		fail_ "the traced client did not answer 4 queries within 15 s"
	fi
	mdb_detach
	mdb_expect_detached_rc
	mdb_check_queries "$W/trace" 3 conf
	mdb_check_client_continues
	mdb_stop_client
}
