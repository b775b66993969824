# tests/chaos/service.sh: the whole service (supervisor, 8 collectors,
# aggregator, writer) under load from one spreadbus-fakex per exchange, with
# a private redis-server; shared by the system bench and the chaos tests.
#
#   source "$SPREADBUS_SRC/tests/chaos/service.sh"   # runs tl_init
#   cs_start_fakexes RATE          one fakex per exchange b1..b$CS_N (adapters
#                                  binance, bybit, okx in turn), RATE frames/s
#                                  per connection; CS_FX_PORT/CS_FX_CTL[bN]
#   cs_fx_cmd bN "stall 2000"      one fakex control command (answer line)
#   cs_fx_all "rate 1000"          the command to every fakex
#   cs_fx_frames bN                data frames that fakex sent so far
#   cs_redis_start [ARGS] / cs_redis_kill   redis-server, on the same port each time
#   cs_write_config [section.key=value ...]   $CS_CONF
#   cs_supervisor_start            spreadbus in the background; waits for
#                                  /health status ok
#   cs_health [JQ]                 GET /health (through jq -rc)
#   cs_proc_sample                 "name pid utime+stime_ticks rss_anon_kb rss_shmem_kb"
#                                  per process (service, fakexes, redis)
#   cs_stop_service                SIGTERM the supervisor, expect exit 0
#   cs_stop_and_check_parquet      stop, then every ring tick in Parquet exactly
#                                  once? per-exchange JSON in $TL_TMP/parquet.out
#   cs_check_no_leaks              no process of the instance, no segment left
#
# Knobs: CS_N (8 exchanges), CS_SYMBOLS, CS_RING (ring_capacity), CS_ADAPTERS
# (a word list, "binance bybit okx": the adapters in turn), CS_FX_ARGS (more
# fakex options, e.g. --tls-cert/--tls-key, with CS_SCHEME=wss).

