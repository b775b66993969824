# aggregator/: spreads, rolling windows and Redis publishing
# (spreadbus-aggregator), with its tests, test tools and benchmarks.
LIBRARIES += aggregator
aggregator_SRCS := $(filter-out aggregator/main.c,$(wildcard aggregator/*.c))
aggregator_PKGS := hiredis libcurl

PROGRAMS += spreadbus-aggregator
spreadbus-aggregator_MAIN := aggregator/main.c
spreadbus-aggregator_DEPS := aggregator shm common
INSTALLED_PROGRAMS += spreadbus-aggregator

AGGREGATOR_UNIT_TESTS := test_window_brute_force test_window_universe_memory test_spread_brute_force \
	test_spread_stale_and_gaps test_spread_live_listing test_alert_state_machine \
	test_aggregator_conflate test_candles_brute_force test_candles_grow test_spread_json_schema \
	test_spread_basis
UNIT_TESTS += $(AGGREGATOR_UNIT_TESTS)
$(foreach t,$(AGGREGATOR_UNIT_TESTS),$(eval $(t)_MAIN := tests/unit/$(t).c)$(eval $(t)_DEPS := aggregator shm common)$(eval $(t)_LDLIBS := -lcmocka))

BENCHES += bench_aggregator_core
bench_aggregator_core_MAIN := tests/bench/bench_aggregator_core.c
bench_aggregator_core_DEPS := aggregator shm common

BENCH_SCRIPTS += tests/bench/bench_aggregator_redis.sh tests/bench/bench_aggregator_candles.sh

INTEGRATION_TESTS += tests/integration/test_aggregator_redis_publish.sh \
	tests/integration/test_aggregator_redis_auth.sh tests/integration/test_aggregator_redis_stream_maxlen.sh \
	tests/integration/test_aggregator_redis_outage.sh \
	tests/integration/test_aggregator_candles.sh tests/integration/test_aggregator_candles_restart.sh
INTEGRATION_TESTS += tests/integration/test_aggregator_sigterm_drain.sh \
	tests/integration/test_aggregator_lapped.sh tests/integration/test_aggregator_window_memory_cap.sh \
	tests/integration/test_aggregator_alert_webhook_slow.sh tests/integration/test_aggregator_live_symbols.sh \
	tests/integration/test_aggregator_basis.sh
