# tests/lib/fakex.sh: run spreadbus-fakex (the fake exchange) and talk to
# its control port. See docs/fakex.md for its options and commands.
#
#   tl_fakex_start --exchange binance [fakex options...]
#       starts $TL_BIN/spreadbus-fakex with ports picked by the kernel,
#       waits for its ready file, sets TL_FAKEX_PORT[exchange] and
#       TL_FAKEX_CONTROL; stopped at exit
#   tl_fakex_cmd "stall 2000"     one command, prints the answer line;
#                                 fails the test unless it is "ok", "pong" or JSON
#   tl_fakex_stat binance.quotes  one number from the stats JSON (jq path)
#   tl_fakex_events               the server's event log (docs/fakex.md):
#                                 "fakex-event MS EXCHANGE CONN WHAT ..."
#   tl_fakex_conns                open connections as JSON lines
#                                 {"id":..,"exchange":..,"symbols":[...]}
#   tl_fakex_sent EXCHANGE        what left as good frames, per stream (JSON)
#
# Needs tests/lib/common.sh and jq.

declare -A TL_FAKEX_PORT=()

tl_fakex_start() {
	local ready=$TL_TMP/fakex.ready line name port
	rm -f "$ready"
	tl_spawn fakex "$TL_BIN/spreadbus-fakex" --ready-file "$ready" "$@"
	tl_wait_for 10 "spreadbus-fakex ready file" test -s "$ready"
	while read -r name port; do
		if [[ $name == control ]]; then
			TL_FAKEX_CONTROL=$port
		else
			TL_FAKEX_PORT[$name]=$port
		fi
	done <"$ready"
	[[ -n ${TL_FAKEX_CONTROL:-} ]] || tl_fail "fakex ready file has no control port"
	tl_cleanup tl_fakex_report
}

# At exit of a failed test: the server's counters next to the other logs.
tl_fakex_report() {
	[[ $TL_FAILED -ne 0 ]] && tl_fakex_cmd stats | jq -c . >"$TL_TMP/fakex-stats.log"
}

tl_fakex_cmd() {
	local answer fd
	exec {fd}<>"/dev/tcp/127.0.0.1/$TL_FAKEX_CONTROL" || tl_fail "cannot reach fakex control port"
	printf '%s\n' "$1" >&"$fd"
	read -r -t 5 answer <&"$fd"
	exec {fd}<&-
	[[ $answer == ok || $answer == pong || $answer == [{[]* ]] || tl_fail "fakex '$1' answered '$answer'"
	printf '%s\n' "$answer"
}

tl_fakex_events() { grep '^fakex-event ' "$TL_TMP/fakex.log"; }

tl_fakex_conns() { tl_fakex_cmd conns | jq -c '.[]'; }

tl_fakex_sent() { tl_fakex_cmd "sent $1"; }

tl_fakex_stat() {
	local path=$1
	# an exchange name with a dash (binance-usdm.quotes) is quoted for jq
	[[ ${path%%.*} != *-* || $path == \"* ]] || path="\"${path%%.*}\".${path#*.}"
	tl_fakex_cmd stats | jq -r ".$path" || tl_fail "fakex stats has no .$path"
}

# SIGTERM to the server; fails the test unless it exits 0 (which under
# AddressSanitizer also means no leak or memory error was reported).
tl_fakex_stop() {
	tl_stop fakex
	tl_assert_eq "spreadbus-fakex exit status after SIGTERM" 0 "${TL_EXIT[fakex]}"
}
