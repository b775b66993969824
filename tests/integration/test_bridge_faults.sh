#!/usr/bin/env bash
# Faults give a clear status and a retry, never a crash: an importer whose
# stream does not exist yet, an exporter refused by the server's token
# auth, and an exporter whose stream has other settings than its config.
# Each stays up, DEGRADED, with the reason in its status block; the
# importer recovers by itself once a good exporter made the stream.
source "$(dirname "$0")/bridge_lib.sh"
tl_nats_start nats --auth s3cret
url=${NATS_URL[nats]}
bridge_configs "$url" edge:bridge.out.token=wrong centre:bridge.in.token=s3cret centre:bridge.in.retry_max_ms=500 \
	edge:bridge.good.mode=export "edge:bridge.good.urls=$url" edge:bridge.good.token=s3cret \
	edge:bridge.bad.mode=export "edge:bridge.bad.urls=$url" edge:bridge.bad.token=s3cret edge:bridge.bad.storage=memory

detail() { tl_bus_field "$1" "$2" .detail; }
detail_has() { [[ $(detail "$1" "$2") == *"$3"* ]]; }
state_is() { [[ $(tl_bus_field "$1" "$2" .state) == "$3" ]]; }

start_importer
tl_wait_for 10 "importer: stream missing" detail_has "$CENTRE_CFG" bridge.in "does not exist"
state_is "$CENTRE_CFG" bridge.in degraded || tl_fail "importer not degraded without its stream"
echo "importer, no stream: $(detail "$CENTRE_CFG" bridge.in)"

start_exporter # token "wrong"
tl_wait_for 10 "exporter: authentication refused" detail_has "$EDGE_CFG" bridge.out "authentication"
echo "exporter, wrong token: $(detail "$EDGE_CFG" bridge.out)"
tl_holds 2 "the exporter with the wrong token keeps running" tl_alive exporter
grep -c "authentication" "$T/exporter.log" | grep -qx 1 || tl_fail "the same auth error logged more than once"

tl_spawn good "$BIN/spreadbus-bridge" --config "$EDGE_CFG" --name good
tl_wait_for 10 "good exporter running" state_is "$EDGE_CFG" bridge.good running
tl_wait_for 10 "importer recovered once the stream exists" state_is "$CENTRE_CFG" bridge.in running

tl_spawn bad "$BIN/spreadbus-bridge" --config "$EDGE_CFG" --name bad # storage = memory
tl_wait_for 10 "exporter: wrong stream settings" detail_has "$EDGE_CFG" bridge.bad "configured memory"
echo "exporter, memory storage against a file stream: $(detail "$EDGE_CFG" bridge.bad)"
tl_holds 1 "the exporter with wrong stream settings keeps running" tl_alive bad

start_feed 2000 0
tl_reap feed 10
tl_wait_for 20 "the centre holds every edge tick" centre_has 1
compare_rings
for p in exporter good bad importer; do
	tl_stop "$p" TERM
	tl_assert_eq "$p exit status" 0 "${TL_EXIT[$p]}"
done
tl_pass
