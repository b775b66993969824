#!/usr/bin/env bash
# Redis down: the aggregator cannot publish (nothing listens on its Redis
# port; it reports degraded), yet the gateway streams every spread update
# from _spreads.
source "$(dirname "$0")/gateway_lib.sh"

gw_config redis.enabled=true "redis.port=$(tl_free_port)" redis.connect_timeout_ms=200
start_aggregator
start_gateway
start_feeder
client c
request c '{"op":"subscribe","channels":["spreads"],"id":1}' >/dev/null
agg_degraded() { [ "$(tl_bus_field "$CONF" aggregator .state)" = degraded ]; }
tl_wait_for 10 "aggregator degraded (Redis down)" agg_degraded

feed quote binance BTC-USDT 100 100.5
for k in 1 2 3 4 5; do feed quote okx BTC-USDT 101 101.$k; done
tl_wait_for 5 "five spread updates" lines_at_least 5 c '.channel == "spreads"'
[ "$(grep '"channel":"spreads"' "$T/c.log" | jq -r .data.update | tr '\n' ' ')" = "1 2 3 4 5 " ] ||
	tl_fail "updates: $(grep '"channel":"spreads"' "$T/c.log" | jq -r .data.update | tr '\n' ' ')"
[ "$(tl_bus_metric "$CONF" aggregator redis_published_total)" = 0 ] || tl_fail "something reached Redis"
tl_pass
