#!/usr/bin/env bash
# [universe] mode = auto end to end: the fake exchange's WebSockets serve
# the pairs the oracle expects in the universe; the collectors, which start
# with no universe and only discover, subscribe to exactly their share of
# the universe once it is decided (the fake's open connections show it),
# and the aggregator takes its symbols live (its listing line counts them);
# /metrics counts them per exchange.
TL_NAME=test_universe_auto_streams
source "$(dirname "$0")/universe_lib.sh"
source "$UV_SRC/tests/lib/fakex.sh"
tl_need_bins spreadbus-fakex

start_rest 300
save_answers "$T/answers"
python3 "$ORACLE" select "$T/answers" \
	'{"exchanges":["binance","bybit","okx"],"quote_assets":["USDT","USDC"],"max_symbols":1024,"min_exchanges":2,"min_quote_volume_24h":10000000}' |
	jq -S . >"$T/want.json"
union=$(jq -r '[.[][]] | unique | join(",")' "$T/want.json")
distinct=$(jq '[.[][]] | unique | length' "$T/want.json")
tl_fakex_start --exchange binance --exchange bybit --exchange okx --symbols "$union" --rate 20
for ex in binance bybit okx; do WS_URL[$ex]=ws://127.0.0.1:${TL_FAKEX_PORT[$ex]}; done
write_universe_config universe.mode=auto universe.min_exchanges=2 universe.min_quote_volume_24h=10000000
sv_launch

# the fake's view: per exchange, the symbols its open connections carry
subscribed_as_expected() {
	local ex
	tl_fakex_cmd conns >"$T/conns.json"
	for ex in binance bybit okx; do
		jq -e --arg e "$ex" --slurpfile want "$T/want.json" \
			'[.[] | select(.exchange == $e) | .symbols[]] | unique == ($want[0][$e] | sort)' "$T/conns.json" >/dev/null ||
			return 1
	done
}
tl_wait_for 30 "each collector subscribed to its share of the universe" subscribed_as_expected
tl_wait_for 10 "the aggregator listing the universe's $distinct symbols" \
	grep -Eq "aggregator: (symbols changed \(SIGHUP\)|a tick of a newly registered symbol): $distinct symbols" "$LOG"
# /metrics: per exchange the symbols streamed and the report's instruments
http_get /metrics >"$T/metrics.txt"
for ex in binance bybit okx; do
	tl_assert_eq "$ex universe_symbols metric" "$(jq --arg e "$ex" '.[$e] | length' "$T/want.json")" \
		"$(awk -v m="spreadbus_universe_symbols{exchange=\"$ex\"}" '$1 == m {print $2}' "$T/metrics.txt")"
	tl_assert_eq "$ex universe_instruments metric" 300 \
		"$(awk -v m="spreadbus_universe_instruments{exchange=\"$ex\"}" '$1 == m {print $2}' "$T/metrics.txt")"
done
grep -Eq '^spreadbus_universe_changes_total [1-9]' "$T/metrics.txt" || tl_fail "no universe change counted"
if command -v promtool >/dev/null; then
	promtool check metrics <"$T/metrics.txt" || tl_fail "promtool check metrics failed"
fi
tl_pass "collectors subscribed to $(jq -c 'map_values(length)' "$T/want.json"), aggregator on $distinct symbols"
