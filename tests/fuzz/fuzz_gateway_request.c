/* libFuzzer target: gateway client requests (subscribe/unsubscribe JSON)
 * on arbitrary bytes. An accepted request has an op, a channel and bounded
 * names; a refused one always says why. The input is not NUL-terminated:
 * the parser must keep within len. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gateway/request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct gw_request req;
	char err[160];
	char *text = malloc(size ? size : 1); /* exactly size bytes: ASan sees any over-read */
	if (!text)
		return 0;
	memcpy(text, data, size);
	err[0] = '\0';
	if (gw_request_parse(text, size, &req, err, sizeof(err)) == 0) {
		assert(req.op == GW_OP_SUBSCRIBE || req.op == GW_OP_UNSUBSCRIBE);
		assert(req.channels && req.channels < (1u << GW_CHANNELS));
		assert(req.symbol_count <= GW_REQ_MAX_NAMES && req.exchange_count <= GW_REQ_MAX_NAMES);
		for (size_t i = 0; i < req.symbol_count; i++)
			assert(req.symbols[i][0] && strlen(req.symbols[i]) < REGISTRY_NAME_MAX);
	} else {
		assert(err[0]);
	}
	assert(strlen(req.id) <= GW_REQ_ID_MAX);
	free(text);
	return 0;
}
