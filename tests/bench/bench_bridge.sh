#!/usr/bin/env bash
# Bridge throughput and latency, edge ring to centre ring through JetStream
# on this machine: file storage, R1 (one nats-server) and R3 (a three-node
# cluster). Throughput: N market-like ticks waiting in the edge ring, then
# exporter and importer started; timed until the centre ring holds them
# all. Bytes per tick: the stream's stored bytes (payload, subject, headers)
# and the payload alone. Latency: 10k quotes/s for 20 s stamped at publish,
# read at the centre (spreadbus-bridge-latency), p50 and p99.
# Prints BENCH bridge_r{1,3}_ticks_per_s, bridge_r{1,3}_latency_p50_us,
# bridge_r{1,3}_latency_p99_us, bridge_stream_bytes_per_tick,
# bridge_payload_bytes_per_tick.
source "$(dirname "$0")/../integration/bridge_lib.sh"
tl_need_bins spreadbus-bridge-latency
TICKS=${BENCH_BRIDGE_TICKS:-1000000}
LAT_RATE=${BENCH_BRIDGE_LAT_RATE:-10000}
LAT_S=${BENCH_BRIDGE_LAT_S:-20}
RINGS=binance

centre_head_at_least() { (($(ring_head "$CENTRE_CFG" binance) >= $1)); }

# stream_bytes MONITOR_PORT: bytes stored in every stream of the server.
stream_bytes() {
	curl -s "http://127.0.0.1:$1/jsz?streams=true" | jq '[.account_details[]?.stream_detail[]?.state.bytes] | add // 0'
}

# run R URLS: one measurement with a fresh pair of instances.
run() {
	local r=$1 urls=$2 start ns
	EDGE=$(tl_instance "edge$r")
	CENTRE=$(tl_instance "centre$r")
	bridge_configs "$urls" edge:service.ring_capacity=2097152 centre:service.ring_capacity=2097152 \
		"edge:bridge.out.replicas=$r"
	"$BIN/spreadbus-writer-feed" --config "$EDGE_CFG" --ticks "$TICKS" --market >/dev/null ||
		tl_fail "feed failed"
	start=$(date +%s%N)
	start_importer
	start_exporter
	tl_wait_for 600 "R$r: the centre holds $TICKS ticks" centre_head_at_least $((TICKS + 1))
	ns=$(($(date +%s%N) - start))
	RATE=$(awk -v n="$TICKS" -v ns="$ns" 'BEGIN {printf "%.0f", n / (ns / 1e9)}')
	PAYLOAD=$(awk -v b="$(exporter_metric received_bytes_total)" -v n="$TICKS" 'BEGIN {printf "%.2f", b / n}')
	echo "R$r: $TICKS ticks in $((ns / 1000000)) ms ($RATE ticks/s), payload $PAYLOAD bytes/tick"
	LAT=$("$BIN/spreadbus-bridge-latency" "$EDGE_CFG" "$CENTRE_CFG" binance "$LAT_RATE" "$LAT_S") ||
		tl_fail "latency probe failed"
	echo "R$r at $LAT_RATE ticks/s: $LAT"
	tl_stop exporter
	tl_stop importer
}

mport=$(tl_free_port)
tl_nats_start r1 -m "$mport"
run 1 "${NATS_URL[r1]}"
r1_rate=$RATE r1_lat=$LAT payload=$PAYLOAD
# Stored bytes of the throughput run alone: the latency ticks are counted out.
stored=$(stream_bytes "$mport")
per_tick=$(awk -v b="$stored" -v n="$((TICKS + LAT_RATE * LAT_S))" 'BEGIN {printf "%.2f", b / n}')
tl_nats_stop r1

tl_nats_cluster_start c
run 3 "$NATS_URLS"
r3_rate=$RATE r3_lat=$LAT

lat_field() { awk -v k="$2" '{for (i = 1; i < NF; i++) if ($i == k) print $(i + 1)}' <<<"$1"; }
echo "BENCH bridge_r1_ticks_per_s $r1_rate ticks/s"
echo "BENCH bridge_r3_ticks_per_s $r3_rate ticks/s"
echo "BENCH bridge_r1_latency_p50_us $(lat_field "$r1_lat" p50) us"
echo "BENCH bridge_r1_latency_p99_us $(lat_field "$r1_lat" p99) us"
echo "BENCH bridge_r3_latency_p50_us $(lat_field "$r3_lat" p50) us"
echo "BENCH bridge_r3_latency_p99_us $(lat_field "$r3_lat" p99) us"
echo "BENCH bridge_stream_bytes_per_tick $per_tick bytes"
echo "BENCH bridge_payload_bytes_per_tick $payload bytes"
