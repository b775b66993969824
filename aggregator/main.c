/* spreadbus-aggregator --config FILE: the spread loop as a child of the
 * supervisor, status block "aggregator". Exit 0 clean stop, 1 setup error,
 * 2 usage. */
#include "aggregator/aggregator.h"
#include "shm/runtime.h"

int main(int argc, char **argv)
{
	static const struct runtime_spec spec = {
		.program = "spreadbus-aggregator",
		.process = "aggregator",
		.usage = "usage: spreadbus-aggregator --config FILE\n",
	};
	struct runtime rt;
	if (runtime_start(&rt, &spec, argc, argv) < 0)
		return runtime_end(&rt);
	/* Counters are this process's own: a restarted aggregator starts at 0. */
	for (int m = SM_TICKS_READ; m <= SM_WINDOW_REFUSED; m++)
		status_set(rt.status, (enum status_metric)m, 0);
	if (aggregator_run(&rt) == 0)
		rt.exit_status = RUNTIME_EXIT_OK;
	return runtime_end(&rt);
}
