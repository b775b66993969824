#!/usr/bin/env bash
# A hole only partly recoverable: the fake OKX history keeps only each
# symbol's 200 newest trades (--history-depth), so of a 5 s hole (about 500
# ids) the pages walking down from its end recover the newest part and
# then find nothing older. Each hole must end partly_repaired with
# recovered + lost = the hole the server skipped, exactly the recovered
# trades in the ring (the hole's newest), exactly lost ids lacking, and the
# same counts in the Parquet gaps (backfill_lib.sh).
source "$(dirname "$0")/backfill_lib.sh"
bf_scenario okx partly_repaired --history-depth 200
tl_pass "$BF_SUMMARY"
