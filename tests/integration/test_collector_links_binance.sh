#!/usr/bin/env bash
# 330 Binance symbols at most 110 to a connection (three connections, each
# subscribing by SUBSCRIBE messages on /ws): every symbol streams; a dropped
# socket costs only its own connection's symbols a gap; no connection gets
# more than 5 messages in a second.
set -u
source "${SPREADBUS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/collector_test.sh"

TL_COLLECTOR_URL_PATH=/ws
tl_links_scenario binance 330 110
tl_collector_stop
tl_fakex_stop
tl_pass
