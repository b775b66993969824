#!/usr/bin/env bash
# Reload (SIGHUP and spreadctl reload): an added exchange starts one new
# collector and touches nothing else; a changed exchange section restarts
# only that collector; a removed one is stopped; a broken config changes
# nothing; [redis] restarts only the aggregator, [restart] nobody, and a
# change of the ring size is refused.
. "$(dirname "$0")/supervisor_lib.sh"
write_config
sv_start
declare -A before
snapshot() { for name in $(status_json | jq -r '.children[].name'); do before[$name]=$(child_pid $name); done; }
unchanged() {
	local name
	for name in "$@"; do
		[ "$(child_pid $name)" = "${before[$name]}" ] || fail "$name changed pid (was ${before[$name]}, now $(child_pid $name))"
	done
}

# 1. SIGHUP with an added exchange
snapshot
write_config bybit
kill -HUP "$SV_PID"
wait_until 15 "bybit up" child_up bybit
unchanged binance okx aggregator writer
[ -e /dev/shm/spreadbus."$INSTANCE".bybit ] || fail "no ring for bybit"
[ "$(status_json | jq '.children | length')" -eq 5 ] || fail "want 5 children"

# 2. a broken config: nothing changes, through both ways in
snapshot
cp "$CONF" "$T/good.conf"
printf '\n[exchange.kraken]\nsymbols = BTC-USDT\nno_such_key = 1\n' >>"$CONF"
kill -HUP "$SV_PID"
wait_until 10 "reload refused in the log" grep -q 'reload refused' "$LOG"
rc=0; ctl reload 2>"$T/err" || rc=$?
[ $rc -eq 1 ] || fail "spreadctl reload of a broken config: exit $rc, want 1"
grep -q 'config has errors, nothing changed' "$T/err" || fail "reload error: $(cat "$T/err")"
sleep 0.3
unchanged binance okx bybit aggregator writer
[ "$(status_json | jq '.children | length')" -eq 5 ] || fail "a broken config changed the children"
cp "$T/good.conf" "$CONF"

# 3. one exchange's section changes: only it restarts
snapshot
sed -i '/^\[exchange.okx\]/,/^$/ s/^symbols = .*/symbols = BTC-USDT/' "$CONF"
ctl reload | grep -qx ok || fail "reload not ok"
wait_until 10 "okx restarted" bash -c "[ \"\$('$BIN/spreadctl' --config '$CONF' status --json | jq -r '.children[] | select(.name==\"okx\") | .pid')\" != '${before[okx]}' ]"
wait_until 10 "okx up" child_up okx
unchanged binance bybit aggregator writer

# 4. an exchange removed: its collector stops, nothing else moves
snapshot
EXCHANGES="binance okx" write_config
sed -i '/^\[exchange.okx\]/,/^$/ s/^symbols = .*/symbols = BTC-USDT/' "$CONF"
kill -HUP "$SV_PID"
wait_until 10 "bybit gone" bash -c "[ -z \"\$('$BIN/spreadctl' --config '$CONF' status --json | jq -r '.children[] | select(.name==\"bybit\") | .name')\" ]"
kill -0 "${before[bybit]}" 2>/dev/null && fail "bybit process still running"
unchanged binance okx aggregator writer
# 5. [redis] feeds only the aggregator: only it restarts
snapshot
sed -i '/^\[redis\]/a port = 6390' "$CONF"
ctl reload >/dev/null || fail "reload with a [redis] change"
wait_until 10 "aggregator restarted" bash -c "[ \"\$('$BIN/spreadctl' --config '$CONF' status --json | jq -r '.children[] | select(.name==\"aggregator\") | .pid')\" != '${before[aggregator]}' ]"
wait_until 10 "aggregator up" child_up aggregator
unchanged binance okx writer

# 6. [restart] is the supervisor's own: nobody restarts
snapshot
sed -i 's/^stop_timeout_ms = .*/stop_timeout_ms = 2500/' "$CONF"
ctl reload >/dev/null || fail "reload with a [restart] change"
sleep 0.5
unchanged binance okx aggregator writer

# 7. what names the bus cannot change while running: refused
sed -i 's/^ring_capacity = .*/ring_capacity = 2048/' "$CONF"
rc=0; ctl reload 2>"$T/err" || rc=$?
[ $rc -eq 1 ] && grep -q 'ring_capacity changed: that needs a restart of the service' "$T/err" ||
	fail "ring_capacity change: rc=$rc $(cat "$T/err")"
unchanged binance okx aggregator writer
echo "reload: add, refuse, change, remove, [redis], [restart] and fixed keys as expected"
