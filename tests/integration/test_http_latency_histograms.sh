#!/usr/bin/env bash
# /metrics latency histograms and connection metrics with real children:
# okx and bybit stream from the fake exchange, the aggregator publishes to
# a private redis-server. promtool accepts the text; buckets are
# cumulative up to +Inf = _count; each _count equals what was seen:
# exchange_to_receive and receive_to_ring the ticks the collector published
# (also the ring's head less its gap markers), ring_to_redis summed over
# exchanges the updates Redis acknowledged (also its spreads stream's
# length). Killing the fake counts closed_by_peer and connect errors and
# leaves no active connection.
. "$(dirname "$0")/supervisor_lib.sh"
source "$SV_SRC/tests/lib/fakex.sh"
source "$SV_SRC/tests/lib/redis.sh"
tl_redis_start
tl_fakex_start --exchange okx:0 --exchange bybit:0 --rate 200
EXCHANGES="okx bybit" URL_okx=ws://127.0.0.1:${TL_FAKEX_PORT[okx]} URL_bybit=ws://127.0.0.1:${TL_FAKEX_PORT[bybit]} \
	write_config
SPREADBUS_REDIS_ENABLED=true SPREADBUS_REDIS_HOST=127.0.0.1 SPREADBUS_REDIS_PORT=$TL_REDIS_PORT sv_start

M=$T/metrics.txt
scrape() { http_get /metrics >"$M"; }
# sample NAME{LABELS}: the value of one sample of the last scrape, "none"
# if there is none (0 in arithmetic, unequal to any number)
sample() { awk -v k="spreadbus_$1" '$1 == k { v = $2 } END { print v == "" ? "none" : v }' "$M"; }

both_stream_and_publish() {
	scrape
	[ "$(sample 'exchange_connections_active{exchange="okx"}')" = 1 ] &&
		[ "$(sample 'exchange_connections_active{exchange="bybit"}')" = 1 ] &&
		(($(sample 'redis_published_total{child="aggregator"}') > 100))
}
tl_wait_for 30 "okx and bybit streaming, 100 updates on Redis" both_stream_and_publish
promtool check metrics <"$M" || tl_fail "promtool check metrics failed (streaming)"

# The feed stops: the collectors see the close, then refused connects.
tl_stop fakex KILL
errors_counted() {
	scrape
	local ex
	for ex in okx bybit; do
		[ "$(sample "exchange_connections_active{exchange=\"$ex\"}")" = 0 ] &&
			(($(sample "connection_errors_total{exchange=\"$ex\",reason=\"closed_by_peer\"}") >= 1)) &&
			(($(sample "connection_errors_total{exchange=\"$ex\",reason=\"connect\"}") >= 1)) || return 1
	done
}
tl_wait_for 20 "closed_by_peer and connect errors" errors_counted

# Everything read and acknowledged: the aggregator's lag is 0 and Redis
# holds as many updates as it acknowledged (each update is one XADD).
settled() {
	scrape
	[ "$(sample 'read_lag_ticks{child="aggregator"}')" = 0 ] &&
		[ "$(sample 'redis_published_total{child="aggregator"}')" = "$(tl_redis_cli xlen spreads)" ]
}
tl_wait_for 20 "the aggregator settled" settled
promtool check metrics <"$M" || tl_fail "promtool check metrics failed (settled)"

# check_histogram FAMILY EXCHANGE: buckets non-decreasing, +Inf = _count,
# nothing above 10 s; prints _count.
check_histogram() {
	local f=spreadbus_$1 ex=$2
	awk -v b="${f}_bucket{exchange=\"$ex\",le=" -v c="${f}_count{exchange=\"$ex\"}" \
		-v s="${f}_sum{exchange=\"$ex\"}" '
		index($1, b) == 1 { n++; if ($2 < last) bad = "decreasing at " $1; last = $2; inf = $2; le10 = prev; prev = $2 }
		$1 == c { count = $2 } $1 == s { sum = $2 }
		END {
			if (n != 23) bad = bad " " n " buckets"
			if (inf != count) bad = bad " +Inf " inf " != count " count
			if (le10 != inf) bad = bad " observations above 10 s"
			if (sum < 0) bad = bad " negative sum"
			if (bad != "") { print bad > "/dev/stderr"; exit 1 }
			print count
		}' "$M" || tl_fail "$1{exchange=$ex} malformed"
}

agg_total=0
for ex in okx bybit; do
	published=$(sample "ticks_published_total{exchange=\"$ex\"}")
	head=$(sample "ring_head_ticks_total{exchange=\"$ex\"}")
	gaps=$(sample "gaps_total{exchange=\"$ex\"}")
	((published > 0 && published == head - gaps)) ||
		tl_fail "$ex: ticks_published_total $published, ring head $head less $gaps gap markers"
	for fam in exchange_to_receive_seconds receive_to_ring_seconds; do
		count=$(check_histogram $fam $ex)
		[ "$count" = "$published" ] || tl_fail "$fam{exchange=$ex}: _count $count, ticks published $published"
	done
	# receipt to ring is parsing: well under a second
	[ "$(sample "receive_to_ring_seconds_bucket{exchange=\"$ex\",le=\"1\"}")" = "$published" ] ||
		tl_fail "$ex: receive_to_ring above 1 s"
	count=$(check_histogram ring_to_redis_seconds $ex)
	((count > 0)) || tl_fail "ring_to_redis_seconds{exchange=$ex}: no update caused by $ex"
	agg_total=$((agg_total + count))
done
acked=$(sample 'redis_published_total{child="aggregator"}')
[ "$agg_total" = "$acked" ] || tl_fail "ring_to_redis_seconds _count $agg_total, updates acknowledged $acked"
[ "$(grep -c '^# TYPE spreadbus_ring_to_redis_seconds histogram$' "$M")" = 1 ] || tl_fail "TYPE once per family"
echo "latency histograms: $agg_total updates, counts equal what was seen: ok"
