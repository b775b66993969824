# collector/: spreadbus-collector and its exchange adapters.
LIBRARIES += collector
collector_SRCS := $(filter-out collector/main.c,$(wildcard collector/*.c))
collector_PKGS := libwebsockets libcurl libdeflate
DEB_PACKAGES += libcurl4-openssl-dev libdeflate-dev

PROGRAMS += spreadbus-collector
spreadbus-collector_MAIN := collector/main.c
spreadbus-collector_DEPS := collector shm common
INSTALLED_PROGRAMS += spreadbus-collector

COLLECTOR_UNIT_TESTS := test_decode_validation test_decode_dedup test_adapter_symbols test_adapter_subscribe \
	test_collector_backoff test_collector_health_score test_instruments_parsers test_collector_validate \
	test_json_scan
COLLECTOR_UNIT_TESTS += $(basename $(notdir $(wildcard tests/unit/test_adapter_*_control.c)))
UNIT_TESTS += $(COLLECTOR_UNIT_TESTS)
$(foreach t,$(COLLECTOR_UNIT_TESTS),$(eval $(t)_MAIN := tests/unit/$(t).c)$(eval $(t)_DEPS := collector shm common)$(eval $(t)_LDLIBS := -lcmocka))

BENCHES += bench_decode
bench_decode_MAIN := tests/bench/bench_decode.c
bench_decode_DEPS := collector shm common

INTEGRATION_TESTS += tests/integration/test_decode_fixtures.sh tests/integration/test_collector_new_exchanges.sh

# Instrument discovery and the universe (docs/universe.md), against spreadbus-fakex-rest.
INTEGRATION_TESTS += $(sort $(wildcard tests/integration/test_universe_*.sh))
BENCH_SCRIPTS += tests/bench/bench_universe.sh
# Trade backfill from REST history (docs/backfill.md), against both fakes.
INTEGRATION_TESTS += $(sort $(wildcard tests/integration/test_backfill_*.sh))

# libFuzzer target for the REST answers discovery parses (seeds: shortened fake answers).
FUZZERS += fuzz_instruments
fuzz_instruments_MAIN := tests/fuzz/fuzz_instruments.c
fuzz_instruments_DEPS := collector shm common
