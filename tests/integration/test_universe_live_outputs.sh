#!/usr/bin/env bash
# A live symbol change reaches every output without a restart: on a
# running service with Redis, the writer and the gateway, binance and okx
# go from S1..S60 to S11..S160 (100 added, 10 removed) by SIGHUP. The
# aggregator, the writer and the gateway keep their pids; spread messages
# of every new symbol reach Redis (PUBLISH and spread:latest) and a
# WebSocket client, and their quotes are in the Parquet files (DuckDB);
# the removed symbols stop: no spread message and no Parquet row of them
# once the change has settled.
. "$(dirname "$0")/supervisor_lib.sh"
source "$SV_SRC/tests/lib/fakex.sh"
source "$SV_SRC/tests/lib/bus.sh"
source "$SV_SRC/tests/lib/collector.sh"
source "$SV_SRC/tests/lib/redis.sh"
source "$SV_SRC/tests/integration/live_symbols_lib.sh"
tl_need_bins spreadbus-fakex spreadbus-gateway spreadbus-test-wsclient
[ -d "$SV_SRC/tests/parquet_readers/node_modules/@duckdb/node-api" ] ||
	tl_fail "DuckDB for node is not installed: run 'make deps' (npm ci in tests/parquet_readers)"
EXCHANGES=(binance okx)
GW_PORT=$(tl_free_port)

mapfile -t GONE < <(sym_range 1 10)
mapfile -t STAY < <(sym_range 11 60)
mapfile -t NEW < <(sym_range 61 160)

# write_conf FIRST LAST: both exchanges stream S<FIRST>..S<LAST>, to Redis,
# Parquet and the gateway.
write_conf() {
	live_conf "$1" "$2" redis.enabled=true "redis.port=$TL_REDIS_PORT" \
		writer.enabled=true "writer.data_dir=$T/data" "writer.journal_dir=$T/journal" \
		gateway.enabled=true "gateway.listen=127.0.0.1:$GW_PORT" "gateway.www_dir=$SV_SRC/gateway/www" \
		aggregator.window_s=60 aggregator.window_buckets=60
}

tl_redis_start
tl_fakex_start --exchange binance --exchange okx --symbols "$(sym_range 1 160 | paste -sd,)" --rate 300 --trade-every 2
write_conf 1 60
TL_CONFIG=$CONF
sv_start
tl_spawn psub redis-cli -h 127.0.0.1 -p "$TL_REDIS_PORT" PSUBSCRIBE 'spread:*'
mkfifo "$T/ws.in"
tl_spawn ws bash -c 'exec "$0" --port "$1" <"$2"' "$BIN/spreadbus-test-wsclient" "$GW_PORT" "$T/ws.in"
exec 4>"$T/ws.in"
tl_wait_for 10 "WebSocket client connected" grep -q '^CONNECTED' "$T/ws.log"
echo '{"op":"subscribe","channels":["spreads"],"id":1}' >&4

# The symbols spread messages were for, one a line, sorted: PUBLISHed
# (redis-cli prints the channel on a line of its own), sent to the
# WebSocket client, and in spread:latest.
redis_symbols() { grep -o '^spread:S[0-9]*-USDT$' "$T/psub.log" | cut -d: -f2 | sort -u; }
ws_symbols() { grep '"channel":"spreads"' "$T/ws.log" | grep -o '"symbol":"S[0-9]*-USDT"' | cut -d'"' -f4 | sort -u; }
hash_symbols() { tl_redis_cli HKEYS spread:latest | sort -u; }
# all_in "CMD" SYMBOL...: every symbol is in what CMD prints
all_in() {
	local have
	have=$($1) || return 1
	shift
	[ -z "$(comm -23 <(printf '%s\n' "$@" | sort -u) <(printf '%s\n' "$have"))" ]
}
for out in redis_symbols ws_symbols hash_symbols; do
	tl_wait_for 40 "spreads of the first 60 symbols ($out)" all_in "$out" "${GONE[@]}" "${STAY[@]}"
