# Shared by the universe tests (sourced): the fake REST exchanges
# (spreadbus-fakex-rest), a supervisor whose collectors discover from them,
# their REST answers saved for the oracle (universe_oracle.py), and the
# request log helpers.
set -euo pipefail
UV_SRC=${SPREADBUS_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
source "$UV_SRC/tests/integration/supervisor_lib.sh"
tl_need_bins spreadbus-fakex-rest
command -v python3 >/dev/null || { tl_log "python3 is needed for the oracle"; exit 77; }
ORACLE=$UV_SRC/tests/integration/universe_oracle.py
REST_LOG=$T/fakex-rest.log
declare -A REST_PORT=()
declare -A WS_URL=() # per exchange; default: a port where nothing listens

# start_rest [INSTRUMENTS]: the three fake REST APIs; REST_PORT[ex] set.
start_rest() {
	local ex port count
	rm -f "$T/rest.ready"
	tl_spawn fakex-rest "$BIN/spreadbus-fakex-rest" --exchange binance --exchange bybit --exchange okx \
		--instruments "${1:-300}" --seed "${REST_SEED:-7}" --ready-file "$T/rest.ready"
	tl_wait_for 10 "the fake REST ready file" test -s "$T/rest.ready"
	while read -r ex port count; do REST_PORT[$ex]=$port; done <"$T/rest.ready"
}

rest_url() { echo "http://127.0.0.1:${REST_PORT[$1]}"; }

# rest_cmd EXCHANGE QUERY: a misbehaviour for the next API requests, e.g.
# rest_cmd binance 'what=429&n=1&retry_after=2'.
rest_cmd() {
	curl -fsS "$(rest_url "$1")/_fakex/misbehave?$2" >/dev/null || tl_fail "fake REST command $2 refused"
}

# save_answers DIR: the fake's answers as the oracle reads them.
save_answers() {
	mkdir -p "$1"
	curl -fsS "$(rest_url binance)/api/v3/exchangeInfo" -o "$1/binance.info.json"
	curl -fsS "$(rest_url binance)/api/v3/ticker/24hr" -o "$1/binance.tickers.json"
	curl -fsS "$(rest_url bybit)/v5/market/instruments-info?category=spot" -o "$1/bybit.info.json"
	curl -fsS "$(rest_url bybit)/v5/market/tickers?category=spot" -o "$1/bybit.tickers.json"
	curl -fsS "$(rest_url okx)/api/v5/public/instruments?instType=SPOT" -o "$1/okx.info.json"
	curl -fsS "$(rest_url okx)/api/v5/market/tickers?instType=SPOT" -o "$1/okx.tickers.json"
}

# write_universe_config KEY=VALUE...: binance, bybit and okx collectors
# whose WebSockets point nowhere and whose REST is the fake; extra keys
# (universe.mode=auto, ...) as arguments.
write_universe_config() {
	local ex
	local -a kv=(
		"service.bin_dir=$BIN" service.ring_capacity=1024 "http.listen=127.0.0.1:$HTTP_PORT"
		restart.backoff_initial_ms=50 restart.backoff_max_ms=200 writer.enabled=false
		universe.refresh_s=1 universe.rest_timeout_ms=1000
	)
	for ex in binance bybit okx; do
		kv+=("exchange.$ex.symbols=BTC-USDT, ETH-USDT" "exchange.$ex.url=${WS_URL[$ex]:-ws://127.0.0.1:1}"
			"exchange.$ex.rest_url=${REST_URL_OVERRIDE:-$(rest_url $ex)}")
	done
	tl_write_config "$CONF" "$INSTANCE" "${kv[@]}" "$@"
}

instruments_file() { echo "$T/run/instruments.$1.tsv"; }

# rest_requests EXCHANGE PATH_PREFIX: the log lines of API requests.
rest_requests() {
	grep -E "^fakex-rest [0-9.]+ $1 [0-9]+ GET $2" "$REST_LOG" || true
}
