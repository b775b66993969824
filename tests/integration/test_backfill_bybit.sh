#!/usr/bin/env bash
# Bybit: /v5/market/recent-trade serves only the newest 60 spot trades, so a
# 5 s hole (about 500 trades) is partly repaired: its newest trades are
# recovered, and the record counts exactly those and the rest as lost
# (backfill_lib.sh).
source "$(dirname "$0")/backfill_lib.sh"
bf_scenario bybit partly_repaired
tl_pass "$BF_SUMMARY"
