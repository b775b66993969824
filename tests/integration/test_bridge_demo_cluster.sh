#!/usr/bin/env bash
# make demo-cluster: for 15 s, the centre shows spreads computed from the
# edge's ticks through the three-node NATS cluster, then everything stops
# with no process or shared-memory segment left. Holds the demo's fixed
# ports (9380-9382, 14222-14224, 16222-16224): release only, like make demo.
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/nats.sh"
tl_init
tl_nats_need
tl_need_bins spreadbus spreadbus-bridge spreadbus-fakex spreadbus-gateway
tl_spawn demo env DEMO_DIR="$TL_TMP/demo" DEMO_SECONDS=15 SPREADBUS_BIN="$TL_BIN" SPREADBUS_SRC="$TL_SRC" \
	"$TL_SRC/deploy/demo_cluster.sh"
tl_reap demo 90
tl_assert_eq "demo exit status" 0 "${TL_EXIT[demo]}"
grep -q 'spread .* bps' "$TL_TMP/demo.log" || tl_fail "no spread shown by the centre"
grep -q 'demo-cluster: stopped' "$TL_TMP/demo.log" || tl_fail "the demo did not stop cleanly"
! compgen -G '/dev/shm/spreadbus.demo-edge.*' >/dev/null && ! compgen -G '/dev/shm/spreadbus.demo-centre.*' >/dev/null ||
	tl_fail "segments left behind"
! pgrep -f -- "$TL_TMP/demo" >/dev/null || tl_fail "processes left behind: $(pgrep -fa -- "$TL_TMP/demo")"
tl_pass "$(grep -c 'spread .* bps' "$TL_TMP/demo.log") spread lines from the centre"
