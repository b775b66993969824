/* libFuzzer target: the binance-usdm adapter's parser with validation and
 * dedup, seeded from the binance-usdm fixtures and the Binance control
 * frames it shares (tests/fuzz/corpus/fuzz_binance_usdm). */
#include "tests/fuzz/fuzz_adapter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_adapter_frame("binance-usdm", data, size);
}
