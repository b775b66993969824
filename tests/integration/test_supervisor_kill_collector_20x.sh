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
	[[ $old =~ ^[0-9]+$ ]] || fail "binance has no pid (round $i): $(status_json)"
	kill -KILL "$old"
	wait_until 10 "a new binance process (round $i)" bash -c "
		p=\$('$BIN/spreadctl' --config '$CONF' status --json | jq -r '.children[] | select(.name==\"binance\") | .pid');
		[[ \$p =~ ^[0-9]+\$ ]] && [ \"\$p\" != $old ]"
	new=$(child_pid binance)
	[[ $seen == *" $new "* ]] && fail "pid $new reused"
	seen+="$new "
	for name in okx aggregator writer; do
		[ "$(child_pid $name)" = "${before[$name]}" ] || fail "$name changed pid after binance kill $i"
		kill -0 "${before[$name]}" || fail "$name is gone after binance kill $i"
	done
done
wait_until 10 "binance up again" child_up binance
restarts=$(child_field binance restarts)
[ "$restarts" -eq 20 ] || fail "binance restarts=$restarts, want 20"
last_exit=$(child_field binance last_exit)
[[ $last_exit == *"signal 9 (KILL)"* ]] || fail "last_exit '$last_exit' does not name SIGKILL"
for name in okx aggregator writer; do
	[ "$(child_field $name restarts)" -eq 0 ] || fail "$name was restarted"
done
grep -c 'binance: pid .* died: signal 9 (KILL)' "$LOG" | grep -qx 20 || fail "not every exit was logged once"
echo "20 kills, 20 new pids, others untouched"
