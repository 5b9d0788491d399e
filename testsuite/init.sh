# SPDX-License-Identifier: GPL-2.0-or-later
#
# Shared helpers of the integration tests; every *.test script starts with
#     . "${srcdir:-.}/init.sh"
# Environment (set by the Makefile, with fallbacks for running a test by hand from the
# build's testsuite directory): LTRACE (the tracer), PROGS (built test programs),
# LTRACE_PKGDATADIR (prototype directory etc/), srcdir.
#
# Exit codes: 0 pass, 1 fail, 77 skip, 99 harness error.

me=${0##*/}
me=${me%.test}
: "${srcdir:=.}"
: "${LTRACE:=$(pwd)/../src/ltrace}"
: "${PROGS:=$(pwd)/progs}"
# make installcheck (LTRACE_INSTALLED=1) tests an installed ltrace with the prototype files
# installed with it: no LTRACE_PKGDATADIR then.
if [ -n "${LTRACE_INSTALLED:-}" ]; then
	unset LTRACE_PKGDATADIR
else
	: "${LTRACE_PKGDATADIR:=$(cd "$srcdir/../etc" 2>/dev/null && pwd)}"
	export LTRACE_PKGDATADIR
fi
# Seconds allowed to one ltrace run; a hang is a failure, never a blocked test run.
: "${LTRACE_TEST_TIMEOUT:=60}"

# Alignment must not depend on the terminal the tests are started from.
unset COLUMNS
LC_ALL=C
export LC_ALL
# A crashing test program must not leave core files behind.
ulimit -c 0 2>/dev/null

# Prototypes of the test programs' own functions.
TESTCONF="$srcdir/progs/testlib.conf"

# Per-test scratch directory: the trace, the program's output, generated files.
W="$(pwd)/$me.dir"
rm -rf "$W"
mkdir -p "$W" || { echo "$me: ERROR: cannot create $W"; exit 99; }

skip_() { echo "$me: SKIP: $*" >&2; exit 77; }
# skip_part_ WHAT: a part of the test cannot run here; the rest goes on, and parts_done_ (the
# test's last command) then exits 77 naming every part left out: a test that could not do
# all it claims never reports PASS.
skipped_parts_=
skip_part_()
{
	echo "$me: SKIP (part): $*" >&2
	skipped_parts_="$skipped_parts_${skipped_parts_:+; }$*"
}
parts_done_()
{
	[ -z "$skipped_parts_" ] || skip_ "parts not run: $skipped_parts_"
	exit 0
}
fail_() { echo "$me: FAIL: $*" >&2; exit 1; }
framework_failure_() { echo "$me: ERROR: $*" >&2; exit 99; }

[ -x "$LTRACE" ] || framework_failure_ "tracer $LTRACE not built"
command -v timeout >/dev/null || framework_failure_ "timeout(1) missing"

# require_prog NAME: print the path of a built test program; a missing program is a harness
# error, except for the optional builds (IBT flavours, C++) which skip.
require_prog()
{
	if [ ! -x "$PROGS/$1" ]; then
		case $1 in
		*-ibt|*-ibtnow) skip_ "$1 not built (toolchain cannot make IBT PLTs)" ;;
		cxxthrow|cxxcalls) skip_ "$1 not built (no C++ compiler)" ;;
		*) framework_failure_ "test program $PROGS/$1 missing (run make check)" ;;
		esac
	fi
	printf '%s\n' "$PROGS/$1"
}

# run_ltrace ARGS...: run the tracer with a time limit; its stdout goes to $W/stdout, its
# stderr to $W/stderr and the exit status to $rc. A timeout fails the test.
run_ltrace()
{
	echo "+ ltrace $*" >> "$W/commands"
	t0=$(date +%s)
	timeout -k 5 "$LTRACE_TEST_TIMEOUT" "$LTRACE" "$@" > "$W/stdout" 2> "$W/stderr"
	rc=$?
	# 124: timed out; 137 after the time limit: had to be killed (a real SIGKILL of the
	# traced program also gives 137, but quickly).
	if [ $rc -eq 124 ] || { [ $rc -eq 137 ] &&
	     [ $(( $(date +%s) - t0 )) -ge "$LTRACE_TEST_TIMEOUT" ]; }; then
		cat "$W/stderr"
		fail_ "ltrace $* timed out after ${LTRACE_TEST_TIMEOUT}s (rc $rc)"
	fi
	return 0
}

