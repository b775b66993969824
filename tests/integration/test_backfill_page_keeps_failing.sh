#!/usr/bin/env bash
# A page that keeps failing: the fake OKX REST answers the first two pages
# of the first hole (100 trades each, newest first) and then 500 to the
# next four requests, so the backfill gives the rest of that hole up after
# BACKFILL_ATTEMPTS (4) tries and records it partly_repaired with exactly
# 200 recovered and the rest lost; the other symbol's hole, asked for
# after, is repaired. Counts checked against the server's sent log, the
# ring and the Parquet gaps (backfill_lib.sh).
source "$(dirname "$0")/backfill_lib.sh"
# (path=: the instruments and tickers calls the collector makes meanwhile
# are not counted)
BF_MISBEHAVE='what=500&n=4&after=2&path=/api/v5/market/history-trades' bf_scenario okx "partly_repaired repaired"
jq -e 'map(select(.status == "partly_repaired")) | length == 1 and .[0].recovered == 200' <<<"$BF_HOLES" >/dev/null ||
	tl_fail "the hole whose third page kept failing should have exactly its two pages (200 trades) recovered: $BF_HOLES"
tl_pass "$BF_SUMMARY"
