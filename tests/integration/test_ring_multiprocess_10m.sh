#!/usr/bin/env bash
# One producer process and two reader processes over a real ring segment:
# 10 million checksummed records, each verified in order by both readers.
set -euo pipefail
BIN=${SPREADBUS_BIN:?}
RS=$BIN/spreadbus-ringstress
. "$(dirname "${BASH_SOURCE[0]}")/../tools/ring_test_lib.sh"
COUNT=10000000
CAP=65536
RING=/spreadbus.ringmp$$.stress
tmp=$(mktemp -d)
pids=()
trap ring_cleanup EXIT

"$RS" create "$RING" $CAP
for r in a b; do
	"$RS" read "$RING" --reader $r --from 0 --count $COUNT >"$tmp/$r.out" 2>"$tmp/$r.err" &
	pids+=($!)
done
ring_wait_slots "$RING" a b
# The producer keeps within half a ring of the slowest reader, so a correct
# ring loses nothing and any loss or torn record fails the readers.
"$RS" produce "$RING" --count $COUNT --batch 32 --max-ahead $((CAP / 2))
ring_wait_readers "$tmp" "${pids[@]}"
pids=()
ring_expect "$tmp" "read=$COUNT lost=0 next=$COUNT" a b
[ "$("$RS" head "$RING")" = $COUNT ] || { echo "head is not $COUNT"; exit 1; }
echo "ok: $COUNT records verified by 2 readers"
