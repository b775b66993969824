/* spreadbus-gateway --config FILE: the WebSocket gateway and the dashboard,
 * a child of the supervisor on the shared child runtime. */
#include "gateway/gateway.h"

#include <string.h>

#include "common/log.h"

int main(int argc, char **argv)
{
	static const struct runtime_spec spec = {
		.program = "spreadbus-gateway",
		.process = "gateway",
		.usage = "usage: spreadbus-gateway --config FILE\n",
	};
	struct runtime rt;
	if (runtime_start(&rt, &spec, argc, argv) < 0)
		return runtime_end(&rt);
	int rc = gateway_run(&rt);
	if (rc == 0)
		rt.exit_status = RUNTIME_EXIT_OK;
	else
		log_err("gateway: stopped: %s", strerror(-rc));
	return runtime_end(&rt);
}
