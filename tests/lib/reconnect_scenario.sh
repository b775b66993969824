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

# tl_fakex_replacements_checked: every connection the server saw closed was
# closed by the collector while a newer connection was already open (the
# successor first, then the old one). Prints each violation.
tl_fakex_replacements_checked() {
	tl_fakex_events | awk '
		$5 == "open" { open[$4] = 1 }
		$5 == "closed" {
			newer = 0
			for (k in open) if (k + 0 > $4 + 0 && open[k]) newer = 1
			delete open[$4]
			if ($6 != "by_client") print "connection " $4 " closed by the server (" $6 ")"
			else if (!newer) print "connection " $4 " closed while no newer connection was open"
		}'
}

tl_fakex_conn_closed() { tl_fakex_events | awk -v c="$1" '$4 == c && $5 == "closed" { f = 1 } END { exit !f }'; }

tl_fakex_closed_by_client() { tl_fakex_events | awk '$5 == "closed" && $6 == "by_client"' | wc -l; }

# The last incomplete report is kept in a log, shown if the test fails.
tl_ring_complete() {
	local report
	report=$(tl_ring_sent_report "$1") || return 1
	printf '%s\n' "$report" >"$TL_TMP/ring-missing-ids.log"
	[[ $report == '[]' ]]
}

# Exchanges that announce a disconnect (Binance serverShutdown, OKX notice
# 64008); the others just close.
tl_has_shutdown_notice() { [[ $1 == binance || $1 == okx ]]; }

# tl_planned_reconnect_scenario EXCHANGE
#
# Planned replacements lose nothing: with connection_lifetime_s = 2 the
# collector replaces its connection twice, then (Binance, OKX:
# tl_has_shutdown_notice) the server announces a shutdown (serverShutdown,
# notice 64008) with 20 s of grace, so the collector, not the server, must close the old connection. Each
# old connection closes only after its successor opened (the server's event
# log), the ring holds no gap marker but the one of the collector's start,
# and every update and trade id the server sent is in the ring.
tl_planned_reconnect_scenario() {
	local ex=$1 sent report notified perp
	perp=$(tl_perp_suffix "$ex")
	TL_SYMS=(BTC-USDT$perp ETH-USDT$perp SOL-USDT$perp)
	tl_fakex_start --exchange "$ex" --symbols BTC-USDT,ETH-USDT,SOL-USDT --rate 200 --shutdown-grace-ms 20000
	tl_collector_start "$ex" "$(tl_symbols_list "${TL_SYMS[@]}")" "exchange.$ex.connection_lifetime_s=2"
	tl_wait_flowing 20 -1 "${TL_SYMS[@]}"
	tl_wait_for 30 "two replacements at the end of the connection lifetime" \
		tl_at_least 2 tl_fakex_closed_by_client
	if tl_has_shutdown_notice "$ex"; then
		tl_fakex_cmd shutdown_notice >/dev/null
		tl_wait_for 10 "the shutdown notice sent" tl_at_least 1 tl_fakex_stat "$ex.notices"
		# every connection open then got it (two while a replacement overlaps)
		for notified in $(tl_fakex_events | awk '$5 == "notice" { print $4 }'); do
			tl_wait_for 15 "connection $notified, which got the shutdown notice, closed" \
				tl_fakex_conn_closed "$notified"
			tl_fakex_events | grep -q "^fakex-event [0-9.]* $ex $notified closed by_client" ||
				tl_fail "connection $notified got the notice but was not closed by the collector"
		done
		grep -q "exchange announced a disconnect; opening a successor" "$TL_TMP/collector.log" ||
			tl_fail "the collector did not log the shutdown notice"
	fi
	report=$(tl_fakex_replacements_checked)
	[[ -z $report ]] || tl_fail "a connection was not replaced successor first: $report"
	# every id sent so far must reach the ring; the live connection goes on
	# past them, so waiting covers frames still in flight
	sent=$(tl_fakex_sent_checkable "$ex")
	tl_wait_for 20 "every id the server sent in the ring (missing: ring-missing-ids.log)" \
		tl_ring_complete "$sent"
	tl_assert_eq "gap markers in the ring (only the collector start)" 1 "$(tl_ring_gaps)"
	tl_assert_eq "gap markers counted by the collector" 1 "$(tl_collector_metric gaps_total)"
	tl_ring_check_no_repeats
	tl_collector_same_pid
	tl_log "$(tl_fakex_closed_by_client) planned replacements; $(tl_collector_metric duplicates_total) duplicates dropped;" \
		"$(jq -c 'to_entries | map({(.key): .value.quotes[0]}) | add' <<<"$sent") quotes sent, all in the ring"
}

