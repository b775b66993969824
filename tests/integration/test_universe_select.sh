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

decided() { http_get /universe | jq -e '.source == "discovered" and .computations >= 1' >/dev/null 2>&1; }

# check NAME RULES_JSON CONFIG_KEYS...: run the service with those keys,
# compare its universe with the oracle's.
check() {
	local name=$1 rules=$2
	shift 2
	rm -f "$T/state/universe.tsv" "$T"/run/instruments.*.tsv
	write_universe_config universe.mode=auto "$@"
	sv_start
	tl_wait_for 30 "$name: a universe decided" decided
	http_get /universe | jq -S '.exchanges | map_values([.symbols[].symbol] | sort)' >"$T/$name.got"
	python3 "$ORACLE" select "$T/answers" "$rules" | jq -S . >"$T/$name.want"
	diff -u "$T/$name.want" "$T/$name.got" >"$T/$name.diff" || {
		head -20 "$T/$name.diff" >&2
		tl_fail "$name: /universe differs from the oracle"
	}
	# every symbol says why: its exchanges and volumes, or include
	http_get /universe | jq -e --argjson min "$(jq .min_exchanges <<<"$rules")" '[.exchanges[].symbols[] |
		(.reason == "include") or ((.reason | test("^on [0-9]+ exchanges")) and
		((.reason | capture("^on (?<n>[0-9]+)").n | tonumber) >= $min))] | all' >/dev/null ||
		tl_fail "$name: a symbol without a valid reason"
	# spreadctl universe shows the same lines
	ctl universe | awk 'NR > 2 {print $1, $2}' | sort >"$T/$name.ctl"
	jq -r 'to_entries[] | .key as $e | .value[] | "\($e) \(.)"' "$T/$name.got" | sort | diff - "$T/$name.ctl" ||
		tl_fail "$name: spreadctl universe differs from /universe"
	local n
	n=$(jq '[.[] | length] | add' "$T/$name.got")
	tl_assert_eq "$name: persisted lines" "$n" "$(grep -vc '^#' "$T/state/universe.tsv")"
	tl_log "$name: $(jq -c 'map_values(length)' "$T/$name.got") as the oracle says"
	sv_stop TERM
}

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
