/* libFuzzer target: the htx adapter's parser with validation and dedup on
 * any bytes as a text frame, and the gzip inflater (collector/gunzip.c)
 * on the same bytes; seeded with HTX's documented frames, plain and
 * gzipped (tests/fuzz/corpus/fuzz_htx). */
#include "collector/gunzip.h"
#include "tests/fuzz/fuzz_adapter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct gunzip gz;
	static char out[PIPELINE_INFLATED_MAX];
	size_t n, used;
	if (gunzip_frame(&gz, data, size, out, sizeof(out), &n, &used) == 0 && (used > size || n > sizeof(out)))
		abort();
	return fuzz_adapter_frame("htx", data, size);
}
