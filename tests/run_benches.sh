#!/usr/bin/env bash
# Runs every benchmark (programs and scripts) and collects their
# "BENCH <name> <value> <unit>" lines in build/bench-results.txt.
set -u
out=${SPREADBUS_BUILD:-build}/bench-results.txt
: >"$out"
rc=0
for b in "$@"; do
	echo "== $(basename "$b")"
	if [[ $b == *.sh ]]; then cmd=(bash "$b"); else cmd=("$b"); fi
	"${cmd[@]}" 2>&1 | tee -a "$out.log" | tee /dev/stderr | grep '^BENCH ' >>"$out" || rc=1
done
echo "== summary"; cat "$out"
exit $rc
