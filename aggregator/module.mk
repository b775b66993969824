# aggregator/: spreads, rolling windows and Redis publishing
# (spreadbus-aggregator), with its tests, test tools and benchmarks.
LIBRARIES += aggregator
aggregator_SRCS := $(filter-out aggregator/main.c,$(wildcard aggregator/*.c))
aggregator_PKGS := hiredis

AGGREGATOR_UNIT_TESTS := test_window_brute_force test_spread_brute_force test_spread_stale_and_gaps
UNIT_TESTS += $(AGGREGATOR_UNIT_TESTS)
$(foreach t,$(AGGREGATOR_UNIT_TESTS),$(eval $(t)_MAIN := tests/unit/$(t).c)$(eval $(t)_DEPS := aggregator shm common)$(eval $(t)_LDLIBS := -lcmocka))
