#!/usr/bin/env bash
# 90 OKX symbols at most 30 to a connection (three connections): every
# symbol streams; a dropped socket costs only its own connection's symbols a
# gap; no more than 3 connection requests in a second.
set -u
source "${SPREADBUS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/collector_test.sh"

tl_links_scenario okx 90 30
tl_collector_stop
tl_fakex_stop
tl_pass
