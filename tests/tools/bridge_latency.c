/* spreadbus-bridge-latency (bench only): publishes quotes stamped with
 * CLOCK_REALTIME into an edge ring at a fixed rate and reads the centre's
 * ring of the same name (a bridge between them), printing the delay from
 * publish to arrival: p50, p99 and max in microseconds. Both instances run
 * on this host, so one clock serves both ends. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"
#include "common/config.h"
#include "shm/bus.h"
#include "shm/registry.h"
#include "shm/ring.h"
#include "tests/tools/tool_args.h"

#define READ_BATCH 256
#define DRAIN_WAIT_NS 5000000000LL /* after the last publish, wait this long for stragglers */

static int load(struct config **cfg, struct bus *bus, const char *path)
{
	char err[1024];
	*cfg = config_new();
	if (!*cfg || config_load(*cfg, path, NULL, err, sizeof(err)) != 0) {
		fprintf(stderr, "spreadbus-bridge-latency: %s: %s\n", path, err);
		return -1;
	}
	if (bus_attach(bus, *cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "spreadbus-bridge-latency: %s\n", err);
		return -1;
	}
	return 0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	uint64_t rate = 0, seconds = 0;
	if (argc != 6 || tool_args_parse_u64(argv[4], &rate) < 0 || tool_args_parse_u64(argv[5], &seconds) < 0 ||
	    rate == 0 || seconds == 0) {
		fprintf(stderr, "usage: spreadbus-bridge-latency EDGE_CONFIG CENTRE_CONFIG RING RATE SECONDS\n");
		return 2;
	}
	struct config *ecfg, *ccfg;
	struct bus edge, centre;
	if (load(&ecfg, &edge, argv[1]) < 0 || load(&ccfg, &centre, argv[2]) < 0)
		return 1;
	struct ring *out = bus_ring(&edge, argv[3]), *in = bus_ring(&centre, argv[3]);
	int sym = registry_symbol_id(edge.registry, ecfg->exchanges[0].symbols[0]);
	if (!out || !in || sym <= 0) {
		fprintf(stderr, "spreadbus-bridge-latency: no ring %s in both instances\n", argv[3]);
		return 1;
	}
	uint64_t total = rate * seconds;
	int64_t *lat = calloc(total, sizeof(*lat));
	struct tick *buf = calloc(READ_BATCH, sizeof(*buf));
	struct ring_reader *rd;
	if (!lat || !buf || ring_reader_open_private(&rd, in, ring_head(in)) < 0) {
		fprintf(stderr, "spreadbus-bridge-latency: out of memory\n");
		return 1;
	}
	ring_producer_open(out);

	uint64_t sent = 0, got = 0;
	int64_t start = clock_monotonic_ns(), last_sent_ns = 0;
	for (;;) {
		int64_t now = clock_monotonic_ns();
		uint64_t due = (uint64_t)((double)(now - start) * 1e-9 * (double)rate);
		while (sent < total && sent < due) {
			struct tick t = { .kind = TICK_QUOTE, .symbol_id = (uint16_t)sym,
					  .exchange_id = (uint8_t)registry_exchange_id(edge.registry, argv[3]) };
			t.ts_recv_ns = t.ts_exchange_ns = clock_realtime_ns();
			t.update_id = sent + 1;
			t.u.quote.bid_px = 100.0;
			t.u.quote.ask_px = 100.5;
			t.u.quote.bid_qty = t.u.quote.ask_qty = 1.0;
			ring_publish(out, &t, 1);
			sent++;
			last_sent_ns = now;
		}
		uint64_t first, lost;
		size_t n;
		while ((n = ring_reader_read(rd, buf, READ_BATCH, &first, &lost)) > 0) {
			int64_t arrived = clock_realtime_ns();
			for (size_t i = 0; i < n && got < total; i++)
				if (buf[i].kind == TICK_QUOTE)
					lat[got++] = arrived - buf[i].ts_recv_ns;
		}
		if (got == total || (sent == total && now - last_sent_ns > DRAIN_WAIT_NS))
			break;
		struct timespec ts = { 0, 20000 };
		nanosleep(&ts, NULL);
	}
	if (got < total) {
		fprintf(stderr, "spreadbus-bridge-latency: %" PRIu64 " of %" PRIu64 " ticks arrived\n", got, total);
		return 1;
	}
	qsort(lat, got, sizeof(*lat), cmp_i64);
	printf("latency_us p50 %.1f p99 %.1f max %.1f ticks %" PRIu64 "\n", (double)lat[got / 2] / 1e3,
	       (double)lat[got * 99 / 100] / 1e3, (double)lat[got - 1] / 1e3, got);
	free(lat);
	free(buf);
	ring_reader_close(rd);
	bus_close(&edge);
	bus_close(&centre);
	config_free(ecfg);
	config_free(ccfg);
	return 0;
}
