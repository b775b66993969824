# tests/fuzz/: libFuzzer targets, one per exchange adapter parser.
ADAPTER_FUZZERS := fuzz_binance fuzz_binance_usdm fuzz_bitget fuzz_bybit fuzz_coinbase fuzz_deribit fuzz_gateio fuzz_htx fuzz_kraken fuzz_okx
FUZZERS += $(ADAPTER_FUZZERS)
$(foreach f,$(ADAPTER_FUZZERS),$(eval $(f)_MAIN := tests/fuzz/$(f).c)$(eval $(f)_DEPS := collector shm common))
