/* libFuzzer target: the supervisor's HTTP request head parser on arbitrary
 * bytes, at most HTTP_REQUEST_MAX of them as the server would pass. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "supervisor/http_request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char in[HTTP_REQUEST_MAX + 1];
	if (size > HTTP_REQUEST_MAX)
		size = HTTP_REQUEST_MAX;
	memcpy(in, data, size);
	in[size] = '\0'; /* the server's buffer is NUL-terminated too */
	struct http_request req;
	enum http_parse_result r = http_request_parse(in, size, &req);
	if (r == HTTP_PARSE_OK) {
		assert(req.path[0] == '/');
		assert(strlen(req.method) > 0 && strlen(req.method) < sizeof(req.method));
		assert(strlen(req.path) < sizeof(req.path));
	}
	return 0;
}
