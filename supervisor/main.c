/* spreadbus: the supervisor. `--check-config FILE` validates a config;
 * `--config FILE` runs the service until SIGTERM/SIGINT. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/config.h"
#include "common/log.h"
#include "supervisor/supervisor.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: spreadbus --config FILE      run the service\n"
		   "       spreadbus --check-config FILE check a config file; errors as FILE:LINE: message\n");
}

static int run_service(const char *path)
{
	static char errs[16384];
	struct config *cfg = config_new();
	if (!cfg) {
		fprintf(stderr, "spreadbus: out of memory\n");
		return 1;
	}
	int rc = config_load(cfg, path, NULL, errs, sizeof(errs));
	if (rc != 0) {
		fputs(errs, stderr);
		if (rc < 0)
			fprintf(stderr, "spreadbus: cannot read %s: %s\n", path, strerror(-rc));
		config_free(cfg);
		return 1;
	}
	supervisor_log_init(cfg);
	struct supervisor s;
	rc = supervisor_open(&s, cfg, path);
	if (rc < 0) {
		log_err("cannot start: %s", strerror(-rc));
		supervisor_close(&s);
		return 1;
	}
	int exit_code = supervisor_run(&s);
	supervisor_close(&s);
	return exit_code;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = NULL, *check = NULL;
	int opt;
	while ((opt = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'c': config = optarg; break;
		case 'k': check = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc || (!config == !check)) {
		usage(stderr);
		return 2;
	}
	if (check)
		return config_check_file(check, stderr) == 0 ? 0 : 1;
	return run_service(config);
}
