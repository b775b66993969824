#!/usr/bin/env bash
# tl_links_scenario for every adapter added after binance, bybit and okx,
# several at a time: 90 symbols at most 30 to a connection; a dropped
# socket costs only its own connection's symbols a gap; each exchange's
# documented limits kept (tl_links_<exchange>_limits).
set -u
source "${SPREADBUS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/collector_test.sh"

tl_each_new_exchange "$@"
tl_links_scenario "$TL_EACH_EX" 90 30
tl_collector_stop
tl_fakex_stop
tl_pass
