# tests/lib/keepalive_scenario.sh: the keepalive scenarios for any
# exchange (the seven newer adapters' tests). Needs common.sh, config.sh,
# fakex.sh, bus.sh and collector.sh.
#
#   tl_keepalive_kept_scenario EXCHANGE
#
# The fake exchange enforces its keepalive rule tightly: a client ping due
# every 1.5 s (Bitget, Kraken, Coinbase, Deribit), server pings every 300
# ms to be answered within 1 s (protocol pings: Binance USD-M, Gate.io;
# HTX's {"ping":n} and Deribit's test_request within 1.5 s). The collector
# pings every 300 ms. While the feed is quiet (rate 0) a dozen keepalive
# exchanges go by and the connection stays: one connection, none closed
# for keepalive, data flows again on it.
#
#   tl_keepalive_dropped_scenario EXCHANGE
#
# A collector that pings less often (every 3 s) than the server requires
# (1 s) is dropped for it and reconnects, and every symbol flows again.
# Exchanges whose keepalive is the collector's answer to the server's
# pings, which it always gives, skip (exit 77).

# Exchanges whose keepalive is a ping the client sends.
tl_client_pings() { [[ $1 == bybit || $1 == bitget || $1 == kraken || $1 == coinbase || $1 == deribit ]]; }

tl_keepalive_kept_scenario() {
	local ex=$1 perp seen
	perp=$(tl_perp_suffix "$ex")
	TL_SYMS=(BTC-USDT$perp ETH-USDT$perp)
	tl_fakex_start --exchange "$ex" --symbols BTC-USDT,ETH-USDT --rate 100 --bybit-ping-timeout-ms 1500 \
		--binance-ping-ms 300 --binance-pong-timeout-ms 1000
	tl_collector_start "$ex" "$(tl_symbols_list "${TL_SYMS[@]}")" "exchange.$ex.ping_interval_ms=300"
	tl_wait_flowing 20 -1 "${TL_SYMS[@]}"
	tl_fakex_cmd "rate 0" >/dev/null
	local kept="\"$ex\" | .pings_received + .pongs_received"
	seen=$(tl_fakex_stat "$kept")
	tl_wait_for 15 "12 keepalive exchanges while the server is quiet" tl_at_least $((seen + 12)) tl_fakex_stat "$kept"
	local last
	last=$(tl_ring_last_seq)
	tl_fakex_cmd "rate 100" >/dev/null
	tl_wait_flowing 20 "$last" "${TL_SYMS[@]}"
	tl_assert_eq "connections made" 1 "$(tl_fakex_stat "$ex.connections_total")"
	tl_assert_eq "connections closed for keepalive" 0 "$(tl_fakex_stat "$ex.closed_keepalive")"
	tl_assert_eq "collector reconnects" 0 "$(tl_collector_metric reconnects_total)"
	tl_collector_same_pid
	tl_ring_check_no_repeats
	tl_log "$(($(tl_fakex_stat "$kept") - seen)) keepalive exchanges while quiet"
}

tl_keepalive_dropped_scenario() {
	local ex=$1 perp
	tl_client_pings "$ex" || tl_skip "$ex: the keepalive is the collector's answer to the server's pings"
	perp=$(tl_perp_suffix "$ex")
	TL_SYMS=(BTC-USDT$perp ETH-USDT$perp)
	tl_fakex_start --exchange "$ex" --symbols BTC-USDT,ETH-USDT --rate 100 --bybit-ping-timeout-ms 1000
	tl_collector_start "$ex" "$(tl_symbols_list "${TL_SYMS[@]}")" "exchange.$ex.ping_interval_ms=3000"
	tl_wait_flowing 20 -1 "${TL_SYMS[@]}"
	tl_wait_for 15 "$ex to drop the collector for its keepalive rule" \
		tl_at_least 1 tl_fakex_stat "$ex.closed_keepalive"
	tl_wait_for 15 "the collector to reconnect to $ex" tl_at_least 2 tl_fakex_stat "$ex.connections_total"
	tl_wait_flowing 20 "$(tl_ring_last_seq)" "${TL_SYMS[@]}"
	tl_collector_same_pid
	tl_ring_check_no_repeats
	tl_log "dropped $(tl_fakex_stat "$ex.closed_keepalive") time(s)"
}
