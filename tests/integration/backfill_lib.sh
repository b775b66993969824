# Shared by the test_backfill_<exchange>.sh tests (sourced): a collector
# against spreadbus-fakex (WebSocket) and spreadbus-fakex-rest (its trade
# history, rest_url), a hole made by closing the connections and refusing
# new ones, then the ring checked for the hole's trade ids and the
# GAP_BACKFILL record (docs/backfill.md).
set -u
source "${SPREADBUS_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}/tests/lib/collector_test.sh"
tl_need_bins spreadbus-fakex-rest

# bf_fakes_start EXCHANGE [fakex-rest options...]: both fakes, BTC-USDT and
# ETH-USDT trading; BF_REST is the REST fake's URL. The REST fake asks the
# WebSocket fake for a stream's newest id where it needs it (Bybit,
# --history-depth).
bf_fakes_start() {
	local ex=$1 name port count
	shift
	tl_fakex_start --exchange "$ex" --symbols BTC-USDT,ETH-USDT --rate 200
	tl_spawn fakex-rest "$TL_BIN/spreadbus-fakex-rest" --exchange "$ex" --instruments 20 \
		--fakex-control "$TL_FAKEX_CONTROL" --ready-file "$TL_TMP/rest.ready" "$@"
	tl_wait_for 10 "the fake REST ready file" test -s "$TL_TMP/rest.ready"
	read -r name port count <"$TL_TMP/rest.ready"
	BF_REST=http://127.0.0.1:$port
}

# bf_start EXCHANGE [fakex-rest options...]: both fakes and the collector,
# trades flowing.
bf_start() {
	local ex=$1
	shift
	bf_fakes_start "$ex" "$@"
	tl_collector_start "$ex" "BTC-USDT, ETH-USDT" "exchange.$ex.rest_url=$BF_REST" universe.rest_timeout_ms=1000
	tl_wait_flowing 20 -1 BTC-USDT ETH-USDT
}

# bf_rest_cmd QUERY: a misbehaviour of the fake REST, e.g. 'what=500&n=100'.
bf_rest_cmd() { curl -fsS "$BF_REST/_fakex/misbehave?$1" >/dev/null || tl_fail "fake REST command $1 refused"; }

# bf_hole MS: close every connection and refuse new ones for MS.
bf_hole() {
	local conns
	conns=$(tl_fakex_stat "$TL_EX.connections_total")
	tl_fakex_cmd "refuse $1" >/dev/null
	tl_fakex_cmd close >/dev/null
	tl_wait_for $(($1 / 1000 + 15)) "a new connection after the hole" \
		tl_at_least $((conns + 1)) tl_fakex_stat "$TL_EX.connections_total"
}

# The GAP_BACKFILL records in the ring, as JSON lines.
bf_repairs() { tl_ring_dump | jq -c 'select(.kind == "gap" and .reason == "backfill")'; }
bf_repair_count() { bf_repairs | wc -l; }

