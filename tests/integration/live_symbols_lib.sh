# Shared by the live symbol change tests (sourced after supervisor_lib.sh
# and tests/lib/fakex.sh): symbols named S<i>-USDT (S<i>-USDT-PERP on the
# perpetual exchanges), a config whose exchanges stream a range of them
# from the fake exchange, and the change scenario each exchange passes.

# LIVE_CHANGE_TEST=1 when sourced: a test of live_change_scenario, which
# needs the fake exchange and the ring and collector helpers too.
if [[ ${LIVE_CHANGE_TEST:-} ]]; then
	source "$SV_SRC/tests/lib/fakex.sh"
	source "$SV_SRC/tests/lib/bus.sh"
	source "$SV_SRC/tests/lib/collector.sh"
	source "$SV_SRC/tests/lib/reconnect_scenario.sh"
	tl_need_bins spreadbus-fakex
fi

# sym_range FIRST LAST [SUFFIX]: S<FIRST>-USDT<SUFFIX> to S<LAST>-USDT<SUFFIX>, one a line.
sym_range() { local i; for ((i = $1; i <= $2; i++)); do printf 'S%d-USDT%s\n' "$i" "${3:-}"; done; }
# ex_range EXCHANGE FIRST LAST: sym_range as EXCHANGE names them
# (tl_perp_suffix, tests/lib/collector.sh).
ex_range() { sym_range "$2" "$3" "$(tl_perp_suffix "$1")"; }
# sym_list: the symbols on stdin as one symbols value, 8 to a line
# (indented lines continue the list).
sym_list() { awk '{ printf "%s%s", (NR > 1 ? (NR % 8 == 1 ? ",\n\t" : ",") : ""), $0 }'; }

# live_conf FIRST LAST [section.key=value ...]: $CONF in which every
# exchange of EXCHANGES streams S<FIRST>..S<LAST> from the fake exchange,
# each section with LIVE_EXCHANGE_KEYS (key=value) too.
LIVE_EXCHANGE_KEYS=()
live_conf() {
	local first=$1 last=$2 ex k
	shift 2
	local -a kv=("service.bin_dir=$BIN" service.ring_capacity=262144 "http.listen=127.0.0.1:$HTTP_PORT" "$@")
	for ex in "${EXCHANGES[@]}"; do
		kv+=("exchange.$ex.symbols=$(ex_range "$ex" "$first" "$last" | sym_list)"
			"exchange.$ex.url=ws://127.0.0.1:${TL_FAKEX_PORT[$ex]}"
			"exchange.$ex.reconnect_min_ms=100" "exchange.$ex.reconnect_max_ms=1000")
		for k in "${LIVE_EXCHANGE_KEYS[@]}"; do kv+=("exchange.$ex.$k"); done
	done
	tl_write_config "$CONF" "$INSTANCE" "${kv[@]}"
}

# live_settle N: waits until the fake exchange streams exactly N symbols
# (a quote and a trade stream each) to every exchange of EXCHANGES, then
# sets SETTLED[exchange] to its ring's last seq: what comes after it was
# streamed with the change complete.
declare -A SETTLED=()
live_streams_are() { [[ $(tl_fakex_stat "\"$1\".streams") == "$2" ]]; }
live_settle() {
	local ex
	for ex in "${EXCHANGES[@]}"; do
		tl_wait_for 20 "$ex: the server streams exactly the $1 symbols ($(($1 * 2)) streams)" \
			live_streams_are "$ex" $(($1 * 2))
	done
	for ex in "${EXCHANGES[@]}"; do SETTLED[$ex]=$(TL_EX=$ex tl_ring_last_seq); done
}

# live_sent EXCHANGE SYMBOL...: what the fake exchange sent for SYMBOL...
# (the exchange's names) that the ring can be matched against by id
# (tl_fakex_sent_checkable: the trades only where quotes carry no id).
live_sent() {
	local ex=$1
	shift
	tl_fakex_sent_checkable "$ex" | jq -c --args 'with_entries(select(.key as $k | $ARGS.positional | index($k)))' "$@"
}

