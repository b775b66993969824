# shm/: the bus (segments, ring, tick record, status blocks, registry).
LIBRARIES += shm
shm_SRCS := $(wildcard shm/*.c)
shm_PKGS :=

# tick_json.c writes with common/jsonw (programs that use it link common).

# Unit tests: one per tests/unit/test_{segment,ring,status,registry,bus}_*.c,
# each linked with shm and testtools (ticks derived from their sequence); the
# bus test builds its struct config by hand, so common is not linked. The
# *_tsan test is built and run by `make test-tsan` only.
SHM_TSAN_TESTS := test_ring_threads_tsan
SHM_UNIT_TESTS := $(filter-out $(SHM_TSAN_TESTS),$(basename $(notdir $(wildcard tests/unit/test_segment_*.c \
	tests/unit/test_ring_*.c tests/unit/test_status_*.c tests/unit/test_registry_*.c tests/unit/test_bus_*.c))))
UNIT_TESTS += $(SHM_UNIT_TESTS)
TSAN_TESTS += $(SHM_TSAN_TESTS)
$(foreach t,$(SHM_UNIT_TESTS) $(SHM_TSAN_TESTS),$(eval $(t)_MAIN := tests/unit/$(t).c)$(eval $(t)_DEPS := testtools shm)$(eval $(t)_LDLIBS := -lcmocka))

# Multi-process ring tests over real segments (helpers in tests/tools/).
INTEGRATION_TESTS += tests/integration/test_ring_producer_crash.sh tests/integration/test_ring_lapped_reader_sigstop.sh \
	tests/integration/test_ring_busctl.sh
INTEGRATION_TESTS_RELEASE_ONLY += tests/integration/test_ring_multiprocess_10m.sh

# The child runtime: its unit test (it loads a config, so common is
# linked), and the stop states of a real child.
UNIT_TESTS += test_runtime_start_and_stop
test_runtime_start_and_stop_MAIN := tests/unit/test_runtime_start_and_stop.c
test_runtime_start_and_stop_DEPS := shm common
test_runtime_start_and_stop_LDLIBS := -lcmocka
INTEGRATION_TESTS += tests/integration/test_runtime_collector_stop_states.sh

# Trade ids kept as the exchange's text (its oracle: the fixtures' own ids).
UNIT_TESTS += test_trade_id_exact_text
test_trade_id_exact_text_MAIN := tests/unit/test_trade_id_exact_text.c
test_trade_id_exact_text_DEPS := shm
test_trade_id_exact_text_LDLIBS := -lcmocka

# libFuzzer target for the trade id parser (seeds in tests/fuzz/corpus/fuzz_trade_id/).
FUZZERS += fuzz_trade_id
fuzz_trade_id_MAIN := tests/fuzz/fuzz_trade_id.c
fuzz_trade_id_DEPS := shm
