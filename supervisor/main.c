/* spreadbus: the supervisor. `--check-config FILE` validates a config;
 * `--config FILE` runs the service until SIGTERM/SIGINT. */
#include <errno.h>
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

/* The loader's checks (every error with file and line), then the
 * supervisor's own on a config that loaded; the loader's "ok" line is
 * shown only when both passed. */
static int check_config(const char *path)
{
	char *report = NULL;
	size_t report_len = 0;
	FILE *mem = open_memstream(&report, &report_len);
	if (!mem) {
		fprintf(stderr, "spreadbus: out of memory\n");
		return 1;
	}
	int rc = config_check_file(path, mem);
	fclose(mem);
	char err[512] = "";
	if (rc == 0) {
		static char errs[16384];
		struct config *cfg = config_new();
		if (!cfg || config_load(cfg, path, NULL, errs, sizeof(errs)) != 0)
			rc = -EINVAL;
		else
			rc = supervisor_config_check(cfg, err, sizeof(err));
		config_free(cfg);
	}
	if (err[0])
		fprintf(stderr, "%s\n%s: 1 error\n", err, path);
	else
		fputs(report ? report : "", stderr);
	free(report);
	return rc == 0 ? 0 : 1;
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
		return check_config(check);
	return run_service(config);
}
