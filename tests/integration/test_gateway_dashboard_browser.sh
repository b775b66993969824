#!/usr/bin/env bash
# The dashboard in a real browser (Debian's chromium, headless): spread rows
# appear and change, the chart draws, stopping the gateway shows a
# disconnected page and a restarted gateway is reconnected to by itself.
# Screenshots: $SPREADBUS_BUILD/test-logs/test_gateway_dashboard_browser/.
source "$(dirname "$0")/gateway_lib.sh"

NODE_DIR=$GW_SRC/tests/gateway_browser
if [ ! -x /usr/bin/chromium ] || [ ! -d "$NODE_DIR/node_modules/playwright-core" ] || ! command -v node >/dev/null; then
	tl_skip "needs /usr/bin/chromium, node and tests/gateway_browser/node_modules (make deps)"
fi
OUT=${SPREADBUS_BUILD:-$GW_SRC/build}/test-logs/test_gateway_dashboard_browser
mkdir -p "$OUT"

gw_config
start_aggregator
start_gateway
start_feeder
echo "stream binance,okx,bybit BTC-USDT,ETH-USDT 30 90" >&3 # 30 quotes/s for the whole test

tl_spawn browser node "$NODE_DIR/dashboard.mjs" "http://127.0.0.1:$GW_PORT/" "$OUT"
tl_wait_for 30 "the page shows changing spreads and the chart" grep -q '^STOP-GATEWAY' "$T/browser.log"
grep -q '^ROWS .*BTC-USDT' "$T/browser.log" || tl_fail "no BTC-USDT row"
tl_stop gateway TERM
tl_assert_eq "gateway exit status" 0 "${TL_EXIT[gateway]}"
tl_wait_for 20 "the page shows disconnected" grep -q '^DOWN-SEEN' "$T/browser.log"
start_gateway
tl_reap browser 40
tl_assert_eq "browser script exit status" 0 "${TL_EXIT[browser]}"
grep -q '^RECONNECTED' "$T/browser.log" || tl_fail "no reconnection seen"
[ -s "$OUT/dashboard.png" ] || tl_fail "no screenshot"
tl_log "screenshots in $OUT"
tl_pass
