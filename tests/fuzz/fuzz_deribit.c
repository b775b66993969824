/* libFuzzer target: the deribit adapter's parser with validation and
 * dedup, seeded from the deribit fixtures
 * (tests/fuzz/corpus/fuzz_deribit). */
#include "tests/fuzz/fuzz_adapter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_adapter_frame("deribit", data, size);
}
