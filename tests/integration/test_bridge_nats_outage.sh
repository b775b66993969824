#!/usr/bin/env bash
# NATS down for a while: the exporter's ring lag grows and its status says
# why, both bridges keep running (no crash loop); when the server is back
# (same port, same file store) the lag drains and the centre holds every
# edge tick once.
source "$(dirname "$0")/bridge_lib.sh"
TICKS=${BRIDGE_OUTAGE_TICKS:-150000}
RATE=${BRIDGE_OUTAGE_RATE:-5000}
DOWN_S=${BRIDGE_OUTAGE_S:-20}
tl_nats_start nats
bridge_configs "${NATS_URL[nats]}" edge:service.ring_capacity=262144 centre:service.ring_capacity=262144 \
	edge:bridge.out.retry_max_ms=1000 centre:bridge.in.retry_max_ms=1000
start_exporter
start_importer
start_feed "$TICKS" "$RATE"
tl_wait_for 20 "ticks flowing to the centre" tl_at_least 1000 importer_metric ticks_published_total
exporter_pid=${TL_PID[exporter]}
importer_pid=${TL_PID[importer]}

tl_nats_stop nats
tl_wait_for 20 "the exporter reports the outage" exporter_degraded
lag_at_start=$(exporter_metric read_lag_ticks)
sleep "$DOWN_S" # the outage itself: ticks keep coming, nothing can leave
lag_at_end=$(exporter_metric read_lag_ticks)
tl_assert_ge "exporter lag grown during the outage" $((lag_at_start + RATE * DOWN_S / 2)) "$lag_at_end"
echo "exporter during the outage: $(tl_bus_field "$EDGE_CFG" bridge.out .detail); lag $lag_at_start -> $lag_at_end"
echo "importer during the outage: $(tl_bus_field "$CENTRE_CFG" bridge.in .detail)"
[[ $(tl_bus_field "$CENTRE_CFG" bridge.in .state) == degraded ]] || tl_fail "importer not degraded during the outage"

tl_nats_restart nats
tl_reap feed 60
tl_wait_for 60 "the centre holds every edge tick" centre_has 1
tl_wait_for 20 "the exporter lag drained" exporter_lag_is 0
tl_assert_eq "exporter pid (never restarted)" "$exporter_pid" "${TL_PID[exporter]}"
tl_alive exporter || tl_fail "the exporter died"
tl_alive importer || tl_fail "the importer died"
tl_assert_eq "importer pid (never restarted)" "$importer_pid" "${TL_PID[importer]}"
compare_rings
for r in $RINGS; do
	tl_assert_eq "ring $r: importer reader_lapped gaps" 0 "$(importer_gaps "$r" reader_lapped)"
done
tl_wait_for 10 "the exporter running again" exporter_running
tl_wait_for 10 "the importer running again" importer_running
tl_pass "lag $lag_at_end at the end of a ${DOWN_S} s outage, drained, nothing lost"
