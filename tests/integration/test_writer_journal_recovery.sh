#!/usr/bin/env bash
# Journal damage: a torn tail (garbage appended, a record cut in half) is
# detected by checksum, truncated with a log line saying how much, and the
# ticks are read again from the ring, so nothing is lost; a journal from
# another layout version stops the writer with a clear error and is left
# byte for byte as it was.
source "$(dirname "$0")/writer_lib.sh"
need_readers
EX="binance:BTC-USDT,ETH-USDT okx:BTC-USDT"
write_config "$EX" "row_group_rows=500"
bus_create
start_writer
feed_and_kill 3000 binance okx

# binance: 100 bytes of garbage after the last record.
head -c 100 /dev/urandom >>"$(open_segment binance)"
# okx: the last record loses its final 40 bytes (its ticks were committed:
# the ring still has them and must give them again).
seg=$(open_segment okx)
truncate -s $(($(stat -c %s "$seg") - 40)) "$seg"

start_writer
tl_wait_for 10 "writer caught up" writer_caught_up
tl_wait_for 10 "okx journaled durably" writer_durable okx
grep -q "journal $JOURNAL/binance/.*torn tail of 100 bytes" "$T/writer.log" || { cat "$T/writer.log"; tl_fail "no log line for binance's torn tail"; }
grep "journal $JOURNAL/okx/.*torn tail of [0-9]* bytes" "$T/writer.log" || tl_fail "no log line for okx's torn tail"
stop_writer 2
spec_json 3000 1767225600000000000 1000003 0 "$EX" >"$T/spec.json"
check_parquet values "$T/spec.json"

# A segment written by another journal layout version.
seg=$(open_segment binance)
printf '\x00\x00\x00\x00' | dd of="$seg" bs=1 seek=8 conv=notrunc status=none
before=$(sha256sum "$seg")
files_before=$(find "$DATA" -type f | sort | sha256sum)
rc=0
timeout 10 "$BIN/spreadbus-writer" --config "$CFG" >"$T/old.log" 2>&1 || rc=$?
cat "$T/old.log"
[ $rc = 1 ] || tl_fail "writer exited $rc on a journal of another layout version, expected 1"
grep -q "another journal layout version" "$T/old.log" || tl_fail "no clear error about the layout version"
grep -q "$seg" "$T/old.log" || tl_fail "the error does not name the segment"
[ "$(sha256sum "$seg")" = "$before" ] || tl_fail "the old journal segment was modified"
[ "$(find "$DATA" -type f | sort | sha256sum)" = "$files_before" ] || tl_fail "output files changed"
echo PASS
