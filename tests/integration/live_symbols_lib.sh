# Shared by the live symbol change tests (sourced after supervisor_lib.sh
# and tests/lib/fakex.sh): symbols named S<i>-USDT, and a config whose
# exchanges stream a range of them from the fake exchange.

# sym_range FIRST LAST: S<FIRST>-USDT to S<LAST>-USDT, one a line.
sym_range() { local i; for ((i = $1; i <= $2; i++)); do printf 'S%d-USDT\n' "$i"; done; }
# sym_list: the symbols on stdin as one symbols value, 8 to a line
# (indented lines continue the list).
sym_list() { awk '{ printf "%s%s", (NR > 1 ? (NR % 8 == 1 ? ",\n\t" : ",") : ""), $0 }'; }

# live_conf FIRST LAST [section.key=value ...]: $CONF in which every
# exchange of EXCHANGES streams S<FIRST>..S<LAST> from the fake exchange,
# each section with LIVE_EXCHANGE_KEYS (key=value) too.
LIVE_EXCHANGE_KEYS=()
live_conf() {
	local first=$1 last=$2 ex k syms
	shift 2
	syms=$(sym_range "$first" "$last" | sym_list)
	local -a kv=("service.bin_dir=$BIN" service.ring_capacity=262144 "http.listen=127.0.0.1:$HTTP_PORT" "$@")
	for ex in "${EXCHANGES[@]}"; do
		kv+=("exchange.$ex.symbols=$syms" "exchange.$ex.url=ws://127.0.0.1:${TL_FAKEX_PORT[$ex]}"
			"exchange.$ex.reconnect_min_ms=100" "exchange.$ex.reconnect_max_ms=1000")
		for k in "${LIVE_EXCHANGE_KEYS[@]}"; do kv+=("exchange.$ex.$k"); done
	done
	tl_write_config "$CONF" "$INSTANCE" "${kv[@]}"
}

# live_settle N: waits until the fake exchange streams exactly N symbols
# (a quote and a trade stream each) to every exchange of EXCHANGES, then
# sets SETTLED[exchange] to its ring's last seq: what comes after it was
# streamed with the change complete.
declare -A SETTLED=()
live_streams_are() { [[ $(tl_fakex_stat "$1.streams") == "$2" ]]; }
live_settle() {
	local ex
	for ex in "${EXCHANGES[@]}"; do
		tl_wait_for 20 "$ex: the server streams exactly the $1 symbols ($(($1 * 2)) streams)" \
			live_streams_are "$ex" $(($1 * 2))
	done
	for ex in "${EXCHANGES[@]}"; do SETTLED[$ex]=$(TL_EX=$ex tl_ring_last_seq); done
}
