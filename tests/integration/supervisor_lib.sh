# Shared by the supervisor's integration tests (sourced, not run): a temp
# dir with its own instance name, a config, the supervisor started in the
# background, spreadctl helpers, polling with deadlines, and cleanup of
# every process and shared-memory segment on exit.
set -euo pipefail
BIN=${SPREADBUS_BIN:?SPREADBUS_BIN must point at the build/bin directory}
T=$(mktemp -d /tmp/spreadbus-svtest.XXXXXX)
INSTANCE="svt$$r$RANDOM"
CONF=$T/spreadbus.conf
LOG=$T/supervisor.log
SV_PID=

sv_cleanup() {
	local rc=$?
	local kids= p
	if [ -n "$SV_PID" ] && kill -0 "$SV_PID" 2>/dev/null; then
		kids=$(pgrep -P "$SV_PID" || true)
		kill -TERM "$SV_PID" 2>/dev/null || true
		for _ in $(seq 50); do kill -0 "$SV_PID" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$SV_PID" 2>/dev/null || true
	fi
	# Children die with the supervisor (PDEATHSIG); make sure of it.
	for p in $kids; do kill -KILL "$p" 2>/dev/null || true; done
	# Helpers the test started (fake exchange, socket clients).
	for p in ${EXTRA_PIDS:-}; do kill -TERM "$p" 2>/dev/null || true; done
	for p in ${EXTRA_PIDS:-}; do wait "$p" 2>/dev/null || true; done
	rm -f /dev/shm/spreadbus."$INSTANCE".* 2>/dev/null || true
	if [ $rc -ne 0 ] && [ -f "$LOG" ]; then
		echo "---- supervisor log (last 60 lines) ----"
		tail -n 60 "$LOG"
	fi
	rm -rf "$T"
	return $rc
}
trap sv_cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# wait_until SECONDS DESCRIPTION COMMAND...: poll COMMAND until it succeeds.
wait_until() {
	local limit=$1 what=$2
	shift 2
	local deadline=$((SECONDS + limit))
	until "$@"; do
		[ $SECONDS -lt $deadline ] || fail "timed out after ${limit}s waiting for: $what"
		sleep 0.05
	done
}

# A TCP port no socket uses now: random (parallel test runs do not
# collide), below the kernel's ephemeral range (32768-60999) so that outgoing
# connections of other tests cannot take it; the config validator does not
# accept port 0. sv_launch picks another if the bind still loses a race.
free_port() {
	local p
	for _ in $(seq 100); do
		p=$((20000 + RANDOM % 12000))
		if [ -z "$(ss -Htan "sport = :$p")" ]; then
			echo $p
			return 0
		fi
	done
	fail "no free port found"
}
HTTP_PORT=$(free_port)

# write_config [EXTRA_EXCHANGES...]: binance and okx collectors pointed at a
# port where nothing listens (they keep reconnecting; URL_<name> points one
# elsewhere), Redis off, the
# writer in the temp dir, short timeouts so the tests run fast.
write_config() {
	local bin_dir=${BIN_DIR:-$BIN}
	cat >"$CONF" <<CONF
[service]
instance = $INSTANCE
runtime_dir = $T/run
state_dir = $T/state
bin_dir = $bin_dir
ring_capacity = 1024
log_level = info

[http]
listen = 127.0.0.1:$HTTP_PORT

[restart]
backoff_initial_ms = ${BACKOFF_INITIAL_MS:-50}
backoff_max_ms = ${BACKOFF_MAX_MS:-200}
burst_count = ${BURST_COUNT:-100}
burst_window_s = ${BURST_WINDOW_S:-10}
hold_ms = ${HOLD_MS:-60000}
hold_max_ms = 600000
stop_timeout_ms = ${STOP_TIMEOUT_MS:-3000}

[redis]
enabled = false

[aggregator]
heartbeat_timeout_ms = ${HEARTBEAT_TIMEOUT_MS:-3000}

[writer]
enabled = ${WRITER_ENABLED:-true}
data_dir = $T/data
journal_dir = $T/journal
heartbeat_timeout_ms = ${HEARTBEAT_TIMEOUT_MS:-3000}
CONF
	local ex url_var
	for ex in ${EXCHANGES:-binance okx} "$@"; do
		url_var=URL_${ex//-/_}
		cat >>"$CONF" <<CONF

[exchange.$ex]
adapter = ${ex%%-*}
symbols = BTC-USDT, ETH-USDT
url = ${!url_var:-ws://127.0.0.1:1}
heartbeat_timeout_ms = ${HEARTBEAT_TIMEOUT_MS:-3000}
CONF
	done
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

# sv_launch: run the supervisor in the background (environment assignments
# before the call reach it) and wait for its control socket. If the HTTP port
# was taken in the meantime, it retries on another one.
sv_launch() {
	local try
	for try in 1 2 3 4 5; do
		"$BIN/spreadbus" --config "$CONF" >>"$LOG" 2>&1 &
		SV_PID=$!
		wait_until 30 "the supervisor's control socket" \
			bash -c "test -S '$T/run/spreadbus.sock' || ! kill -0 $SV_PID 2>/dev/null"
		kill -0 "$SV_PID" 2>/dev/null && return 0
		wait "$SV_PID" 2>/dev/null || true
		grep -q "cannot listen on 127.0.0.1:$HTTP_PORT: Address already in use" "$LOG" ||
			fail "the supervisor exited at start"
		local port
		port=$(free_port)
		sed -i "s/^listen = 127.0.0.1:$HTTP_PORT\$/listen = 127.0.0.1:$port/" "$CONF"
		HTTP_PORT=$port
	done
	fail "no HTTP port could be bound"
}

# sv_start: sv_launch, then wait until every child is up.
sv_start() {
	sv_launch
	wait_until 30 "every child up" all_children_up
}

http_get() {
	curl -s --max-time 5 "http://127.0.0.1:$HTTP_PORT$1"
}

http_code() {
	curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$HTTP_PORT$1"
}

# Processes whose parent is the supervisor.
sv_children_pids() {
	pgrep -P "$SV_PID" | sort
}
