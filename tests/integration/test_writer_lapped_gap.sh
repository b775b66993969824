#!/usr/bin/env bash
# A writer that falls a whole ring behind (here: stopped with SIGSTOP while
# 5000 ticks go through a 1024-tick ring) loses ticks, but never silently.
# What it must lose follows from the test's own numbers: it stopped at
# bus_seq 0 and resumes with the ring holding only the newest CAPACITY
# ticks, so bus_seq 0..FED-CAPACITY-1 are gone. ticks_lost_total, the log
# line and a reader_lapped gap row must say exactly that, and the Parquet
# files hold every tick after it.
source "$(dirname "$0")/writer_lib.sh"
need_readers
EX="binance:BTC-USDT,ETH-USDT"
RING_CAPACITY=1024
FED=5000
LOST=$((FED - RING_CAPACITY))
write_config "$EX" "row_group_rows=500"
bus_create
start_writer
tl_wait_for 5 "writer running" writer_state_is running
tl_wait_for 5 "writer's slot on the binance ring" writer_durable binance
read -r cursor head < <(ring_cursor_and_head binance)
tl_assert_eq "writer cursor and ring head before the feed" "0 0" "$cursor $head"
kill -STOP "$WRITER_PID"
feed "$FED"
read -r cursor head < <(ring_cursor_and_head binance)
tl_assert_eq "writer cursor and ring head while it is stopped" "0 $FED" "$cursor $head"
kill -CONT "$WRITER_PID"
tl_wait_for 10 "writer caught up" writer_caught_up
stop_writer 2
tl_assert_eq "ticks_lost_total" "$LOST" "$(writer_status ticks_lost_total)"
# the ticks the ring still held, and the one gap row for the lost ones
tl_assert_eq "rows_written_total" $((RING_CAPACITY + 1)) "$(writer_status rows_written_total)"
grep -q "writer was lapped: $LOST ticks lost (bus_seq 0\.\.$((LOST - 1)))" "$T/writer.log" ||
	tl_fail "no log line for the loss of bus_seq 0..$((LOST - 1))"
spec=$(spec_json "$FED" 1767225600000000000 1000003 0 "$EX")
echo "${spec%\}}, \"allow_lapped\": true, \"expect_lost\": {\"binance\": $LOST}}" >"$T/spec.json"
check_parquet seqs "$T/spec.json"
tl_pass "lost exactly bus_seq 0..$((LOST - 1)) ($LOST = $FED fed - $RING_CAPACITY ring), recorded the rest"
