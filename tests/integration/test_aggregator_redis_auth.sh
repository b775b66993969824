#!/usr/bin/env bash
# Redis with requirepass: a wrong password and a missing one give a clear
# log line and status detail, counted errors, no crash, and the rings are
# still read; the right password (with a db index, over a unix socket)
# publishes.
source "$(dirname "$0")/aggregator_lib.sh"

TL_REDIS_PASS=s3cret
tl_redis_start --requirepass "$TL_REDIS_PASS" --unixsocket "$T/redis.sock" --unixsocketperm 700

# refused PASSWORD DETAIL_REGEX LOG_REGEX: the aggregator keeps reading and
# keeps counting errors, and says why.
refused() {
	REDIS_PASSWORD_CONF=$1 write_config
	start_feeder
	: >"$AGG_LOG"
	start_aggregator
	feed quote binance BTC-USDT 100 100.5
	feed quote okx BTC-USDT 101 101.5
	tl_wait_for 5 "ticks read" metric_equals ticks_read_total 2
	tl_wait_for 5 "errors counted" tl_at_least 6 metric redis_errors_total # several breaker retries
	[ "$(metric redis_up)" = 0 ] || tl_fail "redis_up with password '$1'"
	[ "$(metric redis_published_total)" = 0 ] || tl_fail "published with password '$1'"
	[ "$(metric redis_dropped_total)" -ge 1 ] || tl_fail "update not counted as dropped"
	[[ $(field .detail) =~ $2 ]] || tl_fail "status detail: $(field .detail)"
	grep -Eq "$3" "$AGG_LOG" || tl_fail "no log line matching $3"
	agg_alive || tl_fail "aggregator died"
	[ "$(field .state)" = degraded ] || tl_fail "state $(field .state)"
	stop_aggregator
	stop_feeder
	tl_bus_unlink "$CONF"
}

refused wrong 'AUTH refused' 'AUTH refused.*(WRONGPASS|invalid)'
refused '' 'requires a password' 'requires a password.*NOAUTH'

# the right password, db 3, over the unix socket
REDIS_PASSWORD_CONF=$TL_REDIS_PASS REDIS_DB=3 REDIS_SOCKET=$T/redis.sock write_config
start_feeder
: >"$AGG_LOG"
start_aggregator
tl_wait_for 5 "redis up" metric_equals redis_up 1
grep -q "redis: connected to $T/redis.sock db 3" "$AGG_LOG" || tl_fail "not connected over the unix socket"
feed quote binance BTC-USDT 100 100.5
feed quote okx BTC-USDT 101 101.5
tl_wait_for 5 "published" metric_equals redis_published_total 1
tl_redis_cli -n 3 hget spread:latest BTC-USDT | jq -e '.buy == "binance" and .sell == "okx"' >/dev/null || tl_fail "not in db 3"
[ "$(tl_redis_cli -n 0 exists spread:latest)" = 0 ] || tl_fail "written to db 0"
tl_assert_eq "status detail once connected" "" "$(field .detail)"
stop_aggregator
tl_pass
