#!/usr/bin/env bash
# A gap on the edge arrives as a gap: the exporter is SIGSTOPped while the
# edge ring (1024 ticks) is lapped several times over; once it runs again
# it counts the loss, and the centre gets one reader_lapped gap record
# with exactly that many ticks lost, then the edge's ticks that were still
# there, each once.
source "$(dirname "$0")/bridge_lib.sh"
FIRST=500
MORE=5000
tl_nats_start nats
bridge_configs "${NATS_URL[nats]}" edge:service.ring_capacity=1024
start_exporter
start_importer
start_feed "$FIRST" 0
tl_reap feed 10
tl_wait_for 20 "the first $FIRST ticks at the centre" centre_has 1
kill -STOP "${TL_PID[exporter]}"
start_feed "$MORE" 0
tl_reap feed 10
kill -CONT "${TL_PID[exporter]}"
tl_wait_for 20 "the exporter counted its loss" tl_at_least 1 exporter_metric ticks_lost_total
tl_wait_for 20 "the exporter caught up" exporter_lag_is 0
lost=$(exporter_metric ticks_lost_total)
per_ring=$((lost / 2))
echo "exporter lapped: $lost ticks lost over both rings"

# Every feed tick says its bus_seq in its receive time (ts_base + seq x 1000003 ns).
seqs() { jq -r 'select(.ts_recv_ns < 1500000000000000000) | (.ts_recv_ns - 1e18) / 1000003 | round' "$1"; }
for r in $RINGS; do
	tl_wait_for 20 "ring $r complete at the centre" centre_ring_holds "$r" $((FIRST + MORE - per_ring + 2))
	tl_bus_dump "$CENTRE_CFG" "$r" >"$T/centre-all.$r.json"
	tl_assert_eq "ring $r: importer reader_lapped gaps" 1 "$(importer_gaps "$r" reader_lapped)"
	gap_lost=$(jq -r 'select(.kind == "gap" and .reason == "reader_lapped") | .lost' "$T/centre-all.$r.json")
	tl_assert_eq "ring $r: ticks lost in the gap record" "$per_ring" "$gap_lost"
	{ seq 0 $((FIRST - 1)); seq $((FIRST + per_ring)) $((FIRST + MORE - 1)); } >"$T/want.$r"
	seqs "$T/centre-all.$r.json" >"$T/got.$r"
	cmp -s "$T/want.$r" "$T/got.$r" || tl_fail "ring $r: the centre's bus_seqs differ: $(diff "$T/want.$r" "$T/got.$r" | head -3)"
done
tl_pass "$per_ring ticks lost per ring, one gap record each, the rest once"
