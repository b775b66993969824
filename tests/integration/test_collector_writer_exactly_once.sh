#!/usr/bin/env bash
# For every adapter added after binance, bybit and okx (several at a
# time): the real collector streams from the fake exchange into its ring
# and the writer records the ring to Parquet; once the feed stops and
# every id the server sent is in the ring, the collector and then the
# writer (draining) stop, and DuckDB finds each update and trade id the
# server sent in Parquet exactly once (quotes without ids: their trades),
# and as many quotes and trades as the ring held.
set -u
source "${SPREADBUS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/collector_test.sh"

READERS=$TL_SRC/tests/parquet_readers
[[ -d $READERS/node_modules/@duckdb/node-api ]] ||
	tl_fail "Parquet readers are not installed: run 'make deps' (npm ci in tests/parquet_readers)"
tl_need_bins spreadbus-writer

tl_each_new_exchange "$@"
ex=$TL_EACH_EX
perp=$(tl_perp_suffix "$ex")
syms=(BTC-USDT$perp ETH-USDT$perp SOL-USDT$perp)
tl_fakex_start --exchange "$ex" --symbols BTC-USDT,ETH-USDT,SOL-USDT --rate 300
tl_collector_start "$ex" "$(tl_symbols_list "${syms[@]}")"
tl_spawn writer "$TL_BIN/spreadbus-writer" --config "$TL_CONFIG"
tl_wait_flowing 20 -1 "${syms[@]}"
tl_wait_for 30 "150 trades sent" tl_at_least 150 tl_fakex_stat "$ex.trades"
tl_fakex_cmd "rate 0" >/dev/null
sent=$(tl_fakex_sent_checkable "$ex")
tl_wait_for 20 "every id the server sent in the ring (missing: ring-missing-ids.log)" tl_ring_complete "$sent"
ring_ticks=$(tl_ring_dump | jq -s 'map(select(.kind == "quote" or .kind == "trade")) | length')
tl_collector_stop
tl_stop writer TERM 10
tl_assert_eq "spreadbus-writer exit status after SIGTERM (drained)" 0 "${TL_EXIT[writer]}"
printf '%s\n' "$sent" >"$TL_TMP/sent.json"
(cd "$READERS" && node sent_once.mjs "$TL_TMP/state/data" "$ex" "$TL_TMP/sent.json" "$ring_ticks") >"$TL_TMP/parquet-check.log" 2>&1 ||
	tl_fail "not every id the server sent is in Parquet exactly once (parquet-check.log)"
tl_fakex_stop
tl_pass "$(jq -s 'map(select(.total | not) | .rows) | add' "$TL_TMP/parquet-check.log") sent ids in Parquet once each;" \
	"$ring_ticks ticks in the ring and in Parquet"
