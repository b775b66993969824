/* libFuzzer target: the bybit adapter's parser with validation and dedup,
 * seeded from the bybit fixtures (tests/fuzz/corpus/fuzz_bybit). */
#include "tests/fuzz/fuzz_adapter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_adapter_frame("bybit", data, size);
}
