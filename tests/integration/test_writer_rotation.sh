#!/usr/bin/env bash
# Files rotate by time (rotate_s) and by size (rotate_bytes), each file
# set covering a bus_seq range that its name states, and the rows stay
# exactly once across all of them.
source "$(dirname "$0")/writer_lib.sh"
need_readers
EX="binance:BTC-USDT,ETH-USDT,SOL-USDT"

# Time: 1 s files while ticks trickle in for about 3 s.
write_config "$EX" "row_group_rows=100" "rotate_s=1"
bus_create
start_writer
feed 3000 --rate 1000
tl_wait_for 10 "writer caught up" writer_caught_up
stop_writer 2
by_time=$(grep -c "published: .*(rotate_s)" "$T/writer.log" || true)
[ "$by_time" -ge 2 ] || { cat "$T/writer.log"; tl_fail "only $by_time time rotations in 3 s with rotate_s = 1"; }
spec_json 3000 1767225600000000000 1000003 0 "$EX" >"$T/spec.json"
check_parquet values "$T/spec.json"

# Size: 200-row groups, files closed once one passes 8 KB.
tl_bus_unlink "$CFG"
rm -rf "$T/state"
: >"$T/writer.log"
INST=${INST}s
write_config "$EX" "row_group_rows=200" "rotate_bytes=8000"
bus_create
start_writer
feed 6000
tl_wait_for 10 "writer caught up" writer_caught_up
stop_writer 2
by_size=$(grep -c "published: .*(rotate_bytes)" "$T/writer.log" || true)
[ "$by_size" -ge 3 ] || tl_fail "only $by_size size rotations"
for f in $(find "$DATA/quotes" -name 'part-*.parquet'); do
	[ "$(stat -c %s "$f")" -lt 20000 ] || tl_fail "$f is $(stat -c %s "$f") bytes with rotate_bytes = 8000"
done
# The names tile the range: each set starts where the previous one ended.
prev=-1
for name in $(find "$DATA" -name 'part-*.parquet' -printf '%f\n' | sort -u); do
	first=$((10#$(echo "$name" | cut -d- -f3)))
	last=$((10#$(echo "$name" | cut -d- -f4 | cut -d. -f1)))
	[ $first = $((prev + 1)) ] || tl_fail "file set $name does not start after bus_seq $prev"
	prev=$last
done
[ $prev = 5999 ] || tl_fail "the last file set ends at $prev"
spec_json 6000 1767225600000000000 1000003 0 "$EX" >"$T/spec.json"
check_parquet values "$T/spec.json"
echo "time rotations: $by_time, size rotations: $by_size"
echo PASS
