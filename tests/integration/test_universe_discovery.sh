#!/usr/bin/env bash
# Each collector fetches its exchange's instruments and 24 h tickers over
# REST (fake Binance, Bybit and OKX, 300 instruments each) and reports them
# in <runtime_dir>/instruments.<exchange>.tsv: every instrument with its
# native name, status, tick and lot size, minimum quantity and notional and
# 24 h quote volume, equal to what an independent parse (python3) of the
# same answers gives; both calls go over one kept-alive connection; the
# refresh repeats them every refresh_s.
TL_NAME=test_universe_discovery
source "$(dirname "$0")/universe_lib.sh"

start_rest 300
save_answers "$T/answers"
write_universe_config
sv_start

for ex in binance bybit okx; do
	tl_wait_for 20 "$ex instruments reported" test -s "$(instruments_file "$ex")"
done
for ex in binance bybit okx; do
	tl_assert_eq "$ex: instruments listed" 300 "$(grep -vc '^#' "$(instruments_file "$ex")")"
	python3 "$ORACLE" report "$T/answers" "$ex" "$(instruments_file "$ex")" ||
		tl_fail "$ex: reported metadata differs from the oracle"
done

# keep-alive: the collector's calls, start and refreshes, reuse one
# connection per host (the log counts connections the fake accepted beyond
# the oracle's six curl calls, one each)
for ex in binance bybit okx; do
	tl_wait_for 10 "$ex refreshed" tl_at_least 4 bash -c "grep -c ' $ex [0-9]* GET .*200\$' '$REST_LOG'"
	conns=$(grep -E " $ex [0-9]+ GET " "$REST_LOG" | awk '{print $4}' | sort -u | wc -l)
	tl_assert_eq "$ex: connections used (2 by the oracle's curl, 1 by the collector)" 3 "$conns"
done
# list mode: /universe shows the configured symbols with their metadata
has_meta() { http_get /universe | jq -e '.mode == "list" and ([.exchanges[] | .symbols | map(.symbol)] ==
	[range(3) | ["BTC-USDT", "ETH-USDT"]]) and ([.exchanges[].symbols[] | .native and .tick_size > 0] | all)' >/dev/null; }
tl_wait_for 10 "/universe with the configured symbols and their metadata" has_meta
want=$(jq -r '.symbols[] | select(.symbol == "BTCUSDT") | .filters[] | select(.filterType == "PRICE_FILTER") | .tickSize | tonumber' "$T/answers/binance.info.json")
tl_assert_eq "binance BTC-USDT tick size at /universe" "$want" \
	"$(http_get /universe | jq '.exchanges.binance.symbols[] | select(.symbol == "BTC-USDT") | .tick_size')"
grep -q "binance: instruments: 300 from http://127.0.0.1:${REST_PORT[binance]}" "$LOG" ||
	tl_fail "no log line for the binance fetch"
tl_pass "300 instruments per exchange as the oracle reads them, one connection per host"
