/* spreadbus-bridge --config FILE --name NAME: the child for [bridge.NAME],
 * exporting this instance's rings to NATS JetStream or importing another
 * instance's (docs/cluster.md). */
#include <stdio.h>
#include <string.h>

#include "bridge/export.h"
#include "bridge/import.h"
#include "common/log.h"
#include "shm/runtime.h"

int main(int argc, char **argv)
{
	static const char *name;
	static const struct runtime_option options[] = {
		{ .name = "name", .short_name = 'n', .value = &name },
		{ .name = NULL },
	};
	const struct runtime_spec spec = {
		.program = "spreadbus-bridge",
		.process = "bridge",
		.usage = "usage: spreadbus-bridge --config FILE --name NAME   (the [bridge.NAME] section to run)\n",
		.options = options,
	};
	struct runtime rt;

	if (runtime_parse_args(&rt, &spec, argc, argv) < 0)
		return runtime_end(&rt);
	if (!name)
		runtime_usage_error(&rt, NULL);
	else if (runtime_load_config(&rt) == 0) {
		const struct config_bridge *cfg = config_bridge_find(rt.cfg, name);
		if (!cfg) {
			fprintf(stderr, "spreadbus-bridge: no [bridge.%s] in %s\n", name, rt.config_path);
		} else if (runtime_init_process(&rt, name) == 0 && runtime_attach(&rt, cfg->child_name) == 0) {
			rt.exit_status = strcmp(cfg->mode, "export") == 0 ? export_run(&rt, cfg) : import_run(&rt, cfg);
		}
	}
	return runtime_end(&rt);
}
