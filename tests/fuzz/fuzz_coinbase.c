/* libFuzzer target: the coinbase adapter's parser with validation and
 * dedup, seeded from the coinbase fixtures, Advanced Trade and legacy
 * Exchange lines (tests/fuzz/corpus/fuzz_coinbase). */
#include "tests/fuzz/fuzz_adapter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_adapter_frame("coinbase", data, size);
}
