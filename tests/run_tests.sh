#!/usr/bin/env bash
# Runs tests, TEST_JOBS at a time (default 1), each bounded by TEST_TIMEOUT
# seconds, keeps each one's output under $SPREADBUS_BUILD/test-logs, prints
# one line per test as it finishes (with the end of its log if it failed)
# and "N passed, N failed" for the stage. Exit status: 0 only if all passed.
# Tests may run side by side: each uses its own instance name, temporary
# directory and kernel-chosen or random free ports.
set -u
stage=$1; shift
timeout_s=${TEST_TIMEOUT:-300}
jobs_max=${TEST_JOBS:-1}
logdir=${SPREADBUS_BUILD:-build}/test-logs
mkdir -p "$logdir"
passed=0 failed=0
declare -A job_name=() job_start=()

run_one() {
	local t=$1 name=$2
	local cmd
	if [[ $t == *.sh ]]; then cmd=(bash "$t"); else cmd=("$t"); fi
	exec timeout -k 10 "$timeout_s" "${cmd[@]}" >"$logdir/$name.log" 2>&1
}

# Waits for one running test and prints its result.
reap_one() {
	local pid rc=0
	wait -n -p pid || rc=$?
	local name=${job_name[$pid]}
	local ms=$((($(date +%s%N) - ${job_start[$pid]}) / 1000000))
	local secs=$((ms / 1000)).$(((ms % 1000) / 100))
	unset "job_name[$pid]" "job_start[$pid]"
	if [ $rc -eq 0 ]; then
		passed=$((passed + 1))
		printf '  PASS %-48s %6ss\n' "$name" "$secs"
	else
		failed=$((failed + 1))
		local why="exit $rc"
		[ $rc -eq 124 ] && why="timed out after ${timeout_s}s"
		printf '  FAIL %-48s %6ss (%s)\n' "$name" "$secs" "$why"
		tail -n 40 "$logdir/$name.log" | sed 's/^/       | /'
	fi
}

for t in "$@"; do
	while [ ${#job_name[@]} -ge "$jobs_max" ]; do reap_one; done
	name=$(basename "$t"); name=${name%.sh}
	run_one "$t" "$name" &
	job_name[$!]=$name
	job_start[$!]=$(date +%s%N)
done
while [ ${#job_name[@]} -gt 0 ]; do reap_one; done

[ -n "${TEST_SUMMARY:-}" ] && echo "$stage: $passed passed, $failed failed" >>"$TEST_SUMMARY"
echo "$stage: $passed passed, $failed failed"
[ $failed -eq 0 ]
