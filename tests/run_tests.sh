#!/usr/bin/env bash
# Runs tests, TEST_JOBS at a time (default 1), each bounded by TEST_TIMEOUT
# seconds, keeps each one's output under $SPREADBUS_BUILD/test-logs, prints
# one line per test as it finishes (with the end of its log if it failed)
# and "stage: N passed, N failed, N skipped". Exit status: 0 unless a test
# failed.
# Outcomes: exit 0 is PASS, exit 77 is SKIP (the test cannot run here; it
# says why in its last log line, "SKIP: reason"), anything else is FAIL. A
# cmocka program that exits 0 with every case skipped is a SKIP too: cmocka
# counts skip() as neither passed nor failed and returns 0.
# Tests may run side by side: each uses its own instance name, temporary
# directory and kernel-chosen or random free ports.
set -u
stage=$1; shift
timeout_s=${TEST_TIMEOUT:-300}
jobs_max=${TEST_JOBS:-1}
logdir=${SPREADBUS_BUILD:-build}/test-logs
mkdir -p "$logdir"
passed=0 failed=0 skipped=0
declare -A job_name=() job_start=()

run_one() {
	local t=$1 name=$2
	local cmd
	if [[ $t == *.sh ]]; then cmd=(bash "$t"); else cmd=("$t"); fi
	exec timeout -k 10 "$timeout_s" "${cmd[@]}" >"$logdir/$name.log" 2>&1
}

# Why a test skipped: its last line that starts with "SKIP" (after a "name: "
# prefix; cleanup may print after it), else its last line; without the prefix.
skip_reason() {
	local log=$1 line
	line=$(grep -E '^([[:alnum:]_.-]+: )?SKIP' "$log" | tail -n 1)
	[ -n "$line" ] || line=$(grep -v '^[[:space:]]*$' "$log" | tail -n 1)
	line=$(sed -E 's/^([[:alnum:]_.-]+: )?SKIP:? *//' <<<"$line")
	printf '%s' "${line:0:120}"
}

# cmocka's closing lines: "[  PASSED  ] N test(s)." and, when cases called
# skip(), "[  SKIPPED ] N test(s), listed below:". Prints "passed skipped",
# nothing for a log that is not cmocka's.
cmocka_counts() {
	awk '/^\[  PASSED  \] [0-9]+ test\(s\)\.$/ { p = $4 }
	     /^\[  SKIPPED \] [0-9]+ test\(s\), listed below:$/ { s = $4 }
	     END { if (p != "") print p, s + 0 }' "$1"
}

# Waits for one running test and prints its result.
reap_one() {
	local pid rc=0
	wait -n -p pid || rc=$?
	local name=${job_name[$pid]}
	local log=$logdir/$name.log
	local ms=$((($(date +%s%N) - ${job_start[$pid]}) / 1000000))
	local secs=$((ms / 1000)).$(((ms % 1000) / 100))
	unset "job_name[$pid]" "job_start[$pid]"
	local cases_passed= cases_skipped=0
	[ $rc -eq 0 ] && read -r cases_passed cases_skipped < <(cmocka_counts "$log")
	if [ $rc -eq 0 ] && [ "${cases_passed:-1}" -eq 0 ] && [ "${cases_skipped:-0}" -gt 0 ]; then
		skipped=$((skipped + 1))
		printf '  SKIP %-48s %6ss (every cmocka case skipped: %s)\n' "$name" "$secs" \
			"$(grep '^\[  SKIPPED \] [a-z_]' "$log" | sed 's/^\[  SKIPPED \] //' | awk '!seen[$0]++' | paste -sd' ')"
	elif [ $rc -eq 0 ]; then
		passed=$((passed + 1))
		if [ "${cases_skipped:-0}" -gt 0 ]; then
			printf '  PASS %-48s %6ss (cmocka cases skipped: %s)\n' "$name" "$secs" "$cases_skipped"
		else
			printf '  PASS %-48s %6ss\n' "$name" "$secs"
		fi
	elif [ $rc -eq 77 ]; then
		skipped=$((skipped + 1))
		printf '  SKIP %-48s %6ss (%s)\n' "$name" "$secs" "$(skip_reason "$log")"
	else
		failed=$((failed + 1))
		local why="exit $rc"
		[ $rc -eq 124 ] && why="timed out after ${timeout_s}s"
		printf '  FAIL %-48s %6ss (%s)\n' "$name" "$secs" "$why"
		tail -n 40 "$log" | sed 's/^/       | /'
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

line="$stage: $passed passed, $failed failed, $skipped skipped"
[ -n "${TEST_SUMMARY:-}" ] && echo "$line" >>"$TEST_SUMMARY"
echo "$line"
[ $failed -eq 0 ]
