/* A collector's share of the persisted universe. */
#include "collector/instruments_universe.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/instrument.h"
#include "common/log.h"

int instruments_universe_symbols(const struct config *cfg, const char *exchange, char (**symbols)[CONFIG_NAME_MAX],
				 size_t *n)
{
	char path[CONFIG_PATH_MAX + 32], err[512];
	struct universe_pick *picks = NULL;
	size_t count = 0, mine = 0;
	int64_t computed_ns = 0;
	*symbols = NULL;
	*n = 0;
	if (universe_file_path(path, sizeof(path), cfg->state_dir) < 0)
		return -ENAMETOOLONG;
	int rc = universe_file_read(path, &picks, &count, &computed_ns, err, sizeof(err));
	if (rc == -ENOENT) {
		log_info("%s: no universe decided yet (%s): discovering only", exchange, path);
		return 0;
	}
	if (rc < 0) {
		log_err("%s: %s", exchange, err);
		return rc;
	}
	char(*out)[CONFIG_NAME_MAX] = calloc(count ? count : 1, sizeof(*out));
	if (!out) {
		free(picks);
		return -ENOMEM;
	}
	for (size_t i = 0; i < count; i++)
		if (strcmp(picks[i].exchange, exchange) == 0)
			snprintf(out[mine++], sizeof(out[0]), "%s", picks[i].in.canonical);
	free(picks);
	*symbols = out;
	*n = mine;
	return 0;
}
