#!/usr/bin/env bash
# The producer is killed with SIGKILL at random moments 60 times while it
# streams, and restarted each time (ring_producer_open). Two readers verify
# that the sequence stays contiguous: no torn, lost or duplicated record.
set -euo pipefail
source "${SPREADBUS_SRC:-$(dirname "$0")/../..}/tests/lib/common.sh"
tl_init
tl_need_bins spreadbus-ringstress
RS=$TL_BIN/spreadbus-ringstress
. "$TL_SRC/tests/tools/ring_test_lib.sh"
CAP=65536
KILLS=${KILLS:-60}
RING=/spreadbus.ringcrash$$.stress
tmp=$TL_TMP
pids=()
prod=
tl_cleanup ring_cleanup

"$RS" create "$RING" $CAP
for r in a b; do
	"$RS" read "$RING" --reader $r --from 0 >"$tmp/$r.out" 2>"$tmp/$r.err" &
	pids+=($!)
done
ring_wait_slots "$RING" a b

ring_head() { "$RS" head "$RING"; }
last=0
for ((k = 1; k <= KILLS; k++)); do
	"$RS" produce "$RING" --batch $((RANDOM % 64 + 1)) --max-ahead $((CAP / 2)) 2>>"$tmp/producer.err" &
	prod=$!
	# Once it publishes (start-up is slower under ASan or a loaded machine,
	# and readers far behind hold it back), a random moment 0-30 ms later:
	# while it is publishing.
	tl_wait_for 10 "producer $k publishing" tl_at_least $((last + 1)) ring_head
	sleep "$(printf '0.%03d' $((RANDOM % 30)))"
	kill -9 "$prod" 2>/dev/null || true
	wait "$prod" 2>/dev/null || true
	prod=
	last=$(ring_head)
	for p in "${pids[@]}"; do
		kill -0 "$p" 2>/dev/null || { echo "a reader died after kill $k:"; cat "$tmp"/*.err; exit 1; }
	done
done
echo "$KILLS kills, each while the producer was publishing, head=$last"
echo "recoveries of complete records past head: $(grep -c recovered "$tmp/producer.err" || true)"

# A last producer runs to completion, then the readers drain and stop.
final=$((last + 100000))
"$RS" produce "$RING" --count $final --max-ahead $((CAP / 2)) 2>>"$tmp/producer.err"
kill -TERM "${pids[@]}"
ring_wait_readers "$tmp" "${pids[@]}"
pids=()
ring_expect "$tmp" "read=$final lost=0 next=$final" a b
echo "ok: contiguous through $KILLS producer kills"
