# tests/lib/reconnect_scenario.sh: the reconnect scenario the
# test_collector_reconnect_<exchange>.sh tests share. Needs common.sh,
# config.sh, fakex.sh, bus.sh and collector.sh.
#
#   tl_reconnect_scenario EXCHANGE
#
# Starts fakex and the collector for EXCHANGE with three symbols, then makes
# the server close every connection, refuse new ones for 1.5 s after a
# close, stall for 2.5 s (the collector's no_data_timeout_ms is 1000) and
# announce a shutdown. After each, every symbol must flow again (quotes and
# trades) on a new connection, and each lost connection must leave a gap
# marker in the ring. A shutdown notice (Binance, OKX) lets the collector
# open the next connection before the old one closes, so it need not lose
# anything; Bybit sends no notice and just closes. At the end the ring
# holds no duplicate or backwards ids and the collector kept its pid.

# tl_reconnect_step WHAT GAP(required|optional) COMMAND...
# Flow is checked after the new connection is up: ticks that arrived
# between the command and the disconnect must not count as recovery.
tl_reconnect_step() {
	local what=$1 gap=$2 conns before after gaps
	shift 2
	conns=$(tl_fakex_stat "$TL_EX.connections_total")
	before=$(tl_ring_last_seq)
	for cmd in "$@"; do
		tl_fakex_cmd "$cmd" >/dev/null
	done
	tl_wait_for 15 "a new connection after $what" \
		tl_at_least $((conns + 1)) tl_fakex_stat "$TL_EX.connections_total"
	after=$(tl_ring_last_seq)
	tl_wait_flowing 20 "$after" "${TL_SYMS[@]}"
	gaps=$(tl_ring_gaps "$before")
	[[ $gap == required ]] && tl_assert_ge "gap markers after $what" 1 "$gaps"
	tl_log "$what: reconnected, all symbols flowing, $gaps gap marker(s)"
}

tl_reconnect_scenario() {
	local ex=$1
	TL_SYMS=(BTC-USDT ETH-USDT SOL-USDT)
	tl_fakex_start --exchange "$ex" --symbols BTC-USDT,ETH-USDT,SOL-USDT --rate 100 --shutdown-grace-ms 500
	tl_collector_start "$ex" "BTC-USDT, ETH-USDT, SOL-USDT" "exchange.$ex.no_data_timeout_ms=1000"
	tl_wait_flowing 20 -1 "${TL_SYMS[@]}"

	tl_reconnect_step "a forced close" required close
	tl_reconnect_step "a close with new connections refused for 1.5 s" required "refuse 1500" close
	tl_assert_ge "connections refused" 1 "$(tl_fakex_stat "$ex.refused")"
	tl_reconnect_step "a 2.5 s stall" required "stall 2500"
	if [[ $ex == bybit ]]; then
		tl_reconnect_step "a server shutdown (no notice)" required shutdown_notice
	else
		tl_reconnect_step "a server shutdown notice" optional shutdown_notice
		tl_assert_eq "shutdown notices sent" 1 "$(tl_fakex_stat "$ex.notices")"
		# both connections carried the same feed while they overlapped
		tl_log "duplicates the collector dropped: $(tl_collector_metric duplicates_total)"
	fi

	tl_assert_ge "collector reconnects" 4 "$(tl_collector_metric reconnects_total)"
	tl_collector_same_pid
	tl_ring_check_no_duplicates
}
