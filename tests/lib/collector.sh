# tests/lib/collector.sh: run spreadbus-collector against spreadbus-fakex and
# check what reached its ring. Needs common.sh, config.sh, fakex.sh, bus.sh.
#
#   tl_collector_start EXCHANGE "BTC-USDT, ETH-USDT" [section.key=value ...]
#       writes $TL_CONFIG (a new file and instance on every call, url to
#       the fakex port, scheme $TL_FAKEX_SCHEME or ws), busctl create,
#       starts the collector; sets TL_EX and TL_COLLECTOR_PID;
#       TL_COLLECTOR_URL_PATH (e.g. /ws) replaces the adapter's path
#   tl_collector_metric METRIC    a metric of the collector's status block
#   tl_collector_rejects          sum of every rejects_*_total
#   tl_ring_dump > file           the collector's ring as JSON lines
#   tl_ring_last_seq              highest seq in the ring (-1 if empty)
#   tl_wait_flowing SECS AFTER_SEQ SYMBOL...  every symbol has a quote and a
#                                 trade in the ring after AFTER_SEQ
#   tl_ring_check_no_duplicates   quotes: update_id strictly increasing per
#                                 symbol; trades: no trade_id twice per symbol
#   tl_ring_check_no_repeats      the same for exchanges whose quotes carry no
#                                 id (tl_quotes_without_ids): no quote twice
#                                 with the same time and values
#   tl_ring_gaps [AFTER_SEQ]      number of gap markers (after AFTER_SEQ)
#   tl_ring_sent_report SENT      JSON array of the streams whose ids the
#                                 ring does not all hold, where SENT is
#                                 tl_fakex_sent's answer; [] when complete
#   tl_collector_same_pid         fails unless the collector still runs as
#                                 TL_COLLECTOR_PID

tl_collector_start() {
	TL_EX=$1
	local symbols=$2
	shift 2
	TL_COLLECTOR_RUNS=$((${TL_COLLECTOR_RUNS:-0} + 1))
	TL_CONFIG=$TL_TMP/spreadbus-$TL_COLLECTOR_RUNS.ini
	tl_write_config "$TL_CONFIG" "$(tl_instance "$TL_EX")" \
		"exchange.$TL_EX.symbols=$symbols" \
		"exchange.$TL_EX.url=${TL_FAKEX_SCHEME:-ws}://127.0.0.1:${TL_FAKEX_PORT[$TL_EX]}${TL_COLLECTOR_URL_PATH:-}" \
		"exchange.$TL_EX.reconnect_min_ms=100" \
		"exchange.$TL_EX.reconnect_max_ms=1000" "$@"
	tl_bus_create "$TL_CONFIG"
	tl_spawn collector "$TL_BIN/spreadbus-collector" --exchange "$TL_EX" --config "$TL_CONFIG"
	TL_COLLECTOR_PID=${TL_PID[collector]}
}

tl_collector_metric() { tl_bus_metric "$TL_CONFIG" "$TL_EX" "$1"; }

tl_collector_rejects() {
	tl_bus_field "$TL_CONFIG" "$TL_EX" '[.metrics | to_entries[] | select(.key | test("^rejects_.*_total$")) | .value] | add // 0'
}

tl_collector_same_pid() {
	tl_alive collector || tl_fail "the collector died (see collector.log)"
	local pid
	pid=$(tl_bus_field "$TL_CONFIG" "$TL_EX" .pid)
	tl_assert_eq "collector pid in its status block" "$TL_COLLECTOR_PID" "$pid"
}

tl_ring_dump() { tl_bus_dump "$TL_CONFIG" "$TL_EX"; }

tl_ring_last_seq() { tl_ring_dump | jq -s 'map(.seq) | max // -1'; }

