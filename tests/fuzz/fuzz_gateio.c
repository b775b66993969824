/* libFuzzer target: the gateio adapter's parser with validation and
 * dedup, seeded from the gateio fixtures (Gate.io and Gate US lines)
 * (tests/fuzz/corpus/fuzz_gateio). */
#include "tests/fuzz/fuzz_adapter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_adapter_frame("gateio", data, size);
}
