#!/usr/bin/env bash
# The okx collector reconnects and resubscribes after the fake exchange
# closes every connection, refuses new ones, stalls, and announces a shutdown:
# every symbol flows again, each outage leaves a gap marker, no duplicates.
set -u
source "${SPREADBUS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/collector_test.sh"

tl_reconnect_scenario okx
summary="$(tl_fakex_stat okx.connections_total) connections, $(tl_ring_gaps) gap markers"
tl_collector_stop
tl_fakex_stop
tl_pass "$summary"
