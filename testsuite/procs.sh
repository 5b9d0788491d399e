# SPDX-License-Identifier: GPL-2.0-or-later
#
# Helpers of the attach, detach, thread and child tests (sourced after init.sh): background
# processes with bounded waits, polling instead of fixed sleeps, and checks that a process
# left by the tracer is healthy (not traced, alive, code bytes identical to the files).
# Every background process is registered and killed when the test exits, pass or fail (only
# while it is still a child of this shell: a reaped pid may belong to somebody else by then).

bg_pids=
cleanup_bg_()
{
	for p in $bg_pids; do
		[ "$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | cut -d' ' -f2)" = "$$" ] &&
			kill -KILL "$p" 2>/dev/null
	done
}
trap cleanup_bg_ EXIT
trap 'exit 99' INT TERM HUP

# Seconds allowed to any wait of these helpers.
: "${PROC_TIMEOUT:=$LTRACE_TEST_TIMEOUT}"

# state_of PID: the one-letter state of /proc/PID/stat (empty when the process is gone).
state_of()
{
	sed -n 's/^.*) \(.\).*$/\1/p' "/proc/$1/stat" 2>/dev/null
}

# running PID: the process exists and is not a zombie.
running()
{
	case $(state_of "$1") in
	''|Z|X) return 1 ;;
	esac
	return 0
}

# tracer_of PID: the TracerPid field of /proc/PID/status.
tracer_of()
{
	sed -n 's/^TracerPid:[[:space:]]*//p' "/proc/$1/status" 2>/dev/null
}

# diag_: the state of every background process and of its threads (for a failure message).
diag_()
{
	for p in $bg_pids; do
		[ -d "/proc/$p" ] || continue
		echo "--- pid $p: $(tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null)"
		for t in /proc/"$p"/task/*; do
			t=${t##*/}
			echo "  task $t: state $(state_of "$p/task/$t")," \
				"wchan $(cat "/proc/$p/task/$t/wchan" 2>/dev/null)," \
				"TracerPid $(tracer_of "$p/task/$t")"
		done
	done
}

# traced_by PID TRACER: PID's TracerPid is TRACER.
traced_by()
{
	[ "$(tracer_of "$1")" = "$2" ]
}

# poll DESCRIPTION COMMAND...: run COMMAND every 20 ms until it succeeds; fail after
# PROC_TIMEOUT seconds.
poll()
{
	poll_what_=$1
	shift
	poll_end_=$(( $(date +%s) + PROC_TIMEOUT ))
	until "$@"; do
		if [ "$(date +%s)" -gt "$poll_end_" ]; then
			diag_
			fail_ "timed out waiting for: $poll_what_"
		fi
		sleep 0.02
	done
}

# file_has FILE REGEX: FILE exists and a line matches REGEX (grep BRE).
file_has()
{
	grep -q -e "$2" "$1" 2>/dev/null
}

# lines_at_least FILE N: FILE has N lines or more.
lines_at_least()
{
	[ -f "$1" ] && [ "$(wc -l < "$1")" -ge "$2" ]
}

# not_running PID
not_running()
{
	! running "$1"
}

# start_bg VAR OUTFILE COMMAND...: start COMMAND in the background (stdout and stderr to
# OUTFILE), store its pid in VAR.
start_bg()
{
	start_var_=$1
	start_out_=$2
	shift 2
	echo "+ & $*" >> "$W/commands"
	"$@" > "$start_out_" 2>&1 &
	eval "$start_var_=\$!"
	bg_pids="$bg_pids $!"
}

# finish PID: wait (at most PROC_TIMEOUT seconds) until the background process PID ends, then
# reap it; its exit status goes to $wrc. A process that does not end is killed and fails the
# test.
finish()
{
	finish_end_=$(( $(date +%s) + PROC_TIMEOUT ))
	while running "$1"; do
		if [ "$(date +%s)" -gt "$finish_end_" ]; then
			diag_
			kill -KILL "$1" 2>/dev/null
			wait "$1" 2>/dev/null
			fail_ "process $1 ($2) did not end within ${PROC_TIMEOUT}s"
		fi
		sleep 0.02
	done
	wait "$1"
	wrc=$?
	bg_pids=$(echo $bg_pids | tr ' ' '\n' | grep -vx "$1" | tr '\n' ' ')
}

# healthy PID WHAT: PID runs, is traced by nobody, and its code holds no byte that differs
# from the files it maps (no breakpoint left behind).
healthy()
{
	t_=$(tracer_of "$1")
	if [ -z "$t_" ] || ! running "$1"; then
		wait "$1" 2>/dev/null
		died_=$?
		fail_ "$2: the program died (wait status $died_$([ $died_ -gt 128 ] &&
			echo ": SIG$(kill -l $died_ 2>/dev/null)"))"
	fi
	case $(state_of "$1") in
	T|t) diag_; fail_ "$2: the program is stopped (state $(state_of "$1"))" ;;
	esac
	[ "$t_" = 0 ] || { diag_; fail_ "$2: the program is still traced (TracerPid $t_)"; }
	"$CODECHECK" "$1" > "$W/codecheck" 2>&1
	case $? in
	0) ;;
	1) cat "$W/codecheck"; fail_ "$2: breakpoint bytes left in the program's code" ;;
	*) running "$1" || healthy "$1" "$2"
	   cat "$W/codecheck"; framework_failure_ "codecheck failed on pid $1" ;;
	esac
}

# stop_busy PID OUTFILE WHAT: ask a running progs/busy to finish (SIGUSR1); it must exit 0
# after checking all of its results.
stop_busy()
{
	kill -USR1 "$1" 2>/dev/null || fail_ "$3: the program is gone"
	finish "$1" busy
	if [ "$wrc" -ne 0 ] || ! grep -q 'bad=0$' "$2"; then
		cat "$2"
		fail_ "$3: the program ended with status $wrc (expected 0 and all results right)"
	fi
}

# Commands started with & by a non-interactive shell ignore SIGINT and SIGQUIT; a tracer
# started from a terminal would not, so give them back their default action when env can.
if env --default-signal=INT,QUIT true 2>/dev/null; then
	DEFSIG="env --default-signal=INT,QUIT"
else
	DEFSIG=
fi

# start_ltrace VAR OUTFILE ARGS...: start_bg for the tracer, with the default actions of
# SIGINT and SIGQUIT as from a terminal.
start_ltrace()
{
	start_lvar_=$1
	start_lout_=$2
	shift 2
	start_bg "$start_lvar_" "$start_lout_" $DEFSIG "$LTRACE" "$@"
}

# random_below N: a pseudo-random number in [0, N).
random_below()
{
	echo $(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % $1 ))
}

CODECHECK=$(require_prog codecheck) || exit $?
