#!/usr/bin/env bash
# A restart with every exchange's REST refusing connections: the service
# starts on the universe persisted in state_dir (/universe says
# "persisted", same symbols), each collector subscribes to its share of it,
# and discovery keeps failing with a clear error, retried with backoff.
TL_NAME=test_universe_restart_rest_down
source "$(dirname "$0")/universe_lib.sh"

start_rest 300
write_universe_config universe.mode=auto universe.min_quote_volume_24h=10000000
sv_start
decided() { http_get /universe | jq -e '.source == "discovered"' >/dev/null 2>&1; }
tl_wait_for 30 "a universe decided" decided
http_get /universe | jq -S '.exchanges | map_values([.symbols[].symbol] | sort)' >"$T/before.json"
tl_wait_for 10 "binance restarted on the universe" grep -q "binance: collecting $(jq '.binance | length' "$T/before.json") symbols" "$LOG"
sv_stop TERM
tl_stop fakex-rest

# REST now refuses: nothing listens on port 1
: >"$LOG"
REST_URL_OVERRIDE=http://127.0.0.1:1 write_universe_config universe.mode=auto universe.min_quote_volume_24h=10000000
sv_start
tl_assert_eq "universe source after the restart" persisted "$(http_get /universe | jq -r .source)"
http_get /universe | jq -S '.exchanges | map_values([.symbols[].symbol] | sort)' >"$T/after.json"
diff -u "$T/before.json" "$T/after.json" || tl_fail "the persisted universe differs from the one decided"
for ex in binance bybit okx; do
	n=$(jq --arg e "$ex" '.[$e] | length' "$T/after.json")
	tl_assert_ge "$ex symbols" 1 "$n"
	tl_wait_for 10 "$ex collecting its $n persisted symbols" grep -q "$ex: collecting $n symbols" "$LOG"
	tl_wait_for 10 "$ex: a clear REST error" grep -Eq \
		"$ex: instruments: transport: GET [^ ]+: (Couldn't connect to server|Could not connect to server)" "$LOG"
done
tl_holds 2 "the persisted universe stays while REST is down" bash -c \
	"curl -s http://127.0.0.1:$HTTP_PORT/universe | jq -e '.source == \"persisted\"' >/dev/null"
tl_pass "restart with REST refusing: $(jq -c 'map_values(length)' "$T/after.json") from the persisted universe"
