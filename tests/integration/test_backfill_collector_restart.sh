#!/usr/bin/env bash
# A hole across a collector restart is repaired (docs/backfill.md): the
# Binance collector runs under the supervisor against both fakes; it is
# SIGKILLed while the fake keeps trading, and the supervisor starts it
# again a second later. Each symbol's trades between its last one before
# the kill and its first after the restart are fetched from the REST
# history: checked against the fake's sent log (every id from the first
# sent to the last in the ring once), the live ids' one hole filled by
# exactly its ids marked backfilled, the GAP_BACKFILL record's counts and
# times exact, and the same trades and records in Parquet (DuckDB). Then,
# with the rings gone (supervisor stopped, busctl unlink), the ids written
# to <state_dir> at the clean stop alone make the next start's holes (one
# of them moved back beyond BACKFILL_MAX_HOLE: recorded, not fetched).
source "$(dirname "$0")/backfill_lib.sh"
tl_need_bins spreadbus spreadbus-aggregator spreadbus-writer

TL_EX=binance
TL_CONFIG=$TL_TMP/spreadbus.ini
STATE_FILE=$TL_TMP/state/backfill.binance.tsv

bf_fakes_start binance
write_config() {
	tl_write_config "$TL_CONFIG" "$INSTANCE" "service.bin_dir=$TL_BIN" \
		"exchange.binance.symbols=BTC-USDT, ETH-USDT" "exchange.binance.url=ws://127.0.0.1:${TL_FAKEX_PORT[binance]}" \
		"exchange.binance.reconnect_min_ms=100" "exchange.binance.reconnect_max_ms=1000" \
		"exchange.binance.rest_url=$BF_REST" universe.rest_timeout_ms=1000 \
		restart.backoff_initial_ms=1000 restart.backoff_max_ms=1000 \
		"writer.enabled=$1" "writer.data_dir=$TL_TMP/state/data" "writer.journal_dir=$TL_TMP/state/journal"
}
INSTANCE=$(tl_instance bfrestart)
write_config true
remove_segments() { rm -f /dev/shm/spreadbus."$INSTANCE".*; }
tl_cleanup remove_segments
sv_start() {
	tl_spawn supervisor "$TL_BIN/spreadbus" --config "$TL_CONFIG"
	tl_wait_flowing 30 "${1:--1}" BTC-USDT ETH-USDT
}
# the supervisor goes before the segments (cleanups run last first)
tl_cleanup tl_stop supervisor TERM 10
sv_start

collector_pid() { tl_bus_field "$TL_CONFIG" binance .pid; }
persisted() { [[ -s $STATE_FILE ]] && [[ $(grep -c -v '^#' "$STATE_FILE") == 2 ]]; }
tl_wait_for 10 "both symbols' last trades in $STATE_FILE" persisted
tl_log "persisted: $(tr '\t\n' ' ;' <"$STATE_FILE")"

old=$(collector_pid)
[[ $old =~ ^[0-9]+$ ]] || tl_fail "no collector pid in its status block: $old"
kill -KILL "$old"
new_pid() { local p; p=$(collector_pid); [[ $p =~ ^[0-9]+$ && $p != "$old" ]]; }
tl_wait_for 20 "the supervisor's new collector" new_pid
tl_wait_for 30 "a backfill record for each symbol" tl_at_least 2 bf_repair_count
tl_wait_for 20 "every trade id from the first sent to the last in the ring once (backfill-missing.log)" bf_complete
grep -q "binance: backfill: the last trade of 2 symbols known from before the start" "$TL_TMP/supervisor.log" ||
	tl_fail "the restarted collector did not say it knew both symbols' last trades"

