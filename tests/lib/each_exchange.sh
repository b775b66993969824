# tests/lib/each_exchange.sh: one test run for every adapter added after
# binance, bybit and okx, several at a time. Needs common.sh.
#
#   tl_each_new_exchange "$@"   (at the top of a test, after sourcing)
#
# Without an argument, the test runs itself once per newer adapter, the
# exchange as its argument, TL_EACH_JOBS (default 4) at a time, each run
# with its own temporary directory, instance and ports, its output in
# $TL_TMP/<exchange>.log (printed if the test fails); then passes when
# every run passed, skips when every run skipped, and fails naming the
# runs that failed. With an argument, sets TL_EACH_EX to it and returns:
# the test goes on for that exchange alone.

TL_NEW_EXCHANGES=(binance-usdm gateio bitget kraken coinbase deribit htx)

tl_each_new_exchange() {
	if [[ $# -gt 0 ]]; then
		TL_EACH_EX=$1
		TL_NAME+=" $1"
		return 0
	fi
	local ex pid rc failed=() skipped=0 jobs=${TL_EACH_JOBS:-4}
	local -A run=()
	for ex in "${TL_NEW_EXCHANGES[@]}"; do
		while ((${#run[@]} >= jobs)); do
			wait -n -p pid
			rc=$?
			tl_each_reaped "${run[$pid]}" "$rc"
			unset "run[$pid]"
		done
		bash "$0" "$ex" >"$TL_TMP/$ex.log" 2>&1 &
		run[$!]=$ex
	done
	for pid in "${!run[@]}"; do
		rc=0
		wait "$pid" || rc=$?
		tl_each_reaped "${run[$pid]}" "$rc"
	done
	((${#failed[@]} == 0)) || tl_fail "failed for: ${failed[*]}"
	((skipped < ${#TL_NEW_EXCHANGES[@]})) || tl_skip "$(tail -n 1 "$TL_TMP/$ex.log")"
	tl_pass "$((${#TL_NEW_EXCHANGES[@]} - skipped)) exchanges passed, $skipped skipped"
	exit 0
}

# Records one finished run (in tl_each_new_exchange's locals) and repeats
# what it logged.
tl_each_reaped() {
	grep -a "^$TL_NAME $1: \|^SKIP" "$TL_TMP/$1.log" >&2
	case $2 in
	0) ;;
	77) skipped=$((skipped + 1)) ;;
	*) failed+=("$1") ;;
	esac
}
