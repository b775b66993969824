#!/usr/bin/env bash
# Plays systemd's side of sd_notify: a datagram socket as NOTIFY_SOCKET and
# WATCHDOG_USEC=1 s. The supervisor must send READY=1 once every child
# runs, STATUS= with the summary, WATCHDOG=1 every ~0.5 s although no
# exchange is reachable, never pass the socket to its children, and send
# STOPPING=1 on SIGTERM; a reload is framed by RELOADING=1 and READY=1.
. "$(dirname "$0")/supervisor_lib.sh"
write_config
NOTIFY=$T/notify.sock
tl_spawn notify "$BIN/spreadbus-test-notify-sink" "$NOTIFY" 60
tl_wait_for 10 "notify socket bound" test -S "$NOTIFY"

NOTIFY_SOCKET=$NOTIFY WATCHDOG_USEC=1000000 sv_launch
tl_wait_for 30 "READY=1" grep -q 'READY=1' "$T/notify.log"
# READY=1 comes only after every child has sent a heartbeat.
all_children_up || tl_fail "READY=1 before every child was up: $(status_json)"
grep -q 'STATUS=0/2 exchanges streaming, aggregator running, writer running' "$T/notify.log" ||
	tl_fail "no STATUS= summary: $(cat "$T/notify.log")"

# Watchdog pings keep coming at ~half of WATCHDOG_USEC while both
# exchanges are down (nothing listens on their port).
pings() { grep -c 'WATCHDOG=1' "$T/notify.log"; }
base=$(pings || true)
tl_wait_for 10 "4 more WATCHDOG=1" tl_at_least $((base + 4)) pings
first=$(grep 'WATCHDOG=1' "$T/notify.log" | tail -n 4 | head -n 1 | cut -d' ' -f1)
last=$(grep 'WATCHDOG=1' "$T/notify.log" | tail -n 1 | cut -d' ' -f1)
gap_ms=$(awk -v a="$first" -v b="$last" 'BEGIN { printf "%d", (b - a) * 1000 / 3 }')
[ "$gap_ms" -ge 350 ] && [ "$gap_ms" -le 700 ] || tl_fail "watchdog interval ${gap_ms} ms, want ~500 ms"

# Children must not inherit the notify socket or the watchdog settings.
for name in binance okx aggregator writer; do
	pid=$(child_pid $name)
	if tr '\0' '\n' <"/proc/$pid/environ" | grep -qE '^(NOTIFY_SOCKET|WATCHDOG_USEC|WATCHDOG_PID)='; then
		tl_fail "$name (pid $pid) inherited the systemd notify environment"
	fi
done

# Reload: RELOADING=1, then READY=1 again.
kill -HUP "$SV_PID"
tl_wait_for 10 "RELOADING=1" grep -q 'RELOADING=1|MONOTONIC_USEC=[0-9]' "$T/notify.log"
ready_after_reload() { sed -n '/RELOADING=1/,$p' "$T/notify.log" | grep -q 'READY=1'; }
tl_wait_for 10 "READY=1 after RELOADING=1" ready_after_reload

kill -TERM "$SV_PID"
tl_wait_for 10 "STOPPING=1" grep -q 'STOPPING=1' "$T/notify.log"
tl_reap supervisor 10
tl_assert_eq "supervisor exit status after SIGTERM" 0 "${TL_EXIT[supervisor]}"
SV_PID=
tl_stop notify
echo "notify messages:"
sort -k2 -u "$T/notify.log" | cut -d' ' -f2- | sort | uniq -c
