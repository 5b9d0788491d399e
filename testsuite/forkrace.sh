# SPDX-License-Identifier: GPL-2.0-or-later
#
# The tests of new processes made while traced calls are in flight (issue #9, program
# progs/forkrace.c), sourced after init.sh by one script per PLT flavour (fork-race-FL.test,
# clone-vm-FL.test: a flavour's 200 long rounds fit in the harness's time limit). 3 rounds
# each, 200 with LTRACE_LONG_TESTS=1.

rounds=3
[ "${LTRACE_LONG_TESTS:-0}" = 1 ] && rounds=200

# program_ok WHAT: the program's own verdict (no child died, every result right) and ltrace's
# exit status.
program_ok()
{
	if [ "$rc" -ne 0 ] || ! grep -qx 'forkrace ok' "$W/stdout"; then
		grep -v ' lib_add(' "$W/trace" | head -n 20
		cat "$W/stdout"
		fail_ "$1: a child or the parent died, or a result was wrong (rc $rc)"
	fi
}

# run_f ARGS...: the program with ARGS under ltrace -f; its verdict, then the trace's lines
# checked and summed up in $W/sum.
run_f()
{
	run_ltrace -f -F "$TESTCONF" -e lib_add -o "$W/trace" "$prog" "$@"
	program_ok "$fl round $i (-f $1)"
	if ! awk -f "$srcdir/callcheck.awk" "$W/trace" > "$W/sum"; then
		grep '^ERROR' "$W/sum" | head -n 20
		fail_ "$fl round $i (-f $1): bad trace lines"
	fi
}

# all_traced N CALLS FIRST: in the summary of run_f, N children (first arguments FIRST to
# FIRST + N - 1) with all their CALLS calls traced.
all_traced()
{
	n=$(awk -v c="$2" -v lo="$3" -v hi="$(($3 + $1))" \
		'$2 == "lib_add" && $3 == c && $8 >= lo && $8 < hi' "$W/sum" | wc -l)
	[ "$n" -eq "$1" ] || fail_ "$fl round $i (-f): $n children with all $2 calls traced"
}

# in_rounds FLAVOUR FUNCTION: run FUNCTION $rounds times with the program of that flavour in
# $prog, the round's number in $i.
in_rounds()
{
	fl=$1
	prog=$(require_prog "forkrace-$fl") || exit $?
	i=0
	while [ $i -lt $rounds ]; do
		i=$((i + 1))
		$2
	done
}

# fork_race FLAVOUR:
# Fork children get the trap bytes their memory holds (issue #9, item 2): three threads call
# lib_add through one call site while the main thread forks 100 times; each child makes the
# same calls through the same site, over return sites the threads were waiting on at the fork
# (taken out, or given out-of-line copies, in the parent before its fork event is handled).
# No child may die (of SIGTRAP or SIGSEGV), with -f (every child's 20 calls traced) or without
# (children let go clean).
fork_race()
{
	in_rounds "$1" fork_race_round
}

fork_race_round()
{
	run_f fork 100
	all_traced 100 20 1000
	if grep -q -e '--- SIG\(TRAP\|SEGV\|ILL\)' "$W/trace"; then
		grep -e '--- SIG' "$W/trace" | grep -v CHLD | head
		fail_ "$fl round $i (-f): a fatal signal in the trace"
	fi

	run_ltrace -F "$TESTCONF" -e lib_add -o "$W/trace" "$prog" fork 100
	program_ok "$fl round $i"
}

# clone_vm FLAVOUR:
# clone(CLONE_VM) children without CLONE_THREAD share their parent's memory and so its
# breakpoint table (issue #9, item 3), whichever event ptrace reports: exit signal SIGCHLD
# gives a fork event, exit signal 0 a clone event; and a clone without CLONE_VM with exit
# signal 0 (a clone event) is a fork child with a copy of its own. 60 such children (20 of
# each) call lib_add through the call site the parent and a thread use at the same time.
# With -f every child's 50 calls are traced and nobody dies of SIGTRAP; without -f the
# children's clean-up must not wipe the parent's traps (the parent's calls stay traced).
# Then such children that exec, and that outlive their parent's image: the exec'd images are
# traced, the child left in the shared memory goes on (traced with -f) once the parent has
# exec'd (and exited).
clone_vm()
{
	in_rounds "$1" clone_vm_round
}

clone_vm_round()
{
	run_f vm 60
	all_traced 60 50 2000
	# The parent's 3,000 calls, all of them.
	awk '$2 == "lib_add" && $3 == 3000 && $8 == 3000' "$W/sum" | grep -q . ||
		{ sort "$W/sum" | head -n 20; fail_ "$fl round $i (-f): parent's calls"; }

	run_ltrace -b -F "$TESTCONF" -e lib_add -o "$W/trace" "$prog" vm 60
	program_ok "$fl round $i"
	# Only the main thread is shown (-b: no SIGCHLD lines cutting calls in two): all
	# its calls, none of a child's.
	n=$(grep -c '^forkrace-[a-z]*->lib_add(3[0-9]*, [0-9]*) *= [0-9]*$' "$W/trace")
	[ "$n" -eq 3000 ] ||
		{ tail -n 5 "$W/trace"; fail_ "$fl round $i: $n of the parent's calls"; }
	if grep -q 'lib_add(20[0-9][0-9],' "$W/trace"; then
		fail_ "$fl round $i: a child's call in the trace without -f"
	fi

	for f in '' -f; do
		rm -f "$W/mark"
		run_ltrace $f -F "$TESTCONF" -e lib_add -o "$W/trace" \
			"$prog" vmleave "$W/mark"
		program_ok "$fl round $i (vmleave $f)"
		grep -qx 'leaf 5' "$W/stdout" || fail_ "$fl round $i (vmleave $f): no exec"
		# Without -f the child may be let go (clean) when the parent has left.
		t=0
		while [ ! -s "$W/mark" ] && [ $t -lt 100 ]; do
			sleep 0.1
			t=$((t + 1))
		done
		[ "$(cat "$W/mark" 2>/dev/null)" = "linger ok" ] ||
			fail_ "$fl round $i (vmleave $f): the child left alone failed"
	done
	# The trace of the -f run: the exec'ing child's lib_add(1, 1), exec, lib_add(2, 3)
	# (one pid), the lingering child's 100 calls lib_add(i, 7), the parent's exec.
	if ! awk -f "$srcdir/callcheck.awk" "$W/trace" > "$W/sum" ||
	   ! grep -q '^[0-9]* lib_add 2 2 0 1 3 1$' "$W/sum" ||
	   ! grep -q '^[0-9]* lib_add 100 100 0 7 7 0$' "$W/sum" ||
	   [ "$(grep -c '^[0-9]* --- Called exec() ---$' "$W/trace")" -ne 2 ]; then
		grep -v 'lib_add(4000, ' "$W/trace" | head -n 20
		sort "$W/sum"
		fail_ "$fl round $i (vmleave -f): exec'd or lingering child's calls"
	fi
}
