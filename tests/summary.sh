#!/usr/bin/env bash
# Prints the totals of every test stage of this `make test` run.
set -u
f=${1:-build/test-summary.txt}
[ -f "$f" ] || { echo "no test results in $f"; exit 1; }
cat "$f"
p=$(awk -F'[:,]' '{split($2,a," "); s+=a[1]} END {print s+0}' "$f")
n=$(awk -F'[:,]' '{split($3,a," "); s+=a[1]} END {print s+0}' "$f")
echo "$p passed, $n failed"
[ "$n" -eq 0 ]
