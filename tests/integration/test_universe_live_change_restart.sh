#!/usr/bin/env bash
# A symbols-only change for a collector whose adapter cannot change
# symbols live (gateio): told by SIGHUP, it exits asking to be started
# again (exit status 3), and the supervisor starts it at once with its
# new symbols, not as a crash; the binance collector next to it takes the
# same change live and keeps its pid.
. "$(dirname "$0")/supervisor_lib.sh"
EXCHANGES="binance gateio" write_config
sv_start
# past STARTING: the collectors catch SIGHUP from then on
reported() { [[ $(child_field "$1" reported_state) == "$2" ]]; }
for ex in binance gateio; do tl_wait_for 20 "$ex reporting degraded (nothing listens)" reported "$ex" degraded; done
binance_pid=$(child_pid binance)
gateio_pid=$(child_pid gateio)
sed -i '/^\[exchange\.\(binance\|gateio\)\]/,/^$/ s/^symbols = .*/symbols = BTC-USDT, ETH-USDT, SOL-USDT/' "$CONF"
grep -c '^symbols = BTC-USDT, ETH-USDT, SOL-USDT$' "$CONF" | grep -qx 2 || tl_fail "the config edit missed: $(cat "$CONF")"
kill -HUP "$SV_PID"
tl_wait_for 15 "gateio started again" child_replaced gateio "$gateio_pid"
tl_wait_for 15 "gateio up" child_up gateio
grep -q "gateio: the gateio adapter cannot change symbols live: restarting to take them" "$LOG" ||
	tl_fail "gateio did not log why it stops"
grep -q "gateio: pid $gateio_pid asked to be started again: exit code 3" "$LOG" || tl_fail "no planned restart in the log"
grep -q "gateio: pid $gateio_pid died" "$LOG" && tl_fail "the restart counted as a crash"
tl_wait_for 10 "gateio collecting 3 symbols" grep -q "gateio: collecting 3 symbols" "$LOG"
tl_wait_for 10 "binance took the change live" grep -q "binance: symbols changed live: 1 added, 0 back, 0 removed" "$LOG"
tl_assert_eq "binance pid" "$binance_pid" "$(child_pid binance)"
tl_pass "gateio restarted on request, binance changed live"
