#!/usr/bin/env bash
# The binance collector counts every malformed, oversize, binary, crossed,
# repeated and backwards frame the fake exchange sends (as rejects or
# duplicates), stays up with the same pid and keeps publishing good ticks.
set -u
L=${SPREADBUS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib
for f in common config fakex bus collector hostile_scenario; do source "$L/$f.sh"; done
tl_init
tl_need_bins spreadbus-fakex spreadbus-collector spreadbus-busctl

tl_hostile_scenario binance
summary="$(tl_collector_metric ticks_published_total) ticks published"
tl_collector_stop
tl_fakex_stop
tl_pass "$summary"
