# Shell helpers for the ring integration tests (sourced; needs $RS set to
# the spreadbus-ringstress binary).

# ring_wait_slots RING NAME...: wait until every named reader slot exists.
ring_wait_slots() {
	local ring=$1 name deadline=$((SECONDS + 20))
	shift
	for name in "$@"; do
		until "$RS" cursor "$ring" "$name" >/dev/null 2>&1; do
			[ $SECONDS -lt $deadline ] || { echo "reader $name never opened its slot"; exit 1; }
			sleep 0.02
		done
	done
}

# ring_wait_readers DIR PID...: wait for reader processes (stderr in
# DIR/<name>.err); on failure print every reader's stderr and exit.
ring_wait_readers() {
	local dir=$1 pid
	shift
	for pid in "$@"; do
		wait "$pid" || { echo "reader $pid failed:"; cat "$dir"/*.err; exit 1; }
	done
}

# ring_expect DIR WANT NAME...: every reader's output line is WANT.
ring_expect() {
	local dir=$1 want=$2 name out
	shift 2
	for name in "$@"; do
		out=$(cat "$dir/$name.out")
		echo "reader $name: $out"
		[ "$out" = "$want" ] || { echo "reader $name: expected $want"; exit 1; }
	done
}

# ring_wait_cursor RING NAME SEQ: wait until reader NAME has committed SEQ.
ring_wait_cursor() {
	local deadline=$((SECONDS + 20))
	until [ "$("$RS" cursor "$1" "$2" 2>/dev/null | cut -d' ' -f1)" = "$3" ]; do
		[ $SECONDS -lt $deadline ] || { echo "reader $2 never reached $3"; exit 1; }
		sleep 0.02
	done
}

# ring_cleanup: kill the processes in $pids (and $prod), unlink $RING and
# remove $tmp; for `trap ring_cleanup EXIT`.
ring_cleanup() {
	local p
	for p in ${prod:-} "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	"$RS" unlink "$RING" 2>/dev/null || true
	rm -rf "$tmp"
}
