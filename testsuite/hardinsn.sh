# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers of the tests that run progs/hardinsn (sourced after init.sh).

# hardinsn_calls TRACE: per traced function of a -f trace, "NAME STARTED RETURNED": calls
# begun (whole lines and unfinished ones) and calls whose return was printed (whole lines and
# resumed ones), sorted by name.
hardinsn_calls()
{
	awk '
	{
		line = $0
		sub(/^[0-9]+ +/, "", line)
		if (line ~ /^<\.\.\. [A-Za-z_0-9]+ resumed>/) {
			name = line
			sub(/^<\.\.\. /, "", name)
			sub(/ .*/, "", name)
			ret[name]++
			next
		}
		sub(/^[A-Za-z_0-9.-]+->/, "", line)
		if (line ~ /^[A-Za-z_0-9]+\(/) {
			name = line
			sub(/\(.*/, "", name)
			call[name]++
			if (line !~ /<unfinished \.\.\.>$/)
				ret[name]++
		}
	}
	END { for (n in call) print n, call[n], ret[n] + 0 }' "$1" | sort
}

# hardinsn_expected THREADS ROUNDS: what hardinsn_calls prints for a complete trace of
# "hardinsn THREADS ROUNDS" under -x 'h_*' -e lib_add.
hardinsn_expected()
{
	n=$(($1 * $2))
	for f in h_callrel:1 h_callrip:1 h_jmpsib:1 h_jrcxz:1 h_loop:1 h_plus1:4 h_riprel:5 \
		h_setrcx:2 lib_add:1; do
		echo "${f%:*} $((n * ${f#*:})) $((n * ${f#*:}))"
	done
}

# check_hardinsn OUTFILE TRACE THREADS ROUNDS WHAT: the program's results were all right and
# the trace shows every call and every return.
check_hardinsn()
{
	grep -qx "total=$(($3 * $4 * 13)) bad=0" "$1" ||
		{ cat "$1"; fail_ "$5: the program's results"; }
	hardinsn_calls "$2" > "$W/calls"
	hardinsn_expected "$3" "$4" > "$W/calls.exp"
	if ! cmp -s "$W/calls.exp" "$W/calls"; then
		diff "$W/calls.exp" "$W/calls"
		fail_ "$5: calls or returns missing from the trace"
	fi
}
