#!/usr/bin/env bash
# Reload (SIGHUP and spreadctl reload): an added exchange starts one new
# collector and restarts the aggregator (which maps every exchange at
# start), nothing else; a changed exchange section (other than its symbols
# and fee) restarts only that collector; a removed one is stopped and the
# aggregator restarted; a broken config changes nothing; [redis] restarts only the
# aggregator, [restart] nobody, and a change of the ring size is refused.
. "$(dirname "$0")/supervisor_lib.sh"
write_config
sv_start
declare -A before
snapshot() { for name in $(status_json | jq -r '.children[].name'); do before[$name]=$(child_pid $name); done; }
unchanged() {
	local name
	for name in "$@"; do
		[ "$(child_pid $name)" = "${before[$name]}" ] || tl_fail "$name changed pid (was ${before[$name]}, now $(child_pid $name))"
	done
}

# 1. SIGHUP with an added exchange
snapshot
write_config bybit
kill -HUP "$SV_PID"
tl_wait_for 15 "bybit up" child_up bybit
tl_wait_for 10 "aggregator restarted" child_replaced aggregator "${before[aggregator]}"
unchanged binance okx writer
[ -e /dev/shm/spreadbus."$INSTANCE".bybit ] || tl_fail "no ring for bybit"
[ "$(status_json | jq '.children | length')" -eq 5 ] || tl_fail "want 5 children"

# 2. a broken config: nothing changes, through both ways in
snapshot
cp "$CONF" "$T/good.conf"
printf '\n[exchange.kraken]\nsymbols = BTC-USDT\nno_such_key = 1\n' >>"$CONF"
kill -HUP "$SV_PID"
tl_wait_for 10 "reload refused in the log" grep -q 'reload refused' "$LOG"
rc=0; ctl reload 2>"$T/err" || rc=$?
[ $rc -eq 1 ] || tl_fail "spreadctl reload of a broken config: exit $rc, want 1"
grep -q 'config has errors, nothing changed' "$T/err" || tl_fail "reload error: $(cat "$T/err")"
# A reload decides and stops what it changes before it answers: had it
# touched a child, that child would show "stopping" now.
all_children_up || tl_fail "a refused reload touched a child: $(status_json)"
unchanged binance okx bybit aggregator writer
[ "$(status_json | jq '.children | length')" -eq 5 ] || tl_fail "a broken config changed the children"
cp "$T/good.conf" "$CONF"

# 3. one exchange's section changes: only it restarts (a change of its
# symbols alone is taken live: test_universe_live_change.sh)
snapshot
sed -i '/^\[exchange.okx\]/a no_data_timeout_ms = 25000' "$CONF"
ctl reload | grep -qx ok || tl_fail "reload not ok"
tl_wait_for 10 "okx restarted" child_replaced okx "${before[okx]}"
tl_wait_for 10 "okx up" child_up okx
unchanged binance bybit aggregator writer

# 4. an exchange removed: its collector stops, nothing else moves
snapshot
EXCHANGES="binance okx" write_config
sed -i '/^\[exchange.okx\]/a no_data_timeout_ms = 25000' "$CONF"
kill -HUP "$SV_PID"
bybit_gone() { [ -z "$(status_json | jq -r '.children[] | select(.name=="bybit") | .name')" ]; }
tl_wait_for 10 "bybit gone" bybit_gone
kill -0 "${before[bybit]}" 2>/dev/null && tl_fail "bybit process still running"
tl_wait_for 10 "aggregator restarted" child_replaced aggregator "${before[aggregator]}"
unchanged binance okx writer
# 5. [redis] feeds only the aggregator: only it restarts
snapshot
sed -i '/^\[redis\]/a port = 6390' "$CONF"
ctl reload >/dev/null || tl_fail "reload with a [redis] change"
tl_wait_for 10 "aggregator restarted" child_replaced aggregator "${before[aggregator]}"
tl_wait_for 10 "aggregator up" child_up aggregator
unchanged binance okx writer

# 6. [restart] is the supervisor's own: nobody restarts
snapshot
sed -i 's/^stop_timeout_ms = .*/stop_timeout_ms = 2500/' "$CONF"
ctl reload >/dev/null || tl_fail "reload with a [restart] change"
all_children_up || tl_fail "a [restart] change touched a child: $(status_json)"
unchanged binance okx aggregator writer

# 7. what names the bus cannot change while running: refused
sed -i 's/^ring_capacity = .*/ring_capacity = 2048/' "$CONF"
rc=0; ctl reload 2>"$T/err" || rc=$?
[ $rc -eq 1 ] && grep -q 'ring_capacity changed: that needs a restart of the service' "$T/err" ||
	tl_fail "ring_capacity change: rc=$rc $(cat "$T/err")"
unchanged binance okx aggregator writer
echo "reload: add, refuse, change, remove, [redis], [restart] and fixed keys as expected"