# expect_rc N: ltrace's exit status must be N.
expect_rc()
{
	if [ "$rc" -ne "$1" ]; then
		echo "--- stderr of ltrace:"
		cat "$W/stderr"
		[ -f "$W/trace" ] && { echo "--- trace:"; cat "$W/trace"; }
		fail_ "ltrace exited with status $rc, expected $1 (last command: $(tail -n 1 "$W/commands"))"
	fi
}

# normalise < TRACE > OUT: make a trace comparable with an expected file:
#  - addresses (hex numbers of 6+ digits; small hex values from the guess lens stay) -> 0xADDR;
#  - the alignment padding before "= " collapses to one space (align.test checks padding);
#  - lines of the C runtime's own calls from startup code (__libc_start_main through the GOT,
#    __cxa_finalize through .plt.got at exit) are dropped: whether a flavour shows them says
#    nothing about the program's calls, and they would differ between PIE and non-PIE.
normalise()
{
	sed -e 's/0x[0-9a-f]\{6,\}/0xADDR/g' \
	    -e 's/ \{2,\}= / = /' \
	    -e '/^\(<\.\.\. \)\{0,1\}__libc_start_main[( ]/d' \
	    -e '/^\(<\.\.\. \)\{0,1\}__cxa_finalize[( ]/d'
}

# compare EXPECTED ACTUAL: diff; print it and fail on any difference.
compare()
{
	if ! diff -u "$1" "$2" > "$W/diff"; then
		echo "--- command: $(tail -n 1 "$W/commands")"
		echo "--- diff expected actual:"
		cat "$W/diff"
		echo "--- raw trace:"
		cat "$W/trace" 2>/dev/null
		fail_ "trace differs from $1"
	fi
}

# match_trace EXPECTED_FILE [TRACE]: normalise the trace (default $W/trace) and compare it.
match_trace()
{
	normalise < "${2:-$W/trace}" > "$W/trace.norm"
	compare "$1" "$W/trace.norm"
}

# expected <<EOF ... EOF: store the expected trace of the next match_trace in $W/expected.
expected()
{
	cat > "$W/expected"
}

# ltrace_error_check WHAT: the run must have failed cleanly: exit status 1 (usage errors and
# programs that cannot be started, as in ltrace 0.7; never a crash), the first line of stderr
# an "ltrace: " message (getopt may prefix it with the path).
ltrace_error_check()
{
	if [ "$rc" -ne 1 ]; then
		cat "$W/stderr"
		fail_ "ltrace $1: exit status $rc, expected 1"
	fi
	if ! head -n 1 "$W/stderr" | grep -q '^\([^ ]*/\)\{0,1\}ltrace: '; then
		echo "--- stderr:"
		cat "$W/stderr"
		fail_ "ltrace $1: first line of stderr is not an 'ltrace: ' message"
	fi
}

# one_error_line WHAT: ltrace_error_check, and stderr holds that one line only (for errors
# about the program, which need no usage hint).
one_error_line()
{
	ltrace_error_check "$1"
	if [ "$(wc -l < "$W/stderr")" -ne 1 ]; then
		cat "$W/stderr"
		fail_ "ltrace $1: expected exactly one line on stderr"
	fi
}

# run_flavour PROG FLAVOUR: the same expected trace (expected/PROG.exp) for every flavour.
run_flavour()
{
	prog=$(require_prog "$1-$2") || exit $?
	case $2 in
	ibt|ibtnow)
		readelf -SW "$prog" | grep -q '\.plt\.sec' || skip_ "$prog has no .plt.sec" ;;
	esac
	run_ltrace -F "$TESTCONF" -o "$W/trace" "$prog"
	expect_rc 0
	match_trace "$srcdir/expected/$1.exp"
}

# public_copy FILE...: copy FILEs into $PUB, a directory under /tmp that every user can read
# and enter (made on first use; the test removes it at its end): what a test runs as nobody
# must be reachable for nobody, and the build tree may not be (a checkout under /root, mode
# 700, as on a fresh machine).
public_copy()
{
	if [ -z "${PUB:-}" ]; then
		PUB=$(mktemp -d "${TMPDIR:-/tmp}/ltrace-pub.XXXXXX") || framework_failure_ "mktemp failed"
		chmod 755 "$PUB"
	fi
	cp "$@" "$PUB/" && chmod -R a+rX "$PUB" || framework_failure_ "cannot copy $* to $PUB"
}
