#!/usr/bin/env bash
# Runs each libFuzzer target for FUZZ_SECONDS on its seed corpus
# (tests/fuzz/corpus/<name>, copied so the tree stays clean). Its summary
# line has run_tests.sh's form; a fuzz target always runs, so none skips.
set -u
secs=${FUZZ_SECONDS:-60}
work=${SPREADBUS_BUILD:-build}/fuzz-work
passed=0 failed=0
for f in "$@"; do
	name=$(basename "$f")
	mkdir -p "$work/$name/corpus"
	[ -d "tests/fuzz/corpus/$name" ] && cp -r "tests/fuzz/corpus/$name/." "$work/$name/corpus/"
	if (cd "$work/$name" && "$OLDPWD/$f" -max_total_time="$secs" -max_len=65536 -print_final_stats=1 corpus >log.txt 2>&1); then
		passed=$((passed + 1)); echo "  PASS fuzz $name ($(grep -m1 -o 'stat::number_of_executed_units: [0-9]*' "$work/$name/log.txt" | awk '{print $2}') runs in ${secs}s)"
	else
		failed=$((failed + 1)); echo "  FAIL fuzz $name"; tail -n 40 "$work/$name/log.txt" | sed 's/^/       | /'
	fi
done
line="fuzz: $passed passed, $failed failed, 0 skipped"
[ -n "${TEST_SUMMARY:-}" ] && echo "$line" >>"$TEST_SUMMARY"
echo "$line"
[ $failed -eq 0 ]
