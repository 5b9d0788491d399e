# SPDX-License-Identifier: GPL-2.0-or-later
#
# callcheck.awk: check a trace written with -o by a tracer running with -p or -f (every line
# starts with "PID "). Every line must be a call line (whole, unfinished or resumed, with an
# optional "caller->" prefix and "@LIB" suffix), a signal, exec or exit line; the results of
# lib_add, abs and plug_mul must be right, unfinished/resumed lines must pair up per thread.
# Prints a summary, one line per (pid, function):
#     PID NAME CALLS DISTINCT_FIRST_ARGS DUPLICATES MIN_SECOND_ARG MAX_SECOND_ARG FIRST_ARG
# (FIRST_ARG: the first argument of the first call)
# then "pending PID CALL" for calls never resumed, "child PID NAME" for tasks whose first line
# is the return of NAME (fork, vfork) inherited from their parent, "exit PID TEXT" for exit
# lines, and
# "ERROR: ..." lines for anything wrong (exit status 1).
# With -v cut=1 the last line may be a call's left part cut short by a detach (terminated by a
# newline or not).

function err(msg)
{
	printf "ERROR: line %d: %s: %s\n", NR, msg, $0
	errors++
}

function trim(s)
{
	sub(/^ +/, "", s)
	sub(/ +$/, "", s)
	return s
}

# One completed call: pid, bare name, argument text, return text.
function call(pid, name, args, ret,    n, a, key)
{
	n = split(args, a, /, */)
	if (name == "lib_add" && n == 2 && a[1] + a[2] != ret + 0)
		err("wrong lib_add result")
	if (name == "plug_mul" && n == 2 && a[1] * a[2] != ret + 0)
		err("wrong plug_mul result")
	if (name == "abs" && n == 1 && (a[1] < 0 ? -a[1] : a[1]) != ret + 0)
		err("wrong abs result")
	key = pid SUBSEP name
	if (!(key in count)) {
		count[key] = 0
		mins[key] = maxs[key] = a[2] + 0
		firstval[key] = a[1]
	}
	count[key]++
	if (n == 2) {
		if (!((key SUBSEP a[1]) in firsts)) {
			firsts[key SUBSEP a[1]] = 1
			distinct[key]++
		}
		if ((key SUBSEP args) in seen)
			dups[key]++
		seen[key SUBSEP args] = 1
		if (a[2] + 0 < mins[key])
			mins[key] = a[2] + 0
		if (a[2] + 0 > maxs[key])
			maxs[key] = a[2] + 0
	}
}

# NAME part of "caller->NAME@LIB": the bare function name.
function bare(head)
{
	sub(/^.*->/, "", head)
	sub(/@.*$/, "", head)
	return head
}

{
	if (held != "") {
		printf "ERROR: line %d: malformed call line: %s\n", NR - 1, held
		errors++
		held = ""
	}
	pid = $1
	if (pid !~ /^[0-9]+$/) {
		err("no pid prefix")
		next
	}
	rest = substr($0, length(pid) + 2)
	if (rest !~ /^<\.\.\. /)
		seenpid[pid] = 1
	if (rest ~ /^--- .* ---$/ ||
	    rest ~ /^\+\+\+ (exited \(status [0-9]+\)|killed by SIG[A-Z0-9+]+) \+\+\+$/) {
		if (rest ~ /^\+\+\+/) {
			exits[++nexits] = pid " " rest
			# "_exit(0 <unfinished ...>" cut by another task's line, then the exit:
			# the call ended the process, as "<no return ...>" says when not cut.
			if ((pid in pending) && bare(pendname[pid]) ~ /^(_?exit|_Exit)$/)
				noret[pid] = 1
		}
		# A call cut by exec never returns.
		if (rest == "--- Called exec() ---")
			delete pending[pid]
		seenpid[pid] = 1
		next
	}
	if (rest ~ /^<\.\.\. [^ ]+ resumed> /) {
		name = rest
		sub(/^<\.\.\. /, "", name)
		sub(/ resumed>.*$/, "", name)
		# The first line of a fork child: the return of the fork call it inherited.
		if (!(pid in seenpid) && !(pid in pending)) {
			seenpid[pid] = 1
			forkret[pid] = name
			next
		}
		if (!(pid in pending) || bare(pendname[pid]) != name) {
			err("resumed line without a matching unfinished call")
			next
		}
		tail = rest
		sub(/^<\.\.\. [^ ]+ resumed> /, "", tail)
		if (!match(tail, /\) += /)) {
			err("malformed resumed line")
			next
		}
		args = pending[pid] substr(tail, 1, RSTART - 1)
		ret = substr(tail, RSTART + RLENGTH)
		call(pid, name, trim(args), ret)
		delete pending[pid]
		next
	}
	i = index(rest, "(")
	head = substr(rest, 1, i - 1)
	if (i < 2 || head !~ /^([A-Za-z0-9_.+-]+->)?[A-Za-z_][A-Za-z0-9_]*(@[^ (]+)?$/) {
		err("not a trace line")
		next
	}
	head = substr(rest, 1, i - 1)
	tail = substr(rest, i + 1)
	# A call interrupted by another line; "<no return ...>" (interrupted by a signal or exit
	# line) may still be resumed later, or never (exit, longjmp).
	if (tail ~ / <(unfinished|no return) \.\.\.>$/) {
		if ((pid in pending) && !noret[pid])
			err("second unfinished call in the same thread")
		noret[pid] = tail ~ /<no return/
		sub(/ <(unfinished|no return) \.\.\.>$/, "", tail)
		pending[pid] = tail
		pendname[pid] = head
		next
	}
	if (!match(tail, /\) += [^=]*$/)) {
		if (cut)
			held = $0
		else
			err("malformed call line")
		next
	}
	args = substr(tail, 1, RSTART - 1)
	ret = substr(tail, RSTART)
	sub(/^\) += /, "", ret)
	call(pid, bare(head), trim(args), ret)
}

END {
	for (key in count) {
		split(key, k, SUBSEP)
		printf "%s %s %d %d %d %d %d %s\n", k[1], k[2], count[key], distinct[key] + 0,
			dups[key] + 0, mins[key], maxs[key],
			firstval[key] == "" ? "-" : firstval[key]
	}
	for (pid in pending)
		printf "pending %s %s(%s%s\n", pid, pendname[pid], pending[pid],
			noret[pid] ? " <no return ...>" : ""
	for (pid in forkret)
		printf "child %s %s\n", pid, forkret[pid]
	for (i = 1; i <= nexits; i++)
		printf "exit %s\n", exits[i]
	exit errors ? 1 : 0
}
