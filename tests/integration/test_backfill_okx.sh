#!/usr/bin/env bash
# OKX: a hole in the trade feed is filled from /api/v5/market/history-trades
# (backfill_lib.sh).
source "$(dirname "$0")/backfill_lib.sh"
bf_scenario okx repaired
tl_pass "$BF_SUMMARY"
