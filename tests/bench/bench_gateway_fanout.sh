#!/usr/bin/env bash
# BENCH gateway_fanout_*: CLIENTS WebSocket clients (default 1000, spread
# over PROCS spreadbus-test-wsclient processes, default 4) subscribed to every spread of SYMBOLS
# symbols (default 50), RATE quotes/s (default 5000: about as many spread
# updates/s) into the rings for SECONDS; real aggregator and gateway.
# Reports messages/s delivered in total, the gateway's CPU (% of one core)
# and tick-to-client latency p50/p99 (the spread's ts_ns to arrival), then
# the same with one more client that stops reading (SIGSTOP): the cost of a
# slow client to the others.
SRC=${SPREADBUS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
source "$SRC/tests/integration/gateway_lib.sh"
CLIENTS=${CLIENTS:-1000} SYMBOLS=${SYMBOLS:-50} RATE=${RATE:-5000} SECONDS_RUN=${SECONDS_RUN:-10} PROCS=${PROCS:-4}

syms=$(for i in $(seq "$SYMBOLS"); do printf 'S%03d-USDT,' "$i"; done)
syms=${syms%,}
# long symbol lists go on indented continuation lines, ten a line
conf_syms=$(tr ',' '\n' <<<"$syms" | paste -sd',,,,,,,,,\n' | sed 's/,/, /g; 2,$s/^/  /; $!s/$/,/')
gw_config "exchange.binance.symbols=$conf_syms" "exchange.okx.symbols=$conf_syms" "exchange.bybit.symbols=$conf_syms" \
	"gateway.max_clients=$((2 * CLIENTS + 10))" service.ring_capacity=1048576
start_aggregator
start_gateway
start_feeder

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# run NAME: one measured run, the clients spread over PROCS processes;
# writes "messages/s cpu% p50_us p99_us" to $T/NAME.result
run() {
	local name=$1 i fd
	for ((i = 0; i < PROCS; i++)); do
		mkfifo "$T/$name.$i.in"
		tl_spawn "$name/$i" bash -c 'exec "$0" "$@" <"'"$T/$name.$i.in"'"' "$BIN/spreadbus-test-wsclient" \
			--port "$GW_PORT" --clients $((CLIENTS / PROCS)) --quiet --stats
		exec {fd}>"$T/$name.$i.in"
		echo '{"op":"subscribe","channels":["spreads"]}' >&$fd
	done
	stats_lines() { cat "$T/$name"/*.log | grep '^STATS'; }
	open_now() { for f in "$T/$name"/*.log; do grep '^STATS' "$f" | tail -n 1; done |
		sed 's/.* open=\([0-9]*\) .*/\1/' | awk '{n += $1} END {print n + 0}'; }
	tl_wait_for 60 "$CLIENTS clients connected" tl_at_least $((CLIENTS / PROCS * PROCS)) open_now
	replies() { cat "$T/$name"/*.log | grep -c '^REPLY conn=[0-9]* {"op":"subscribed"' || true; }
	tl_wait_for 30 "$CLIENTS clients subscribed" tl_at_least $((CLIENTS / PROCS * PROCS)) replies
	local gw=${TL_PID[gateway]} t0 c0 m0 t1 c1 m1 hz skip
	hz=$(getconf CLK_TCK)
	echo "stream binance,okx,bybit $syms $RATE $SECONDS_RUN" >&3
	sleep 1
	t0=$(date +%s%N) c0=$(cpu_ticks "$gw") m0=$(gw_metric gateway_messages_sent_total)
	sleep $((SECONDS_RUN - 2))
	t1=$(date +%s%N) c1=$(cpu_ticks "$gw") m1=$(gw_metric gateway_messages_sent_total)
	# latency: the STATS lines printed in the measured seconds (each process
	# prints one a second), median of their p50 and the worst p99
	local lat
	lat=$(for f in "$T/$name"/*.log; do
		skip=$(($(grep -c '^STATS' "$f") - (SECONDS_RUN - 2) + 1))
		grep '^STATS' "$f" | tail -n +"$((skip > 1 ? skip : 1))"
	done | sed 's/.*p50_us=\([0-9]*\) p99_us=\([0-9]*\).*/\1 \2/' |
		sort -n | awk '{p50[NR]=$1; if ($2 > p99) p99 = $2} END {print p50[int((NR + 1) / 2)], p99}')
	awk -v m=$((m1 - m0)) -v ns=$((t1 - t0)) -v c=$((c1 - c0)) -v hz="$hz" -v lat="$lat" \
		'BEGIN {split(lat, l, " "); printf "%.0f %.1f %s %s\n", m / (ns / 1e9), 100 * c / hz / (ns / 1e9), l[1], l[2]}' \
		>"$T/$name.result"
	tl_wait_for 60 "stream done" tl_at_least 1 feeder_acks_since "$name"
	for ((i = 0; i < PROCS; i++)); do tl_stop "$name/$i" TERM; done
}
acks_before=0
feeder_acks_since() { echo $(($(feeder_acks) - acks_before)); }

run fast
read -r msgs cpu p50 p99 <"$T/fast.result"
acks_before=$(feeder_acks)
echo "BENCH gateway_fanout_messages_per_s $msgs (clients=$CLIENTS in $PROCS processes, symbols=$SYMBOLS, quotes_per_s=$RATE, load average $(cut -d' ' -f1 /proc/loadavg))"
echo "BENCH gateway_fanout_cpu_percent $cpu"
echo "BENCH gateway_fanout_latency_p50_us $p50"
echo "BENCH gateway_fanout_latency_p99_us $p99"

# the same with one stopped client among them
client stopped
send stopped '{"op":"subscribe","channels":["spreads","trades"],"id":1}'
tl_wait_for 5 "stopped client subscribed" grep -q '"op":"subscribed"' "$T/stopped.log"
kill -STOP "${TL_PID[stopped]}"
tl_cleanup kill -CONT "${TL_PID[stopped]}"
acks_before=$(feeder_acks)
run with_slow
read -r msgs cpu p50 p99 <"$T/with_slow.result"
echo "BENCH gateway_fanout_with_slow_client_messages_per_s $msgs"
echo "BENCH gateway_fanout_with_slow_client_cpu_percent $cpu"
echo "BENCH gateway_fanout_with_slow_client_latency_p50_us $p50"
echo "BENCH gateway_fanout_with_slow_client_latency_p99_us $p99"
echo "BENCH gateway_fanout_conflated_total $(gw_metric gateway_conflated_total)"
