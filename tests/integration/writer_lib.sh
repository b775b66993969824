# Shared by the writer's integration tests and benchmark (sourced), on top
# of tests/lib: a private instance with its config and bus, the writer,
# its status and ring cursor, the feeder, and the Parquet checks.
set -euo pipefail
WL_SRC=${SPREADBUS_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
source "$WL_SRC/tests/lib/common.sh"
source "$WL_SRC/tests/lib/config.sh"
source "$WL_SRC/tests/lib/bus.sh"
tl_init
tl_need_bins spreadbus-writer spreadbus-busctl spreadbus-writer-feed
BIN=$TL_BIN
T=$TL_TMP
READERS=$WL_SRC/tests/parquet_readers
INST=$(tl_instance wt)
CFG=$T/spreadbus.conf
WRITER_PID=

need_readers() {
	[ -d "$READERS/node_modules/@duckdb/node-api" ] && [ -d "$READERS/node_modules/hyparquet" ] ||
		tl_fail "Parquet readers are not installed: run 'make deps' (npm ci in tests/parquet_readers)"
}

# write_config "exchange:SYM1,SYM2 ..." [writer_key=value ...]: the ring
# holds $RING_CAPACITY ticks (65536 unless set); data and journal under
# the state dir unless given.
write_config() {
	local exchanges=$1 e kv
	shift
	local -a args=("service.ring_capacity=${RING_CAPACITY:-65536}")
	for kv in "$@"; do args+=("writer.$kv"); done
	for e in $exchanges; do args+=("exchange.${e%%:*}.symbols=${e#*:}"); done
	tl_write_config "$CFG" "$INST" "${args[@]}"
	DATA=$T/state/data
	JOURNAL=$T/state/journal
}

# spec_json TICKS_PER_EXCHANGE TS_BASE TS_STEP MIN_ROW_GROUPS "exchange:SYM1,SYM2 ..."
spec_json() {
	local ticks=$1 base=$2 step=$3 rgs=$4 exchanges=$5 first=1 out
	out="{\"ts_base\":\"$base\",\"ts_step\":\"$step\",\"min_row_groups\":$rgs,\"exchanges\":{"
	for e in $exchanges; do
		local syms=${e#*:}
		[ $first = 1 ] || out+=","
		first=0
		out+="\"${e%%:*}\":{\"ticks\":$ticks,\"symbols\":[\"${syms//,/\",\"}\"]}"
	done
	echo "$out}}"
}

bus_create() { tl_bus_create "$CFG"; }

# start_writer [WRAPPER ARGS...]: the writer in the background, log in
# $T/writer.log; a wrapper that execs it (prlimit, taskset) keeps its pid.
start_writer() {
	tl_spawn writer "$@" "$BIN/spreadbus-writer" --config "$CFG"
	WRITER_PID=${TL_PID[writer]}
}

kill_writer() {
	tl_stop writer KILL
	WRITER_PID=
}

# Values of metrics (or state, pid, detail...) of the writer's status
# block, in the order asked, separated by spaces (one process for them all).
writer_status() {
	local k expr=
	for k in "$@"; do expr+="${expr:+, }(if has(\"$k\") then .$k else .metrics.$k end)"; done
	tl_bus_field "$CFG" writer "[$expr] | map(tostring) | join(\" \")"
}

writer_state_is() { [ "$(writer_status state)" = "$1" ]; }

# Caught up: this writer (not the stale status of one that died) has
# finished its start-up recovery and read everything in the rings.
writer_caught_up() {
	[ "$(writer_status pid state read_lag_ticks)" = "$WRITER_PID running 0" ]
}

# SIGTERM the writer; it must exit 0 within the given seconds.
stop_writer() {
	local secs=${1:-2} start ms
	start=$(date +%s%N)
	tl_stop writer TERM $((secs + 1))
	WRITER_PID=
	ms=$((($(date +%s%N) - start) / 1000000))
	tl_assert_eq "writer exit status after SIGTERM" 0 "${TL_EXIT[writer]}"
	[ $ms -le $((secs * 1000)) ] || tl_fail "writer took ${ms} ms to stop (limit ${secs}s)"
	echo "writer stopped cleanly in ${ms} ms"
}

check_parquet() { (cd "$READERS" && node check.mjs "$1" "$DATA" "$2") || tl_fail "Parquet check '$1' failed"; }

# The writer's committed (durable) cursor on one ring ("-" before it has a
# reader slot there), and that ring's head.
ring_cursor_and_head() {
	"$BIN/spreadbus-busctl" --config "$CFG" rings 2>>"$T/busctl.log" | jq -r --arg e "$1" \
		'select(.exchange == $e) | "\([.readers[] | select(.name == "writer") | .cursor][0] // "-") \(.head)"' ||
		tl_fail "busctl rings failed"
}

# Every tick of the ring is journaled durably (the cursor moves only after fsync).
writer_durable() {
	local cursor head
	read -r cursor head < <(ring_cursor_and_head "$1")
	[ "$cursor" = "$head" ]
}

# Path of the newest journal segment of an exchange.
open_segment() { ls "$JOURNAL/$1"/*.jnl | sort | tail -1; }

# feed TICKS [feeder options...]: TICKS ticks into every ring.
feed() {
	"$BIN/spreadbus-writer-feed" --config "$CFG" --ticks "$@" >>"$T/feed.log" 2>&1 || tl_fail "spreadbus-writer-feed failed"
}

# feed_and_kill TICKS EXCHANGE...: feed TICKS per ring, wait until the
# writer has journaled them durably on each named ring, then SIGKILL it
# (the ticks are in an open journal segment, not yet in any file).
feed_and_kill() {
	local ticks=$1 ex
	shift
	feed "$ticks"
	for ex in "$@"; do tl_wait_for 10 "$ex journaled durably" writer_durable "$ex"; done
	kill_writer
}