# restart_report: per symbol, the live trades' holes (each [last before,
# first after]), the backfilled ids, the record, and the ids the fake's
# stream skipped while nobody listened (last - first + 1 - sent).
restart_report() {
	local sent
	sent=$(tl_fakex_sent binance)
	tl_ring_dump | jq -s -c --argjson sent "$sent" '
		map(if .kind == "trade" then .trade_id |= tonumber else . end) as $ring
		| [$sent | to_entries[] | .key as $sym | .value.trades as [$n, $first, $last]
			| ($ring | map(select(.symbol == $sym))) as $mine
			| ($mine | map(select(.kind == "trade"))) as $tr
			| ($tr | map(select(.backfilled != true)) | sort_by(.trade_id)) as $live
			| [range(1; $live | length) | select($live[.].trade_id - $live[. - 1].trade_id > 1)
				| [$live[. - 1], $live[.]]] as $holes
			| ($mine | map(select(.kind == "gap" and .reason == "backfill"))) as $recs
			| {symbol: $sym, first_live: $live[0].trade_id, holes: ($holes | map([.[0].trade_id, .[1].trade_id])),
			   edge_ts: ($holes | map([.[0].ts_exchange_ns, .[1].ts_exchange_ns])),
			   backfilled: ($tr | map(select(.backfilled == true)) | map(.trade_id) | sort),
			   records: ($recs | map({status, recovered, lost, ts: [.ts_start_ns, .ts_end_ns]})),
			   skipped_by_fake: ($last - $first + 1 - $n)}]'
}
# check_restart_hole REPORT: each symbol's one live hole [a, b] is filled
# by exactly a+1 .. b-1 backfilled, and its one record says repaired with
# b-a-1 recovered, none lost, between the exchange times of a and b; the
# hole holds at least the ids the fake skipped (more: the trades it sent
# that the killed collector never read).
check_restart_hole() {
	jq -e 'length == 2 and all(.[]; .holes[0] as [$a, $b] | (.holes | length) == 1 and (.records | length) == 1
		and .backfilled == [range($a + 1; $b)]
		and .records[0] == {status: "repaired", recovered: ($b - $a - 1), lost: 0, ts: .edge_ts[0]}
		and .skipped_by_fake > 0 and $b - $a - 1 >= .skipped_by_fake)' <<<"$1" >/dev/null ||
		tl_fail "each symbol's restart hole should be filled exactly by its backfilled ids with a repaired record: $1"
}
report=$(restart_report)
tl_log "after the SIGKILL: $report"
check_restart_hole "$report"
tl_ring_check_no_duplicates
tl_assert_eq "backfills_total" 2 "$(tl_collector_metric backfills_total)"
tl_assert_eq "backfill_trades_missing_total" 0 "$(tl_collector_metric backfill_trades_missing_total)"
recovered=$(jq 'map(.records[0].recovered) | add' <<<"$report")
tl_assert_eq "backfill_trades_recovered_total" "$recovered" "$(tl_collector_metric backfill_trades_recovered_total)"

