#!/usr/bin/env bash
# spreadctl against a running supervisor: restart changes only that child's
# pid; stop and start work; errors have the documented exit codes; an
# oversized request and a silent client do not hurt the supervisor.
. "$(dirname "$0")/supervisor_lib.sh"
write_config
sv_start
declare -A before
snapshot() { for name in binance okx aggregator writer; do before[$name]=$(child_pid $name); done; }
same_except() {
	local name
	for name in binance okx aggregator writer; do
		[ "$name" = "$1" ] && continue
		[ "$(child_pid $name)" = "${before[$name]}" ] || tl_fail "$name changed pid (only $1 should have)"
	done
}

# status: table and JSON
ctl status >"$T/table.txt"
head -n1 "$T/table.txt" | grep -q '^NAME *ROLE *STATE *PID' || tl_fail "no table header"
snapshot
for name in binance okx aggregator writer; do
	grep -qE "^$name +[a-z]+ +running +${before[$name]} " "$T/table.txt" || tl_fail "table row of $name: $(cat "$T/table.txt")"
done
[ "$(grep -cE ' running ' "$T/table.txt")" -eq 4 ] || tl_fail "table: $(cat "$T/table.txt")"
status_json | jq -e '.ok == true and (.children | length) == 4 and
	(.children[] | has("name") and has("role") and has("pid") and has("state") and has("uptime_s")
	 and has("restarts") and has("last_exit") and has("heartbeat_age_ms") and has("ring_lag"))' >/dev/null ||
	tl_fail "status --json shape: $(status_json)"

# restart binance: a new pid, nobody else moves
snapshot
ctl restart binance | grep -qx ok || tl_fail "restart did not say ok"
tl_wait_for 10 "new binance pid" child_replaced binance "${before[binance]}"
tl_wait_for 10 "binance up" child_up binance
same_except binance
[[ $(child_field binance last_exit) == "exit code 0"* || $(child_field binance last_exit) == "signal 15"* ]] ||
	tl_fail "a clean restart should show a clean exit: $(child_field binance last_exit)"

# stop writer / start writer
snapshot
ctl stop writer >/dev/null
tl_wait_for 10 "writer stopped" child_state_is writer stopped
kill -0 "${before[writer]}" 2>/dev/null && tl_fail "writer process still there"
[ "$(child_field writer pid)" = null ] || tl_fail "stopped writer has a pid"
same_except writer
# a stopped child stays stopped: no restart policy kicks in within 1 s,
# five times the longest restart backoff of this config
tl_holds 1 "the stopped writer stays stopped" child_state_is writer stopped
ctl start writer >/dev/null
tl_wait_for 10 "writer up" child_up writer
same_except writer
rc=0; ctl start writer 2>"$T/err" || rc=$?
[ $rc -eq 1 ] && grep -q 'already running' "$T/err" || tl_fail "start of a running child: rc=$rc $(cat "$T/err")"

# errors and exit codes
rc=0; ctl restart nosuch 2>"$T/err" || rc=$?
[ $rc -eq 1 ] || tl_fail "unknown name: exit $rc, want 1"
grep -q 'unknown child "nosuch"' "$T/err" || tl_fail "unknown name message: $(cat "$T/err")"
rc=0; ctl bogus 2>/dev/null || rc=$?
[ $rc -eq 2 ] || tl_fail "unknown command: exit $rc, want 2"
rc=0; ctl restart 2>/dev/null || rc=$?
[ $rc -eq 2 ] || tl_fail "restart without a name: exit $rc, want 2"
rc=0; "$BIN/spreadctl" --socket "$T/nothing.sock" status 2>/dev/null || rc=$?
[ $rc -eq 3 ] || tl_fail "no socket: exit $rc, want 3"

# raw protocol: malformed request, oversized request, silent clients
SOCK=unix:$T/run/spreadbus.sock
printf 'hello\n' >"$T/bad.req"
"$BIN/spreadbus-test-netpoke" "$SOCK" --send "$T/bad.req" | jq -e '.ok == false and (.error | test("malformed"))' >/dev/null ||
	tl_fail "malformed request not refused clearly"
head -c 100000 /dev/zero | tr '\0' 'x' >"$T/big.req"
"$BIN/spreadbus-test-netpoke" "$SOCK" --send "$T/big.req" | jq -e '.ok == false and (.error | test("too large"))' >/dev/null ||
	tl_fail "oversized request not refused"
for i in $(seq 20); do
	tl_spawn "silent/$i" "$BIN/spreadbus-test-netpoke" "$SOCK" --hold 8
done
tl_wait_for 10 "the supervisor taking 20 silent control clients" sv_took_clients unix "$T/run/spreadbus.sock" 20 silent
# while 20 clients say nothing, the supervisor answers at once
start_ms=$(date +%s%3N)
ctl status >/dev/null || tl_fail "status failed while silent clients are connected"
took=$(($(date +%s%3N) - start_ms))
# well under the 5 s a silent client is allowed: nobody waited for one
[ $took -lt 3000 ] || tl_fail "status took ${took} ms with silent clients"
for i in $(seq 20); do
	tl_reap "silent/$i" 15
	grep -qE 'closed by server after [0-9]+ ms' "$T/silent/$i.log" || tl_fail "silent client $i: $(cat "$T/silent/$i.log")"
done
# the per-client deadline (5 s) closed them
grep -h 'closed by server' "$T"/silent/*.log | awk '{ if ($5 > 7000) bad = 1 } END { exit bad }' ||
	tl_fail "silent clients held too long"
kill -0 "$SV_PID" || tl_fail "supervisor died"
ctl status >/dev/null
echo "spreadctl commands and hostile clients: ok"
