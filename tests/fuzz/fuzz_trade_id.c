/* libFuzzer target: trade_id_parse on arbitrary bytes: what it accepts
 * prints back byte for byte and parses to an equal id; any 18 bytes taken
 * as an id (a foreign bridge's tick) print within TRADE_ID_TEXT_MAX. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shm/trade_id.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct trade_id id, again;
	char out[TRADE_ID_TEXT_MAX + 1];
	if (trade_id_parse((const char *)data, size, &id) == 0) {
		if (trade_id_format(&id, out) != size || memcmp(out, data, size) != 0)
			abort();
		if (trade_id_parse(out, size, &again) != 0 || !trade_id_equal(&id, &again))
			abort();
	}
	if (size >= 18) {
		memcpy(&id.lo, data, 8);
		memcpy(&id.hi, data + 8, 8);
		id.form = data[16];
		id.zeros = data[17];
		size_t n = trade_id_format(&id, out);
		if (n > TRADE_ID_TEXT_MAX || strlen(out) != n)
			abort();
	}
	return 0;
}
