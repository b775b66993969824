#!/usr/bin/env bash
# `make demo`: the whole service offline on this machine, a private Redis and
# the fake exchange (Binance, Bybit, OKX; DEMO_EXCHANGES=all for the ten
# adapters) under $DEMO_DIR; Ctrl-C or DEMO_SECONDS=N stops everything and
# leaves no process or segment behind.
set -uo pipefail
# Background jobs get their own process groups: Ctrl-C reaches this script
# only, which then stops the service in order.
set -m
export LC_ALL=C # printf's %f reads "0.333" whatever the user's locale

bin=${SPREADBUS_BIN:?run through make demo}
src=${SPREADBUS_SRC:-$PWD}
dir=${DEMO_DIR:-$src/build/demo}
seconds=${DEMO_SECONDS:-}
http_port=9280
gateway_port=9281
instance=demo
symbols="BTC-USDT, ETH-USDT, SOL-USDT, XRP-USDT, DOGE-USDT"
exchanges=${DEMO_EXCHANGES:-binance bybit okx}
[ "$exchanges" = all ] && exchanges="binance bybit okx binance-usdm gateio bitget kraken coinbase deribit htx"
exchange_args=()
for ex in $exchanges; do exchange_args+=(--exchange "$ex"); done

die() { echo "demo: $*" >&2; exit 1; }
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
rel() { local p=$1; [ "${p#"$PWD"/}" != "$p" ] && echo "${p#"$PWD"/}" || echo "$p"; }

for p in spreadbus spreadctl spreadbus-collector spreadbus-aggregator spreadbus-writer spreadbus-gateway spreadbus-fakex spreadbus-fakex-rest; do
	[ -x "$bin/$p" ] || die "$bin/$p is missing: run make first"
done
command -v redis-server >/dev/null || die "redis-server is missing: run make deps"
command -v curl >/dev/null || die "curl is missing: run make deps"
port_taken $http_port && die "127.0.0.1:$http_port is already in use (another demo or a test running?); stop it and retry"
port_taken $gateway_port && die "127.0.0.1:$gateway_port is already in use (another demo running?); stop it and retry"

# A fresh start: previous runs' data, journal and segments go.
rm -rf "$dir/run" "$dir/state" "$dir/data" "$dir/logs" "$dir/redis" "$dir/redis.sock" "$dir/fakex.ready" "$dir/fakex-rest.ready"
rm -f /dev/shm/spreadbus.$instance.*
mkdir -p "$dir/logs" "$dir/redis" "$dir/data" || die "cannot create $dir"
conf=$dir/spreadbus.conf
pids=()

# Messages survive a closed stdout (Ctrl-C on `make demo | tee log` kills
# tee first): they go to stderr then, and SIGPIPE does not cut the cleanup.
say() { echo "$@" 2>/dev/null || echo "$@" >&2; }

