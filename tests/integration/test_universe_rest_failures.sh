#!/usr/bin/env bash
# REST failures of instrument discovery, at first start and at refresh:
# each gives a clear error in the log naming the call and the cause, a
# retry with backoff, no crash (the collectors keep their pids), and the
# last good instruments file stays. 429 and 418 with Retry-After are waited
# out: the fake's request log shows no request before the wait is over.
TL_NAME=test_universe_rest_failures
source "$(dirname "$0")/universe_lib.sh"

start_rest 200
# first start: bybit answers 503 twice
rest_cmd bybit 'what=503&n=2'
write_universe_config
sv_start
for ex in binance bybit okx; do
	tl_wait_for 20 "$ex instruments reported" test -s "$(instruments_file "$ex")"
done
grep -q "bybit: instruments: server_error: GET /v5/market/instruments-info?category=spot: HTTP 503" "$LOG" ||
	tl_fail "no clear error for the 503 at first start"
grep -Eq "bybit: instruments: .*retry 2 in [0-9]+ ms" "$LOG" || tl_fail "no second retry logged"
declare -A PID0=()
for ex in binance bybit okx; do PID0[$ex]=$(child_pid "$ex"); done

log_has() { grep -Eq "$1" "$LOG"; }
rows() { grep -vc '^#' "$(instruments_file "$1")"; }

# expect EXCHANGE COMMAND REGEX: the misbehaviour gives that error line,
# and the last good file still holds every instrument.
expect() {
	local ex=$1 cmd=$2 re=$3
	rest_cmd "$ex" "$cmd"
	tl_wait_for 15 "$ex: error matching '$re'" log_has "$ex: instruments: $re"
	tl_assert_eq "$ex: instruments kept after '$cmd'" 200 "$(rows "$ex")"
}

# wait_honoured EXCHANGE STATUS MS: the request after the one answered
# STATUS came at least MS later.
wait_honoured() {
	local ex=$1 status=$2 ms=$3 gap
	tl_wait_for 15 "$ex: a request after the $status" bash -c \
		"grep -E ' $ex [0-9]+ GET [^ ]+ [0-9]+' '$REST_LOG' | grep -A1 ' $status $status\$' | tail -n +2 | grep -q GET"
	gap=$(grep -E " $ex [0-9]+ GET [^ ]+ [0-9]+" "$REST_LOG" | grep -A1 " $status $status\$" |
		awk 'NR == 1 {t = $2} NR == 2 {printf "%d", $2 - t}')
	tl_assert_ge "$ex: ms between the $status and the next request" "$ms" "$gap"
	tl_log "$ex: $status answered, next request ${gap} ms later (at least $ms required)"
}

expect binance 'what=429&n=1&retry_after=2' \
	'rate_limited: GET /api/v3/[a-zA-Z/0-9]+: HTTP 429 \(rate limited\): waiting 2000 ms as Retry-After says'
wait_honoured binance 429 2000
expect binance 'what=418&n=1&retry_after=1' \
	'rate_limited: GET /api/v3/[a-zA-Z/0-9]+: HTTP 418 \(banned\): waiting 1000 ms as Retry-After says'
wait_honoured binance 418 1000
expect okx 'what=429&n=1' 'rate_limited: GET /api/v5/[a-z/]+\?instType=SPOT: HTTP 429 \(rate limited\): waiting 2000 ms;'
wait_honoured okx 429 2000
expect okx 'what=500&n=1' 'server_error: GET /api/v5/[a-z/]+\?instType=SPOT: HTTP 500'
expect okx 'what=code&n=1' 'server_error: GET .*unusable answer .*code is "?50011"?, not 0'
expect bybit 'what=garbage&n=1' 'server_error: GET .*unusable answer \([0-9]+ bytes\): malformed JSON near byte 0'
expect bybit 'what=truncated&n=1' '(transport|server_error): GET /v5/market/[a-z-]+\?category=spot: .*([Pp]artial|malformed)'
expect binance 'what=hang&n=1&delay_ms=5000' 'transport: GET /api/v3/[a-zA-Z/0-9]+: Timeout was reached'
expect bybit 'what=403&n=1&retry_after=1' 'rate_limited: GET .*HTTP 403 \(banned\): waiting 1000 ms as Retry-After says'

# every exchange recovers, nothing crashed
for ex in binance bybit okx; do
	n=$(grep -c " $ex [0-9]* GET .* 200\$" "$REST_LOG")
	tl_wait_for 15 "$ex fetching again" tl_at_least $((n + 2)) bash -c "grep -c ' $ex [0-9]* GET .* 200\$' '$REST_LOG'"
	tl_assert_eq "$ex collector pid" "${PID0[$ex]}" "$(child_pid "$ex")"
done
tl_pass "503, 429, 418, 403, 500, exchange error code, garbage, truncated and timeout: errors logged, waits honoured, no crash"
