#!/usr/bin/env bash
# tl_dead_peer_scenario for every adapter added after binance, bybit and
# okx, several at a time: a silent server is a dead peer, a feed whose
# market data stops while control frames flow is a stall.
set -u
source "${SPREADBUS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/collector_test.sh"

tl_each_new_exchange "$@"
tl_dead_peer_scenario "$TL_EACH_EX"
tl_collector_stop
tl_fakex_stop
tl_pass