# Parquet: the writer (under the supervisor) records the ring; after a
# clean stop, DuckDB finds each trade id from the first sent up to the
# ring's newest once, and the backfill rows with the records' counts.
tl_wait_for 20 "the writer caught up with the ring" bf_writer_caught_up
sent=$(tl_fakex_sent binance)
upto=$(tl_ring_dump | jq -s -c 'map(select(.kind == "trade")) | group_by(.symbol) | map({key: .[0].symbol, value: (map(.trade_id | tonumber) | max)}) | from_entries')
want_rows=$(bf_repairs | jq -s -c 'sort_by(.seq) | map({symbol, lost, recovered})')
tl_stop supervisor TERM 10
tl_assert_eq "spreadbus exit status after SIGTERM" 0 "${TL_EXIT[supervisor]}"
data=$TL_TMP/state/data
rows=$(bf_sql "SELECT symbol, lost, recovered FROM read_parquet('$data/gaps/**/*.parquet') WHERE reason = 'backfill' ORDER BY bus_seq" | jq -s -c .)
tl_assert_eq "Parquet gaps: the backfill rows (symbol, lost, recovered) are the ring's records" "$want_rows" "$rows"
for sym in BTC-USDT ETH-USDT; do
	first=$(jq --arg s "$sym" '.[$s].trades[1]' <<<"$sent")
	last=$(jq --arg s "$sym" '.[$s]' <<<"$upto")
	got=$(bf_sql "SELECT count(*) AS n, count(DISTINCT trade_id) AS d FROM read_parquet('$data/trades/**/*.parquet')
		WHERE symbol = '$sym' AND trade_id BETWEEN $first AND $last")
	tl_assert_eq "Parquet trades of $sym, ids $first..$last: rows and distinct ids" \
		"{\"n\":$((last - first + 1)),\"d\":$((last - first + 1))}" "$got"
done

# The clean stop wrote each symbol's newest trade (the writer drained the
# ring: Parquet's newest); with the rings gone that file alone makes the
# next start's hole: BTC-USDT's from it to the first live trade, repaired.
# ETH-USDT's id is moved back by more than BACKFILL_MAX_HOLE (1000000): its
# hole is recorded not_repairable with its size, nothing fetched. A
# malformed line and a symbol not collected are skipped.
file_ids=$(grep -v '^#' "$STATE_FILE" | jq -R -s -c -S 'split("\n") | map(select(length > 0) | split("\t") | {key: .[0], value: (.[1] | tonumber)}) | from_entries')
newest=$(bf_sql "SELECT symbol, max(trade_id) AS id FROM read_parquet('$data/trades/**/*.parquet') GROUP BY symbol ORDER BY symbol" |
	jq -s -c -S 'map({key: .symbol, value: .id}) | from_entries')
tl_assert_eq "the ids written at the clean stop are the newest trades recorded" "$newest" "$file_ids"
"$TL_BIN/spreadbus-busctl" --config "$TL_CONFIG" unlink >>"$TL_TMP/busctl.log" 2>&1 || tl_fail "busctl unlink failed"
eth_id=$(($(jq '."ETH-USDT"' <<<"$file_ids") - 1000001))
awk -v id="$eth_id" 'BEGIN { OFS = "\t" } $1 == "ETH-USDT" { $2 = id } { print }' "$STATE_FILE" >"$STATE_FILE.new"
printf 'no tabs here\nSOL-USDT\t5\t5\n' >>"$STATE_FILE.new"
mv "$STATE_FILE.new" "$STATE_FILE"
write_config false
sv_start
tl_wait_for 30 "a backfill record for each symbol after the start without rings" tl_at_least 2 bf_repair_count
report=$(restart_report)
tl_log "after the start without rings: $report"
jq -e --argjson ids "$file_ids" '.[] | select(.symbol == "BTC-USDT") | (.records | length) == 1
	and (.backfilled | length) == .records[0].recovered and .records[0].status == "repaired"
	and .backfilled == [range($ids[.symbol] + 1; .first_live)]' <<<"$report" >/dev/null ||
	tl_fail "after a start with only the file, BTC-USDT's hole should be from one past the file's id to the first live trade, repaired: $report"
jq -e --argjson from "$eth_id" '.[] | select(.symbol == "ETH-USDT") | .backfilled == []
	and .records == [{status: "not_repairable", recovered: 0, lost: (.first_live - $from - 1), ts: .records[0].ts}]' \
	<<<"$report" >/dev/null ||
	tl_fail "ETH-USDT's hole of more than BACKFILL_MAX_HOLE ids should be recorded not_repairable with its size: $report"
grep -q "binance: backfill: .*backfill.binance.tsv line 4 is malformed, ignored" "$TL_TMP/supervisor.log" ||
	tl_fail "the malformed line was not logged"
grep -q "the last trade of 2 symbols known from before the start (2 from" "$TL_TMP/supervisor.log" ||
	tl_fail "the collector should have taken the two collected symbols from the file"
tl_ring_check_no_duplicates
tl_stop supervisor TERM 10
tl_assert_eq "spreadbus exit status after SIGTERM" 0 "${TL_EXIT[supervisor]}"
tl_pass "SIGKILL: $recovered trades recovered across the restart, exact; start without rings: the file's ids, a hole too large recorded"
