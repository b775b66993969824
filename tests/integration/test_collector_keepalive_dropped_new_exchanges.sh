#!/usr/bin/env bash
# tl_keepalive_dropped_scenario for every adapter added after binance,
# bybit and okx, several at a time (tests/lib/keepalive_scenario.sh).
set -u
source "${SPREADBUS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/collector_test.sh"

tl_each_new_exchange "$@"
tl_keepalive_dropped_scenario "$TL_EACH_EX"
tl_collector_stop
tl_fakex_stop
tl_pass
