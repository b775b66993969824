#!/usr/bin/env bash
# A live symbol change on binance-usdm (the scenario in live_symbols_lib.sh): 100
# symbols added and 50 removed out of 150 by its subscribe and unsubscribe
# messages, same pid, no gap marker, no update lost for the symbols that
# stay; then 20 SIGHUPs give one reload that empties and closes a connection.
. "$(dirname "$0")/supervisor_lib.sh"
source "$SV_SRC/tests/lib/fakex.sh"
source "$SV_SRC/tests/lib/bus.sh"
source "$SV_SRC/tests/lib/collector.sh"
source "$SV_SRC/tests/lib/reconnect_scenario.sh"
source "$SV_SRC/tests/integration/live_symbols_lib.sh"
tl_need_bins spreadbus-fakex
EXCHANGES=(binance-usdm)
live_change_scenario
