#!/usr/bin/env bash
# Runs every benchmark (programs and scripts) BENCH_RUNS times (3) and
# writes the median of each "BENCH <name> <value> <unit>" line over the runs
# to build/bench-results.txt; every run's lines are in bench-runs.txt and
# the full output in bench-results.txt.log. The benchmarks that repeat
# themselves are asked for one run each (RUNS, BENCH_WRITER_RUNS): the
# repeats are here, alternating between benchmarks.
set -u
build=${SPREADBUS_BUILD:-build}
out=$build/bench-results.txt runs=$build/bench-runs.txt
BENCH_RUNS=${BENCH_RUNS:-3}
: >"$out"
: >"$runs"
: >"$out.log"
rc=0
for ((run = 1; run <= BENCH_RUNS; run++)); do
	for b in "$@"; do
		echo "== $(basename "$b") (run $run of $BENCH_RUNS)"
		if [[ $b == *.sh ]]; then cmd=(bash "$b"); else cmd=("$b"); fi
		RUNS=1 BENCH_WRITER_RUNS=1 "${cmd[@]}" 2>&1 | tee -a "$out.log" | tee /dev/stderr |
			grep '^BENCH ' >>"$runs" || rc=1
	done
done
# the median per name, in the order the names first came; a value that is
# not a number (a benchmark's note) is kept from the last run
awk '$1 == "BENCH" {
	name = $2
	if (!(name in n)) { order[++names] = name; n[name] = 0 }
	v[name, ++n[name]] = $3
	unit[name] = $4
}
END {
	for (i = 1; i <= names; i++) {
		name = order[i]
		k = n[name]
		for (a = 1; a <= k; a++) x[a] = v[name, a]
		if (x[1] ~ /^-?[0-9.]+(e[-+]?[0-9]+)?$/) {
			for (a = 2; a <= k; a++) { t = x[a]; for (b = a - 1; b >= 1 && x[b] + 0 > t + 0; b--) x[b + 1] = x[b]; x[b + 1] = t }
			m = k % 2 ? x[(k + 1) / 2] : (x[k / 2] + x[k / 2 + 1]) / 2
			how = "median"
		} else {
			m = x[k]
			how = "last"
		}
		printf "BENCH %s %s %s (%s of %d)\n", name, m, unit[name], how, k
	}
}' "$runs" >"$out"
echo "== summary: medians of $BENCH_RUNS runs"
cat "$out"
exit $rc
