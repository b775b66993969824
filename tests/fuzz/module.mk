# tests/fuzz/: libFuzzer targets, one per exchange adapter parser.
FUZZERS += fuzz_binance fuzz_bybit fuzz_okx
$(foreach f,fuzz_binance fuzz_bybit fuzz_okx,$(eval $(f)_MAIN := tests/fuzz/$(f).c)$(eval $(f)_DEPS := collector shm common))
