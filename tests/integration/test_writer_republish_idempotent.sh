#!/usr/bin/env bash
# Publishing is idempotent: a journal segment whose files were already
# published (as when the writer dies between the rename and the removal of
# the segment) is recovered again without writing any row twice.
source "$(dirname "$0")/writer_lib.sh"
need_readers
EX="binance:BTC-USDT,ETH-USDT"
write_config "$EX" "row_group_rows=500"
bus_create
start_writer
feed_and_kill 3000 binance
seg=$(open_segment binance)
cp "$seg" "$T/segment.copy"

start_writer
tl_wait_for 10 "writer caught up" writer_caught_up
stop_writer 2
[ "$(find "$DATA" -name '*.parquet' | wc -l)" = 3 ] || tl_fail "expected 3 files after the first stop"
sums=$(find "$DATA" -name '*.parquet' -exec sha256sum {} + | sort)

# Bring the segment back, as if its removal had never happened.
cp "$T/segment.copy" "$seg"
start_writer
tl_wait_for 10 "writer caught up" writer_caught_up
stop_writer 2
grep -q "already published before a restart, kept" "$T/writer.log" || tl_fail "the existing files were not recognised"
[ "$(find "$DATA" -name '*.parquet' -exec sha256sum {} + | sort)" = "$sums" ] || tl_fail "published files changed"
[ ! -e "$seg" ] || tl_fail "the recovered segment was not removed"
spec_json 3000 1767225600000000000 1000003 0 "$EX" >"$T/spec.json"
check_parquet seqs "$T/spec.json"
echo PASS
