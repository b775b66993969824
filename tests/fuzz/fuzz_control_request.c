/* libFuzzer target: control socket request lines (JSON) on arbitrary
 * bytes; an accepted request names a known command and a bounded name. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "supervisor/control_request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char line[CONTROL_REQUEST_MAX + 1];
	if (size > CONTROL_REQUEST_MAX)
		size = CONTROL_REQUEST_MAX;
	memcpy(line, data, size);
	line[size] = '\0';
	struct control_request req;
	char err[256];
	if (control_request_parse(line, size, &req, err, sizeof(err)) == 0) {
		assert(control_cmd_name(req.cmd) != NULL);
		assert(strlen(req.name) < sizeof(req.name));
		assert(!control_cmd_takes_name(req.cmd) || req.name[0]);
	} else {
		assert(err[0]);
	}
	return 0;
}
