#!/usr/bin/env bash
# Binance: connection-lifetime replacements and a shutdown notice lose
# nothing: no gap marker, every id the fake exchange sent is in the ring.
set -u
source "${SPREADBUS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/collector_test.sh"

tl_planned_reconnect_scenario binance
tl_collector_stop
tl_fakex_stop
tl_pass
