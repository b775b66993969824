/* spreadbus-collector: one exchange's collector (--config) or the offline
 * frame decoder (--decode). Exit 0 clean stop, 1 setup error, 2 usage. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/run.h"
#include "common/config.h"
#include "common/log.h"

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void usage(FILE *f)
{
	fputs("usage: spreadbus-collector --exchange NAME --config FILE\n"
	      "       spreadbus-collector --exchange NAME --decode FILE [--config FILE]\n",
	      f);
}

static int valid_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 23)
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"exchange", required_argument, NULL, 'e'},
		{"config", required_argument, NULL, 'c'},
		{"decode", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *exchange = NULL, *config_path = NULL, *decode_path = NULL;
	int o, rc;
	while ((o = getopt_long(argc, argv, "e:c:d:h", opts, NULL)) != -1) {
		switch (o) {
		case 'e': exchange = optarg; break;
		case 'c': config_path = optarg; break;
		case 'd': decode_path = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc || !exchange || (!config_path && !decode_path)) {
		usage(stderr);
		return 2;
	}
	if (!valid_name(exchange)) {
		fprintf(stderr, "spreadbus-collector: bad exchange name '%s' (want [a-z0-9-]{1,23})\n", exchange);
		return 2;
	}
	struct config *cfg = NULL;
	if (config_path) {
		char errbuf[4096];
		cfg = config_new();
		if (!cfg) {
			fputs("spreadbus-collector: out of memory\n", stderr);
			return 1;
		}
		rc = config_load(cfg, config_path, NULL, errbuf, sizeof(errbuf));
		if (rc != 0) {
			fprintf(stderr, "spreadbus-collector: cannot load %s:\n%s", config_path, errbuf);
			config_free(cfg);
			return 1;
		}
	}
	if (decode_path) {
		log_init("collector", exchange, LOG_LVL_WARNING, 0);
		rc = collector_decode_main(cfg, exchange, decode_path);
		if (cfg)
			config_free(cfg);
		return rc;
	}
	log_init("collector", exchange, cfg->log_level, strcmp(cfg->log_format, "json") == 0);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	rc = collector_main(cfg, exchange, &stop_requested);
	config_free(cfg);
	return rc;
}
