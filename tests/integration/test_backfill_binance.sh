#!/usr/bin/env bash
# Binance: a hole in the trade feed is filled from /api/v3/historicalTrades
# (backfill_lib.sh).
source "$(dirname "$0")/backfill_lib.sh"
bf_scenario binance repaired
tl_pass "$BF_SUMMARY"
