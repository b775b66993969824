#!/usr/bin/env bash
# Discovery and [universe] mode = auto over all ten exchanges against the
# fake REST APIs (300 instruments each, in each exchange's wire shape):
# every collector reports its exchange's instruments with every field as
# an independent python parse of the same answers (universe_oracle.py)
# reads them, and the universe chosen for min_exchanges 2 and 3 equals the
# oracle's, spot pairs across the eight spot exchanges and perpetuals and
# dated futures across binance-usdm and deribit (whose book summaries are
# asked per currency). Each added exchange's own
# error answer (fake misbehaviour "code") is refused with a clear log line,
# the last good list stays, and the next refresh succeeds.
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
# Deribit's book summaries come one call per currency
for c in BTC ETH USDC USDT; do
	[[ -n $(rest_requests deribit "/api/v2/public/get_book_summary_by_currency\\?currency=$c&kind=future") ]] ||
		tl_fail "deribit: no book summary asked for currency $c"
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

# the exchanges' own error answers, in list mode (discovery runs for rest_url)
fetched() { grep -c "$1: instruments: 300 from" "$LOG" || true; }
refused() { grep -c "$1: instruments: server_error: GET .*: unusable answer" "$LOG" || true; }
write_universe_config
sv_start
for ex in binance-usdm gateio bitget kraken coinbase deribit htx; do
	tl_wait_for 20 "$ex: a first fetch" tl_at_least 1 fetched "$ex"
	rest_cmd "$ex" 'what=code&n=1'
	tl_wait_for 20 "$ex: its error answer refused" tl_at_least 1 refused "$ex"
	tl_assert_eq "$ex: the last good list stays" 300 "$(grep -vc '^#' "$(instruments_file "$ex")")"
	ok=$(fetched "$ex")
	tl_wait_for 20 "$ex: fetched again after the error" tl_at_least $((ok + 1)) fetched "$ex"
	tl_log "$ex: $(grep -m1 -o "$ex: instruments: server_error: .*unusable answer[^;]*" "$LOG" | cut -c1-160)"
done
sv_stop TERM
tl_pass "ten exchanges' instruments as the oracle reads them; min_exchanges 2 and 3 as the oracle computes; each added exchange's error answer refused, the last list kept"
