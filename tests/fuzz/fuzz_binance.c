/* libFuzzer target: the binance adapter's parser with validation and dedup,
 * seeded from the binance fixtures (tests/fuzz/corpus/fuzz_binance). */
#include "tests/fuzz/fuzz_adapter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_adapter_frame("binance", data, size);
}
