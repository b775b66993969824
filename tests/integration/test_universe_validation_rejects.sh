#!/usr/bin/env bash
# Per-instrument validation end to end: the binance collector discovers
# its instruments from the fake REST API (tick and lot sizes those of the
# fake WebSocket's prices and sizes), and once they are in force the fake
# exchange sends well-formed quotes that break them: 7 with the bid off
# the tick, 5 with the bid size off the lot, 3 whose mid jumps 50% (the
# limit: max_price_jump_pct = 10). The supervisor's /metrics counts exactly
# those per reason for binance (none for the other collectors), and none
# of them reaches the ring: once the fake falls quiet, the ticks published
# equal the good quotes it sent.
TL_NAME=test_universe_validation_rejects
source "$(dirname "$0")/universe_lib.sh"
source "$UV_SRC/tests/lib/fakex.sh"
tl_need_bins spreadbus-fakex

start_rest 300
tl_fakex_start --exchange binance --symbols BTC-USDT,ETH-USDT --rate 100
WS_URL[binance]=ws://127.0.0.1:${TL_FAKEX_PORT[binance]}
# quotes only, so that the fake's good quotes and the ring's ticks are one count
write_universe_config universe.refresh_s=3600 exchange.binance.trades=false exchange.binance.max_price_jump_pct=10
sv_launch

metric() { # metric NAME EXCHANGE: one collector sample of /metrics
	http_get /metrics | awk -v m="spreadbus_$1{exchange=\"$2\"}" '$1 == m {print $2}'
}
published_over() { local n; n=$(metric ticks_published_total binance); [[ ${n:-0} -gt $1 ]]; }
tl_wait_for 30 "binance's tick and lot sizes in force" grep -q "binance: the tick and lot sizes of 300 instruments in force" "$LOG"
# each symbol has an accepted mid to jump from
tl_wait_for 20 "binance streaming" published_over 200

tl_fakex_cmd "off_tick 7" >/dev/null
tl_fakex_cmd "off_lot 5" >/dev/null
tl_fakex_cmd "jump 3" >/dev/null
spent() { [[ $(tl_fakex_cmd stats | jq -c '.binance | [.off_tick, .off_lot, .jump]') == "[7,5,3]" ]]; }
tl_wait_for 20 "the fake sent the 15 spoiled quotes" spent
counted() {
	[[ "$(metric rejects_tick_size_total binance) $(metric rejects_lot_size_total binance) $(metric rejects_price_jump_total binance)" == "7 5 3" ]]
}
tl_wait_for 20 "binance counted 7 off-tick, 5 off-lot and 3 price-jump rejects" counted
for ex in bybit okx; do
	tl_assert_eq "$ex off-tick, off-lot and price-jump rejects" "0 0 0" \
		"$(metric rejects_tick_size_total $ex) $(metric rejects_lot_size_total $ex) $(metric rejects_price_jump_total $ex)"
done
# no other reason took them
for m in rejects_json_total rejects_field_total rejects_price_total rejects_crossed_total duplicates_total; do
	tl_assert_eq "binance $m" 0 "$(metric $m binance)"
done

# the ring holds every good quote and none of the 15
tl_fakex_cmd "quiet 600000" >/dev/null
all_good_published() {
	local good published
	good=$(tl_fakex_stat binance.quotes)
	published=$(metric ticks_published_total binance)
	[[ $good == "$published" ]]
}
tl_wait_for 20 "ticks published = the fake's good quotes" all_good_published
if command -v promtool >/dev/null; then
	http_get /metrics | promtool check metrics || tl_fail "promtool check metrics failed"
fi
tl_pass "7 off_tick, 5 off_lot, 3 price_jump counted for binance; $(metric ticks_published_total binance) good quotes published, none of the 15"