done
declare -A pid before
for n in "${EXCHANGES[@]}" aggregator writer gateway; do pid[$n]=$(child_pid "$n"); done

# the change: S1..S10 go, S61..S160 come
write_conf 11 160
t0=$(date +%s%N)
kill -HUP "$SV_PID"
for out in redis_symbols ws_symbols hash_symbols; do
	tl_wait_for 40 "spreads of the 100 new symbols ($out)" all_in "$out" "${NEW[@]}"
	tl_log "$out: spreads of all 100 new symbols $((($(date +%s%N) - t0) / 1000000)) ms after SIGHUP" \
		"(reload debounce 1000 ms included)"
done
grep -q "aggregator: symbols changed: told it to take them live" "$LOG" ||
	tl_fail "the supervisor did not tell the aggregator"
grep -Eq "aggregator: (symbols changed \(SIGHUP\)|a tick of a newly registered symbol): 150 symbols" "$LOG" ||
	tl_fail "the aggregator did not list 150 symbols: $(grep 'aggregator: ' "$LOG" | tail -n 5)"
for n in "${EXCHANGES[@]}" aggregator writer gateway; do
	tl_assert_eq "$n pid after the change" "${pid[$n]}" "$(child_pid "$n")"
done
metric_is() { local m; m=$(http_get /metrics) && grep -qx "spreadbus_$1" <<<"$m"; }
metric_is 'aggregator_symbols{child="aggregator"} 150' || tl_fail "aggregator_symbols: $(http_get /metrics | grep aggregator_symbols)"
http_get /health | jq -e '.windows.symbols == 150 and .windows.symbols_refused == 0' >/dev/null ||
	tl_fail "/health windows: $(http_get /health | jq -c .windows)"

# removed: once the collectors stopped them and the aggregator forgot them,
# no message and no row of them any more
live_settle 150
gone_count() { grep -cE "^spread:S([1-9]|10)-USDT\$|\"symbol\":\"S([1-9]|10)-USDT\"" "$T/psub.log" "$T/ws.log" | paste -sd' '; }
gone_before=$(gone_count)
tl_holds 3 "no spread message of a removed symbol" eval '[[ $(gone_count) == "$gone_before" ]]'
for ex in "${EXCHANGES[@]}"; do
	TL_EX=$ex tl_wait_flowing 20 "${SETTLED[$ex]}" "${STAY[@]}" "${NEW[@]}"
done

# the writer drains and flushes on the way out: then every row is in a file
tl_stop ws TERM # before the gateway goes: a client that exits by itself would fail the cleanup's kill under set -e
exec 4>&-
sv_stop TERM
tl_assert_eq "supervisor exit status" 0 "${TL_EXIT[supervisor]}"
sql() { node "$SV_SRC/deploy/parquet_query.js" --json "$1" || tl_fail "DuckDB: $1"; }
quotes="read_parquet('$T/data/quotes/**/*.parquet', hive_partitioning = true)"
for ex in "${EXCHANGES[@]}"; do
	have=$(sql "SELECT DISTINCT symbol FROM $quotes WHERE exchange = '$ex'" | jq -r .symbol | sort -u)
	missing=$(comm -23 <(printf '%s\n' "${NEW[@]}" "${STAY[@]}" | sort -u) <(printf '%s\n' "$have") | paste -sd' ')
	tl_assert_eq "$ex: symbols without a quote in the Parquet files" "" "$missing"
	late=$(sql "SELECT count(*) AS n FROM $quotes WHERE exchange = '$ex' AND bus_seq > ${SETTLED[$ex]} AND
		symbol IN ($(printf "'%s'," "${GONE[@]}" | sed 's/,$//'))" | jq .n)
	tl_assert_eq "$ex: Parquet rows of removed symbols after the change settled" 0 "$late"
done
tl_pass "100 added, 10 removed live: aggregator, writer and gateway kept their pids; Redis, the gateway and Parquet follow"
