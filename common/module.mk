# common/: config, logging, clock and small shared helpers.
LIBRARIES += common
common_SRCS := $(wildcard common/*.c)
common_PKGS := inih libsystemd
# loop_timer.c also uses libwebsockets: only the programs that link it
# themselves (collector, gateway, the fake exchange) take that object.

# Unit tests: tests/unit/test_{config,log,fmt,decimal,jsonw,netaddr,hash}_*.c,
# each linked with common only.
COMMON_UNIT_TESTS := $(basename $(notdir $(wildcard tests/unit/test_config_*.c tests/unit/test_log_*.c \
	tests/unit/test_fmt_*.c tests/unit/test_decimal_*.c tests/unit/test_jsonw_*.c tests/unit/test_netaddr_*.c \
	tests/unit/test_hash_*.c)))
UNIT_TESTS += $(COMMON_UNIT_TESTS)
$(foreach t,$(COMMON_UNIT_TESTS),$(eval $(t)_MAIN := tests/unit/$(t).c)$(eval $(t)_DEPS := common)$(eval $(t)_LDLIBS := -lcmocka))

# libFuzzer targets for the untrusted inputs parsed here (seed corpora in
# tests/fuzz/corpus/<name>/).
COMMON_FUZZERS := fuzz_config_load fuzz_decimal_parse
FUZZERS += $(COMMON_FUZZERS)
$(foreach f,$(COMMON_FUZZERS),$(eval $(f)_MAIN := tests/fuzz/$(f).c)$(eval $(f)_DEPS := common))

# Benchmark: decimal_parse and fmt_double against strtod and snprintf.
BENCHES += bench_common_numbers
bench_common_numbers_MAIN := tests/bench/bench_common_numbers.c
bench_common_numbers_DEPS := common
