#!/usr/bin/env bash
# [universe] mode = auto against a known fake universe (300 instruments per
# exchange on binance, bybit and okx): for each rule (min_exchanges, 24 h
# volume, quote assets, status, include, exclude, max_symbols) the symbols
# per exchange at /universe and from `spreadctl universe` equal the set an
# independent oracle (universe_oracle.py, python3) computes from the same
# REST answers, each with its reason; the choice is persisted in state_dir.
TL_NAME=test_universe_select
source "$(dirname "$0")/universe_lib.sh"

start_rest 300
save_answers "$T/answers"

base='"exchanges":["binance","bybit","okx"],"quote_assets":["USDT","USDC"],"max_symbols":1024'
check min_exchanges_2 "{$base,\"min_exchanges\":2,\"min_quote_volume_24h\":10000000}" \
	universe.min_exchanges=2 universe.min_quote_volume_24h=10000000
check min_exchanges_3 "{$base,\"min_exchanges\":3,\"min_quote_volume_24h\":10000000}" \
	universe.min_exchanges=3 universe.min_quote_volume_24h=10000000
check volume "{$base,\"min_exchanges\":2,\"min_quote_volume_24h\":200000000}" \
	universe.min_exchanges=2 universe.min_quote_volume_24h=200000000
check quote_assets "{\"exchanges\":[\"binance\",\"bybit\",\"okx\"],\"quote_assets\":[\"BTC\",\"ETH\",\"EUR\"],\"max_symbols\":1024,\"min_exchanges\":2,\"min_quote_volume_24h\":1000000}" \
	universe.min_exchanges=2 universe.min_quote_volume_24h=1000000 "universe.quote_assets=BTC, ETH, EUR"
# include: a pair listed on one exchange only and one below the volume;
# exclude: the two largest
inc=$(jq -r '[.data[] | select(.state == "live" and (.quoteCcy == "TRY" or .quoteCcy == "FDUSD")) | .instId] | .[0:2] | join(",")' "$T/answers/okx.info.json")
check include_exclude "{$base,\"min_exchanges\":2,\"min_quote_volume_24h\":10000000,\"include\":$(jq -c 'split(",")' <<<"\"$inc\""),\"exclude\":[\"BTC-USDT\",\"ETH-USDT\"]}" \
	universe.min_exchanges=2 universe.min_quote_volume_24h=10000000 "universe.include=$inc" \
	"universe.exclude=BTC-USDT, ETH-USDT"
check max_symbols "{$base,\"min_exchanges\":2,\"min_quote_volume_24h\":1000000,\"max_symbols\":25}" \
	universe.min_exchanges=2 universe.min_quote_volume_24h=1000000 universe.max_symbols=25

# status: halted instruments that pass every other rule exist in this
# universe (the oracle ignoring status differs), so the equality above
# shows they were left out
python3 "$ORACLE" select "$T/answers" "{$base,\"min_exchanges\":2,\"min_quote_volume_24h\":1000000,\"ignore_status\":true}" |
	jq -S . >"$T/ignore_status.want"
python3 "$ORACLE" select "$T/answers" "{$base,\"min_exchanges\":2,\"min_quote_volume_24h\":1000000}" | jq -S . >"$T/status.want"
! cmp -s "$T/ignore_status.want" "$T/status.want" || tl_fail "no halted pair would pass the other rules: the status rule is untested"
check status "{$base,\"min_exchanges\":2,\"min_quote_volume_24h\":1000000}" \
	universe.min_exchanges=2 universe.min_quote_volume_24h=1000000
for ex in binance bybit okx; do
	n=$(jq -r --arg e "$ex" '.[$e][]' "$T/max_symbols.got" | wc -l)
	tl_assert_ge "$ex symbols under max_symbols = 25" 0 $((25 - n))
done
tl_pass "min_exchanges, volume, quote assets, include/exclude, max_symbols and status as the oracle computes, with reasons"
