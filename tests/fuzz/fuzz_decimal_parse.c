/* libFuzzer target: decimal_parse on arbitrary bytes: what it accepts,
 * strtod reads completely and to the same double; fmt_double of that
 * double reads back to it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/decimal.h"
#include "common/fmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	double v;
	if (decimal_parse((const char *)data, size, &v) != 0)
		return 0;
	char copy[DECIMAL_MAX_LEN + 1];
	memcpy(copy, data, size);
	copy[size] = '\0';
	char *end;
	double want = strtod(copy, &end);
	if (*end != '\0' || memcmp(&want, &v, sizeof(v)) != 0)
		abort();
	char out[FMT_NUM_MAX];
	if (fmt_double(out, sizeof(out), v) == 0)
		abort();
	if (v == v && v - v == 0 && strtod(out, NULL) != v)
		abort();
	return 0;
}
