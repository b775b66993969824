#!/usr/bin/env bash
# `make demo-cluster`: two spreadbus instances on this machine joined by a
# three-node NATS JetStream cluster on loopback ports (docs/cluster.md).
# "edge" runs the collectors (on the fake exchange) and an exporter;
# "centre" runs the importer, the aggregator (to a private Redis), the
# writer and the gateway, and has no collector at all: the spreads it shows
# are computed from ticks collected at the edge. Ctrl-C or DEMO_SECONDS=N
# stops everything and leaves no process or segment behind.
set -uo pipefail
set -m # background jobs in their own process groups: Ctrl-C reaches this script only

bin=${SPREADBUS_BIN:?run through make demo-cluster}
src=${SPREADBUS_SRC:-$PWD}
dir=${DEMO_DIR:-$src/build/demo-cluster}
seconds=${DEMO_SECONDS:-}
edge_http=9380
centre_http=9381
gateway_port=9382
nats_client=(14222 14223 14224)
nats_route=(16222 16223 16224)
symbols="BTC-USDT, ETH-USDT, SOL-USDT"
exchanges="binance bybit okx"

die() { echo "demo-cluster: $*" >&2; exit 1; }
say() { echo "$@" 2>/dev/null || echo "$@" >&2; }
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

for p in spreadbus spreadctl spreadbus-collector spreadbus-aggregator spreadbus-writer spreadbus-gateway \
	spreadbus-bridge spreadbus-fakex; do
	[ -x "$bin/$p" ] || die "$bin/$p is missing: run make first"
done
for c in nats-server redis-server redis-cli curl jq; do
	command -v $c >/dev/null || die "$c is missing: run make deps"
done
for port in $edge_http $centre_http $gateway_port "${nats_client[@]}" "${nats_route[@]}"; do
	port_taken "$port" && die "127.0.0.1:$port is already in use (another demo running?); stop it and retry"
done

rm -rf "$dir"
mkdir -p "$dir/logs" "$dir/redis" || die "cannot create $dir"
pids=()
sups=()

