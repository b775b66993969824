#!/usr/bin/env bash
# Prints every test stage's line of this `make test` run and the total,
# "N passed, N failed, N skipped"; exits non-zero only if a test failed (or
# the file of results is missing).
set -u
f=${1:-build/test-summary.txt}
[ -f "$f" ] || { echo "no test results in $f"; exit 1; }
cat "$f"
read -r p n s < <(sed -nE 's/.*: ([0-9]+) passed, ([0-9]+) failed(, ([0-9]+) skipped)?$/\1 \2 \4/p' "$f" |
	awk '{ p += $1; n += $2; s += $3 } END { print p + 0, n + 0, s + 0 }')
echo "$p passed, $n failed, $s skipped"
[ "$n" -eq 0 ]
