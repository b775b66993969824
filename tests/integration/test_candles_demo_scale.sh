#!/usr/bin/env bash
# Candles at demo scale against an independent computation: the whole
# service (supervisor, Binance, Bybit and OKX collectors against one
# spreadbus-fakex each, aggregator with a private redis-server, writer)
# trading the demo's five symbols at its rate (deploy/demo.sh) for two
# minute boundaries, with a collector SIGKILLed (its restart's holes
# repaired from the fake REST history), Redis killed while the
# first minute's candles close (they wait in the backlog), the aggregator
# SIGKILLed with that backlog in memory, Redis back after a 60 s outage,
# and the aggregator SIGKILLed twice more while the next minute is open. Then the closed 1m candles on Redis (XRANGE candles, the newest
# revision of each) equal the candles DuckDB computes from the Parquet
# trades with the query in docs/redis.md, none is missing, and every repeat
# of a key is an identical repeat.
#
# Exact: start, end, open, high, low, close, trades, first and last trade
# id. Volume, quote volume, buy volume and VWAP to a relative 1e-10: they
# are sums of doubles, which the aggregator adds in arrival order and
# DuckDB in its own, so the last bits may differ (n trades: at most about
# n x 2^-53 relative, under 1e-12 for a minute here); one trade more or
# less changes them by about 1e-4.
export CS_N=3 CS_SYMBOLS=BTC-USDT,ETH-USDT,SOL-USDT,XRP-USDT,DOGE-USDT CS_RING=1048576
source "${SPREADBUS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/chaos/service.sh"
command -v redis-server >/dev/null || tl_skip "redis-server not installed"
SERIES=$((CS_N * 5)) # (exchange, symbol) pairs: one 1m candle each per minute

cs_start_fakexes 100
# each exchange's REST API too, as in the demo: its trade history repairs
# the hole of the collector's kill (docs/backfill.md)
rest_keys=()
for ex in $(cs_exchanges); do
	tl_spawn "rest-$ex" "$TL_BIN/spreadbus-fakex-rest" --exchange "$(cs_adapter "$ex")" --instruments 20 \
		--pin "$CS_SYMBOLS" --fakex-control "${CS_FX_CTL[$ex]}" --ready-file "$TL_TMP/rest-$ex.ready"
	tl_wait_for 10 "the fake REST of $ex" test -s "$TL_TMP/rest-$ex.ready"
	read -r _ port _ <"$TL_TMP/rest-$ex.ready"
	rest_keys+=("exchange.$ex.rest_url=http://127.0.0.1:$port")
done
cs_redis_start
cs_write_config candles.intervals=1m candles.grace_ms=2000 candles.stream_maxlen=0 universe.rest_timeout_ms=1000 \
	"${rest_keys[@]}"
cs_supervisor_start

