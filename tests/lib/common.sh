# tests/lib/common.sh: shared helpers for integration tests and bench
# scripts (bash). Source it first; the other tests/lib files build on it.
#
#   source "$SPREADBUS_SRC/tests/lib/common.sh"
#   tl_init                       # temp dir $TL_TMP, EXIT trap, binaries in $TL_BIN
#   port=$(tl_free_port)          # a free 127.0.0.1 TCP port, chosen at random
#   tl_spawn NAME CMD ARGS...     # background process, log in $TL_TMP/NAME.log,
#                                 # pid in TL_PID[NAME], killed at exit
#   tl_stop NAME [SIG [SECS]]     # signal it, wait, KILL after SECS; TL_EXIT[NAME]
#   tl_reap NAME SECS             # it must exit by itself within SECS; TL_EXIT[NAME]
#   tl_wait_for SECS "what" CMD ARGS...  # poll CMD (every 50 ms) until it succeeds
#   tl_holds SECS "what" CMD ARGS...     # CMD must keep succeeding for SECS
#   tl_at_least MIN CMD ARGS...   # for tl_wait_for: CMD prints a number >= MIN
#   tl_cleanup CMD ARGS...        # run CMD at exit (last registered runs first)
#   tl_fail "why"                 # print logs, fail the test (exit 1)
#   tl_skip "why"                 # the test cannot run here: SKIP (exit 77)
#
# Conventions: every helper fails the test itself (tl_fail) when something
# it needs cannot be done, so callers do not check. Logs of every spawned
# process are printed when a test fails. TL_KEEP=1 keeps $TL_TMP.

set -o pipefail

declare -A TL_PID=()
TL_CLEANUPS=()
TL_NAME=${TL_NAME:-$(basename "${BASH_SOURCE[-1]}" .sh)}
TL_FAILED=0
TL_FAIL_REASON=

tl_log() { printf '%s: %s\n' "$TL_NAME" "$*" >&2; }

