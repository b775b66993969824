#!/usr/bin/env bash
# A live symbol change on a running service (list mode: the symbols lists
# edited, then SIGHUP): binance, bybit and okx collectors each get 100
# symbols added and 50 removed out of 150. Each keeps its pid, writes no
# gap marker, and every update the fake exchange sent for the symbols
# that stay is in its ring; the new symbols stream within seconds (on the
# last connection's free room and on new connections), the removed ones
# stop. Then 20 SIGHUPs within 2 s give exactly one reload (log, metrics),
# which removes the last symbols of the first connection: it closes, still
# without a gap marker.
. "$(dirname "$0")/supervisor_lib.sh"
source "$SV_SRC/tests/lib/fakex.sh"
source "$SV_SRC/tests/lib/bus.sh"
source "$SV_SRC/tests/lib/collector.sh"
source "$SV_SRC/tests/lib/reconnect_scenario.sh"
source "$SV_SRC/tests/integration/live_symbols_lib.sh"
tl_need_bins spreadbus-fakex
EXCHANGES=(binance bybit okx)
PER_CONN=100
LIVE_EXCHANGE_KEYS=("max_symbols_per_conn=$PER_CONN")

mapfile -t STAY < <(sym_range 51 150)
mapfile -t GONE < <(sym_range 1 50)
mapfile -t NEW < <(sym_range 151 250)

# write_conf FIRST LAST: every exchange streams S<FIRST>..S<LAST>.
write_conf() { live_conf "$1" "$2" writer.enabled=false gateway.enabled=false; }

fx_args=()
for ex in "${EXCHANGES[@]}"; do fx_args+=(--exchange "$ex"); done
tl_fakex_start "${fx_args[@]}" --symbols "$(sym_range 1 250 | paste -sd,)" --rate 300 --trade-every 2
write_conf 1 150
TL_CONFIG=$CONF
sv_start
for ex in "${EXCHANGES[@]}"; do
	TL_EX=$ex tl_wait_flowing 40 -1 "${GONE[@]}" "${STAY[@]}"
done
declare -A pid before
for ex in "${EXCHANGES[@]}"; do
	pid[$ex]=$(child_pid "$ex")
	before[$ex]=$(TL_EX=$ex tl_ring_last_seq)
done

# the change: S1..S50 go, S151..S250 come
write_conf 51 250
t0=$(date +%s%N)
kill -HUP "$SV_PID"
for ex in "${EXCHANGES[@]}"; do
	TL_EX=$ex tl_wait_for 30 "$ex: the 100 new symbols streaming" tl_ring_flowing "${before[$ex]}" "${NEW[@]}"
	tl_log "$ex: all 100 new symbols streamed $((($(date +%s%N) - t0) / 1000000)) ms after SIGHUP" \
		"(reload debounce 1000 ms included)"
done
grep -q "symbols changed: told it to take them live" "$LOG" || tl_fail "the supervisor did not signal the change"

live_settle 200
for ex in "${EXCHANGES[@]}"; do
	TL_EX=$ex
	# the stream goes on past the change: the ring then holds what came before it
	tl_wait_flowing 20 "${SETTLED[$ex]}" "${STAY[@]}" "${NEW[@]}"
	tl_assert_eq "$ex: collector pid" "${pid[$ex]}" "$(child_pid "$ex")"
	tl_assert_eq "$ex: gap markers (only the collector start)" 1 "$(tl_ring_gaps)"
	tl_assert_eq "$ex: gaps_total" 1 "$(tl_bus_metric "$CONF" "$ex" gaps_total)"
	late=$(tl_ring_dump | jq -s -c --argjson a "${SETTLED[$ex]}" --args \
		'[.[] | select(.seq > $a and .symbol as $s | $ARGS.positional | index($s)) | .symbol] | unique' "${GONE[@]}")
	tl_assert_eq "$ex: removed symbols in the ring after the change settled" '[]' "$late"
	sent=$(tl_fakex_sent "$ex" | jq -c --args 'with_entries(select(.key as $k | $ARGS.positional | index($k)))' \
		"${STAY[@]}")
	tl_assert_eq "$ex: streams the server sent for the symbols that stay" 100 "$(jq length <<<"$sent")"
	tl_wait_for 20 "$ex: every id sent for the symbols that stay in the ring" tl_ring_complete "$sent"
	tl_ring_check_no_duplicates
	conns=$(tl_fakex_conns | jq -s --arg e "$ex" 'map(select(.exchange == $e)) | length')
	tl_log "$ex: $conns connections for 200 symbols at $PER_CONN per connection;" \
		"$(jq '[.[].quotes[0]] | add' <<<"$sent") quotes of the staying symbols sent, all in the ring"
	tl_assert_ge "$ex: connections" 2 "$conns"
done

# 20 SIGHUPs within 2 s: one reload, at least 5 s after the last one; it
# removes S51..S75, the last symbols of each exchange's first connection
reloads() { http_get /metrics | awk '$1 == "spreadbus_reloads_total" { print $2 }'; }
r0=$(reloads)
logged0=$(grep -c "reloaded $CONF" "$LOG")
write_conf 76 250
for i in $(seq 20); do
	kill -HUP "$SV_PID"
	sleep 0.1
done
tl_wait_for 15 "one reload after the burst" tl_at_least $((r0 + 1)) reloads
below() { (($(reloads) < $1)); }
tl_holds 2 "no second reload" below $((r0 + 2))
tl_assert_eq "reloads applied for 20 SIGHUPs (metrics)" $((r0 + 1)) "$(reloads)"
tl_assert_eq "reloads applied for 20 SIGHUPs (log)" $((logged0 + 1)) "$(grep -c "reloaded $CONF" "$LOG")"
tl_assert_ge "reload triggers counted" 21 "$(http_get /metrics | awk '$1 == "spreadbus_reload_triggers_total" { print $2 }')"
conns_of() { tl_fakex_conns | jq -s --arg e "$1" 'map(select(.exchange == $e)) | length'; }
conns_are() { [[ $(conns_of "$1") == "$2" ]]; }
for ex in "${EXCHANGES[@]}"; do
	tl_wait_for 10 "$ex: the connection left without symbols closed" conns_are "$ex" 2
	grep -q "$ex: link 0: closing: no symbols left on this connection" "$LOG" || tl_fail "$ex: no close logged"
	tl_assert_eq "$ex: collector pid after the burst" "${pid[$ex]}" "$(child_pid "$ex")"
	tl_assert_eq "$ex: gap markers after the close (only the collector start)" 1 \
		"$(tl_bus_metric "$CONF" "$ex" gaps_total)"
done
tl_pass "100 added and 50 removed live on binance, bybit and okx; 20 SIGHUPs gave one reload, an emptied connection closed"
