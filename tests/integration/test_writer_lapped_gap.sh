#!/usr/bin/env bash
# A writer that falls a whole ring behind (here: stopped with SIGSTOP while
# 5000 ticks go through a 1024-tick ring) loses ticks, but never silently:
# ticks_lost_total counts them and a reader_lapped gap row records exactly
# which bus_seq range is missing.
source "$(dirname "$0")/writer_lib.sh"
need_readers
EX="binance:BTC-USDT,ETH-USDT"
RING_CAPACITY=1024
write_config "$EX" "row_group_rows = 500"
bus_create
start_writer
wait_until 5 "writer running" writer_state_is running
kill -STOP "$WRITER_PID"
"$BIN/spreadbus-writer-feed" --config "$CFG" --ticks 5000 >/dev/null
kill -CONT "$WRITER_PID"
wait_until 10 "writer caught up" writer_caught_up
stop_writer 2
lost=$(writer_status ticks_lost_total)
echo "ticks_lost_total=$lost"
[ "$lost" -gt 0 ] && [ "$lost" -le $((5000 - 1024)) ] || die "ticks_lost_total $lost, expected 1..3976"
grep -q "writer was lapped: $lost ticks lost (bus_seq 0\.\.$((lost - 1)))" "$T/writer.log" || die "no log line for the loss"
spec=$(spec_json 5000 1767225600000000000 1000003 0 "$EX")
echo "${spec%\}}, \"allow_lapped\": true, \"expect_lost\": {\"binance\": $lost}}" >"$T/spec.json"
check_parquet seqs "$T/spec.json"
echo PASS
