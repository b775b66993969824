#!/usr/bin/env bash
# live_change_scenario (live_symbols_lib.sh) on deribit: 100 symbols added and
# 50 removed live by its subscribe and unsubscribe messages, no update lost.
. "$(dirname "$0")/supervisor_lib.sh"
LIVE_CHANGE_TEST=1 source "$SV_SRC/tests/integration/live_symbols_lib.sh"
live_change_scenario deribit
