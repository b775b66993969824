#!/usr/bin/env bash
# Export and import between two instances through a real nats-server
# (JetStream, file storage): every tick of the edge rings reaches the
# centre's rings once, in order, with one collector_start gap per ring
# where the import began.
source "$(dirname "$0")/bridge_lib.sh"
TICKS=20000
tl_nats_start nats
bridge_configs "${NATS_URL[nats]}"
start_exporter
start_importer
start_feed "$TICKS" 20000
tl_reap feed 30
tl_assert_eq "feed exit status" 0 "${TL_EXIT[feed]}"
tl_wait_for 30 "the centre holds every edge tick" centre_has 1
compare_rings
for r in $RINGS; do
	tl_assert_eq "ring $r: importer gaps" 1 "$(importer_gaps "$r" collector_start)"
	tl_assert_eq "ring $r: centre head" $((TICKS + 1)) "$(ring_head "$CENTRE_CFG" "$r")"
done
tl_wait_for 10 "exporter committed everything (ring lag 0)" exporter_lag_is 0
tl_stop exporter TERM
tl_stop importer TERM
tl_assert_eq "exporter exit status" 0 "${TL_EXIT[exporter]}"
tl_assert_eq "importer exit status" 0 "${TL_EXIT[importer]}"
tl_pass "$TICKS ticks per ring, each once"
