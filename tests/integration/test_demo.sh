#!/usr/bin/env bash
# `make demo` with DEMO_SECONDS: spreads reach Redis (hash and PUBLISH),
# Parquet files appear and read back, and after it nothing of it is left
# running (no process, no shared-memory segment, port 9280 free).
set -uo pipefail

fail() { echo "FAIL: $*" >&2; [ -f "${log:-}" ] && tail -n 30 "$log" >&2; exit 1; }
src=${SPREADBUS_SRC:-$PWD}
build=${SPREADBUS_BUILD:-$src/build}
dir=$build/demo-test
conf=$dir/spreadbus.conf
sock=$dir/redis.sock
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_for() { # wait_for SECONDS CMD...
	local deadline=$((SECONDS + $1)); shift
	until "$@"; do [ $SECONDS -ge $deadline ] && return 1; sleep 0.2; done
}
port_free() { ! port_open 9280; }
spreads_in_hash() { [ "$(redis-cli -s "$sock" HLEN spread:latest 2>/dev/null)" -gt 0 ] 2>/dev/null; }
parquet_exists() { [ -n "$(find "$dir/data" -name '*.parquet' -print -quit 2>/dev/null)" ]; }

[ -d "$src/tests/parquet_readers/node_modules/@duckdb/node-api" ] ||
	fail "DuckDB for node is not installed: run 'make deps' (npm ci in tests/parquet_readers)"
# The demo's HTTP port is fixed (9280); no other test uses it (they take
# free or kernel-chosen ports), so wait a little for another user of it
# (a demo left running?), then fail saying why.
wait_for 60 port_free || fail "127.0.0.1:9280 stays in use (a demo or another spreadbus running?); the demo test needs it"

log=$(mktemp "${TMPDIR:-/tmp}/spreadbus-demo-test.XXXXXX")
demo_pid=
cleanup() {
	# make does not pass SIGTERM on: signal the demo's whole process group
	# (make and deploy/demo.sh); the script then stops what it started.
	if [ -n "$demo_pid" ] && kill -0 "$demo_pid" 2>/dev/null; then
		kill -TERM -- "-$demo_pid"
		wait "$demo_pid" 2>/dev/null
	fi
	rm -f "$log"
}
trap cleanup EXIT
trap 'exit 143' TERM INT # run the cleanup when the test runner's timeout fires

set -m # the demo gets a process group of its own, id $demo_pid
make -s -C "$src" BUILD="$build" DEMO_DIR="$dir" DEMO_SECONDS=20 demo >"$log" 2>&1 &
demo_pid=$!
set +m

wait_for 40 spreads_in_hash || fail "no spread in HGETALL spread:latest"
echo "spread:latest: $(redis-cli -s "$sock" HLEN spread:latest) symbols, e.g. $(redis-cli -s "$sock" HGET spread:latest BTC-USDT | cut -c1-200)"
msgs=$(timeout 3 redis-cli -s "$sock" PSUBSCRIBE 'spread:*' 2>/dev/null | grep -c '^pmessage$')
[ "$msgs" -gt 0 ] || fail "no PUBLISH on spread:* within 3 s"
echo "PUBLISH spread:*: $msgs messages in 3 s"
# Whole bodies first: grep -q closing the pipe early would fail curl (pipefail).
health=$(curl -sf -m 5 http://127.0.0.1:9280/health) || fail "/health does not answer 200"
grep -q '"binance"' <<<"$health" || fail "/health does not list binance: ${health:0:300}"
metrics=$(curl -sf -m 5 http://127.0.0.1:9280/metrics) || fail "/metrics does not answer 200"
grep -q '^spreadbus_' <<<"$metrics" || fail "/metrics has no spreadbus_ metric"
grep -q "redis-cli -s .*PSUBSCRIBE 'spread:\*'" "$log" || fail "the demo did not print how to watch spreads"
grep -q 'spreadctl --config .* restart binance' "$log" || fail "the demo did not print how to restart a collector"

wait "$demo_pid"
rc=$?
demo_pid=
[ $rc -eq 0 ] || fail "make demo exited $rc"
grep -q 'demo: stopped' "$log" || fail "the demo did not report a clean stop"

parquet_exists || fail "no Parquet file under $dir/data"
rows=$(node "$src/deploy/parquet_query.js" --json \
	"SELECT count(*) AS n FROM read_parquet('$dir/data/quotes/**/*.parquet')" | sed -n 's/^{"n":\([0-9]*\)}$/\1/p')
[ -n "$rows" ] && [ "$rows" -gt 0 ] || fail "DuckDB reads no quote row from $dir/data"
echo "Parquet: $(find "$dir/data" -name '*.parquet' | wc -l) files, $rows quote rows"

left=$(pgrep -f -- "$conf" | tr '\n' ' ')
[ -z "$left" ] || fail "processes left running: $left"
pgrep -f -- "--unixsocket $sock" >/dev/null && fail "redis-server left running"
ls /dev/shm/spreadbus.demo.* >/dev/null 2>&1 && fail "shared memory left: $(ls /dev/shm/spreadbus.demo.*)"
port_free || fail "port 9280 still in use after the demo"
echo "PASS"
