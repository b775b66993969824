#!/usr/bin/env bash
# Exactly once through a three-node JetStream cluster (R3, file storage):
# while ticks stream into the edge rings, the test SIGKILLs at random
# instants the exporter and the importer (each at least 10 times) and one
# NATS server at a time (3 times, restarted on the same port and store).
# The centre's rings must then hold every edge tick once, in order, and
# its writer's Parquet every bus_seq once (DuckDB read-back).
source "$(dirname "$0")/bridge_lib.sh"
TICKS=${BRIDGE_CLUSTER_TICKS:-200000}
RATE=${BRIDGE_CLUSTER_RATE:-4000}
MIN_KILLS=${BRIDGE_CLUSTER_KILLS:-10}
NODE_KILLS=${BRIDGE_CLUSTER_NODE_KILLS:-3}
tl_nats_cluster_start c
READERS=$TL_SRC/tests/parquet_readers
[ -d "$READERS/node_modules/@duckdb/node-api" ] || tl_fail "Parquet readers are not installed: run 'make deps'"
bridge_configs "$NATS_URLS" edge:service.ring_capacity=524288 centre:service.ring_capacity=524288 \
	edge:bridge.out.replicas=3 edge:bridge.out.batch_ticks=64 \
	edge:bridge.out.retry_max_ms=1000 centre:bridge.in.retry_max_ms=1000 \
	centre:writer.enabled=true "centre:writer.data_dir=$T/data" "centre:writer.journal_dir=$T/journal"
tl_spawn writer "$BIN/spreadbus-writer" --config "$CENTRE_CFG"
start_exporter
start_importer
start_feed "$TICKS" "$RATE"
tl_wait_for 30 "ticks flowing to the centre" tl_at_least 100 importer_metric ticks_published_total

exporter_kills=0
importer_kills=0
node_kills=0
while tl_alive feed || ((exporter_kills < MIN_KILLS || importer_kills < MIN_KILLS || node_kills < NODE_KILLS)); do
	sleep "0.$((RANDOM % 9 + 1))"
	case $((RANDOM % 7)) in
	0)
		if ((node_kills < NODE_KILLS)); then
			node=c$((RANDOM % 3 + 1))
			tl_stop "$node" KILL
			node_kills=$((node_kills + 1))
			sleep "1.$((RANDOM % 9))"
			tl_nats_restart "$node"
		fi
		;;
	1 | 2 | 3)
		kill_exporter
		exporter_kills=$((exporter_kills + 1))
		start_exporter
		;;
	*)
		kill_importer
		importer_kills=$((importer_kills + 1))
		start_importer
		;;
	esac
done
tl_reap feed 5
tl_assert_eq "feed exit status" 0 "${TL_EXIT[feed]}"
echo "killed: exporter $exporter_kills, importer $importer_kills, NATS servers $node_kills times; $TICKS ticks per ring"

tl_wait_for 120 "the centre holds every edge tick" centre_has 1
compare_rings
for r in $RINGS; do
	tl_assert_eq "ring $r: importer collector_start gaps" 1 "$(importer_gaps "$r" collector_start)"
	tl_assert_eq "ring $r: importer reader_lapped gaps" 0 "$(importer_gaps "$r" reader_lapped)"
done
echo "ticks the importer dropped as already appended: $(importer_metric duplicates_total)"
tl_stop writer TERM 30
tl_assert_eq "centre writer exit status" 0 "${TL_EXIT[writer]}"
check_centre_parquet "$TICKS"
tl_pass "every tick once through an R3 cluster"
