#!/usr/bin/env bash
# The okx collector counts every malformed, oversize, binary, crossed,
# repeated and backwards frame the fake exchange sends (as rejects or
# duplicates), stays up with the same pid and keeps publishing good ticks.
set -u
source "${SPREADBUS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/collector_test.sh"

tl_hostile_scenario okx
summary="$(tl_collector_metric ticks_published_total) ticks published"
tl_collector_stop
tl_fakex_stop
tl_pass "$summary"
