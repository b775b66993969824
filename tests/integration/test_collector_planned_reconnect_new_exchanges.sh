#!/usr/bin/env bash
# tl_planned_reconnect_scenario for every adapter added after binance,
# bybit and okx, several at a time: connection-lifetime replacements (and
# a shutdown notice where the exchange sends one) lose nothing.
set -u
source "${SPREADBUS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/collector_test.sh"

tl_each_new_exchange "$@"
tl_planned_reconnect_scenario "$TL_EACH_EX"
tl_collector_stop
tl_fakex_stop
tl_pass