# tl_timeout_step COMMAND REASON OTHER MIN_MS
# Sends COMMAND ("silence 60000" or "quiet 60000") to the server, waits for
# the collector's next connection, then clears the fault. The collector
# must have logged and reported (status detail) REASON and never OTHER for
# the connection it gave up, no sooner than MIN_MS after the fault began
# (the new connection's time in the server's event log), and every symbol
# flows again after a gap marker of reason "stall".
tl_timeout_step() {
	local cmd=$1 reason=$2 other=$3 min_ms=$4 conns log_from before t0 t1 lost detail gaps
	conns=$(tl_fakex_stat "$TL_EX.connections_total")
	log_from=$(($(wc -l <"$TL_TMP/collector.log") + 1))
	before=$(tl_ring_last_seq)
	t0=$(date +%s%3N)
	tl_fakex_cmd "$cmd" >/dev/null
	tl_wait_for 20 "a new connection after '$cmd'" \
		tl_at_least $((conns + 1)) tl_fakex_stat "$TL_EX.connections_total"
	tl_fakex_cmd clear >/dev/null
	t1=$(tl_fakex_events | awk -v n="$conns" '$5 == "open" && $4 + 0 > n { sub(/\..*/, "", $2); print $2; exit }')
	lost=$(tail -n +"$log_from" "$TL_TMP/collector.log" | grep -m 1 "connection lost") ||
		tl_fail "the collector logged no lost connection after '$cmd'"
	[[ $lost == *"$reason"* ]] || tl_fail "after '$cmd' the collector gave '$lost', not '$reason'"
	! tail -n +"$log_from" "$TL_TMP/collector.log" | grep -q "$other" ||
		tl_fail "after '$cmd' the collector also logged '$other'"
	detail=$(tl_bus_field "$TL_CONFIG" "$TL_EX" .detail)
	[[ $detail == *"$reason"* ]] || tl_fail "status detail after '$cmd' is '$detail', not '$reason'"
	# the timeout runs from the last frame received, which came before t0:
	# 10 ms before at this rate, more if the server was held up
	tl_assert_ge "ms from '$cmd' to the new connection" $((min_ms - 250)) $((t1 - t0))
	tl_wait_flowing 20 "$(tl_ring_last_seq)" "${TL_SYMS[@]}"
	gaps=$(tl_ring_dump | jq -s --argjson a "$before" '[.[] | select(.kind == "gap" and .seq > $a)] | map(.reason) | unique')
	tl_assert_eq "gap reasons after '$cmd'" '["stall"]' "$(jq -c . <<<"$gaps")"
	tl_log "$cmd: '$lost', new connection after $((t1 - t0)) ms"
}

# tl_dead_peer_scenario EXCHANGE
#
# A dead peer and a stalled feed are two timeouts with two reasons. With
# dead_peer_timeout_ms 3000 and no_data_timeout_ms 6000 (application pings
# every 20 s, after the test), the server goes silent: no data, no pong,
# no ping, and it reads nothing, so not even libwebsockets answers a
# protocol ping. The collector must give up after 3 s for a dead peer.
# Then a second collector with the same timeouts and control frames every
# second (Binance, Binance USD-M, Gate.io: the server's protocol pings;
# the others: our pings and their answers) sees only the market data stop: the frames keep the dead
# peer timer fed, so after 6 s it reconnects for a stall. (The margins are
# wide: a late pong on a loaded machine must not change the reason.)
tl_dead_peer_scenario() {
	local ex=$1 perp
	local -a timeouts=("exchange.$ex.dead_peer_timeout_ms=3000" "exchange.$ex.no_data_timeout_ms=6000")
	perp=$(tl_perp_suffix "$ex")
	TL_SYMS=(BTC-USDT$perp ETH-USDT$perp)
	tl_fakex_start --exchange "$ex" --symbols BTC-USDT,ETH-USDT --rate 100 --binance-ping-ms 1000
	tl_collector_start "$ex" "$(tl_symbols_list "${TL_SYMS[@]}")" "${timeouts[@]}"
	tl_wait_flowing 20 -1 "${TL_SYMS[@]}"
	if tl_server_pings "$ex"; then
		tl_wait_for 10 "protocol pings answered" tl_at_least 2 tl_fakex_stat "$ex.pongs_received"
	fi
	tl_timeout_step "silence 60000" "dead peer: no frame for 3000 ms" "stalled" 3000
	tl_assert_ge "connection errors for a dead peer" 1 \
		"$(tl_bus_field "$TL_CONFIG" "$TL_EX" '.connection_errors.dead_peer')"
	tl_collector_stop

	tl_collector_start "$ex" "$(tl_symbols_list "${TL_SYMS[@]}")" "${timeouts[@]}" "exchange.$ex.ping_interval_ms=1000"
	tl_wait_flowing 20 -1 "${TL_SYMS[@]}"
	# the control frames the collector received while the data was quiet:
	# the server's pings, its answers to ours (Coinbase answers the
	# heartbeats subscribe with a subscriptions message)
	local control="\"$ex\" | .pings_sent + .pongs_sent" controls
	[[ $ex == coinbase ]] && control=coinbase.pings_received
	controls=$(tl_fakex_stat "$control")
	tl_timeout_step "quiet 60000" "stalled: no market data for 6000 ms" "dead peer" 6000
	tl_assert_ge "connection errors for a stall" 1 "$(tl_bus_field "$TL_CONFIG" "$TL_EX" '.connection_errors.stalled')"
	tl_assert_ge "control frames sent during the quiet feed" $((controls + 3)) "$(tl_fakex_stat "$control")"
	tl_collector_same_pid
}
