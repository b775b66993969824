/* spreadbus-collector: one exchange's collector (--config) or the offline
 * frame decoder (--decode). Exit 0 clean stop, 1 setup error, 2 usage. */
#include <string.h>

#include "collector/run.h"
#include "common/log.h"
#include "shm/runtime.h"

static int valid_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 23)
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

int main(int argc, char **argv)
{
	const char *exchange = NULL, *decode_path = NULL, *instruments_path = NULL;
	const struct runtime_option options[] = {
		{"exchange", 'e', &exchange},
		{"decode", 'd', &decode_path},
		{"instruments", 'i', &instruments_path},
		{NULL, 0, NULL},
	};
	const struct runtime_spec spec = {
		.program = "spreadbus-collector",
		.process = "collector",
		.usage = "usage: spreadbus-collector --exchange NAME --config FILE\n"
			 "       spreadbus-collector --exchange NAME --decode FILE [--config FILE] [--instruments FILE]\n",
		.options = options,
		.config_optional = true, /* --decode runs without one */
	};
	struct runtime rt;
	if (runtime_parse_args(&rt, &spec, argc, argv) < 0)
		return runtime_end(&rt);
	if (!exchange || (!rt.config_path && !decode_path)) {
		runtime_usage_error(&rt, NULL);
		return runtime_end(&rt);
	}
	if (!valid_name(exchange)) {
		runtime_usage_error(&rt, "bad exchange name '%s' (want [a-z0-9-]{1,23})", exchange);
		return runtime_end(&rt);
	}
	if (runtime_load_config(&rt) < 0)
		return runtime_end(&rt);
	if (decode_path) {
		/* Offline: no bus, no signals; only problems are worth a line. */
		log_init("collector", exchange, LOG_LVL_WARNING, 0);
		rt.exit_status = collector_decode_main(rt.cfg, exchange, decode_path, instruments_path);
		return runtime_end(&rt);
	}
	if (runtime_init_process(&rt, exchange) < 0 || runtime_attach(&rt, exchange) < 0)
		return runtime_end(&rt);
	rt.exit_status = collector_main(&rt, exchange);
	return runtime_end(&rt);
}