# Binaries: $SPREADBUS_BIN (set by make), else build/bin under the repo.
tl_init() {
	TL_SRC=${SPREADBUS_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
	TL_BIN=${SPREADBUS_BIN:-$TL_SRC/build/bin}
	TL_TMP=$(mktemp -d "${TMPDIR:-/tmp}/${TL_NAME}.XXXXXX") || { echo "mktemp failed" >&2; exit 1; }
	trap tl_on_exit EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
	trap 'exit 141' PIPE
}

# Exits unless every named binary exists in $TL_BIN; exit code 77 ("skipped")
# would hide a broken build, so a missing binary is a failure.
tl_need_bins() {
	local b
	for b in "$@"; do
		[[ -x $TL_BIN/$b ]] || tl_fail "missing $TL_BIN/$b (build it first)"
	done
}

tl_cleanup() { TL_CLEANUPS+=("$(printf '%q ' "$@")"); }

tl_on_exit() {
	local rc=$? i name
	trap - EXIT
	[[ $rc -ne 0 && $rc -ne 77 ]] && TL_FAILED=1
	for ((i = ${#TL_CLEANUPS[@]} - 1; i >= 0; i--)); do
		eval "${TL_CLEANUPS[i]}" >/dev/null 2>&1 || true
	done
	for name in "${!TL_PID[@]}"; do
		tl_stop "$name"
	done
	if [[ $TL_FAILED -ne 0 ]]; then
		for f in "$TL_TMP"/*.log; do
			[[ -f $f ]] || continue
			echo "---- $(basename "$f") (last 40 lines)" >&2
			tail -n 40 "$f" >&2
		done
		# last, so that a runner showing only the output's tail shows why
		[[ -n $TL_FAIL_REASON ]] && tl_log "FAIL (repeated after the logs): $TL_FAIL_REASON"
	fi
	[[ ${TL_KEEP:-0} == 1 ]] && tl_log "kept $TL_TMP" || rm -rf "$TL_TMP"
	exit "$rc"
}

tl_fail() {
	TL_FAILED=1
	TL_FAIL_REASON=$*
	tl_log "FAIL: $*"
	exit 1
}

# tests/run_tests.sh shows the reason from the last line starting "SKIP".
tl_skip() {
	echo "SKIP: $*"
	exit 77
}

# A random port that nothing on this host uses now, from 20000 up to the
# kernel's ephemeral range (32768 on Linux by default): an outgoing
# connection of another test cannot take it between this check and the
# caller's bind. Another test's server still can; programs that can bind
# port 0 and report the port (spreadbus-fakex --ready-file) avoid even that.
tl_free_port() {
	local port i lo hi
	read -r lo hi </proc/sys/net/ipv4/ip_local_port_range || lo=32768
	((lo > 21000)) || lo=61000 # no room below a range that starts this low: any port up to 61000
	for ((i = 0; i < 200; i++)); do
		port=$((20000 + (RANDOM * 32768 + RANDOM) % (lo - 20000)))
		if ! tl_port_in_use "$port"; then
			echo "$port"
			return 0
		fi
	done
	tl_fail "no free port found"
}

tl_port_in_use() {
	local hex
	hex=$(printf ':%04X ' "$1")
	grep -qi -- "$hex" /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# tl_spawn NAME CMD ARGS...: starts CMD in the background, stdout and stderr
# to $TL_TMP/NAME.log; TL_PID[NAME] is its pid. NAME may name a
# subdirectory (idle/3, made here): logs there are not printed on failure,
# which keeps a crowd of helper processes out of the report.
tl_spawn() {
	local name=$1
	shift
	[[ $name != */* ]] || mkdir -p "$TL_TMP/${name%/*}"
	"$@" >>"$TL_TMP/$name.log" 2>&1 &
	TL_PID[$name]=$!
}

tl_alive() { [[ -n ${TL_PID[$1]:-} ]] && kill -0 "${TL_PID[$1]}" 2>/dev/null; }

# tl_gone_within PID SECS: true once PID has exited, false after SECS.
tl_gone_within() {
	local end_ns=$(($(date +%s%N) + $(tl_ms "$2") * 1000000))
	while kill -0 "$1" 2>/dev/null; do
		(($(date +%s%N) > end_ns)) && return 1
		sleep 0.05
	done
	return 0
}

# tl_stop NAME [SIGNAL [SECS]]: signal (default TERM), wait up to SECS
# (default 3), then KILL. Sets TL_EXIT[NAME] to the exit status.
declare -A TL_EXIT=()
tl_stop() {
	local name=$1 sig=${2:-TERM} secs=${3:-3} pid=${TL_PID[$1]:-}
	[[ -n $pid ]] || return 0
	kill -"$sig" "$pid" 2>/dev/null
	tl_gone_within "$pid" "$secs" || kill -KILL "$pid" 2>/dev/null
	tl_collect "$name"
}

# tl_reap NAME SECS: NAME must exit by itself (or on a signal the test
# sent) within SECS, else the test fails. Sets TL_EXIT[NAME].
tl_reap() {
	local name=$1 secs=$2
	[[ -n ${TL_PID[$name]:-} ]] || tl_fail "tl_reap: no process named $name"
	tl_gone_within "${TL_PID[$name]}" "$secs" || tl_fail "$name (pid ${TL_PID[$name]}) still running after $secs s"
	tl_collect "$name"
}

tl_collect() {
	local rc=0
	wait "${TL_PID[$1]}" 2>/dev/null || rc=$?
	TL_EXIT[$1]=$rc
	unset "TL_PID[$1]"
}

# tl_wait_for SECS "what" CMD ARGS...: polls CMD every 50 ms; fails the test
# with "timed out after SECS s waiting for what" when the deadline passes.
tl_wait_for() {
	local secs=$1 what=$2
	shift 2
	local end_ns=$(($(date +%s%N) + $(tl_ms "$secs") * 1000000))
	while ! "$@"; do
		(($(date +%s%N) > end_ns)) && tl_fail "timed out after ${secs} s waiting for $what"
		sleep 0.05
	done
	return 0
}

# tl_holds SECS "what" CMD ARGS...: CMD must succeed at every poll (every
# 50 ms) for SECS; fails the test the first time it does not. For what
# must not happen (a stopped child restarted, a held one let go), where
# there is no event to wait for, only time in which it would show.
tl_holds() {
	local secs=$1 what=$2
	shift 2
	local end_ns=$(($(date +%s%N) + $(tl_ms "$secs") * 1000000))
	while (($(date +%s%N) <= end_ns)); do
		"$@" || tl_fail "no longer true within $secs s: $what"
		sleep 0.05
	done
}

# For tl_wait_for: true once the number CMD prints is at least MIN.
#   tl_wait_for 10 "5 pongs" tl_at_least 5 tl_fakex_stat binance.pongs_received
tl_at_least() {
	local min=$1 v
	shift
	v=$("$@") || return 1
	((v >= min))
}

# Seconds ("1.5") to milliseconds, without bc.
tl_ms() {
	local s=$1 int frac
	int=${s%%.*}
	frac=${s#"$int"}
	frac=${frac#.}
	frac=${frac}000
	echo $((10#${int:-0} * 1000 + 10#${frac:0:3}))
}

# tl_assert_eq WHAT EXPECTED ACTUAL / tl_assert_ge WHAT MIN ACTUAL
tl_assert_eq() { [[ "$2" == "$3" ]] || tl_fail "$1: expected $2, got $3"; }
tl_assert_ge() { (($3 >= $2)) || tl_fail "$1: expected at least $2, got $3"; }

tl_pass() { tl_log "PASS${1:+: $*}"; }
