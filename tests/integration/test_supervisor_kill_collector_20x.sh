#!/usr/bin/env bash
# SIGKILL one collector 20 times: each time a new process takes its place,
# and every other child keeps its pid and keeps running.
. "$(dirname "$0")/supervisor_lib.sh"
write_config
sv_start
declare -A before
for name in okx aggregator writer; do before[$name]=$(child_pid $name); done

seen=" "
for i in $(seq 20); do
	old=$(child_pid binance)
	[[ $old =~ ^[0-9]+$ ]] || tl_fail "binance has no pid (round $i): $(status_json)"
	kill -KILL "$old"
	tl_wait_for 10 "a new binance process (round $i)" child_replaced binance "$old"
	new=$(child_pid binance)
	[[ $seen == *" $new "* ]] && tl_fail "pid $new reused"
	seen+="$new "
	for name in okx aggregator writer; do
		[ "$(child_pid $name)" = "${before[$name]}" ] || tl_fail "$name changed pid after binance kill $i"
		kill -0 "${before[$name]}" || tl_fail "$name is gone after binance kill $i"
	done
done
tl_wait_for 10 "binance up again" child_up binance
restarts=$(child_field binance restarts)
[ "$restarts" -eq 20 ] || tl_fail "binance restarts=$restarts, want 20"
last_exit=$(child_field binance last_exit)
[[ $last_exit == *"signal 9 (KILL)"* ]] || tl_fail "last_exit '$last_exit' does not name SIGKILL"
for name in okx aggregator writer; do
	[ "$(child_field $name restarts)" -eq 0 ] || tl_fail "$name was restarted"
done
grep -c 'binance: pid .* died: signal 9 (KILL)' "$LOG" | grep -qx 20 || tl_fail "not every exit was logged once"
echo "20 kills, 20 new pids, others untouched"
