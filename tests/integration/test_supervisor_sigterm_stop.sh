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
[ $rc -eq 1 ] || tl_fail "second supervisor: exit $rc, want 1"
grep -q 'is in use by a running process' "$T/second.log" || tl_fail "second supervisor: $(cat "$T/second.log")"
[ "$(sv_children_pids)" = "$kids" ] || tl_fail "the second supervisor changed the children"
ctl status >/dev/null || tl_fail "the first supervisor's socket is gone"

[ "$(echo "$kids" | wc -l)" -eq 4 ] || tl_fail "want 4 children, have: $kids"
start_ms=$(date +%s%3N)
kill -TERM "$SV_PID"
tl_reap supervisor 10
took=$(($(date +%s%3N) - start_ms))
SV_PID=
tl_assert_eq "exit status after SIGTERM" 0 "${TL_EXIT[supervisor]}"
[ $took -lt 5000 ] || tl_fail "stop took ${took} ms"
for p in $kids; do kill -0 "$p" 2>/dev/null && tl_fail "child $p survived the stop"; done
[ -e "$T/run/spreadbus.sock" ] && tl_fail "control socket left behind"
# order: every collector stopped before the readers were told to stop
col_last=$(grep -n -E '(binance|okx): pid [0-9]+ stopped' "$LOG" | tail -n1 | cut -d: -f1)
rd_first=$(grep -n -E '(aggregator|writer): pid [0-9]+ stopped' "$LOG" | head -n1 | cut -d: -f1)
[ -n "$col_last" ] && [ -n "$rd_first" ] && [ "$col_last" -lt "$rd_first" ] || tl_fail "stop order wrong"
echo "SIGTERM: exit 0 in ${took} ms"

# The rings survived (a clean stop does not remove them); a new supervisor
# re-attaches to them.
ls /dev/shm/spreadbus."$INSTANCE".binance >/dev/null || tl_fail "ring gone after stop"
sv_start
kids=$(sv_children_pids)
[ "$(echo "$kids" | wc -l)" -eq 4 ] || tl_fail "restart: want 4 children, have: $kids"
sv_stop KILL
tl_wait_for 5 "every child gone with the SIGKILLed supervisor" all_gone $kids
echo "SIGKILL of the supervisor: no child left"

# And a third supervisor comes up fine on the same rings, with a stale
# socket file left by the killed one.
[ -S "$T/run/spreadbus.sock" ] || tl_fail "expected the killed supervisor's stale socket"
sv_start
all_children_up || tl_fail "children not up after restart on surviving rings"
echo "restart after SIGKILL: ok"
