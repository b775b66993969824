/* libFuzzer target: the okx adapter's parser with validation and dedup,
 * seeded from the okx fixtures (tests/fuzz/corpus/fuzz_okx). */
#include "tests/fuzz/fuzz_adapter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_adapter_frame("okx", data, size);
}
