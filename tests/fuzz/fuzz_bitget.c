/* libFuzzer target: the bitget adapter's parser with validation and
 * dedup, seeded from the bitget fixtures
 * (tests/fuzz/corpus/fuzz_bitget). */
#include "tests/fuzz/fuzz_adapter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_adapter_frame("bitget", data, size);
}