# live_change_scenario EXCHANGE...: a live symbol change on a running
# service (list mode: the symbols lists edited, then SIGHUP): every
# exchange given (EXCHANGES) gets 100 symbols added and 50 removed out of 150. Each keeps
# its pid, writes no gap marker, and every update the fake exchange sent
# for the symbols that stay is in its ring; the new symbols stream within
# seconds (on the last connection's free room and on new connections),
# the removed ones stop. Then 20 SIGHUPs within 2 s give exactly one
# reload (log, metrics), which removes the last symbols of the first
# connection: it closes, still without a gap marker.
live_change_scenario() {
	EXCHANGES=("$@")
	local ex per_conn=100 fx_args=() t0 late sent conns r0 logged0 i triggers0 triggers
	LIVE_EXCHANGE_KEYS=("max_symbols_per_conn=$per_conn")
	for ex in "${EXCHANGES[@]}"; do fx_args+=(--exchange "$ex"); done
	tl_fakex_start "${fx_args[@]}" --symbols "$(sym_range 1 250 | paste -sd,)" --rate 300 --trade-every 2
	live_conf 1 150 writer.enabled=false gateway.enabled=false
	TL_CONFIG=$CONF
	sv_start
	declare -A pid before
	for ex in "${EXCHANGES[@]}"; do
		mapfile -t gone < <(ex_range "$ex" 1 50)
		mapfile -t stay < <(ex_range "$ex" 51 150)
		TL_EX=$ex tl_wait_flowing 40 -1 "${gone[@]}" "${stay[@]}"
		pid[$ex]=$(child_pid "$ex")
		before[$ex]=$(TL_EX=$ex tl_ring_last_seq)
	done

	# the change: S1..S50 go, S151..S250 come
	live_conf 51 250 writer.enabled=false gateway.enabled=false
	t0=$(date +%s%N)
	kill -HUP "$SV_PID"
	for ex in "${EXCHANGES[@]}"; do
		mapfile -t new < <(ex_range "$ex" 151 250)
		TL_EX=$ex tl_wait_for 30 "$ex: the 100 new symbols streaming" tl_ring_flowing "${before[$ex]}" "${new[@]}"
		tl_log "$ex: all 100 new symbols streamed $((($(date +%s%N) - t0) / 1000000)) ms after SIGHUP" \
			"(reload debounce 1000 ms included)"
	done
	grep -q "symbols changed: told it to take them live" "$LOG" || tl_fail "the supervisor did not signal the change"

	live_settle 200
	for ex in "${EXCHANGES[@]}"; do
		TL_EX=$ex
		mapfile -t gone < <(ex_range "$ex" 1 50)
		mapfile -t stay < <(ex_range "$ex" 51 150)
		mapfile -t new < <(ex_range "$ex" 151 250)
		# the stream goes on past the change: the ring then holds what came before it
		tl_wait_flowing 20 "${SETTLED[$ex]}" "${stay[@]}" "${new[@]}"
		tl_assert_eq "$ex: collector pid" "${pid[$ex]}" "$(child_pid "$ex")"
		tl_assert_eq "$ex: gap markers (only the collector start)" 1 "$(tl_ring_gaps)"
		tl_assert_eq "$ex: gaps_total" 1 "$(tl_bus_metric "$CONF" "$ex" gaps_total)"
		late=$(tl_ring_dump | jq -s -c --argjson a "${SETTLED[$ex]}" --args \
			'[.[] | select(.seq > $a and .symbol as $s | $ARGS.positional | index($s)) | .symbol] | unique' "${gone[@]}")
		tl_assert_eq "$ex: removed symbols in the ring after the change settled" '[]' "$late"
		sent=$(live_sent "$ex" "${stay[@]}")
		tl_assert_eq "$ex: streams the server sent for the symbols that stay" 100 "$(jq length <<<"$sent")"
		tl_wait_for 20 "$ex: every update sent for the symbols that stay in the ring" tl_ring_complete "$sent"
		tl_ring_check_no_repeats
		conns=$(tl_fakex_conns | jq -s --arg e "$ex" 'map(select(.exchange == $e)) | length')
		tl_log "$ex: $conns connections for 200 symbols at $per_conn per connection; of the staying symbols" \
			"$(jq '[.[].trades[0]] | add' <<<"$sent") trades and $(jq '[.[].quotes[0] // 0] | add' <<<"$sent")" \
			"quotes with ids sent, all in the ring"
		tl_assert_ge "$ex: connections" 2 "$conns"
	done

	# 20 SIGHUPs within 2 s: one reload, at least 5 s after the last one; it
	# removes S51..S75, the last symbols of each exchange's first connection
	r0=$(live_reloads)
	triggers0=$(live_triggers)
	logged0=$(grep -c "reloaded $CONF" "$LOG")
	live_conf 76 250 writer.enabled=false gateway.enabled=false
	for i in $(seq 20); do
		kill -HUP "$SV_PID"
		sleep 0.1
	done
	tl_wait_for 15 "one reload after the burst" tl_at_least $((r0 + 1)) live_reloads
	tl_holds 2 "no second reload" live_reloads_below $((r0 + 2))
	tl_assert_eq "reloads applied for 20 SIGHUPs (metrics)" $((r0 + 1)) "$(live_reloads)"
	tl_assert_eq "reloads applied for 20 SIGHUPs (log)" $((logged0 + 1)) "$(grep -c "reloaded $CONF" "$LOG")"
	# a SIGHUP that arrives while one is still pending merges with it (a
	# loaded host may take 100 ms to read one): most, not all, are counted
	triggers=$(($(live_triggers) - triggers0))
	tl_log "reload triggers counted for 20 SIGHUPs: $triggers"
	tl_assert_ge "reload triggers counted for 20 SIGHUPs" 15 "$triggers"
	for ex in "${EXCHANGES[@]}"; do
		tl_wait_for 10 "$ex: the connection left without symbols closed" live_conns_are "$ex" 2
		grep -q "$ex: link 0: closing: no symbols left on this connection" "$LOG" || tl_fail "$ex: no close logged"
		tl_assert_eq "$ex: collector pid after the burst" "${pid[$ex]}" "$(child_pid "$ex")"
		tl_assert_eq "$ex: gap markers after the close (only the collector start)" 1 \
			"$(tl_bus_metric "$CONF" "$ex" gaps_total)"
	done
	tl_pass "100 added and 50 removed live on ${EXCHANGES[*]}; 20 SIGHUPs gave one reload, an emptied connection closed"
}
live_reloads() { http_get /metrics | awk '$1 == "spreadbus_reloads_total" { print $2 }'; }
live_triggers() { http_get /metrics | awk '$1 == "spreadbus_reload_triggers_total" { print $2 }'; }
live_reloads_below() { (($(live_reloads) < $1)); }
live_conns_of() { tl_fakex_conns | jq -s --arg e "$1" 'map(select(.exchange == $e)) | length'; }
live_conns_are() { [[ $(live_conns_of "$1") == "$2" ]]; }