child_pid() { cs_health ".children[] | select(.name == \"$1\") | .pid"; }
replaced() { local p; p=$(child_pid "$1"); [[ $p =~ ^[0-9]+$ && $p != "$2" ]]; }
kill_child() {
	local old
	old=$(child_pid "$1")
	[[ $old =~ ^[0-9]+$ ]] || tl_fail "$1 has no pid: $(cs_health)"
	kill -KILL "$old"
	tl_wait_for 20 "a new $1 process" replaced "$1" "$old"
	tl_log "$1 pid $old SIGKILLed"
}
agg_metric() { tl_bus_metric "$CS_CONF" aggregator "$1"; }
agg_metric_ge() { (($(agg_metric "$1") >= $2)); }
agg_state_is() { [[ $(tl_bus_field "$CS_CONF" aggregator .state) =~ ^($1)$ ]]; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
past_ms() { (($(now_ms) >= $1)); }

tl_wait_for 30 "ticks flowing on every exchange" cs_health_ok
kill_child b1
b1_repairs() { "$TL_BIN/spreadbus-busctl" --config "$CS_CONF" dump b1 | jq -c 'select(.kind == "gap" and .reason == "backfill")'; }
tl_wait_for 30 "the restart's holes of b1 (binance) repaired" eval '[[ $(b1_repairs | jq -s "map(select(.status == \"repaired\")) | length") == 5 ]]'
backfilled=$(b1_repairs | jq -s 'map(.recovered) | add')
((backfilled > 0)) || tl_fail "no trade recovered across the collector's restart: $(b1_repairs)"

# Redis away while the first minute's six candles close (clock past the
# boundary + grace): they wait in the backlog; the aggregator is killed
# with them there, and its successor replays the ring.
cs_redis_kill
redis_down_ms=$(now_ms)
minute1=$((($(now_ms) / 60000 + 1) * 60000)) # the first boundary to come
tl_wait_for 80 "the $SERIES candles of the minute before $minute1 in the backlog" agg_metric_ge candles_backlog "$SERIES"
kill_child aggregator
tl_wait_for 20 "the new aggregator running without Redis" agg_state_is 'running|degraded'
# the outage lasts 60 s (the scenario's length, not a wait for an event)
tl_wait_for 90 "60 s of Redis outage" past_ms $((redis_down_ms + 60000))
cs_redis_start
tl_wait_for 20 "the backlog delivered" eval '(($(agg_metric redis_up) == 1 && $(agg_metric candles_backlog) == 0))'

# the aggregator killed twice more while the next minute is open, each
# successor first reading ticks again
for kill in 2 3; do
	kill_child aggregator
	tl_wait_for 20 "the new aggregator running (kill $kill)" agg_state_is running
	read0=$(agg_metric ticks_read_total)
	tl_wait_for 20 "the new aggregator reading (kill $kill)" agg_metric_ge ticks_read_total $((read0 + 1))
done

# stream_entries: XRANGE candles as one JSON object per entry
stream_entries() {
	tl_redis_cli --json xrange candles - + | jq -c '.[] | .[1] | [recurse(.[2:]; length > 0) | {(.[0]): .[1]}] | add'
}
closed_at() { [[ $(stream_entries | jq -s --argjson s "$1" 'map(select(.start_ms == ($s | tostring))) | map(.key) | unique | length') -ge $SERIES ]]; }
tl_wait_for 80 "the $SERIES candles of the minute from $minute1 on Redis" closed_at "$minute1"
stream_entries >"$TL_TMP/candles.jsonl"
cs_stop_service

# every repeat of a key identical
jq -s -e 'group_by(.key) | all(.[]; (unique | length) == 1)' "$TL_TMP/candles.jsonl" >/dev/null ||
	tl_fail "a repeat of a candle key with other values: $(jq -s -c 'group_by(.key) | map(select((unique | length) > 1))' "$TL_TMP/candles.jsonl")"
# the newest revision of each candle up to the minute from $minute1, as numbers
redis=$(jq -s -c --argjson upto "$minute1" '
	map(select((.start_ms | tonumber) <= $upto)) | group_by(.exchange, .symbol, .start_ms)
	| map(max_by(.revision | tonumber)) | map({exchange, symbol, start_ms: (.start_ms | tonumber),
	  end_ms: (.end_ms | tonumber), open: (.open | tonumber), high: (.high | tonumber), low: (.low | tonumber),
	  close: (.close | tonumber), volume: (.volume | tonumber), quote_volume: (.quote_volume | tonumber),
	  buy_volume: (.buy_volume | tonumber), vwap: (.vwap | tonumber), trades: (.trades | tonumber),
	  first_trade_id, last_trade_id, revision: (.revision | tonumber)}) | sort_by(.exchange, .symbol, .start_ms)' \
	"$TL_TMP/candles.jsonl")
# (the filter outside: in a HAVING, start_ms would add ts_exchange to GROUP BY ALL)
NODE_PATH=$CS_SRC/tests/parquet_readers/node_modules node "$CS_SRC/deploy/parquet_query.js" --json "
	SELECT * FROM (SELECT exchange, symbol,
	       epoch_ms(time_bucket(INTERVAL 1 minute, ts_exchange, TIMESTAMP '1970-01-01')) AS start_ms,
	       arg_min(px, (ts_exchange, trade_id)) AS open, max(px) AS high, min(px) AS low,
	       arg_max(px, (ts_exchange, trade_id)) AS close,
	       sum(qty) AS volume, sum(px * qty) AS quote_volume,
	       coalesce(sum(qty) FILTER (WHERE side = 'buy'), 0) AS buy_volume,
	       sum(px * qty) / sum(qty) AS vwap, count(*) AS trades,
	       arg_min(trade_id_text, (ts_exchange, trade_id)) AS first_trade_id,
	       arg_max(trade_id_text, (ts_exchange, trade_id)) AS last_trade_id
	FROM read_parquet('$TL_TMP/data/trades/**/*.parquet', hive_partitioning = true)
	GROUP BY ALL) WHERE start_ms <= $minute1 ORDER BY exchange, symbol, start_ms" >"$TL_TMP/duckdb_candles.jsonl" ||
	tl_fail "DuckDB over the Parquet trades failed"
printf '%s\n' "$redis" >"$TL_TMP/redis_candles.json"
jq -s -c . "$TL_TMP/duckdb_candles.jsonl" >"$TL_TMP/duckdb_candles.json"
report=$(jq -n -c --slurpfile r "$TL_TMP/redis_candles.json" --slurpfile d "$TL_TMP/duckdb_candles.json" '
	$r[0] as $r | $d[0] as $d
	| def close($a; $b): (($a - $b) | fabs) <= 1e-10 * ([($a | fabs), ($b | fabs), 1e-300] | max);
	($r | map({key: "\(.exchange):\(.symbol):\(.start_ms)", value: .}) | from_entries) as $rr
	| ($d | map({key: "\(.exchange):\(.symbol):\(.start_ms)", value: .}) | from_entries) as $dd
	| {missing_on_redis: ($dd | keys - ($rr | keys)), not_in_parquet: ($rr | keys - ($dd | keys)),
	   differ: [$dd | to_entries[] | .key as $k | .value as $x | $rr[$k] // empty | . as $y
		| select($x.open != $y.open or $x.high != $y.high or $x.low != $y.low or $x.close != $y.close
			or $x.trades != $y.trades or $x.first_trade_id != $y.first_trade_id
			or $x.last_trade_id != $y.last_trade_id or $y.end_ms != $y.start_ms + 60000
			or (close($x.volume; $y.volume) and close($x.quote_volume; $y.quote_volume)
			    and close($x.buy_volume; $y.buy_volume) and close($x.vwap; $y.vwap) | not))
		| {key: $k, duckdb: $x, redis: $y}],
	   compared: ([$dd | keys[] | select($rr[.])] | length),
	   revisions: ([$r[] | select(.revision > 0)] | length),
	   trades: ($d | map(.trades) | add)}')
[[ -n $report ]] || tl_fail "the comparison of the candles failed"
tl_log "candles: $report"
jq -e '.missing_on_redis == [] and .not_in_parquet == [] and .differ == [] and .compared >= 2 * $SERIES' --argjson SERIES "$SERIES" <<<"$report" >/dev/null ||
	tl_fail "the closed candles on Redis should equal DuckDB's over the Parquet trades (redis_candles.json, duckdb_candles.json): $report"
tl_pass "$(jq -r --arg bf "$backfilled" '"\(.compared) closed 1m candles (\(.trades) trades, \($bf) of them backfilled after the collector kill, \(.revisions) revised) equal to DuckDB'"'"'s"' <<<"$report")"
