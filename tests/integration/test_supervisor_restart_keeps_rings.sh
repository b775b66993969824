#!/usr/bin/env bash
# A supervisor killed with SIGKILL takes its children with it, but the rings
# survive: a new supervisor re-attaches (bus_create validates and keeps
# them), the new collector appends after the old head, and every tick
# published before the kill is still readable, in sequence.
. "$(dirname "$0")/supervisor_lib.sh"
"$BIN/spreadbus-fakex" --exchange binance:0 --ready-file "$T/fx.ready" --rate 100 >"$T/fakex.log" 2>&1 &
EXTRA_PIDS=$!
wait_until 10 "fake exchange listening" grep -qs '^control ' "$T/fx.ready"
URL_binance=ws://127.0.0.1:$(awk '$1 == "binance" { print $2 }' "$T/fx.ready") EXCHANGES=binance write_config
sv_start

busctl() { "$BIN/spreadbus-busctl" --config "$CONF" "$@"; }
head_of() { busctl rings | jq -r --arg e "$1" 'select(.exchange == $e) | .head'; }
wait_until 20 "100 ticks in the binance ring" bash -c "[ \"\$('$BIN/spreadbus-busctl' --config '$CONF' rings | jq -r 'select(.exchange==\"binance\") | .head')\" -ge 100 ]"

kids=$(sv_children_pids)
kill -KILL "$SV_PID"
wait "$SV_PID" 2>/dev/null || true
SV_PID=
for p in $kids; do wait_until 5 "child $p gone" bash -c "! kill -0 $p 2>/dev/null"; done
h1=$(head_of binance)
busctl dump binance --from 0 >"$T/before.jsonl"
[ "$(wc -l <"$T/before.jsonl")" -eq "$h1" ] || fail "ring holds $(wc -l <"$T/before.jsonl") ticks, head $h1"

sv_start
wait_until 20 "the new collector appends" bash -c "[ \"\$('$BIN/spreadbus-busctl' --config '$CONF' rings | jq -r 'select(.exchange==\"binance\") | .head')\" -gt $((h1 + 10)) ]"
busctl dump binance --from 0 >"$T/after.jsonl"
# the old ticks are all still there, unchanged, and the sequence goes on
head -n "$h1" "$T/after.jsonl" | cmp -s - "$T/before.jsonl" || fail "ticks published before the kill changed or vanished"
jq -r '.seq' "$T/after.jsonl" | awk 'NR > 1 && $1 != prev + 1 { bad = 1 } { prev = $1 } END { exit bad }' ||
	fail "sequence not contiguous across the supervisor restart"
[ "$(jq -r '.seq' "$T/after.jsonl" | head -n1)" = 0 ] || fail "the ring was recreated"
echo "ring kept across a supervisor SIGKILL: $h1 ticks before, $(wc -l <"$T/after.jsonl") after"
