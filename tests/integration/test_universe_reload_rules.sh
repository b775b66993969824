#!/usr/bin/env bash
# A reload that changes [universe] rules decides again at once, from the
# reports in hand (refresh_s = 3600: no refresh is due): /universe
# follows the new rules as the oracle computes them, and the collectors
# whose symbols changed take the new universe (live, without a restart).
TL_NAME=test_universe_reload_rules
source "$(dirname "$0")/universe_lib.sh"

start_rest 300
save_answers "$T/answers"
write_universe_config universe.mode=auto universe.refresh_s=3600 universe.min_exchanges=2 \
	universe.min_quote_volume_24h=10000000
sv_start
changes_at_least() { (($(http_get /universe | jq '.changes // 0') >= $1)); }
tl_wait_for 30 "a universe decided" changes_at_least 1

write_universe_config universe.mode=auto universe.refresh_s=3600 universe.min_exchanges=3 \
	universe.min_quote_volume_24h=10000000
ctl reload >/dev/null || tl_fail "reload refused"
tl_wait_for 10 "the universe decided again" changes_at_least 2
http_get /universe | jq -S '.exchanges | map_values([.symbols[].symbol] | sort)' >"$T/got.json"
python3 "$ORACLE" select "$T/answers" \
	'{"exchanges":["binance","bybit","okx"],"quote_assets":["USDT","USDC"],"max_symbols":1024,"min_exchanges":3,"min_quote_volume_24h":10000000}' |
	jq -S . >"$T/want.json"
diff -u "$T/want.json" "$T/got.json" || tl_fail "after the reload /universe differs from the oracle"
grep -q "universe: the config changed: deciding again" "$LOG" || tl_fail "the reload did not start a decision"
n=$(jq '.binance | length' "$T/got.json")
# binance changes its symbols live (collector/live_symbols.c)
tl_wait_for 10 "binance collecting the $n symbols of the new universe" \
	grep -q "binance: symbols changed live: .*; collecting $n symbols" "$LOG"
tl_pass "min_exchanges 2 -> 3 by reload: $(jq -c 'map_values(length)' "$T/got.json")"
