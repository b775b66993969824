# Shared by the supervisor's integration tests (sourced, not run), on top of
# tests/lib: the supervisor's config (collectors, aggregator, writer), the
# supervisor started in the background, spreadctl and HTTP helpers; at
# exit its children and shared-memory segments go with it.
set -euo pipefail
SV_SRC=${SPREADBUS_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
source "$SV_SRC/tests/lib/common.sh"
source "$SV_SRC/tests/lib/config.sh"
tl_init
tl_need_bins spreadbus spreadctl spreadbus-collector spreadbus-aggregator spreadbus-writer spreadbus-busctl
BIN=$TL_BIN
T=$TL_TMP
INSTANCE=$(tl_instance sv)
CONF=$T/spreadbus.conf
LOG=$T/supervisor.log
SV_PID=
HTTP_PORT=$(tl_free_port)

# Children die with the supervisor (PDEATHSIG); make sure of it.
sv_cleanup() {
	local kids= p
	tl_alive supervisor && kids=$(pgrep -P "${TL_PID[supervisor]}")
	tl_stop supervisor TERM 10
	for p in $kids; do kill -KILL "$p" 2>/dev/null; done
	rm -f /dev/shm/spreadbus."$INSTANCE".*
}
tl_cleanup sv_cleanup

# write_config [EXTRA_EXCHANGES...]: binance and okx collectors (or
# $EXCHANGES) pointed at a port where nothing listens (they keep
# reconnecting; URL_<name> points one elsewhere), Redis off, the writer in
# the temp dir, short timeouts so the tests run fast.
write_config() {
	local ex url_var
	local -a kv=(
		"service.bin_dir=${BIN_DIR:-$BIN}" service.ring_capacity=1024
		"http.listen=127.0.0.1:$HTTP_PORT"
		"restart.backoff_initial_ms=${BACKOFF_INITIAL_MS:-50}" "restart.backoff_max_ms=${BACKOFF_MAX_MS:-200}"
		"restart.burst_count=${BURST_COUNT:-100}" "restart.burst_window_s=${BURST_WINDOW_S:-10}"
		"restart.hold_ms=${HOLD_MS:-60000}" restart.hold_max_ms=600000
		"restart.stop_timeout_ms=${STOP_TIMEOUT_MS:-3000}"
		"aggregator.heartbeat_timeout_ms=${HEARTBEAT_TIMEOUT_MS:-3000}"
		"writer.enabled=${WRITER_ENABLED:-true}" "writer.data_dir=$T/data" "writer.journal_dir=$T/journal"
		"writer.heartbeat_timeout_ms=${HEARTBEAT_TIMEOUT_MS:-3000}"
	)
	for ex in ${EXCHANGES:-binance okx} "$@"; do
		url_var=URL_${ex//-/_}
		kv+=("exchange.$ex.adapter=${ex%%-*}" "exchange.$ex.symbols=BTC-USDT, ETH-USDT"
			"exchange.$ex.url=${!url_var:-ws://127.0.0.1:1}"
			"exchange.$ex.heartbeat_timeout_ms=${HEARTBEAT_TIMEOUT_MS:-3000}")
	done
	tl_write_config "$CONF" "$INSTANCE" "${kv[@]}"
}

ctl() {
	"$BIN/spreadctl" --config "$CONF" "$@"
}

status_json() {
	ctl status --json 2>/dev/null
}

# child_field NAME FIELD: one field of one child from spreadctl status --json.
child_field() {
	status_json | jq -r --arg n "$1" --arg f "$2" '.children[] | select(.name == $n) | .[$f] // "null"'
}

child_pid() {
	child_field "$1" pid
}

child_state_is() { [ "$(child_field "$1" state)" = "$2" ]; }

# child_replaced NAME OLD_PID: NAME runs as another process than OLD_PID.
child_replaced() {
	local p
	p=$(child_field "$1" pid)
	[[ $p =~ ^[0-9]+$ ]] && [ "$p" != "$2" ]
}

# A child runs and has sent a heartbeat since it started.
child_up() {
	local s
	s=$(status_json | jq -r --arg n "$1" '.children[] | select(.name == $n) |
		"\(.state) \(.heartbeat_age_ms // "null")"') || return 1
	[[ $s == "running "[0-9]* ]]
}

all_children_up() {
	local n
	for n in $(status_json | jq -r '.children[].name'); do
		child_up "$n" || return 1
	done
	[ -n "$(status_json)" ]
}

# The supervisor answers on its control socket (not a stale socket file
# of one killed before), or has exited.
sv_answers_or_exited() { ctl status >/dev/null 2>&1 || ! tl_alive supervisor; }

# sv_launch: run the supervisor in the background (environment assignments
# before the call reach it) and wait for its control socket. If the HTTP port
# was taken in the meantime, it retries on another one.
sv_launch() {
	local try port
	for try in 1 2 3 4 5; do
		tl_spawn supervisor "$BIN/spreadbus" --config "$CONF"
		SV_PID=${TL_PID[supervisor]}
		tl_wait_for 30 "the supervisor's control socket" sv_answers_or_exited
		tl_alive supervisor && return 0
		tl_collect supervisor
		grep -q "cannot listen on 127.0.0.1:$HTTP_PORT: Address already in use" "$LOG" ||
			tl_fail "the supervisor exited at start"
		port=$(tl_free_port)
		sed -i "s/^listen = 127.0.0.1:$HTTP_PORT\$/listen = 127.0.0.1:$port/" "$CONF"
		HTTP_PORT=$port
	done
	tl_fail "no HTTP port could be bound"
}

# sv_start: sv_launch, then wait until every child is up.
sv_start() {
	sv_launch
	tl_wait_for 30 "every child up" all_children_up
}

# sv_stop SIGNAL: signal the supervisor and collect its exit (TL_EXIT[supervisor]).
sv_stop() {
	tl_stop supervisor "$1" 10
	SV_PID=
}

http_get() {
	curl -s --max-time 5 "http://127.0.0.1:$HTTP_PORT$1"
}

http_code() {
	curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$HTTP_PORT$1"
}

http_code_is() { [ "$(http_code "$2")" = "$1" ]; }

# Processes whose parent is the supervisor.
sv_children_pids() {
	pgrep -P "$SV_PID" | sort
}

# Every one of these pids has exited.
all_gone() {
	local p
	for p in "$@"; do
		! kill -0 "$p" 2>/dev/null || return 1
	done
}

# A flood of clients on one of the supervisor's servers, "tcp PORT" or
# "unix PATH", counted by ss(8): held = connections it holds now, queued =
# connections the kernel completed that it has not accepted yet.
sv_conns_held() {
	case $1 in
	tcp) ss -Htn state established "( sport = :$2 )" ;;
	unix) ss -Hx state established src "$2" ;;
	esac | wc -l
}
sv_conns_queued() {
	case $1 in
	tcp) ss -Hltn "( sport = :$2 )" | awk '{ q += $2 } END { print q + 0 }' ;;
	unix) ss -Hxl src "$2" | awk '{ q += $3 } END { print q + 0 }' ;;
	esac
}

# sv_took_clients KIND ADDR N DIR: the server has taken all N spawned
# spreadbus-test-netpoke clients (logs in $T/DIR/): none waits to be
# accepted, and each is either held or was closed by the server (at its
# connection cap the oldest idle one makes room).
sv_took_clients() {
	local held cut
	[ "$(sv_conns_queued "$1" "$2")" = 0 ] || return 1
	held=$(sv_conns_held "$1" "$2")
	cut=$(cat "$T/$4"/*.log 2>/dev/null | grep -c '^closed by server' || true)
	((held + cut >= $3))
}
