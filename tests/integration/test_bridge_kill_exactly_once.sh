#!/usr/bin/env bash
# Exactly once across crashes: while ticks stream into the edge rings, the
# exporter and the importer are SIGKILLed at random instants (each at least
# 10 times) and restarted. The centre's rings must then hold every edge
# tick once, in order, with no gap but the one where the import began; and
# the centre's writer must have recorded each of them once in Parquet
# (DuckDB read-back: centre bus_seq k + 1 is edge bus_seq k, as the ring
# comparison proves).
source "$(dirname "$0")/bridge_lib.sh"
TICKS=${BRIDGE_KILL_TICKS:-150000}
RATE=${BRIDGE_KILL_RATE:-15000}
MIN_KILLS=${BRIDGE_KILL_KILLS:-10}
tl_nats_start nats
# Rings larger than the run: nothing is lapped, so nothing may be missing.
READERS=$TL_SRC/tests/parquet_readers
[ -d "$READERS/node_modules/@duckdb/node-api" ] || tl_fail "Parquet readers are not installed: run 'make deps'"
bridge_configs "${NATS_URL[nats]}" edge:service.ring_capacity=262144 centre:service.ring_capacity=262144 \
	edge:bridge.out.batch_ticks=64 centre:writer.enabled=true "centre:writer.data_dir=$T/data" \
	"centre:writer.journal_dir=$T/journal"
tl_spawn writer "$BIN/spreadbus-writer" --config "$CENTRE_CFG"
start_exporter
start_importer
start_feed "$TICKS" "$RATE"

exporter_kills=0
importer_kills=0
while tl_alive feed || ((exporter_kills < MIN_KILLS || importer_kills < MIN_KILLS)); do
	sleep "0.$((RANDOM % 5 + 1))"
	if ((RANDOM % 2)); then
		kill_exporter
		exporter_kills=$((exporter_kills + 1))
		start_exporter
	else
		kill_importer
		importer_kills=$((importer_kills + 1))
		start_importer
	fi
done
tl_reap feed 5
tl_assert_eq "feed exit status" 0 "${TL_EXIT[feed]}"
echo "exporter killed $exporter_kills times, importer $importer_kills times, while $TICKS ticks per ring were fed"

tl_wait_for 60 "the centre holds every edge tick" centre_has 1
compare_rings
for r in $RINGS; do
	tl_assert_eq "ring $r: importer collector_start gaps" 1 "$(importer_gaps "$r" collector_start)"
	tl_assert_eq "ring $r: importer reader_lapped gaps" 0 "$(importer_gaps "$r" reader_lapped)"
	tl_assert_eq "ring $r: centre head" $((TICKS + 1)) "$(ring_head "$CENTRE_CFG" "$r")"
done
echo "ticks the importer dropped as already appended: $(importer_metric duplicates_total)"

tl_stop writer TERM 30
tl_assert_eq "centre writer exit status" 0 "${TL_EXIT[writer]}"
check_centre_parquet "$TICKS"
tl_pass "every tick once after $((exporter_kills + importer_kills)) kills"
