#!/usr/bin/env bash
# The bridge as the supervisor runs it, with a real collector: an edge
# service (binance collector on the fake exchange, [bridge.out] export) and
# a centre service ([exchange.binance] source = bridge, [bridge.in] import,
# aggregator and writer) on one machine through a real nats-server. The
# centre starts a bridge child and no collector; its writer reads the
# imported ring to the end; the centre ring holds every edge tick once.
. "$(dirname "$0")/supervisor_lib.sh"
source "$SV_SRC/tests/lib/fakex.sh"
source "$SV_SRC/tests/lib/nats.sh"
tl_nats_need
tl_need_bins spreadbus-bridge
tl_nats_start nats
tl_fakex_start --exchange binance:0 --rate 50
EXCHANGES=binance WRITER_ENABLED=false URL_binance=ws://127.0.0.1:${TL_FAKEX_PORT[binance]} write_config
printf '\n[bridge.out]\nmode = export\nurls = %s\nbatch_delay_ms = 2\n' "${NATS_URL[nats]}" >>"$CONF"
sv_start
child_up bridge.out || tl_fail "no bridge.out child at the edge: $(status_json | jq -c '[.children[].name]')"

CENTRE=$(tl_instance centre)
CCONF=$T/centre.conf
mkdir -p "$T/centre-run" "$T/centre-state"
tl_write_config "$CCONF" "$CENTRE" "service.bin_dir=$BIN" service.ring_capacity=65536 \
	"service.runtime_dir=$T/centre-run" "service.state_dir=$T/centre-state" \
	"writer.data_dir=$T/centre-data" "writer.journal_dir=$T/centre-journal" \
	"exchange.binance.symbols=BTC-USDT, ETH-USDT" exchange.binance.source=bridge \
	bridge.in.mode=import "bridge.in.urls=${NATS_URL[nats]}" "bridge.in.source_instance=$INSTANCE" \
	bridge.in.rings=binance
centre_cleanup() {
	tl_stop centre TERM 10
	rm -f /dev/shm/spreadbus."$CENTRE".*
}
tl_cleanup centre_cleanup
tl_spawn centre "$BIN/spreadbus" --config "$CCONF"
cctl() { "$BIN/spreadctl" --config "$CCONF" status --json 2>/dev/null; }
centre_children() { cctl | jq -r '[.children[] | select(.state == "running") | .name] | sort | join(" ")'; }
# is "CMD ARGS" VALUE: for tl_wait_for, CMD prints VALUE (run at every poll).
is() { [ "$($1)" = "$2" ]; }
tl_wait_for 30 "the centre's children running" is centre_children "aggregator bridge.in writer"

# The importer is the centre's source: /ready counts it as streaming.
centre_ready() { grep -q 'ready: 1/1 exchanges streaming' "$T/centre.log"; }
tl_wait_for 20 "the centre ready (1/1 streaming: the importer)" centre_ready

head_of() { "$BIN/spreadbus-busctl" --config "$1" rings | jq -r 'select(.exchange == "binance") | .head'; }
tl_wait_for 30 "ticks at the centre" tl_at_least 50 head_of "$CCONF"

# Stop the edge collector; once the exporter has sent everything, the
# centre holds each edge tick once, after its own collector_start gap.
ctl stop binance >/dev/null
exporter_lag() { "$BIN/spreadbus-busctl" --config "$CONF" status | jq -r 'select(.name == "bridge.out") | .metrics.read_lag_ticks'; }
tl_wait_for 20 "the exporter caught up" is exporter_lag 0
edge_head=$(head_of "$CONF")
tl_wait_for 20 "the centre holds the edge's $edge_head ticks" is "head_of $CCONF" $((edge_head + 1))
"$BIN/spreadbus-busctl" --config "$CONF" dump binance | jq -c 'del(.seq)' >"$T/edge.json"
"$BIN/spreadbus-busctl" --config "$CCONF" dump binance | tail -n +2 | jq -c 'del(.seq)' >"$T/centre.json"
cmp -s "$T/edge.json" "$T/centre.json" || tl_fail "the centre's ring differs from the edge's: $(diff "$T/edge.json" "$T/centre.json" | head -3)"

# The centre's writer reads the imported ring like any other, to its head.
writer_read() { "$BIN/spreadbus-busctl" --config "$CCONF" rings | jq -r 'select(.exchange == "binance") | .readers[] | select(.name == "writer") | .cursor'; }
tl_wait_for 20 "the centre's writer read every tick" is writer_read $((edge_head + 1))
tl_stop centre TERM 10
tl_assert_eq "centre supervisor exit status" 0 "${TL_EXIT[centre]}"
tl_pass "$edge_head edge ticks, each once at the centre"
