#!/usr/bin/env bash
# A live symbol change on binance, bybit and okx at once
# (live_change_scenario in live_symbols_lib.sh): 100 symbols added and 50
# removed out of 150 on a running service, same pid, no gap marker, no
# update lost for the symbols that stay; then 20 SIGHUPs give one reload
# that empties and closes a connection.
. "$(dirname "$0")/supervisor_lib.sh"
LIVE_CHANGE_TEST=1 source "$SV_SRC/tests/integration/live_symbols_lib.sh"
live_change_scenario binance bybit okx
