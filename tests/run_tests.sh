#!/usr/bin/env bash
# Runs tests one after another, each bounded by TEST_TIMEOUT seconds, keeps
# each one's output under $SPREADBUS_BUILD/test-logs, and prints
# "N passed, N failed" for the stage. Exit status: 0 only if all passed.
set -u
stage=$1; shift
timeout_s=${TEST_TIMEOUT:-300}
logdir=${SPREADBUS_BUILD:-build}/test-logs
mkdir -p "$logdir"
passed=0 failed=0 failed_names=()
for t in "$@"; do
	name=$(basename "$t"); name=${name%.sh}
	log="$logdir/$name.log"
	start=$(date +%s%N)
	if [[ $t == *.sh ]]; then cmd=(bash "$t"); else cmd=("$t"); fi
	timeout -k 10 "$timeout_s" "${cmd[@]}" >"$log" 2>&1
	rc=$?
	ms=$(( ($(date +%s%N) - start) / 1000000 )); secs=$((ms / 1000)).$(((ms % 1000) / 100))
	if [ $rc -eq 0 ]; then
		passed=$((passed + 1)); printf '  PASS %-48s %6ss\n' "$name" "$secs"
	else
		failed=$((failed + 1)); failed_names+=("$name")
		[ $rc -eq 124 ] && why="timed out after ${timeout_s}s" || why="exit $rc"
		printf '  FAIL %-48s %6ss (%s)\n' "$name" "$secs" "$why"
		tail -n 40 "$log" | sed 's/^/       | /'
	fi
done
[ -n "${TEST_SUMMARY:-}" ] && echo "$stage: $passed passed, $failed failed" >>"$TEST_SUMMARY"
echo "$stage: $passed passed, $failed failed"
[ $failed -eq 0 ]
