#!/usr/bin/env bash
# A second supervisor of the same instance refuses to start. SIGTERM: the
# supervisor stops collectors, then aggregator and writer, exits 0 within
# 5 s, and leaves no process and no control socket. Then a
# new supervisor starts on the surviving rings, and its SIGKILL takes every
# child with it (PDEATHSIG).
. "$(dirname "$0")/supervisor_lib.sh"
write_config
sv_start
kids=$(sv_children_pids)

# A second supervisor of the same instance refuses to start and disturbs
# nothing.
rc=0; timeout 10 "$BIN/spreadbus" --config "$CONF" >"$T/second.log" 2>&1 || rc=$?
[ $rc -eq 1 ] || fail "second supervisor: exit $rc, want 1"
grep -q 'is in use by a running process' "$T/second.log" || fail "second supervisor: $(cat "$T/second.log")"
[ "$(sv_children_pids)" = "$kids" ] || fail "the second supervisor changed the children"
ctl status >/dev/null || fail "the first supervisor's socket is gone"

[ "$(echo "$kids" | wc -l)" -eq 4 ] || fail "want 4 children, have: $kids"
start_ms=$(date +%s%3N)
kill -TERM "$SV_PID"
rc=0; wait "$SV_PID" || rc=$?
took=$(($(date +%s%3N) - start_ms))
SV_PID=
[ $rc -eq 0 ] || fail "exit code $rc after SIGTERM"
[ $took -lt 5000 ] || fail "stop took ${took} ms"
for p in $kids; do kill -0 "$p" 2>/dev/null && fail "child $p survived the stop"; done
[ -e "$T/run/spreadbus.sock" ] && fail "control socket left behind"
# order: every collector stopped before the readers were told to stop
col_last=$(grep -n -E '(binance|okx): pid [0-9]+ stopped' "$LOG" | tail -n1 | cut -d: -f1)
rd_first=$(grep -n -E '(aggregator|writer): pid [0-9]+ stopped' "$LOG" | head -n1 | cut -d: -f1)
[ -n "$col_last" ] && [ -n "$rd_first" ] && [ "$col_last" -lt "$rd_first" ] || fail "stop order wrong"
echo "SIGTERM: exit 0 in ${took} ms"

# The rings survived (a clean stop does not remove them); a new supervisor
# re-attaches to them.
ls /dev/shm/spreadbus."$INSTANCE".binance >/dev/null || fail "ring gone after stop"
sv_start
kids=$(sv_children_pids)
[ "$(echo "$kids" | wc -l)" -eq 4 ] || fail "restart: want 4 children, have: $kids"
kill -KILL "$SV_PID"
wait "$SV_PID" 2>/dev/null || true
SV_PID=
deadline=$((SECONDS + 5))
for p in $kids; do
	while kill -0 "$p" 2>/dev/null; do
		[ $SECONDS -lt $deadline ] || fail "child $p outlived a SIGKILLed supervisor"
		sleep 0.05
	done
done
echo "SIGKILL of the supervisor: no child left"

# And a third supervisor comes up fine on the same rings, with a stale
# socket file left by the killed one.
[ -S "$T/run/spreadbus.sock" ] || fail "expected the killed supervisor's stale socket"
sv_start
all_children_up || fail "children not up after restart on surviving rings"
echo "restart after SIGKILL: ok"