CS_SRC=${SPREADBUS_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
for cs_lib in common config fakex redis bus; do
	source "$CS_SRC/tests/lib/$cs_lib.sh"
done
unset cs_lib
tl_init
tl_need_bins spreadbus spreadbus-collector spreadbus-aggregator spreadbus-writer spreadbus-fakex \
	spreadbus-busctl aggregator_sub

CS_N=${CS_N:-8}
CS_SYMBOLS=${CS_SYMBOLS:-BTC-USDT,ETH-USDT}
CS_RING=${CS_RING:-1048576}
CS_ADAPTERS=(${CS_ADAPTERS:-binance bybit okx})
CS_SCHEME=${CS_SCHEME:-ws}
[[ -v CS_FX_ARGS ]] || CS_FX_ARGS=()
CS_CONF=$TL_TMP/spreadbus.ini
CS_INSTANCE=$(tl_instance chaos)
CS_HTTP_PORT=
declare -A CS_FX_PORT=() CS_FX_CTL=()

cs_exchanges() { local i; for ((i = 1; i <= CS_N; i++)); do echo "b$i"; done; }
cs_adapter() { echo "${CS_ADAPTERS[$(((${1#b} - 1) % ${#CS_ADAPTERS[@]}))]}"; }

# One fakex process per exchange, so a fault injected into one (its control
# commands act on every connection of the process) reaches only that one.
cs_start_fakexes() {
	local rate=$1 ex adapter
	for ex in $(cs_exchanges); do
		adapter=$(cs_adapter "$ex")
		tl_fakex_start --exchange "$adapter" --symbols "$CS_SYMBOLS" --rate "$rate" --seed "${ex#b}" "${CS_FX_ARGS[@]}"
		CS_FX_PORT[$ex]=${TL_FAKEX_PORT[$adapter]}
		CS_FX_CTL[$ex]=$TL_FAKEX_CONTROL
		TL_PID[fx_$ex]=${TL_PID[fakex]}
		unset "TL_PID[fakex]"
	done
}

cs_fx_cmd() { TL_FAKEX_CONTROL=${CS_FX_CTL[$1]} tl_fakex_cmd "$2"; }

cs_fx_all() {
	local ex
	for ex in $(cs_exchanges); do cs_fx_cmd "$ex" "$1" >/dev/null; done
}

cs_fx_frames() { cs_fx_cmd "$1" stats | jq -r .total.frames; }
# Over every fake exchange: frames sent so far, and connections open now.
cs_fx_offered() {
	local ex n=0
	for ex in $(cs_exchanges); do n=$((n + $(cs_fx_frames "$ex"))); done
	echo "$n"
}
cs_fx_connections() {
	local ex n=0
	for ex in $(cs_exchanges); do n=$((n + $(cs_fx_cmd "$ex" stats | jq .total.connections))); done
	echo "$n"
}
cs_fx_no_connections() { (($(cs_fx_connections) == 0)); }

cs_redis_start() {
	if [[ -z ${TL_REDIS_PORT:-} ]]; then
		tl_redis_start "$@"
		return
	fi
	# a restart: the same port, so the aggregator's config still points at it
	tl_spawn redis redis-server --bind 127.0.0.1 --port "$TL_REDIS_PORT" --dir "$TL_TMP/redis" \
		--save '' --appendonly no --daemonize no "$@"
	tl_wait_for 10 "redis-server back on port $TL_REDIS_PORT" tl_redis_ping
}

cs_redis_kill() { tl_stop redis KILL; }

cs_write_config() {
	local -a ex_keys=()
	local ex
	CS_HTTP_PORT=${CS_HTTP_PORT:-$(tl_free_port)}
	for ex in $(cs_exchanges); do
		ex_keys+=("exchange.$ex.adapter=$(cs_adapter "$ex")"
			"exchange.$ex.symbols=${CS_SYMBOLS//,/, }"
			"exchange.$ex.url=$CS_SCHEME://127.0.0.1:${CS_FX_PORT[$ex]}"
			"exchange.$ex.reconnect_min_ms=100"
			"exchange.$ex.reconnect_max_ms=1000")
	done
	tl_write_config "$CS_CONF" "$CS_INSTANCE" \
		"service.bin_dir=$TL_BIN" "service.ring_capacity=$CS_RING" "service.log_level=notice" \
		"http.listen=127.0.0.1:$CS_HTTP_PORT" \
		"redis.enabled=true" "redis.port=$TL_REDIS_PORT" "redis.stream_maxlen=10000" \
		"redis.connect_timeout_ms=500" "redis.breaker_min_ms=100" "redis.breaker_max_ms=1000" \
		"writer.data_dir=$TL_TMP/data" "writer.journal_dir=$TL_TMP/journal" \
		"restart.backoff_initial_ms=50" "restart.backoff_max_ms=500" \
		"restart.burst_count=1000" "restart.burst_window_s=10" \
		"${ex_keys[@]}" "$@"
	tl_cleanup cs_remove_segments
}

cs_remove_segments() { rm -f /dev/shm/spreadbus."$CS_INSTANCE".*; }

cs_health() { curl -s -m 2 "http://127.0.0.1:$CS_HTTP_PORT/health" | jq -rc "${1:-.}"; }

cs_health_ok() { [[ $(cs_health .status 2>/dev/null) == ok ]]; }

cs_supervisor_start() {
	tl_spawn supervisor "$TL_BIN/spreadbus" --config "$CS_CONF"
	tl_wait_for 30 "/health status ok" cs_health_ok
}

# Every process that takes part: name and pid, one per line.
cs_pids() {
	local ex
	[[ -n ${TL_PID[supervisor]:-} ]] && echo "supervisor ${TL_PID[supervisor]}"
	cs_health '.children[] | select(.pid != null) | "\(.name) \(.pid)"' 2>/dev/null
	for ex in $(cs_exchanges); do echo "fakex-$ex ${TL_PID[fx_$ex]}"; done
	[[ -n ${TL_PID[redis]:-} ]] && echo "redis ${TL_PID[redis]}"
}

# name pid cpu_ticks rss_anon_kb rss_shmem_kb (cpu: utime + stime of
# /proc/PID/stat; the comm field may hold spaces, so cut after its ')')
cs_proc_sample() {
	local name pid stat rest anon shm
	while read -r name pid; do
		stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
		rest=${stat##*) }
		anon=$(awk '/^RssAnon:/ {print $2}' "/proc/$pid/status" 2>/dev/null)
		shm=$(awk '/^RssShmem:/ {print $2}' "/proc/$pid/status" 2>/dev/null)
		awk -v n="$name" -v p="$pid" -v a="${anon:-0}" -v s="${shm:-0}" \
			'{print n, p, $12 + $13, a, s}' <<<"$rest"
	done < <(cs_pids)
}

cs_stop_service() {
	tl_stop supervisor TERM
	tl_assert_eq "spreadbus exit status after SIGTERM" 0 "${TL_EXIT[supervisor]}"
}

# cs_stop_and_check_parquet: heads from /health, SIGTERM (the writer drains),
# the ticks published after that from the rings, then parquet_check.cjs
# (DuckDB): JSON lines in $TL_TMP/parquet.out; returns its status.
cs_stop_and_check_parquet() {
	local -A head=()
	local ex last heads
	for ex in $(cs_exchanges); do head[$ex]=$(cs_health ".rings[] | select(.exchange == \"$ex\") | .head"); done
	cs_stop_service
	heads=$(for ex in $(cs_exchanges); do
		last=$("$TL_BIN/spreadbus-busctl" --config "$CS_CONF" dump "$ex" --from "${head[$ex]}" | tail -n 1 | jq .seq)
		printf '"%s":%s\n' "$ex" "$((${last:-$((head[$ex] - 1))} + 1))"
	done | paste -sd,)
	NODE_PATH=$CS_SRC/tests/parquet_readers/node_modules \
		node "$CS_SRC/tests/chaos/parquet_check.cjs" "$TL_TMP/data" "{$heads}" >"$TL_TMP/parquet.out" 2>&1
}

# After the stop: no process runs with this config, no segment is left but
# the ones the service keeps on purpose (rings, the derived ring _spreads,
# status, registry); those are removed here and must then be gone.
cs_check_no_leaks() {
	local left
	left=$(pgrep -f -- "--config $CS_CONF" | tr '\n' ' ')
	[[ -z $left ]] || tl_fail "processes of the instance still run: $left"
	left=$(find /dev/shm -maxdepth 1 -name "spreadbus.$CS_INSTANCE.*" | wc -l)
	tl_assert_eq "shared-memory segments of the instance (rings + _spreads + _status + _registry)" $((CS_N + 3)) "$left"
	"$TL_BIN/spreadbus-busctl" --config "$CS_CONF" unlink >>"$TL_TMP/busctl.log" 2>&1 ||
		tl_fail "busctl unlink failed"
	left=$(find /dev/shm -maxdepth 1 -name "spreadbus.$CS_INSTANCE.*" | wc -l)
	tl_assert_eq "segments after busctl unlink" 0 "$left"
}
