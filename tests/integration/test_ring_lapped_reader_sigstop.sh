#!/usr/bin/env bash
# A reader process stopped with SIGSTOP while the producer laps it reports
# exactly how many records it lost, then reads the rest correctly.
set -euo pipefail
BIN=${SPREADBUS_BIN:?}
RS=$BIN/spreadbus-ringstress
. "$(dirname "${BASH_SOURCE[0]}")/../tools/ring_test_lib.sh"
CAP=4096
FIRST=1000                 # read before the stop
MORE=$((3 * CAP + 123))    # published while stopped
TOTAL=$((FIRST + MORE))
RING=/spreadbus.ringlap$$.stress
tmp=$(mktemp -d)
pids=()
trap ring_cleanup EXIT

"$RS" create "$RING" $CAP
"$RS" read "$RING" --reader slow --from 0 --count $TOTAL --allow-lost >"$tmp/out" 2>"$tmp/err" &
pids=($!)
reader=$!
ring_wait_cursor "$RING" slow 0
"$RS" produce "$RING" --count $FIRST
ring_wait_cursor "$RING" slow $FIRST
kill -STOP "$reader"
"$RS" produce "$RING" --count $TOTAL
kill -CONT "$reader"
wait "$reader" || { echo "reader failed:"; cat "$tmp/err"; exit 1; }
pids=()
out=$(cat "$tmp/out")
echo "reader: $out"
lost=$((MORE - CAP))
[ "$out" = "read=$((FIRST + CAP)) lost=$lost next=$TOTAL" ] || { echo "expected lost=$lost"; exit 1; }
[ "$("$RS" cursor "$RING" slow)" = "$TOTAL $lost" ] || { echo "slot does not show lost_total $lost"; exit 1; }
echo "ok: lapped reader lost exactly $lost and continued"
