#!/usr/bin/env bash
# Exactly once across crashes: 2.1 million ticks stream into three rings
# while the writer is SIGKILLed at random moments (at least 20 times) and
# restarted. DuckDB must then find every bus_seq of every ring exactly once.
source "$(dirname "$0")/writer_lib.sh"
need_readers
EX="binance:BTC-USDT,ETH-USDT okx:BTC-USDT,ETH-USDT,SOL-USDT bybit:BTC-USDT"
TICKS=${WRITER_CRASH_TICKS:-700000}
RATE=${WRITER_CRASH_RATE:-30000}
MIN_KILLS=${WRITER_CRASH_KILLS:-20}
RING_CAPACITY=1048576 # > TICKS: the writer is never lapped, so nothing may be missing
# Small files and row groups, so kills land in every phase: appends,
# row group flushes, cuts, renames, segment switches.
write_config "$EX" "row_group_rows=20000" "rotate_bytes=1000000" "journal_fsync_ms=50"
bus_create
start_writer
tl_spawn feed "$BIN/spreadbus-writer-feed" --config "$CFG" --ticks "$TICKS" --rate "$RATE"

# Kills at random moments (0.1-0.9 s apart), not waits: whatever phase
# the writer is in then is the one the next recovery must handle.
kills=0
while tl_alive feed || [ $kills -lt "$MIN_KILLS" ]; do
	sleep "0.$((RANDOM % 9 + 1))"
	kill_writer
	kills=$((kills + 1))
	start_writer
done
tl_reap feed 1
tl_assert_eq "feed exit status" 0 "${TL_EXIT[feed]}"
echo "writer killed $kills times while $((TICKS * 3)) ticks were fed"

tl_wait_for 120 "writer caught up" writer_caught_up
stop_writer 2
! find "$DATA" -name '*.tmp' | grep -q . || tl_fail "temporary files left behind"
[ "$(writer_status ticks_lost_total)" = 0 ] || tl_fail "ticks lost to lapping: $(writer_status ticks_lost_total)"
echo "recoveries that truncated a torn journal tail: $(grep -c 'torn tail' "$T/writer.log" || true)"
echo "files already published before a crash and kept: $(grep -c 'already published' "$T/writer.log" || true)"
spec_json "$TICKS" 0 1 0 "$EX" >"$T/spec.json"
check_parquet seqs "$T/spec.json"
echo PASS
