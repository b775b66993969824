#!/usr/bin/env bash
# 60 Bybit symbols at most 20 to a connection (three connections, four
# subscribe requests each): every symbol streams; a dropped socket costs
# only its own connection's symbols a gap; no request has more than 10 args.
set -u
source "${SPREADBUS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/collector_test.sh"

tl_links_scenario bybit 60 20
tl_collector_stop
tl_fakex_stop
tl_pass