# Every symbol has at least one quote and one trade after seq $1.
tl_ring_flowing() {
	local after=$1 missing
	shift
	missing=$(tl_ring_dump | jq -s --argjson a "$after" --args '
		map(select(.seq > $a and (.kind == "quote" or .kind == "trade"))) | group_by(.symbol)
		| map(select(map(.kind) | unique | length == 2) | .[0].symbol) as $ok
		| $ARGS.positional - $ok | length' "$@") || return 1
	[[ $missing == 0 ]]
}

tl_wait_flowing() {
	local secs=$1 after=$2
	shift 2
	tl_wait_for "$secs" "quotes and trades of $* after seq $after" tl_ring_flowing "$after" "$@"
}

tl_ring_check_no_duplicates() {
	local report
	report=$(tl_ring_dump | jq -s -c '
		(map(select(.kind == "quote")) | group_by(.symbol) | map(sort_by(.seq) | [.[].update_id] as $u
			| {symbol: .[0].symbol, bad: [range(1; $u | length) | select($u[.] <= $u[. - 1]) | $u[.]]})
			| map(select(.bad | length > 0))) as $q
		| (map(select(.kind == "trade")) | group_by(.symbol) | map([.[].trade_id] as $t
			| {symbol: .[0].symbol, repeated: (($t | length) - ($t | unique | length))})
			| map(select(.repeated > 0))) as $t
		| {quotes_not_increasing: $q, repeated_trades: $t}')
	[[ $report == '{"quotes_not_increasing":[],"repeated_trades":[]}' ]] ||
		tl_fail "duplicate or backwards ticks in the ring: $report"
}

# The fake exchange's BTC-USDT is BTC-USDT-PERP at the perpetuals-only
# exchanges: tl_perp_suffix EXCHANGE prints what to append.
tl_perp_suffix() { [[ $1 != binance-usdm && $1 != deribit ]] || printf '%s' -PERP; }

# Exchanges whose server sends protocol pings (--binance-ping-ms).
tl_server_pings() { [[ $1 == binance || $1 == binance-usdm || $1 == gateio ]]; }

# "A, B, C" for a config's symbols list.
tl_symbols_list() { local IFS=,; sed 's/,/, /g' <<<"$*"; }

# Bitget's books1, Kraken's and Coinbase's ticker and Deribit's quote carry
# no update id (0 in every quote): dedup falls back to time and values.
tl_quotes_without_ids() { [[ $1 == bitget || $1 == kraken || $1 == coinbase || $1 == deribit ]]; }

tl_ring_check_no_repeats() {
	tl_quotes_without_ids "$TL_EX" || {
		tl_ring_check_no_duplicates
		return
	}
	local report
	report=$(tl_ring_dump | jq -s -c '
		(map(select(.kind == "quote")) | group_by(.symbol) | map(map([.ts_exchange_ns, .bid_px, .bid_qty,
			.ask_px, .ask_qty]) | length - (unique | length)) | add // 0) as $q
		| (map(select(.kind == "trade")) | group_by(.symbol) | map([.[].trade_id] | length - (unique | length))
			| add // 0) as $t
		| {repeated_quotes: $q, repeated_trades: $t}')
	[[ $report == '{"repeated_quotes":0,"repeated_trades":0}' ]] || tl_fail "$TL_EX: repeated ticks in the ring: $report"
}

# tl_fakex_sent_checkable EXCHANGE: tl_fakex_sent under the names the
# ring has (tl_perp_suffix), without the quotes that carry no id (they can
# be counted, not matched; their trades can).
tl_fakex_sent_checkable() {
	local sent
	sent=$(tl_fakex_sent "$1" | jq -c --arg p "$(tl_perp_suffix "$1")" 'with_entries(.key += $p)') || return 1
	! tl_quotes_without_ids "$1" || sent=$(jq -c 'map_values({trades})' <<<"$sent")
	printf '%s\n' "$sent"
}

# For each stream fakex sent [count, first id, last id]: ids grow by one
# per event, so the server sent without a hole when count == last-first+1,
# and the ring is complete when it holds that many distinct ids in range.
# A stream fakex sent nothing on is reported too (it proved nothing).
tl_ring_sent_report() {
	tl_ring_dump | jq -s -c --argjson sent "$1" '
		(map(select(.kind == "quote")) | group_by(.symbol) | map({key: .[0].symbol, value: [.[].update_id]})
			| from_entries) as $q
		| (map(select(.kind == "trade")) | group_by(.symbol) | map({key: .[0].symbol, value: [.[].trade_id | tonumber]})
			| from_entries) as $t
		| [$sent | to_entries[] | .key as $sym | .value | to_entries[] | .key as $kind | .value as [$n, $first, $last]
			| ((if $kind == "quotes" then $q else $t end)[$sym] // [])
			| map(select(. >= $first and . <= $last)) | unique | length
			| select($n == 0 or $n != $last - $first + 1 or . != $n)
			| {symbol: $sym, kind: $kind, sent: $n, first: $first, last: $last, in_ring: .}]'
}

tl_ring_gaps() {
	tl_ring_dump | jq -s --argjson a "${1:--1}" 'map(select(.kind == "gap" and .seq > $a)) | length'
}

# SIGTERM to the collector; fails the test unless it exits 0 (the contract
# for a clean stop).
tl_collector_stop() {
	tl_stop collector
	tl_assert_eq "spreadbus-collector exit status after SIGTERM" 0 "${TL_EXIT[collector]}"
}
