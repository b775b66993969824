#!/usr/bin/env bash
# test_chaos_short: tests/chaos/chaos.sh shortened for `make test` (20
# child kills, 2 supervisor kills, 1 Redis kill, one slow Redis, 3 s of
# refused connections, 2 forced closes); the full run is `make test-chaos`.
export CHAOS_KILLS=${CHAOS_KILLS:-20} CHAOS_SUPERVISOR_KILLS=${CHAOS_SUPERVISOR_KILLS:-2}
export CHAOS_REDIS_KILLS=${CHAOS_REDIS_KILLS:-1} CHAOS_REDIS_SLEEPS=${CHAOS_REDIS_SLEEPS:-1}
export CHAOS_REFUSE_MS=${CHAOS_REFUSE_MS:-3000} CHAOS_DROPS=${CHAOS_DROPS:-2} CHAOS_DROP_EVERY_S=${CHAOS_DROP_EVERY_S:-2}
export TL_NAME=test_chaos_short
exec bash "${SPREADBUS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/chaos/chaos.sh"
