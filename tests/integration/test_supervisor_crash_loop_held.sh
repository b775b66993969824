#!/usr/bin/env bash
# A collector that exits at once, every time, ends up held (circuit open)
# after burst_count crashes in burst_window_s; spreadctl status says so and
# every other child is unaffected. The bin dir is a copy of the real one
# whose collector exits with 1 for the exchange "okx" only.
. "$(dirname "$0")/supervisor_lib.sh"
mkdir -p "$T/crashbin"
for p in spreadbus-aggregator spreadbus-writer; do ln -s "$BIN/$p" "$T/crashbin/$p"; done
cat >"$T/crashbin/spreadbus-collector" <<WRAP
#!/bin/bash
[ "\$2" = okx ] && { echo "okx: refusing to start (test)" >&2; exit 1; }
exec "$BIN/spreadbus-collector" "\$@"
WRAP
chmod +x "$T/crashbin/spreadbus-collector"
BIN_DIR=$T/crashbin BURST_COUNT=3 BURST_WINDOW_S=30 HOLD_MS=60000 write_config

sv_launch
tl_wait_for 30 "okx held" child_state_is okx held
for name in binance aggregator writer; do tl_wait_for 30 "$name up" child_up $name; done
declare -A before
for name in binance aggregator writer; do before[$name]=$(child_pid $name); done

# burst_count=3: the 4th crash within the window opens the circuit.
[ "$(child_field okx restarts)" -eq 3 ] || tl_fail "okx restarts=$(child_field okx restarts), want 3"
[[ $(child_field okx last_exit) == "exit code 1 after"* ]] || tl_fail "okx last_exit: $(child_field okx last_exit)"
[ "$(child_field okx pid)" = null ] || tl_fail "a held child has no process"
ctl status >"$T/status.txt"
grep -E '^okx +collector +held ' "$T/status.txt" || tl_fail "spreadctl status table does not show okx held: $(cat "$T/status.txt")"
grep -q 'retry in' "$T/status.txt" || tl_fail "no retry time shown"
grep -q 'okx: pid .* died: exit code 1 .*held for 60000 ms' "$LOG" || tl_fail "hold not logged"

# Nothing else moved, and stays so while okx is held: 2 s is ten times the
# longest restart backoff, time enough for a restart to show.
others_and_okx_held() {
	local name
	for name in binance aggregator writer; do
		[ "$(child_pid $name)" = "${before[$name]}" ] || return 1
	done
	child_state_is okx held
}
tl_holds 2 "okx held, every other child on its pid" others_and_okx_held
# An operator start clears the history and tries at once: the same four
# quick crashes, and held again.
okx_deaths() { grep -c 'okx: pid .* died' "$LOG"; }
ctl start okx >/dev/null || tl_fail "start okx failed"
tl_wait_for 10 "okx held again after start" tl_at_least 8 okx_deaths
tl_assert_eq "okx deaths" 8 "$(okx_deaths)"
tl_wait_for 10 "okx state held" child_state_is okx held
for name in binance aggregator writer; do
	[ "$(child_pid $name)" = "${before[$name]}" ] || tl_fail "$name changed pid"
done
echo "okx held after 4 quick crashes; others untouched"
