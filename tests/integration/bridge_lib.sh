# bridge_lib.sh: two instances on one machine joined by spreadbus-bridge
# through a real nats-server: "edge" (rings fed by spreadbus-writer-feed,
# an exporter) and "centre" (the same rings with source = bridge, an
# importer). Children are started directly, as the other integration tests
# do; the supervisor's part is tested on its own.
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/config.sh"
source "$(dirname "$0")/../lib/bus.sh"
source "$(dirname "$0")/../lib/nats.sh"

tl_init
tl_nats_need
tl_need_bins spreadbus-bridge spreadbus-busctl spreadbus-writer-feed
BIN=$TL_BIN
T=$TL_TMP
EDGE=$(tl_instance edge)
CENTRE=$(tl_instance centre)
EDGE_CFG=$T/edge.conf
CENTRE_CFG=$T/centre.conf
RINGS="binance okx"

# bridge_configs URLS [edge or centre section.key=value ...]: both configs;
# arguments starting with "edge:" or "centre:" go to that one only.
bridge_configs() {
	local urls=$1 arg r
	shift
	local -a edge=() centre=()
	for arg in "$@"; do
		case $arg in
		edge:*) edge+=("${arg#edge:}") ;;
		centre:*) centre+=("${arg#centre:}") ;;
		*) tl_fail "bridge_configs: '$arg' is neither edge: nor centre:" ;;
		esac
	done
	local -a rings=()
	for r in $RINGS; do
		rings+=("exchange.$r.symbols=BTC-USDT, ETH-USDT, SOL-USDT")
	done
	tl_write_config "$EDGE_CFG" "$EDGE" writer.enabled=false "${rings[@]}" \
		bridge.out.mode=export "bridge.out.urls=$urls" bridge.out.batch_delay_ms=2 "${edge[@]}"
	local -a sources=()
	for r in $RINGS; do
		sources+=("exchange.$r.source=bridge")
	done
	# The centre's rings are another instance's: its state under its own dir.
	local saved_tmp=$TL_TMP
	TL_TMP=$T/centre-home
	mkdir -p "$TL_TMP"
	tl_write_config "$CENTRE_CFG" "$CENTRE" writer.enabled=false "${rings[@]}" "${sources[@]}" \
		bridge.in.mode=import "bridge.in.urls=$urls" "bridge.in.source_instance=$EDGE" \
		"bridge.in.rings=${RINGS// /, }" "${centre[@]}"
	TL_TMP=$saved_tmp
	tl_bus_create "$EDGE_CFG"
	tl_bus_create "$CENTRE_CFG"
}

start_exporter() { tl_spawn exporter "$BIN/spreadbus-bridge" --config "$EDGE_CFG" --name out; }
start_importer() { tl_spawn importer "$BIN/spreadbus-bridge" --config "$CENTRE_CFG" --name in; }
kill_exporter() { tl_stop exporter KILL; }
kill_importer() { tl_stop importer KILL; }

ring_head() { "$BIN/spreadbus-busctl" --config "$1" rings | jq -r --arg r "$2" 'select(.exchange == $r) | .head'; }

# The centre holds every edge tick plus its own gap records.
centre_has() {
	local r want=$1
	for r in $RINGS; do
		(($(ring_head "$CENTRE_CFG" "$r") >= $(ring_head "$EDGE_CFG" "$r") + want)) || return 1
	done
}

# Every edge tick is in the centre once, in order: the centre's dump without
# its own gap records (gaps received after 2017, while the feed's ticks say 2001: the
# the importer's) equals the edge's, bus_seq aside.
compare_rings() {
	local r
	for r in $RINGS; do
		tl_bus_dump "$EDGE_CFG" "$r" | jq -c 'del(.seq)' >"$T/edge.$r.json"
		tl_bus_dump "$CENTRE_CFG" "$r" >"$T/centre-all.$r.json"
		jq -c 'select(.kind != "gap" or .ts_recv_ns < 1500000000000000000) | del(.seq)' \
			"$T/centre-all.$r.json" >"$T/centre.$r.json"
		cmp -s "$T/edge.$r.json" "$T/centre.$r.json" || {
			diff "$T/edge.$r.json" "$T/centre.$r.json" | head -5 >&2
			tl_fail "ring $r: centre ($(wc -l <"$T/centre.$r.json") ticks) differs from edge ($(wc -l <"$T/edge.$r.json"))"
		}
	done
}

# Gap records the importer wrote into centre ring $1 with reason $2.
importer_gaps() {
	jq -c --arg why "$2" 'select(.kind == "gap" and .reason == $why and .ts_recv_ns >= 1500000000000000000)' \
		"$T/centre-all.$1.json" | wc -l
}

exporter_metric() { tl_bus_metric "$EDGE_CFG" bridge.out "$1"; }
importer_metric() { tl_bus_metric "$CENTRE_CFG" bridge.in "$1"; }
exporter_lag_is() { [ "$(exporter_metric read_lag_ticks)" = "$1" ]; }

# feed TICKS RATE: deterministic ticks into every edge ring (stamped 2001,
# so that the importer's own gap records stand apart).
start_feed() {
	tl_spawn feed "$BIN/spreadbus-writer-feed" --config "$EDGE_CFG" --ticks "$1" --rate "$2" \
		--ts-base 1000000000000000000
}
exporter_degraded() { [[ $(tl_bus_field "$EDGE_CFG" bridge.out .state) == degraded ]]; }
exporter_running() { [[ $(tl_bus_field "$EDGE_CFG" bridge.out .state) == running ]]; }
importer_running() { [[ $(tl_bus_field "$CENTRE_CFG" bridge.in .state) == running ]]; }
centre_ring_holds() { (($(ring_head "$CENTRE_CFG" "$1") >= $2)); }

# check_centre_parquet TICKS: the centre writer's Parquet (in $T/data) holds
# bus_seq 0..TICKS of every ring once each (DuckDB): its collector_start gap
# and the TICKS edge ticks.
check_centre_parquet() {
	local syms='"BTC-USDT","ETH-USDT","SOL-USDT"' r spec=
	for r in $RINGS; do
		spec+="${spec:+,}\"$r\":{\"ticks\":$(($1 + 1)),\"symbols\":[$syms]}"
	done
	printf '{"ts_base":"0","ts_step":"0","exchanges":{%s}}\n' "$spec" >"$T/spec.json"
	(cd "$READERS" && node check.mjs seqs "$T/data" "$T/spec.json") ||
		tl_fail "the centre's Parquet does not hold bus_seq 0..$1 once each"
}