stop_all() {
	trap - INT TERM EXIT
	trap '' PIPE
	say
	say "demo-cluster: stopping"
	# Both services stop their children in order, well within 5 s.
	for p in "${sups[@]}"; do kill -TERM "$p" 2>/dev/null; done
	for p in "${sups[@]}"; do
		for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
	rm -f /dev/shm/spreadbus.demo-edge.* /dev/shm/spreadbus.demo-centre.*
	say "demo-cluster: stopped; logs in $dir/logs"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

redis-server --port 0 --unixsocket "$dir/redis.sock" --unixsocketperm 700 --save '' --appendonly no \
	--dir "$dir/redis" --logfile "$dir/logs/redis.log" &
pids+=($!)
"$bin/spreadbus-fakex" --exchange binance --exchange bybit --exchange okx --symbols "${symbols// /}" \
	--rate 100 --ready-file "$dir/fakex.ready" >"$dir/logs/fakex.log" 2>&1 &
pids+=($!)

# Three JetStream servers, each routed to the other two.
urls=
for i in 0 1 2; do
	routes=
	for j in 0 1 2; do
		[ $j = $i ] || routes+="${routes:+,}nats://127.0.0.1:${nats_route[j]}"
	done
	mkdir -p "$dir/nats$i"
	nats-server -a 127.0.0.1 -p "${nats_client[i]}" -js -sd "$dir/nats$i" -n "demo$i" --cluster_name demo \
		--cluster "nats://127.0.0.1:${nats_route[i]}" --routes "$routes" >"$dir/logs/nats$i.log" 2>&1 &
	pids+=($!)
	urls+="${urls:+, }nats://127.0.0.1:${nats_client[i]}"
done

started() { grep -q '^control ' "$dir/fakex.ready" 2>/dev/null && [ -S "$dir/redis.sock" ] &&
	grep -qs 'JetStream cluster new metadata leader\|Self is new JetStream cluster metadata leader' "$dir"/logs/nats*.log; }
for _ in $(seq 300); do started && break; sleep 0.1; done
started || die "redis, the fake exchange or the NATS cluster did not start: see $dir/logs"

# service_conf NAME HTTP_PORT: the [service] and [http] sections.
service_conf() {
	printf '[service]\ninstance = demo-%s\nruntime_dir = %s/%s/run\nstate_dir = %s/%s/state\nbin_dir = %s\nring_capacity = 262144\n\n[http]\nlisten = 127.0.0.1:%s\n\n' \
		"$1" "$dir" "$1" "$dir" "$1" "$bin" "$2"
}
{
	service_conf edge $edge_http
	printf '[redis]\nenabled = false\n\n[writer]\nenabled = false\n\n[gateway]\nenabled = false\n\n'
	while read -r ex port; do
		[ "$ex" = control ] && continue
		printf '[exchange.%s]\nsymbols = %s\nurl = ws://127.0.0.1:%s\n\n' "$ex" "$symbols" "$port"
	done <"$dir/fakex.ready"
	printf '[bridge.out]\nmode = export\nurls = %s\nreplicas = 3\n' "$urls"
} >"$dir/edge.conf"
{
	service_conf centre $centre_http
	printf '[redis]\nunix_socket = %s/redis.sock\n\n[writer]\ndata_dir = %s/data\n\n' "$dir" "$dir"
	printf '[gateway]\nlisten = 127.0.0.1:%s\nwww_dir = %s/gateway/www\n\n' $gateway_port "$src"
	for ex in $exchanges; do
		printf '[exchange.%s]\nsource = bridge\nsymbols = %s\n\n' "$ex" "$symbols"
	done
	printf '[bridge.in]\nmode = import\nsource_instance = demo-edge\nrings = %s\nurls = %s\n' "${exchanges// /, }" "$urls"
} >"$dir/centre.conf"
for side in edge centre; do
	mkdir -p "$dir/$side/run" "$dir/$side/state"
	check=$("$bin/spreadbus" --check-config "$dir/$side.conf" 2>&1) || die "the $side config does not check out: $check"
	"$bin/spreadbus" --config "$dir/$side.conf" 2>"$dir/logs/$side.log" &
	sups+=($!)
done

ready() { curl -sf -o /dev/null "http://127.0.0.1:$edge_http/ready" && curl -sf -o /dev/null "http://127.0.0.1:$centre_http/ready"; }
for _ in $(seq 300); do ready && break; sleep 0.1; done
ready || die "not ready after 30 s: see $dir/logs/edge.log and centre.log"

cat <<EOF

spreadbus cluster demo is running (everything under $dir).

  edge    collectors binance, bybit, okx -> exporter bridge.out -> NATS (3 servers, stream R3)
  centre  importer bridge.in -> rings -> aggregator, writer, gateway (no collector)

  centre dashboard  http://127.0.0.1:$gateway_port/
  centre spreads    redis-cli -s $dir/redis.sock HGETALL spread:latest
  children          $bin/spreadctl --config $dir/edge.conf status
                    $bin/spreadctl --config $dir/centre.conf status
  health            curl -s http://127.0.0.1:$edge_http/health    curl -s http://127.0.0.1:$centre_http/health
  a server dies     kill the nats-server on port ${nats_client[0]}: the bridges move to the others
  logs              $dir/logs/

EOF
[ -n "$seconds" ] && echo "stopping in $seconds s (DEMO_SECONDS)" || echo "Ctrl-C stops everything."

# The centre's latest spread per symbol (computed there from edge ticks)
# and how far the exporter is behind.
show() {
	local lag
	lag=$(curl -s "http://127.0.0.1:$edge_http/metrics" | awk '/^spreadbus_read_lag_ticks\{.*bridge.out/ {print $2}')
	say "$(date +%T)  centre spreads from edge ticks (exporter lag ${lag:-?} ticks):"
	redis-cli -s "$dir/redis.sock" --raw HGETALL spread:latest 2>/dev/null | paste - - | sort |
		while IFS=$'\t' read -r sym json; do
			jq -r --arg s "$sym" 'select(.pairs > 0) |
				"  \($s)  buy \(.buy) \(.ask)  sell \(.sell) \(.bid)  spread \(.spread_bps) bps"' <<<"$json" 2>/dev/null
		done
}

end=$((SECONDS + ${seconds:-1000000000}))
while [ $SECONDS -lt $end ]; do
	for p in "${sups[@]}"; do kill -0 "$p" 2>/dev/null || die "a spreadbus service exited: see $dir/logs"; done
	show
	left=$((end - SECONDS))
	[ $left -gt 0 ] || break
	sleep $((left < 5 ? left : 5)) &
	wait $! 2>/dev/null
done
