#!/usr/bin/env bash
# One producer process and two reader processes over a real ring segment:
# 10 million checksummed records, each verified in order by both readers.
set -euo pipefail
BIN=${SPREADBUS_BIN:?}
RS=$BIN/spreadbus-ringstress
COUNT=10000000
CAP=65536
RING=/spreadbus.ringmp$$.stress
tmp=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	"$RS" unlink "$RING" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

wait_for_slot() { # ring reader: poll until the reader's slot exists
	local deadline=$((SECONDS + 20))
	until "$RS" cursor "$RING" "$1" >/dev/null 2>&1; do
		[ $SECONDS -lt $deadline ] || { echo "reader $1 never opened its slot"; exit 1; }
		sleep 0.02
	done
}

"$RS" create "$RING" $CAP
for r in a b; do
	"$RS" read "$RING" --reader $r --from 0 --count $COUNT >"$tmp/$r.out" 2>"$tmp/$r.err" &
	pids+=($!)
done
wait_for_slot a
wait_for_slot b
# The producer keeps within half a ring of the slowest reader, so a correct
# ring loses nothing and any loss or torn record fails the readers.
"$RS" produce "$RING" --count $COUNT --batch 32 --max-ahead $((CAP / 2))
for i in 0 1; do
	if ! wait "${pids[$i]}"; then
		echo "reader $i failed:"; cat "$tmp"/*.err; exit 1
	fi
done
pids=()
for r in a b; do
	out=$(cat "$tmp/$r.out")
	echo "reader $r: $out"
	[ "$out" = "read=$COUNT lost=0 next=$COUNT" ] || { echo "reader $r: unexpected result"; exit 1; }
done
[ "$("$RS" head "$RING")" = $COUNT ] || { echo "head is not $COUNT"; exit 1; }
echo "ok: $COUNT records verified by 2 readers"
