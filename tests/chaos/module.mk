# tests/chaos: the whole service under load (make bench-system: load steps,
# then the Node.js comparison) and under faults (make test-chaos; a short
# form runs in make test). docs/BENCHMARKS.md has the figures.
.PHONY: bench-system test-chaos

INTEGRATION_TESTS_RELEASE_ONLY += tests/integration/test_chaos_short.sh
# Candles of the whole service under faults against DuckDB over the Parquet trades (docs/redis.md).
INTEGRATION_TESTS_RELEASE_ONLY += tests/integration/test_candles_demo_scale.sh
NPM_DIRS += tests/compare
BENCH_SCRIPTS += tests/bench/bench_cpu_wss.sh

# HOLD_S=60 for the long hold; RATES="..." for other steps; PERF=1 profiles.
bench-system: test-tools
	$(TEST_ENV) bash tests/bench/bench_system.sh
	$(TEST_ENV) bash tests/bench/bench_system_compare.sh

test-chaos: test-tools
	$(TEST_ENV) bash tests/chaos/chaos.sh
