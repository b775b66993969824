#!/usr/bin/env bash
# Ticks fed into two rings come back, value for value, from DuckDB and
# hyparquet: several row groups, dictionary and zstd pages, statistics,
# nanosecond UTC timestamps, and a file cut at the UTC date change.
source "$(dirname "$0")/writer_lib.sh"
need_readers
EX="binance:BTC-USDT,ETH-USDT,SOL-USDT,XRP-USDT okx:BTC-USDT,ETH-USDT"
write_config "$EX" "row_group_rows=1000"
bus_create
start_writer
tl_wait_for 5 "writer running" writer_state_is running

# 6000 ticks 1 ms apart, starting 3 s before 2026-01-01T00:00:00Z.
BASE=$((1767225600000000000 - 3000000000 + 123))
feed 6000 --ts-base $BASE --ts-step 1000001
tl_wait_for 10 "writer caught up" writer_caught_up
stop_writer 2

[ "$(writer_status rows_written_total)" = 12000 ] || tl_fail "rows_written_total $(writer_status rows_written_total), expected 12000"
[ "$(writer_status ticks_read_total)" = 12000 ] || tl_fail "ticks_read_total $(writer_status ticks_read_total)"
[ "$(writer_status disk_errors_total)" = 0 ] || tl_fail "disk errors"
ls -d "$DATA"/quotes/date=2025-12-31/exchange=binance "$DATA"/quotes/date=2026-01-01/exchange=okx >/dev/null ||
	tl_fail "no file on both sides of the date change"
! find "$DATA" -name '*.tmp' | grep -q . || tl_fail "temporary files left behind"
n_files=$(find "$DATA" -name 'part-*-*.parquet' | wc -l)
[ "$n_files" = 12 ] || tl_fail "expected 12 files (3 datasets x 2 exchanges x 2 dates), found $n_files"

spec_json 6000 $BASE 1000001 12 "$EX" >"$T/spec.json"
check_parquet values "$T/spec.json"
echo PASS
