# tests/chaos: the whole service under load (make bench-system) and under
# faults (make test-chaos; a short form runs in make test).
.PHONY: bench-system test-chaos

INTEGRATION_TESTS_RELEASE_ONLY += tests/integration/test_chaos_short.sh
NPM_DIRS += tests/compare

# HOLD_S=60 for the by-hand 60 s hold; RATES="..." for other steps.
bench-system: programs $(BUILD)/bin/aggregator_sub
	$(TEST_ENV) bash tests/bench/bench_system.sh

test-chaos: programs $(BUILD)/bin/aggregator_sub
	$(TEST_ENV) bash tests/chaos/chaos.sh
