#!/usr/bin/env bash
# Discovery and [universe] mode = auto over all ten exchanges against the
# fake REST APIs (300 instruments each, in each exchange's wire shape):
# every collector reports its exchange's instruments with every field as
# an independent python parse of the same answers (universe_oracle.py)
# reads them, and the universe chosen for min_exchanges 2 and 3 equals the
# oracle's, spot pairs across the eight spot exchanges and perpetuals and
# dated futures across binance-usdm and deribit.
TL_NAME=test_universe_all_exchanges
source "$(dirname "$0")/universe_lib.sh"

UV_EXCHANGES=("${UV_ALL_EXCHANGES[@]}")
start_rest 300
save_answers "$T/answers"
exchanges_json=$(printf '%s\n' "${UV_EXCHANGES[@]}" | jq -R . | jq -s -c .)
base="\"exchanges\":$exchanges_json,\"quote_assets\":[\"USDT\",\"USDC\"],\"max_symbols\":1024"

check min_exchanges_2 "{$base,\"min_exchanges\":2,\"min_quote_volume_24h\":10000000}" \
	universe.min_exchanges=2 universe.min_quote_volume_24h=10000000
# the reports of that run, field by field
for ex in "${UV_EXCHANGES[@]}"; do
	tl_assert_eq "$ex: instruments listed" 300 "$(grep -vc '^#' "$(instruments_file "$ex")")"
	python3 "$ORACLE" report "$T/answers" "$ex" "$(instruments_file "$ex")" ||
		tl_fail "$ex: reported metadata differs from the oracle"
done
# not vacuous: every exchange has symbols, derivatives among them
for ex in "${UV_EXCHANGES[@]}"; do
	tl_assert_ge "$ex: symbols chosen" 1 "$(jq --arg e "$ex" '.[$e] | length' "$T/min_exchanges_2.got")"
done
tl_assert_ge "dated futures chosen on binance-usdm" 1 \
	"$(jq '[.["binance-usdm"][] | select(test("-[0-9]{6}$"))] | length' "$T/min_exchanges_2.got")"
check min_exchanges_3 "{$base,\"min_exchanges\":3,\"min_quote_volume_24h\":10000000}" \
	universe.min_exchanges=3 universe.min_quote_volume_24h=10000000
tl_assert_eq "perpetuals on three exchanges (only two list them)" 0 \
	"$(jq '[.["binance-usdm"], .deribit] | add | length' "$T/min_exchanges_3.got")"
tl_pass "ten exchanges' instruments as the oracle reads them; min_exchanges 2 and 3 as the oracle computes"
