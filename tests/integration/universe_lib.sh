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
# The exchanges a test runs; UV_ALL_EXCHANGES: every one the fake serves.
UV_EXCHANGES=(binance bybit okx)
UV_ALL_EXCHANGES=(binance bybit okx binance-usdm gateio bitget kraken coinbase deribit htx)
# Each exchange's instruments and tickers requests (as its collector sends them).
declare -A UV_INFO=(
	[binance]=/api/v3/exchangeInfo [bybit]='/v5/market/instruments-info?category=spot'
	[okx]='/api/v5/public/instruments?instType=SPOT' [binance-usdm]=/fapi/v1/exchangeInfo
	[gateio]=/api/v4/spot/currency_pairs [bitget]=/api/v2/spot/public/symbols [kraken]=/0/public/AssetPairs
	[coinbase]=/products [deribit]='/api/v2/public/get_instruments?currency=any&kind=future'
	[htx]=/v2/settings/common/symbols
)
declare -A UV_TICKERS=(
	[binance]=/api/v3/ticker/24hr [bybit]='/v5/market/tickers?category=spot'
	[okx]='/api/v5/market/tickers?instType=SPOT' [binance-usdm]=/fapi/v1/ticker/24hr
	[gateio]=/api/v4/spot/tickers [bitget]=/api/v2/spot/market/tickers [kraken]=/0/public/Ticker
	[coinbase]=/products/stats [deribit]='/api/v2/public/get_book_summary_by_currency?currency=any&kind=future'
	[htx]=/market/tickers
)

# start_rest [INSTRUMENTS]: the fake REST APIs of UV_EXCHANGES; REST_PORT[ex] set.
start_rest() {
	local ex port count
	local -a args=()
	for ex in "${UV_EXCHANGES[@]}"; do args+=(--exchange "$ex"); done
	rm -f "$T/rest.ready"
	tl_spawn fakex-rest "$BIN/spreadbus-fakex-rest" "${args[@]}" \
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
	local ex
	mkdir -p "$1"
	for ex in "${UV_EXCHANGES[@]}"; do
		curl -fsS "$(rest_url "$ex")${UV_INFO[$ex]}" -o "$1/$ex.info.json"
		curl -fsS "$(rest_url "$ex")${UV_TICKERS[$ex]}" -o "$1/$ex.tickers.json"
	done
}

# write_universe_config KEY=VALUE...: collectors of UV_EXCHANGES whose
# WebSockets point nowhere and whose REST is the fake (list mode symbols:
# BTC-USDT and ETH-USDT, their perpetuals on derivatives exchanges); extra
# keys (universe.mode=auto, ...) as arguments.
write_universe_config() {
	local ex
	local -a kv=(
		"service.bin_dir=$BIN" service.ring_capacity=1024 "http.listen=127.0.0.1:$HTTP_PORT"
		restart.backoff_initial_ms=50 restart.backoff_max_ms=200 writer.enabled=false
		universe.refresh_s=1 universe.rest_timeout_ms=1000
	)
	for ex in "${UV_EXCHANGES[@]}"; do
		case $ex in
		binance-usdm | deribit) kv+=("exchange.$ex.symbols=BTC-USDT-PERP, ETH-USDT-PERP") ;;
		*) kv+=("exchange.$ex.symbols=BTC-USDT, ETH-USDT") ;;
		esac
		kv+=("exchange.$ex.url=${WS_URL[$ex]:-ws://127.0.0.1:1}"
			"exchange.$ex.rest_url=${REST_URL_OVERRIDE:-$(rest_url $ex)}")
	done
	tl_write_config "$CONF" "$INSTANCE" "${kv[@]}" "$@"
}

instruments_file() { echo "$T/run/instruments.$1.tsv"; }

# rest_requests EXCHANGE PATH_PREFIX: the log lines of API requests.
rest_requests() {
	grep -E "^fakex-rest [0-9.]+ $1 [0-9]+ GET $2" "$REST_LOG" || true
}

decided() { http_get /universe | jq -e '.source == "discovered" and .computations >= 1' >/dev/null 2>&1; }

# check NAME RULES_JSON CONFIG_KEYS...: run the service in auto mode with
# those keys; its universe at /universe, from `spreadctl universe` and in
# the persisted file must equal the oracle's from the saved answers, each
# symbol with a valid reason.
check() {
	local name=$1 rules=$2
	shift 2
	rm -f "$T/state/universe.tsv" "$T"/run/instruments.*.tsv
	write_universe_config universe.mode=auto "$@"
	sv_start
	tl_wait_for 30 "$name: a universe decided" decided
	http_get /universe | jq -S '.exchanges | map_values([.symbols[].symbol] | sort)' >"$T/$name.got"
	python3 "$ORACLE" select "$T/answers" "$rules" | jq -S . >"$T/$name.want"
	diff -u "$T/$name.want" "$T/$name.got" >"$T/$name.diff" || {
		head -20 "$T/$name.diff" >&2
		tl_fail "$name: /universe differs from the oracle"
	}
	# every symbol says why: its exchanges and volumes, or include
	http_get /universe | jq -e --argjson min "$(jq .min_exchanges <<<"$rules")" '[.exchanges[].symbols[] |
		(.reason == "include") or ((.reason | test("^on [0-9]+ exchanges")) and
		((.reason | capture("^on (?<n>[0-9]+)").n | tonumber) >= $min))] | all' >/dev/null ||
		tl_fail "$name: a symbol without a valid reason"
	# spreadctl universe shows the same lines
	ctl universe | awk 'NR > 2 {print $1, $2}' | sort >"$T/$name.ctl"
	jq -r 'to_entries[] | .key as $e | .value[] | "\($e) \(.)"' "$T/$name.got" | sort | diff - "$T/$name.ctl" ||
		tl_fail "$name: spreadctl universe differs from /universe"
	local n
	n=$(jq '[.[] | length] | add' "$T/$name.got")
	tl_assert_eq "$name: persisted lines" "$n" "$(grep -vc '^#' "$T/state/universe.tsv")"
	tl_log "$name: $(jq -c 'map_values(length)' "$T/$name.got") as the oracle says"
	sv_stop TERM
}