stop_all() {
	trap - INT TERM EXIT
	trap '' PIPE
	say
	say "demo: stopping"
	if [ -n "${sup_pid:-}" ] && kill -0 "$sup_pid" 2>/dev/null; then
		kill -TERM "$sup_pid"
		# The supervisor stops its children in order and exits well within 5 s.
		for _ in $(seq 100); do kill -0 "$sup_pid" 2>/dev/null || break; sleep 0.1; done
		kill -0 "$sup_pid" 2>/dev/null && { say "demo: supervisor still running after 10 s, killing it"; kill -KILL "$sup_pid"; }
		wait "$sup_pid" 2>/dev/null
	fi
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
	# Children die with the supervisor (PDEATHSIG); anything of ours still
	# here is a bug worth seeing, and is not left running.
	left=$(pgrep -f -- "--config $conf" | tr '\n' ' ')
	[ -n "$left" ] && { say "demo: processes left after stop: $left; killing them"; kill -KILL $left 2>/dev/null; }
	rm -f /dev/shm/spreadbus.$instance.* "$dir/redis.sock"
	say "demo: stopped; data kept in $(rel "$dir/data"), logs in $(rel "$dir/logs")"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Redis on a unix socket only: nothing listens on a TCP port.
redis-server --port 0 --unixsocket "$dir/redis.sock" --unixsocketperm 700 --save '' --appendonly no \
	--dir "$dir/redis" --logfile "$dir/logs/redis.log" &
pids+=($!)

# The fake exchange: one free port per exchange, listed in its ready file
# once it listens. 100 frames/s per connection, prices correlated across
# the exchanges.
"$bin/spreadbus-fakex" "${exchange_args[@]}" --symbols "${symbols// /}" \
	--rate 100 --ready-file "$dir/fakex.ready" >"$dir/logs/fakex.log" 2>&1 &
pids+=($!)

# Their REST APIs: 2000 instruments per exchange, the demo's symbols the
# most traded; [universe] mode = auto discovers them (docs/universe.md).
"$bin/spreadbus-fakex-rest" "${exchange_args[@]}" --instruments 2000 \
	--pin "${symbols// /}" --ready-file "$dir/fakex-rest.ready" >"$dir/logs/fakex-rest.log" 2>&1 &
pids+=($!)

fakex_ready() { grep -q '^control ' "$dir/fakex.ready" 2>/dev/null && [ -s "$dir/fakex-rest.ready" ]; }
for _ in $(seq 100); do [ -S "$dir/redis.sock" ] && fakex_ready && break; sleep 0.1; done
[ -S "$dir/redis.sock" ] || die "redis-server did not start: $(tail -n 5 "$dir/logs/redis.log")"
fakex_ready || die "the fake exchange did not start: $(tail -n 5 "$dir/logs/fakex.log")"

cat >"$conf" <<EOF
# spreadbus demo: everything under $dir, no internet.
[service]
instance = $instance
runtime_dir = $dir/run
state_dir = $dir/state
bin_dir = $bin
ring_capacity = 262144

[http]
listen = 127.0.0.1:$http_port

[redis]
unix_socket = $dir/redis.sock

[writer]
data_dir = $dir/data
rotate_s = 10

[gateway]
listen = 127.0.0.1:$gateway_port
www_dir = $src/gateway/www

[universe]
mode = auto
; only the pinned pairs trade this much on the fake exchanges
min_quote_volume_24h = 20000000000

EOF
while read -r ex port; do
	[ "$ex" = control ] && continue
	rest=$(awk -v e="$ex" '$1 == e {print $2}' "$dir/fakex-rest.ready")
	printf '[exchange.%s]\nurl = ws://127.0.0.1:%s\nrest_url = http://127.0.0.1:%s\ntls_verify = false\n\n' \
		"$ex" "$port" "$rest" >>"$conf"
done <"$dir/fakex.ready"
check=$("$bin/spreadbus" --check-config "$conf" 2>&1) || die "the demo config does not check out: $check"

"$bin/spreadbus" --config "$conf" 2>"$dir/logs/spreadbus.log" &
sup_pid=$!
for _ in $(seq 200); do
	curl -sf -o /dev/null "http://127.0.0.1:$http_port/ready" && break
	kill -0 "$sup_pid" 2>/dev/null || die "spreadbus exited: $(tail -n 10 "$dir/logs/spreadbus.log")"
	sleep 0.1
done
curl -sf -o /dev/null "http://127.0.0.1:$http_port/ready" || die "not ready after 20 s: $(tail -n 10 "$dir/logs/spreadbus.log")"

cat <<EOF

spreadbus demo is running (instance "$instance", everything under $(rel "$dir")).

  dashboard         http://127.0.0.1:$gateway_port/
  WebSocket         ws://127.0.0.1:$gateway_port/ws   (docs/gateway.md)
  live spreads      redis-cli -s $(rel "$dir/redis.sock") PSUBSCRIBE 'spread:*'
  latest per symbol redis-cli -s $(rel "$dir/redis.sock") HGETALL spread:latest
  health, metrics   curl -s http://127.0.0.1:$http_port/health
                    curl -s http://127.0.0.1:$http_port/metrics
  children          $(rel "$bin")/spreadctl --config $(rel "$conf") status
  universe          $(rel "$bin")/spreadctl --config $(rel "$conf") universe
  restart one       $(rel "$bin")/spreadctl --config $(rel "$conf") restart binance
  Parquet files     $(rel "$dir/data")   (a new file every 10 s)
  query them        node deploy/parquet_query.js "SELECT exchange, symbol, count(*) FROM read_parquet('$(rel "$dir/data")/quotes/**/*.parquet', hive_partitioning=true) GROUP BY ALL"
  logs              $(rel "$dir/logs")/

EOF
[ -n "$seconds" ] && echo "stopping in $seconds s (DEMO_SECONDS)" || echo "Ctrl-C stops everything."

# One line per symbol from HGETALL spread:latest: the best pair right now
# and its rolling mean.
field() { grep -o "\"$1\":[^,}]*" <<<"$2" | head -n1 | cut -d: -f2 | tr -d '"'; }
num() { local v; v=$(field "$1" "$2"); [[ $v =~ ^-?[0-9][0-9.e+-]*$ ]] && echo "$v" || echo nan; } # null: empty window
show_spreads() {
	local sym json n=0
	while IFS= read -r sym && IFS= read -r json; do
		[ "$(field pairs "$json")" -gt 0 ] 2>/dev/null || continue # pairs 0: no spread right now
		[ $n -eq 0 ] && say "$(date +%T)  best pairs (bps = basis points of the buy price):"
		n=$((n + 1))
		say "$(printf '  %-14s buy %-12s %-12s sell %-12s %-12s spread %9.3f bps  (mean %8.3f)' "$sym" \
			"$(field buy "$json")" "$(field ask "$json")" "$(field sell "$json")" "$(field bid "$json")" \
			"$(num spread_bps "$json")" "$(num mean "$json")")"
	done < <(redis-cli -s "$dir/redis.sock" --raw HGETALL spread:latest 2>/dev/null | paste - - | sort | tr '\t' '\n')
}

end=$((SECONDS + ${seconds:-1000000000}))
while [ $SECONDS -lt $end ]; do
	kill -0 "$sup_pid" 2>/dev/null || die "spreadbus exited: $(tail -n 10 "$dir/logs/spreadbus.log")"
	show_spreads
	left=$((end - SECONDS)) # showing the spreads may have taken the last second
	[ $left -gt 0 ] || break
	sleep $((left < 5 ? left : 5)) &
	wait $! 2>/dev/null
done