# bf_missing_report: per symbol, the trade ids between the first and last
# the server sent that the ring lacks, and ids it holds twice.
bf_missing_report() {
	local sent
	sent=$(tl_fakex_sent "$TL_EX")
	tl_ring_dump | jq -s -c --argjson sent "$sent" '
		(map(select(.kind == "trade")) | group_by(.symbol) | map({key: .[0].symbol, value: [.[].trade_id | tonumber]})
			| from_entries) as $t
		| [$sent | to_entries[] | .key as $sym | .value.trades as [$n, $first, $last]
			| (($t[$sym] // []) | map(select(. >= $first and . <= $last))) as $ids
			| {symbol: $sym, first: $first, last: $last, missing: ($last - $first + 1 - ($ids | unique | length)),
			   twice: (($ids | length) - ($ids | unique | length))}
			| select(.missing != 0 or .twice != 0)]'
}

bf_complete() {
	local report
	report=$(bf_missing_report) || return 1
	printf '%s\n' "$report" >"$TL_TMP/backfill-missing.log"
	[[ $report == '[]' ]]
}

# bf_sql QUERY: rows as JSON lines, by DuckDB.
bf_sql() { node "$TL_SRC/deploy/parquet_query.js" --json "$1" || tl_fail "DuckDB: $1"; }

bf_writer_caught_up() {
	[[ $(tl_bus_field "$TL_CONFIG" writer '"\(.state) \(.metrics.read_lag_ticks)"') == "running 0" ]]
}

# bf_check_holes "STATUS ...": each symbol has one backfill record, their
# statuses are the STATUS list (in any order, one per symbol; a single
# STATUS is every symbol's), and each
# whose recovered + lost is the hole the server's sent log shows (an oracle
# independent of the collector: the ids a stream skipped while nobody
# listened); the ring holds exactly the recovered trades marked
# backfilled, at one edge of the hole (the newest for a newest-first
# history), and lacks exactly lost ids up to its newest trade (trades in
# flight are not yet lacking). Sets BF_HOLES (the report).
bf_check_holes() {
	local want=$1 sent report
	[[ $want == *" "* ]] || want="$want $want"
	sent=$(tl_fakex_sent "$TL_EX")
	report=$(tl_ring_dump | jq -s -c --argjson sent "$sent" '
		map(if .kind == "trade" then .trade_id |= tonumber else . end) as $ring
		| [$sent | to_entries[] | .key as $sym | .value.trades as [$n, $first, $last]
			| ($ring | map(select(.symbol == $sym))) as $mine
			| ($mine | map(select(.kind == "gap" and .reason == "backfill"))) as $recs
			| ($mine | map(select(.kind == "trade" and .trade_id >= $first and .trade_id <= $last))) as $tr
			| ($tr | map(select(.backfilled != true)) | map(.trade_id) | unique) as $live
			| ($tr | map(select(.backfilled == true)) | map(.trade_id) | sort) as $bf
			| [range(1; $live | length) | select($live[.] - $live[. - 1] > 1) | [$live[. - 1], $live[.]]] as $holes
			| ($tr | map(.trade_id) | unique) as $held
			| ($held | max // $first) as $upto
			| {symbol: $sym, records: ($recs | length), status: $recs[0].status, recovered: $recs[0].recovered,
			   lost: $recs[0].lost, hole: ($last - $first + 1 - $n), backfilled: ($bf | length),
			   twice: (($tr | length) - ($held | length)), first: $first, upto: $upto, held: ($held | length),
			   ring_lacks: ($upto - $first + 1 - ($held | length)),
			   live_holes: ($holes | length),
			   edge: (if ($bf | length) == 0 or ($holes | length) != 1 then true
				  else ($bf == [range($holes[0][1] - ($bf | length); $holes[0][1])]
					or $bf == [range($holes[0][0] + 1; $holes[0][0] + 1 + ($bf | length))]) end)}]')
	tl_log "holes: $report"
	jq -e --arg want "$want" 'length == 2 and (map(.status) | sort) == ($want | split(" ") | sort)
		and all(.[]; .records == 1 and .live_holes == 1
		and .recovered + .lost == .hole and .backfilled == .recovered and .ring_lacks == .lost
		and .twice == 0 and .edge)' <<<"$report" >/dev/null ||
		tl_fail "the symbols' holes should be ($want) with recovered + lost = the hole the server skipped, recovered = the backfilled trades at the hole's edge, lost = the ids the ring lacks: $report"
	BF_HOLES=$report
}

# bf_parquet_check: the writer records the ring; in its Parquet files
# (DuckDB) the backfill rows of the gaps dataset are the ring's GAP_BACKFILL
# records with their counts, and every trade id the ring held up to the
# first hole's check (BF_HOLES) is there once.
bf_parquet_check() {
	local data=$TL_TMP/state/data rows want upto
	tl_spawn writer "$TL_BIN/spreadbus-writer" --config "$TL_CONFIG"
	tl_wait_for 20 "the writer caught up with the ring" bf_writer_caught_up
	tl_stop writer TERM 5
	tl_assert_eq "writer exit status after SIGTERM" 0 "${TL_EXIT[writer]}"
	rows=$(bf_sql "SELECT symbol, lost, recovered FROM read_parquet('$data/gaps/**/*.parquet') WHERE reason = 'backfill' ORDER BY bus_seq" | jq -s -c .)
	want=$(bf_repairs | jq -s -c 'sort_by(.seq) | map({symbol, lost, recovered})')
	tl_log "Parquet gaps, backfill rows: $rows"
	tl_assert_eq "Parquet gaps: the backfill rows (symbol, lost, recovered) are the ring's records" "$want" "$rows"
	# every gap row names the symbol the ring's record has (busctl: "" for
	# none), NULL for a whole connection's (the collector's start)
	rows=$(bf_sql "SELECT bus_seq, reason, coalesce(symbol, '') AS symbol, symbol IS NULL AS none FROM read_parquet('$data/gaps/**/*.parquet') ORDER BY bus_seq" | jq -s -c .)
	upto=$(bf_sql "SELECT max(bus_seq) AS m FROM read_parquet('$data/quotes/**/*.parquet')" | jq .m)
	want=$(tl_ring_dump | jq -s -c --argjson upto "$upto" 'map(select(.kind == "gap" and .seq <= $upto)) | sort_by(.seq)
		| map({bus_seq: .seq, reason, symbol, none: (.symbol == "")})')
	tl_assert_eq "Parquet gaps: every row's symbol is the ring record's" "$want" "$rows"
	jq -e 'any(.[]; .reason == "collector_start" and .none) and all(.[]; (.reason == "collector_start") == .none)' <<<"$rows" >/dev/null ||
		tl_fail "Parquet gaps: the collector_start row should have a NULL symbol and every per-symbol gap one: $rows"
	[[ $(bf_sql "SELECT count(*) AS n FROM read_parquet('$data/gaps/**/*.parquet') WHERE reason <> 'backfill' AND recovered IS NOT NULL") == '{"n":0}' ]] ||
		tl_fail "Parquet gaps: recovered set on a row that is not a backfill"
	local sym first held got
	for sym in BTC-USDT ETH-USDT; do
		read -r first upto held < <(jq -r --arg s "$sym" '.[] | select(.symbol == $s) | "\(.first) \(.upto) \(.held)"' <<<"$BF_HOLES")
		got=$(bf_sql "SELECT count(*) AS n, count(DISTINCT trade_id) AS d FROM read_parquet('$data/trades/**/*.parquet')
			WHERE symbol = '$sym' AND trade_id BETWEEN $first AND $upto")
		tl_assert_eq "Parquet trades of $sym, ids $first..$upto: rows and distinct ids" \
			"{\"n\":$held,\"d\":$held}" "$got"
	done
}

# bf_scenario EXCHANGE "STATUS ..." [fakex-rest options...]: a 5 s hole
# (with $BF_MISBEHAVE, if set, sent to the fake REST just before), the
# symbols' holes ending as the STATUS list says with exact counts
# (bf_check_holes); then, with
# the REST answering 500 to everything, a hole recorded not repairable
# with its size; live data flows throughout; the Parquet files agree.
bf_scenario() {
	local ex=$1 want=$2 before repairs repair_ms
	shift 2
	bf_start "$ex" "$@"
	[[ -z ${BF_MISBEHAVE:-} ]] || bf_rest_cmd "$BF_MISBEHAVE"
	bf_hole 5000
	tl_wait_for 30 "a backfill record for each symbol" tl_at_least 2 bf_repair_count
	repairs=$(bf_repairs)
	# from the first trade after the hole (its exchange time) to the record
	repair_ms=$(jq -s 'map(.ts_recv_ns - .ts_end_ns) | max / 1e6 | floor' <<<"$repairs")
	tl_log "repairs: $repairs"
	if [[ $want =~ ^(repaired ?)+$ ]]; then
		tl_wait_for 20 "every trade id from the first sent to the last in the ring once (backfill-missing.log)" bf_complete
	fi
	bf_check_holes "$want"
	local recovered lost
	recovered=$(jq -s 'map(.recovered) | add' <<<"$repairs")
	lost=$(jq -s 'map(.lost) | add' <<<"$repairs")
	tl_ring_check_no_duplicates
	tl_log "5 s hole: $recovered trades recovered, $lost missing, ${repair_ms} ms after the first live trade past it"

	# the REST fails: the hole is recorded with nothing recovered, its size known
	bf_rest_cmd 'what=500&n=1000'
	bf_hole 2000
	tl_wait_for 30 "backfill records of the failed repair" tl_at_least 4 bf_repair_count
	repairs=$(bf_repairs | tail -n 2)
	[[ $(jq -s 'map(select(.status == "not_repairable" and .lost > 50 and .recovered == 0)) | length' <<<"$repairs") == 2 ]] ||
		tl_fail "holes during a REST outage should be not_repairable with their size: $repairs"
	grep -q "backfill GET /.*HTTP 500" "$TL_TMP/collector.log" || tl_fail "no REST error logged"
	before=$(tl_ring_last_seq)
	tl_wait_flowing 10 "$before" BTC-USDT ETH-USDT
	tl_collector_same_pid
	tl_assert_eq "backfills_total" 4 "$(tl_collector_metric backfills_total)"
	tl_assert_eq "backfill_trades_recovered_total" "$recovered" "$(tl_collector_metric backfill_trades_recovered_total)"
	tl_assert_eq "backfill_trades_missing_total" "$((lost + $(jq -s 'map(.lost) | add' <<<"$repairs")))" \
		"$(tl_collector_metric backfill_trades_missing_total)"
	tl_assert_ge "backfill_rest_errors_total" 2 "$(tl_collector_metric backfill_rest_errors_total)"
	bf_parquet_check
	BF_SUMMARY="5 s hole $want in ${repair_ms} ms ($recovered trades recovered, $lost missing); REST 500s: not_repairable, $(jq -s 'map(.lost) | add' <<<"$repairs") trades known missing"
	tl_collector_stop
	tl_fakex_stop
}
