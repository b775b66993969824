#!/usr/bin/env bash
# A SIGSTOPped collector stops heartbeating: the supervisor notices the stale
# heartbeat, SIGKILLs it and starts a new one; the others are untouched.
. "$(dirname "$0")/supervisor_lib.sh"
HEARTBEAT_TIMEOUT_MS=1000 write_config
sv_start
old=$(child_pid binance)
others="$(child_pid okx) $(child_pid aggregator) $(child_pid writer)"
kill -STOP "$old"
start=$SECONDS
tl_wait_for 15 "a new binance process" child_replaced binance "$old"
took=$((SECONDS - start))
kill -0 "$old" 2>/dev/null && tl_fail "the hung process $old is still there"
[[ $(child_field binance last_exit) == *"signal 9 (KILL)"*"killed: heartbeat timeout"* ]] ||
	tl_fail "last_exit: $(child_field binance last_exit)"
grep -q "binance: pid $old is hung (heartbeat age" "$LOG" || tl_fail "hang not logged"
tl_wait_for 15 "binance up again" child_up binance
[ "$(child_pid okx) $(child_pid aggregator) $(child_pid writer)" = "$others" ] || tl_fail "other children changed"
echo "hung collector replaced after ~${took}s"
