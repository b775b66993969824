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
	python3 "$ORACLE" metadata "$T/answers" "$ex" >"$T/$ex.expected"
	# the report's columns: canonical native base quote status trading tick lot min_qty min_notional volume
	python3 - "$(instruments_file "$ex")" "$T/$ex.expected" "$ex" <<'PY' || tl_fail "$ex: reported metadata differs from the oracle"
import sys
got = {}
for line in open(sys.argv[1]):
    if line.startswith("#"):
        continue
    f = line.rstrip("\n").split("\t")
    got[f[1]] = [f[0], f[1], f[5]] + [float(x) for x in f[6:11]]
want = {}
for line in open(sys.argv[2]):
    f = line.rstrip("\n").split("\t")
    want[f[1]] = f[:3] + [float(x) for x in f[3:]]
assert len(want) == 300, len(want)
if set(got) != set(want):
    sys.exit(f"{sys.argv[3]}: names differ: missing {sorted(set(want) - set(got))[:5]}, extra {sorted(set(got) - set(want))[:5]}")
for k, w in want.items():
    g = got[k]
    if g[:3] != w[:3] or any(abs(a - b) > 1e-9 * max(abs(a), abs(b), 1e-300) for a, b in zip(g[3:], w[3:])):
        sys.exit(f"{sys.argv[3]} {k}: got {g}, want {w}")
print(f"{sys.argv[3]}: {len(want)} instruments match, {sum(1 for w in want.values() if w[2] == '0')} not trading")
PY
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
