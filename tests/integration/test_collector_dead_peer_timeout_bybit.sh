#!/usr/bin/env bash
# A silent Bybit server (nothing sent, nothing read) is a dead peer after
# dead_peer_timeout_ms; a feed whose market data stops while control frames
# still flow is a stall after no_data_timeout_ms: two reasons, each its own.
set -u
source "${SPREADBUS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/collector_test.sh"

tl_dead_peer_scenario bybit
tl_collector_stop
tl_fakex_stop
tl_pass
