/* libFuzzer target: the kraken adapter's parser with validation and
 * dedup, seeded from the kraken fixtures
 * (tests/fuzz/corpus/fuzz_kraken). */
#include "tests/fuzz/fuzz_adapter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_adapter_frame("kraken", data, size);
}
