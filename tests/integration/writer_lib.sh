# Shared helpers for the writer integration tests (sourced): a private
# instance with its own config, bus and directories, cleaned up on exit.
set -euo pipefail
BIN=${SPREADBUS_BIN:-$PWD/build/bin}
SRC=${SPREADBUS_SRC:-$PWD}
READERS=$SRC/tests/parquet_readers
T=$(mktemp -d /tmp/spreadbus-writer-test.XXXXXX)
INST=wt$$r$RANDOM
CFG=$T/spreadbus.conf
WRITER_PID=
FEED_PID=
EXTRA_CLEANUP=()

cleanup() {
	set +e
	for p in $WRITER_PID $FEED_PID; do kill -9 "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	for c in "${EXTRA_CLEANUP[@]}"; do eval "$c"; done
	[ -f "$CFG" ] && "$BIN/spreadbus-busctl" --config "$CFG" unlink >/dev/null 2>&1
	rm -f /dev/shm/spreadbus."$INST".* 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

die() {
	echo "FAIL: $*" >&2
	[ -f "$T/writer.log" ] && tail -n 15 "$T/writer.log" | sed 's/^/  writer.log: /' >&2
	exit 1
}

need_readers() {
	[ -d "$READERS/node_modules/@duckdb/node-api" ] && [ -d "$READERS/node_modules/hyparquet" ] ||
		die "Parquet readers are not installed: run 'make deps' (npm ci in tests/parquet_readers)"
}

# write_config "exchange:SYM1,SYM2 ..." [extra [writer] lines...]
write_config() {
	local exchanges=$1; shift
	mkdir -p "$T/state" "$T/run"
	{
		printf '[service]\ninstance = %s\nruntime_dir = %s/run\nstate_dir = %s/state\nring_capacity = %s\n' \
			"$INST" "$T" "$T" "${RING_CAPACITY:-65536}"
		printf '[http]\nlisten =\n[redis]\nenabled = false\n[writer]\n'
		for line in "$@"; do printf '%s\n' "$line"; done
		for e in $exchanges; do printf '[exchange.%s]\nsymbols = %s\n' "${e%%:*}" "${e#*:}"; done
	} >"$CFG"
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

bus_create() { "$BIN/spreadbus-busctl" --config "$CFG" create >/dev/null; }

start_writer() {
	"$BIN/spreadbus-writer" --config "$CFG" >>"$T/writer.log" 2>&1 &
	WRITER_PID=$!
}

# Values of metrics (or state, pid, detail...) of the writer's status
# block, in the order asked, separated by spaces (one process for them all).
writer_status() {
	"$BIN/spreadbus-busctl" --config "$CFG" status | node -e '
		let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
			for (const line of s.split("\n")) {
				if (!line) continue;
				const o = JSON.parse(line);
				if (o.name !== "writer") continue;
				console.log(process.argv.slice(1).map((k) => (k in o ? o[k] : o.metrics[k])).join(" "));
			}
		});' "$@"
}

# wait_until SECONDS "description" command...: poll a condition with a deadline.
wait_until() {
	local secs=$1 what=$2; shift 2
	local deadline=$((SECONDS + secs))
	until "$@"; do
		[ $SECONDS -lt $deadline ] || die "timed out after ${secs}s waiting for: $what"
		sleep 0.1
	done
}

writer_state_is() { [ "$(writer_status state)" = "$1" ]; }

# Caught up: this writer (not the stale status of one that died) has
# finished its start-up recovery and read everything in the rings.
writer_caught_up() {
	[ "$(writer_status pid state read_lag_ticks)" = "$WRITER_PID running 0" ]
}

# SIGTERM the writer; it must exit 0 within the given seconds.
stop_writer() {
	local secs=${1:-2} start=$(date +%s%N)
	kill -TERM "$WRITER_PID"
	local deadline=$((SECONDS + secs + 1))
	while kill -0 "$WRITER_PID" 2>/dev/null; do
		[ $SECONDS -lt $deadline ] || die "writer did not exit within ${secs}s of SIGTERM"
		sleep 0.05
	done
	local rc=0
	wait "$WRITER_PID" || rc=$?
	WRITER_PID=
	local ms=$((($(date +%s%N) - start) / 1000000))
	[ $rc = 0 ] || { tail -20 "$T/writer.log"; die "writer exited $rc after SIGTERM"; }
	[ $ms -le $((secs * 1000)) ] || die "writer took ${ms} ms to stop (limit ${secs}s)"
	echo "writer stopped cleanly in ${ms} ms"
}

check_parquet() { (cd "$READERS" && node check.mjs "$1" "$DATA" "$2"); }

# The writer's committed (durable) cursor on one ring, and that ring's head.
ring_cursor_and_head() {
	"$BIN/spreadbus-busctl" --config "$CFG" rings | node -e '
		let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
			for (const line of s.split("\n")) {
				if (!line) continue;
				const o = JSON.parse(line);
				if (o.exchange !== process.argv[1]) continue;
				console.log((o.readers.find((r) => r.name === "writer") || {}).cursor, o.head);
			}
		});' "$1"
}

# Every tick of the ring is journaled durably (the cursor moves only after fsync).
writer_durable() {
	local cursor head
	read -r cursor head < <(ring_cursor_and_head "$1")
	[ "$cursor" = "$head" ]
}

# Path of the newest journal segment of an exchange.
open_segment() { ls "$JOURNAL/$1"/*.jnl | sort | tail -1; }

# feed_and_kill TICKS EXCHANGE...: feed TICKS per ring, wait until the
# writer has journaled them durably on each named ring, then SIGKILL it
# (the ticks are in an open journal segment, not yet in any file).
feed_and_kill() {
	local ticks=$1; shift
	"$BIN/spreadbus-writer-feed" --config "$CFG" --ticks "$ticks" >/dev/null
	for ex in "$@"; do wait_until 10 "$ex journaled durably" writer_durable "$ex"; done
	kill -9 "$WRITER_PID"
	wait "$WRITER_PID" 2>/dev/null || true
	WRITER_PID=
}
