#!/usr/bin/env bash
# A ring recreated under a journal (as after a reboot: bus_seq restarts at
# 0) is told apart by its creation time: the old ring's journaled ticks are
# published under the old generation, the new ring's under the new one,
# and no file name collides.
source "$(dirname "$0")/writer_lib.sh"
need_readers
EX="binance:BTC-USDT,ETH-USDT"
write_config "$EX" "row_group_rows=500"
bus_create
start_writer
feed_and_kill 3000 binance
ls "$DATA"/*/date=*/exchange=binance/*.parquet 2>/dev/null && tl_fail "files published before any cut"

tl_bus_unlink "$CFG"
bus_create
feed 2000
start_writer
tl_wait_for 10 "writer caught up" writer_caught_up
stop_writer 2
grep -q "belongs to an earlier ring" "$T/writer.log" || { cat "$T/writer.log"; tl_fail "no log line about the recreated ring"; }
(cd "$READERS" && node check.mjs generations "$DATA" -) >"$T/gens.txt"
cat "$T/gens.txt"
[ "$(wc -l <"$T/gens.txt")" = 2 ] || tl_fail "expected two ring generations"
head -1 "$T/gens.txt" | grep -q '"n":3000,"distinct":3000,"lo":0,"hi":2999' || tl_fail "old ring's ticks not all there once"
tail -1 "$T/gens.txt" | grep -q '"n":2000,"distinct":2000,"lo":0,"hi":1999' || tl_fail "new ring's ticks not all there once"
echo PASS
