#!/usr/bin/env bash
# SIGTERM with a backlog: 2 x 100000 ticks wait in the rings when the
# writer is told to stop; it drains both rings to their heads, publishes
# the files and exits 0 within 2 s, with every tick recorded once.
source "$(dirname "$0")/writer_lib.sh"
need_readers
EX="binance:BTC-USDT,ETH-USDT okx:BTC-USDT"
RING_CAPACITY=262144
write_config "$EX"
bus_create
start_writer
tl_wait_for 5 "writer running" writer_state_is running
kill -STOP "$WRITER_PID"
feed 100000
kill -CONT "$WRITER_PID"
stop_writer 2
grep -q "stop deadline reached" "$T/writer.log" && tl_fail "the drain ran out of time"
[ "$(writer_status rows_written_total)" = 200000 ] || tl_fail "rows_written_total $(writer_status rows_written_total)"
[ "$(writer_status state)" = exited ] || tl_fail "state $(writer_status state) after stop"
spec_json 100000 1767225600000000000 1000003 0 "$EX" >"$T/spec.json"
check_parquet seqs "$T/spec.json"
echo PASS
