/* spreadbus-writer-feed (test only): publishes deterministic ticks
 * (writer_feed_tick), or market-like ones (--market, for size
 * measurements), into every ring of an instance, optionally paced. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"
#include "common/config.h"
#include "shm/bus.h"
#include "tests/integration/writer_feed.h"

#define BATCH 256

static int parse_i64(const char *s, int64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end)
		return -1;
	*out = v;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
					     {"ticks", required_argument, NULL, 'n'},
					     {"rate", required_argument, NULL, 'r'},
					     {"ts-base", required_argument, NULL, 'b'},
					     {"ts-step", required_argument, NULL, 's'},
					     {"market", no_argument, NULL, 'm'},
					     {NULL, 0, NULL, 0}};
	const char *config_path = NULL;
	int64_t ticks = 0, rate = 0, ts_base = 1767225600000000000LL, ts_step = 1000003;
	int c, market = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		int64_t *dst = c == 'n' ? &ticks : c == 'r' ? &rate : c == 'b' ? &ts_base : c == 's' ? &ts_step : NULL;
		if (c == 'c')
			config_path = optarg;
		else if (c == 'm')
			market = 1;
		else if (!dst || parse_i64(optarg, dst) < 0)
			goto usage;
	}
	if (!config_path || ticks <= 0 || rate < 0)
		goto usage;

	static char err[4096];
	struct config *cfg = config_new();
	if (!cfg || config_load(cfg, config_path, NULL, err, sizeof(err)) != 0) {
		fprintf(stderr, "writer_feed: config: %s\n", err);
		return 1;
	}
	struct bus bus;
	if (bus_attach(&bus, cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "writer_feed: bus: %s\n", err);
		return 1;
	}
	size_t nr = bus.ring_count;
	uint16_t ids[CONFIG_MAX_EXCHANGES][WRITER_FEED_MAX_SYMBOLS];
	static struct writer_feed_market walks[CONFIG_MAX_EXCHANGES];
	unsigned nsym[CONFIG_MAX_EXCHANGES];
	uint64_t next[CONFIG_MAX_EXCHANGES], done[CONFIG_MAX_EXCHANGES] = {0};
	for (size_t i = 0; i < nr; i++) {
		const struct config_exchange *ex = config_exchange_find(cfg, bus.ring_exchange[i]);
		nsym[i] = 0;
		for (size_t k = 0; ex && k < ex->symbol_count && k < WRITER_FEED_MAX_SYMBOLS; k++)
			ids[i][nsym[i]++] = (uint16_t)registry_symbol_id(bus.registry, ex->symbols[k]);
		if (nsym[i] == 0) {
			fprintf(stderr, "writer_feed: %s has no symbols\n", bus.ring_exchange[i]);
			return 1;
		}
		next[i] = ring_producer_open(bus.rings[i]);
		writer_feed_market_init(&walks[i], ts_base, 0x9e3779b97f4a7c15ULL * (i + 1));
	}
	int64_t start = clock_monotonic_ns();
	struct tick batch[BATCH];
	for (;;) {
		int all_done = 1;
		int64_t elapsed = clock_monotonic_ns() - start;
		for (size_t i = 0; i < nr; i++) {
			int64_t allowed = rate ? (int64_t)((double)elapsed * 1e-9 * (double)rate) + 1 : ticks;
			if (allowed > ticks)
				allowed = ticks;
			int64_t n = allowed - (int64_t)done[i];
			if (n > BATCH)
				n = BATCH;
			if ((int64_t)done[i] < ticks)
				all_done = 0;
			if (n <= 0)
				continue;
			for (int64_t k = 0; k < n; k++) {
				if (market)
					writer_feed_market_tick(&walks[i], &batch[k], ids[i], nsym[i]);
				else
					writer_feed_tick(&batch[k], next[i] + (uint64_t)k, ts_base, ts_step, ids[i], nsym[i]);
			}
			uint64_t first = ring_publish(bus.rings[i], batch, (size_t)n);
			if (first != next[i]) {
				fprintf(stderr, "writer_feed: %s: published at %" PRIu64 ", expected %" PRIu64 "\n",
					bus.ring_exchange[i], first, next[i]);
				return 1;
			}
			next[i] += (uint64_t)n;
			done[i] += (uint64_t)n;
		}
		if (all_done)
			break;
		if (rate) {
			struct timespec ts = {0, 1000000};
			nanosleep(&ts, NULL);
		}
	}
	for (size_t i = 0; i < nr; i++)
		printf("%s %" PRIu64 "\n", bus.ring_exchange[i], next[i]);
	bus_close(&bus);
	config_free(cfg);
	return 0;
usage:
	fprintf(stderr, "usage: spreadbus-writer-feed --config FILE --ticks N [--rate PER_S] [--ts-base NS] "
			"[--ts-step NS] [--market]\n");
	return 2;
}
