#!/usr/bin/env bash
# The child runtime in a real child: a streaming collector stopped by
# SIGTERM exits 0 and leaves its status block EXITED; one whose parent
# process goes away stops by itself within the parent check period (1 s),
# logs why, and leaves its block EXITED too.
set -u
source "${SPREADBUS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/collector_test.sh"

state() { tl_bus_field "$TL_CONFIG" binance .state; }
state_is() { [[ $(state) == "$1" ]]; }

tl_fakex_start --exchange binance
tl_collector_start binance "BTC-USDT"
tl_wait_for 10 "the collector streaming" state_is running
tl_collector_stop
tl_assert_eq "status block state after SIGTERM" exited "$(state)"

# A parent that starts the collector and exits when told to: the collector
# must have noted it as its parent (state running) before it goes.
go=$TL_TMP/parent.go
pidfile=$TL_TMP/orphan.pid
tl_spawn parent bash -c '"$1" --exchange binance --config "$2" >>"$3" 2>&1 &
	echo $! >"$4"
	for ((i = 0; i < 400; i++)); do [[ -e $5 ]] && exit 0; sleep 0.05; done
	exit 1' parent "$TL_BIN/spreadbus-collector" "$TL_CONFIG" "$TL_TMP/orphan.log" "$pidfile" "$go"
tl_wait_for 5 "the orphan-to-be's pid" test -s "$pidfile"
orphan=$(<"$pidfile")
tl_cleanup kill -KILL "$orphan"
tl_wait_for 10 "the second collector streaming" state_is running
tl_assert_eq "pid in the status block" "$orphan" "$(tl_bus_field "$TL_CONFIG" binance .pid)"
touch "$go"
tl_reap parent 5
tl_assert_eq "the parent's exit status" 0 "${TL_EXIT[parent]}"
# Gone, or a zombie waiting for whichever process adopted it to reap it.
orphan_gone() { ! kill -0 "$orphan" 2>/dev/null || [[ $(awk '{print $3}' "/proc/$orphan/stat" 2>/dev/null) == Z ]]; }
tl_wait_for 5 "the orphaned collector to stop by itself" orphan_gone
grep -q "parent process .* went away" "$TL_TMP/orphan.log" || tl_fail "no 'parent process went away' line in orphan.log"
tl_assert_eq "status block state after the parent went away" exited "$(state)"
tl_fakex_stop
tl_pass "SIGTERM and orphaned stops both end EXITED"
