#!/usr/bin/env bash
# `make demo` with DEMO_SECONDS: spreads reach Redis (hash and PUBLISH),
# Parquet files appear and read back, and after it nothing of it is left
# running (no process, no shared-memory segment, port 9280 free).
set -uo pipefail
source "${SPREADBUS_SRC:-$(dirname "$0")/../..}/tests/lib/common.sh"
tl_init
src=$TL_SRC
build=${SPREADBUS_BUILD:-$src/build}
dir=$build/demo-test
conf=$dir/spreadbus.conf
sock=$dir/redis.sock
log=$TL_TMP/demo.log
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port_free() { ! port_open 9280; }
spreads_in_hash() { [ "$(redis-cli -s "$sock" HLEN spread:latest 2>/dev/null)" -gt 0 ] 2>/dev/null; }
parquet_exists() { [ -n "$(find "$dir/data" -name '*.parquet' -print -quit 2>/dev/null)" ]; }

[ -d "$src/tests/parquet_readers/node_modules/@duckdb/node-api" ] ||
	tl_fail "DuckDB for node is not installed: run 'make deps' (npm ci in tests/parquet_readers)"
# The demo's HTTP port is fixed (9280); no other test uses it (they take
# free or kernel-chosen ports), so wait a little for another user of it
# (a demo left running?), then fail saying why.
tl_wait_for 60 "127.0.0.1:9280 to be free (a demo or another spreadbus running?); the demo test needs it" port_free

# make does not pass SIGTERM on: at exit the demo's whole process group
# (make and deploy/demo.sh) is signalled; the script then stops what it
# started.
demo_stop() {
	tl_alive demo || return 0
	kill -TERM -- "-${TL_PID[demo]}"
	tl_stop demo TERM 30
}
tl_cleanup demo_stop
set -m # the demo gets a process group of its own, id TL_PID[demo]
tl_spawn demo make -s -C "$src" BUILD="$build" DEMO_DIR="$dir" DEMO_SECONDS=20 demo
set +m

spreads_or_demo_gone() { spreads_in_hash || ! tl_alive demo; }
tl_wait_for 40 "a spread in HGETALL spread:latest" spreads_or_demo_gone
tl_alive demo || tl_fail "make demo exited before a spread reached Redis"
echo "spread:latest: $(redis-cli -s "$sock" HLEN spread:latest) symbols, e.g. $(redis-cli -s "$sock" HGET spread:latest BTC-USDT | cut -c1-200)"
# Three PUBLISHes, or none within 10 s (redis-cli ends on the timeout or
# when grep has seen three and closed the pipe).
msgs=$(timeout 10 redis-cli -s "$sock" PSUBSCRIBE 'spread:*' 2>/dev/null | grep -m 3 -c '^pmessage$')
[ "$msgs" -eq 3 ] || tl_fail "only $msgs PUBLISH on spread:* within 10 s"
echo "PUBLISH spread:*: 3 messages"
# Whole bodies first: grep -q closing the pipe early would fail curl (pipefail).
health=$(curl -sf -m 5 http://127.0.0.1:9280/health) || tl_fail "/health does not answer 200"
grep -q '"binance"' <<<"$health" || tl_fail "/health does not list binance: ${health:0:300}"
metrics=$(curl -sf -m 5 http://127.0.0.1:9280/metrics) || tl_fail "/metrics does not answer 200"
grep -q '^spreadbus_' <<<"$metrics" || tl_fail "/metrics has no spreadbus_ metric"
# The demo prints how to use it once /ready answers 200, which may come
# after the first spreads.
tl_wait_for 20 "the demo printing how to watch spreads" grep -q "redis-cli -s .*PSUBSCRIBE 'spread:\*'" "$log"
grep -q 'spreadctl --config .* restart binance' "$log" || tl_fail "the demo did not print how to restart a collector"

# DEMO_SECONDS=20 from its start; stopping takes a few seconds more.
tl_reap demo 60
tl_assert_eq "make demo exit status" 0 "${TL_EXIT[demo]}"
grep -q 'demo: stopped' "$log" || tl_fail "the demo did not report a clean stop"

parquet_exists || tl_fail "no Parquet file under $dir/data"
rows=$(node "$src/deploy/parquet_query.js" --json \
	"SELECT count(*) AS n FROM read_parquet('$dir/data/quotes/**/*.parquet')" | sed -n 's/^{"n":\([0-9]*\)}$/\1/p')
[ -n "$rows" ] && [ "$rows" -gt 0 ] || tl_fail "DuckDB reads no quote row from $dir/data"
echo "Parquet: $(find "$dir/data" -name '*.parquet' | wc -l) files, $rows quote rows"

left=$(pgrep -f -- "$conf" | tr '\n' ' ')
[ -z "$left" ] || tl_fail "processes left running: $left"
pgrep -f -- "--unixsocket $sock" >/dev/null && tl_fail "redis-server left running"
ls /dev/shm/spreadbus.demo.* >/dev/null 2>&1 && tl_fail "shared memory left: $(ls /dev/shm/spreadbus.demo.*)"
port_free || tl_fail "port 9280 still in use after the demo"
tl_pass
