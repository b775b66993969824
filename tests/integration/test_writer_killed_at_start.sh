#!/usr/bin/env bash
# A writer killed while it starts (after claiming its reader slot, before
# its first durable commit) must not skip the ticks the collectors
# published before it ever ran: they are in the ring, so they are recorded.
# The writer is started on a full ring and SIGKILLed after 0, 1, 2 ... ms.
source "$(dirname "$0")/writer_lib.sh"
need_readers
EX="binance:BTC-USDT okx:BTC-USDT,ETH-USDT"
TICKS=5000
write_config "$EX"
bus_create
feed "$TICKS"
# The kill moments are the point (0 to 40 ms into the start), not waits.
for ms in $(seq 0 40); do
	start_writer
	sleep "$(printf '0.%03d' "$ms")"
	kill_writer
done
# Only kills that come after the slot is claimed can lose anything: some must.
for ex in binance okx; do
	read -r cursor head < <(ring_cursor_and_head "$ex")
	[ "$cursor" != - ] || tl_fail "no kill came after the writer claimed its $ex slot: the test proved nothing"
	echo "$ex: writer slot at $cursor of $head after the kills"
done
start_writer
tl_wait_for 20 "writer caught up" writer_caught_up
stop_writer 2
spec_json "$TICKS" 0 1 0 "$EX" >"$T/spec.json"
check_parquet seqs "$T/spec.json"
echo PASS
