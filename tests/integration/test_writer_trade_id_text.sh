#!/usr/bin/env bash
# Trade ids that no 64-bit number holds (a UUID, 2^64, 2^128-1, "007",
# Deribit's "ETH-123456") come back from DuckDB exactly as the exchange
# sent them in trade_id_text, trade_id being their number only where INT64
# holds a plain decimal; a file written before trade_id_text existed reads
# together with the new ones (union_by_name).
source "$(dirname "$0")/writer_lib.sh"
need_readers
tl_need_bins aggregator_feed
write_config "bybit:BTC-USDT"
bus_create
start_writer
tl_wait_for 5 "writer running" writer_state_is running

IDS=(031145f9-efdc-5dc3-a03d-5f01f40c6222 A519448F-56E5-58E6-90A1-004086E0E530 18446744073709551616
	340282366920938463463374607431768211455 9223372036854775807 9223372036854775808 007 ETH-123456 42)
# the number INT64 holds, per id above (NULL: none)
NUMS=(NULL NULL NULL NULL 9223372036854775807 NULL NULL NULL 42)
for i in "${!IDS[@]}"; do
	echo "trade bybit BTC-USDT $((1767225600000 + i)) ${IDS[$i]} 100.5 0.25 buy"
done >"$T/feed.in"
"$BIN/aggregator_feed" --config "$CFG" <"$T/feed.in" >"$T/feed.out" || tl_fail "feeder: $(cat "$T/feed.out")"
[ "$(tail -1 "$T/feed.out")" = "ok ${#IDS[@]}" ] || tl_fail "feeder published $(tail -1 "$T/feed.out")"
tl_wait_for 10 "writer caught up" writer_caught_up
stop_writer 2

sql() { node "$WL_SRC/deploy/parquet_query.js" --json "$1" || tl_fail "DuckDB: $1"; }
got=$(sql "SELECT trade_id_text, coalesce(CAST(trade_id AS VARCHAR), 'NULL') AS n
	FROM read_parquet('$DATA/trades/**/*.parquet') ORDER BY bus_seq" | jq -r '"\(.trade_id_text) \(.n)"')
want=$(for i in "${!IDS[@]}"; do echo "${IDS[$i]} ${NUMS[$i]}"; done)
[ "$got" = "$want" ] || tl_fail "trade ids read back by DuckDB:
$got
expected:
$want"

# A file as the writer wrote it before trade_id_text (trade_id REQUIRED
# INT64), read in one glob with the new one.
mkdir -p "$T/old"
sql "COPY (SELECT ts_exchange, ts_recv, exchange, symbol, px, qty, side, 7::BIGINT AS trade_id, bus_seq + 100 AS bus_seq
	FROM read_parquet('$DATA/trades/**/*.parquet') LIMIT 1) TO '$T/old/part-old.parquet' (FORMAT parquet)" >/dev/null
got=$(sql "SELECT count(*) AS n, count(trade_id_text) AS texts, count(trade_id) AS nums,
	max(CASE WHEN trade_id_text IS NULL THEN trade_id END) AS old_id,
	(SELECT string_agg(column_type, ',' ORDER BY column_name) FROM (DESCRIBE SELECT trade_id, trade_id_text
		FROM read_parquet(['$T/old/part-old.parquet', '$DATA/trades/**/*.parquet'], union_by_name=true))) AS types
	FROM read_parquet(['$T/old/part-old.parquet', '$DATA/trades/**/*.parquet'], union_by_name=true)")
[ "$got" = "{\"n\":$((${#IDS[@]} + 1)),\"texts\":${#IDS[@]},\"nums\":3,\"old_id\":7,\"types\":\"BIGINT,VARCHAR\"}" ] ||
	tl_fail "old and new files together: $got"
echo "PASS: ${#IDS[@]} trade ids exact in trade_id_text, old and new files read together"
