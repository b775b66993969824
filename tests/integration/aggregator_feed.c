/* Test producer for the aggregator: attaches to an instance's bus and
 * publishes scripted quotes and gap markers (commands on stdin). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"
#include "common/config.h"
#include "shm/bus.h"
#include "shm/trade_id.h"

/*
 * Commands, one per line ('#' starts a comment):
 *   quote EXCHANGE SYMBOL BID ASK [AGE_MS]   receive time = now - AGE_MS
 *   gap EXCHANGE [SYMBOL]                    no SYMBOL: connection-wide
 *   sleep MS
 *   stream EXCHANGE,... SYMBOL,... RATE SECONDS
 *       RATE quotes per second for SECONDS, round robin over symbols then
 *       exchanges, every quote a new price, receive time = publish time
 *   trades EXCHANGE SYMBOL COUNT RATE
 *       COUNT trades at RATE per second, trade ids (update_id) 1..COUNT,
 *       price 100 + id / 1000, alternating buy and sell
 *   mixed EXCHANGE,... SYMBOL,... COUNT
 *       COUNT ticks as fast as the rings take them, round robin over
 *       symbols then exchanges, a quote then a trade on each visit;
 *       exchange time from 0 (1970) in steps of 100 us per tick
 *   trade EXCHANGE SYMBOL TS_MS ID PX QTY buy|sell|unknown
 *       one trade at exchange time TS_MS (receive time = now); ID is the
 *       exchange's text (a decimal, a UUID, PREFIX-digits: shm/trade_id.h)
 * Prints "ok N" after each command (N = ticks published so far).
 */

struct feed {
	struct config *cfg;
	struct bus bus;
	uint64_t published;
};

static struct ring *ring_of(struct feed *f, const char *exchange)
{
	struct ring *r = bus_ring(&f->bus, exchange);
	if (!r)
		fprintf(stderr, "aggregator_feed: no ring for exchange %s\n", exchange);
	return r;
}

static int ids(struct feed *f, const char *exchange, const char *symbol, struct tick *t)
{
	int ex = registry_exchange_id(f->bus.registry, exchange);
	int sym = symbol ? registry_symbol_id(f->bus.registry, symbol) : 0;
	if (ex <= 0 || (symbol && sym <= 0)) {
		fprintf(stderr, "aggregator_feed: unknown exchange %s or symbol %s\n", exchange, symbol ? symbol : "-");
		return -ENOENT;
	}
	t->exchange_id = (uint8_t)ex;
	t->symbol_id = (uint16_t)sym;
	return 0;
}

static int publish(struct feed *f, const char *exchange, const struct tick *t)
{
	struct ring *r = ring_of(f, exchange);
	if (!r)
		return -ENOENT;
	ring_publish(r, t, 1);
	f->published++;
	return 0;
}

/* t holds the ids; the rest is filled in and published on ring r. */
static void put_quote(struct feed *f, struct ring *r, struct tick *t, double bid, double ask, long age_ms)
{
	t->kind = TICK_QUOTE;
	t->ts_recv_ns = clock_realtime_ns() - age_ms * 1000000LL;
	t->ts_exchange_ns = t->ts_recv_ns - 1000000;
	t->update_id = f->published + 1;
	t->u.quote.bid_px = bid;
	t->u.quote.ask_px = ask;
	t->u.quote.bid_qty = 1.5;
	t->u.quote.ask_qty = 2.5;
	ring_publish(r, t, 1);
	f->published++;
}

static int cmd_quote(struct feed *f, const char *ex, const char *sym, double bid, double ask, long age_ms)
{
	struct tick t;
	memset(&t, 0, sizeof(t));
	struct ring *r = ring_of(f, ex);
	if (!r || ids(f, ex, sym, &t) < 0)
		return -ENOENT;
	put_quote(f, r, &t, bid, ask, age_ms);
	return 0;
}

static int cmd_gap(struct feed *f, const char *ex, const char *sym)
{
	struct tick t;
	memset(&t, 0, sizeof(t));
	if (ids(f, ex, sym, &t) < 0)
		return -ENOENT;
	t.kind = TICK_GAP;
	t.ts_recv_ns = clock_realtime_ns();
	t.u.gap.ts_start_ns = t.ts_recv_ns - 1000000000LL;
	t.u.gap.ts_end_ns = t.ts_recv_ns;
	t.u.gap.reason = GAP_DISCONNECT;
	return publish(f, ex, &t);
}

static size_t split(char *s, char **out, size_t max)
{
	size_t n = 0;
	for (char *save = NULL, *tok = strtok_r(s, ",", &save); tok && n < max; tok = strtok_r(NULL, ",", &save))
		out[n++] = tok;
	return n;
}

static void sleep_ns(int64_t ns)
{
	struct timespec ts = {ns / 1000000000LL, ns % 1000000000LL};
	nanosleep(&ts, NULL);
}

/* The exchanges and symbols of a stream command: their rings and a tick
 * with the ids of each (exchange, symbol). */
static struct {
	char *ex[CONFIG_MAX_EXCHANGES], *sym[1024];
	struct tick proto[CONFIG_MAX_EXCHANGES][1024];
	struct ring *rings[CONFIG_MAX_EXCHANGES];
	size_t nex, nsym;
} st;

static int protos(struct feed *f, char *exs, char *syms)
{
	st.nex = split(exs, st.ex, CONFIG_MAX_EXCHANGES);
	st.nsym = split(syms, st.sym, 1024);
	if (!st.nex || !st.nsym)
		return -EINVAL;
	for (size_t e = 0; e < st.nex; e++) {
		if (!(st.rings[e] = ring_of(f, st.ex[e])))
			return -ENOENT;
		for (size_t k = 0; k < st.nsym; k++) {
			memset(&st.proto[e][k], 0, sizeof(struct tick));
			if (ids(f, st.ex[e], st.sym[k], &st.proto[e][k]) < 0)
				return -ENOENT;
		}
	}
	return 0;
}

/* Paced in small bursts: every ~200 us, publish what is due by then. */
static int cmd_stream(struct feed *f, char *exs, char *syms, double rate, double seconds)
{
	int rc = rate > 0 ? protos(f, exs, syms) : -EINVAL;
	if (rc < 0)
		return rc;
	uint64_t total = (uint64_t)(rate * seconds), i = 0;
	int64_t start = clock_monotonic_ns();
	while (i < total) {
		uint64_t due = (uint64_t)((double)(clock_monotonic_ns() - start) * rate / 1e9) + 1;
		for (; i < due && i < total; i++) {
			/* each visit of an (exchange, symbol) moves its price; prices
			 * are whole cents, like an exchange's decimal strings */
			size_t e = (i / st.nsym) % st.nex, k = i % st.nsym;
			long mid = 10000 + (long)((i / (st.nex * st.nsym)) % 100);
			struct tick t = st.proto[e][k];
			put_quote(f, st.rings[e], &t, (double)(mid - 5 - (long)e) / 100.0, (double)(mid + 5 + (long)(i % 5)) / 100.0, 0);
		}
		sleep_ns(200000);
	}
	return 0;
}

static int cmd_trades(struct feed *f, const char *ex, const char *sym, uint64_t count, double rate)
{
	struct tick t;
	memset(&t, 0, sizeof(t));
	struct ring *r = ring_of(f, ex);
	if (!r || ids(f, ex, sym, &t) < 0 || rate <= 0)
		return -EINVAL;
	int64_t start = clock_monotonic_ns();
	for (uint64_t id = 1; id <= count;) {
		uint64_t due = (uint64_t)((double)(clock_monotonic_ns() - start) * rate / 1e9) + 1;
		for (; id <= due && id <= count; id++) {
			t.kind = id % 2 ? TICK_TRADE_BUY : TICK_TRADE_SELL;
			t.ts_recv_ns = clock_realtime_ns();
			t.ts_exchange_ns = t.ts_recv_ns - 1000000;
			t.update_id = id;
			t.u.trade.px = 100.0 + (double)id / 1000.0;
			t.u.trade.qty = 0.5;
			ring_publish(r, &t, 1);
			f->published++;
		}
		sleep_ns(200000);
	}
	return 0;
}

static int cmd_mixed(struct feed *f, char *exs, char *syms, uint64_t count)
{
	int rc = protos(f, exs, syms);
	if (rc < 0)
		return rc;
	for (uint64_t i = 0; i < count; i++) {
		size_t visit = i / 2, e = (visit / st.nsym) % st.nex, k = visit % st.nsym;
		long cents = 10000 + (long)((visit / (st.nex * st.nsym)) % 100);
		struct tick t = st.proto[e][k];
		t.ts_recv_ns = clock_realtime_ns();
		t.ts_exchange_ns = (int64_t)i * 100000;
		t.update_id = i + 1;
		if (i % 2 == 0) {
			t.kind = TICK_QUOTE;
			t.u.quote.bid_px = (double)(cents - 5 - (long)e) / 100.0;
			t.u.quote.ask_px = (double)(cents + 5) / 100.0;
			t.u.quote.bid_qty = 1.5;
			t.u.quote.ask_qty = 2.5;
		} else {
			t.kind = visit % 2 ? TICK_TRADE_BUY : TICK_TRADE_SELL;
			t.u.trade.px = (double)cents / 100.0;
			t.u.trade.qty = 0.5;
		}
		ring_publish(st.rings[e], &t, 1);
		f->published++;
	}
	return 0;
}

static int cmd_trade(struct feed *f, char **argv)
{
	struct tick t;
	memset(&t, 0, sizeof(t));
	if (ids(f, argv[1], argv[2], &t) < 0)
		return -ENOENT;
	t.kind = strcmp(argv[7], "buy") == 0 ? TICK_TRADE_BUY : strcmp(argv[7], "sell") == 0 ? TICK_TRADE_SELL : TICK_TRADE;
	t.ts_recv_ns = clock_realtime_ns();
	t.ts_exchange_ns = strtoll(argv[3], NULL, 10) * 1000000LL;
	if (trade_id_set(&t, argv[4], strlen(argv[4])) < 0)
		return -EINVAL;
	t.u.trade.px = strtod(argv[5], NULL);
	t.u.trade.qty = strtod(argv[6], NULL);
	return publish(f, argv[1], &t);
}

static int run_line(struct feed *f, char *line)
{
	char *argv[8];
	int argc = 0;
	for (char *save = NULL, *tok = strtok_r(line, " \t\n", &save); tok && argc < 8; tok = strtok_r(NULL, " \t\n", &save))
		argv[argc++] = tok;
	if (argc == 0 || argv[0][0] == '#')
		return 0;
	if (strcmp(argv[0], "quote") == 0 && (argc == 5 || argc == 6))
		return cmd_quote(f, argv[1], argv[2], strtod(argv[3], NULL), strtod(argv[4], NULL),
				 argc == 6 ? strtol(argv[5], NULL, 10) : 0);
	if (strcmp(argv[0], "gap") == 0 && (argc == 2 || argc == 3))
		return cmd_gap(f, argv[1], argc == 3 ? argv[2] : NULL);
	if (strcmp(argv[0], "sleep") == 0 && argc == 2) {
		sleep_ns(strtol(argv[1], NULL, 10) * 1000000LL);
		return 0;
	}
	if (strcmp(argv[0], "trades") == 0 && argc == 5)
		return cmd_trades(f, argv[1], argv[2], strtoull(argv[3], NULL, 10), strtod(argv[4], NULL));
	if (strcmp(argv[0], "mixed") == 0 && argc == 4)
		return cmd_mixed(f, argv[1], argv[2], strtoull(argv[3], NULL, 10));
	if (strcmp(argv[0], "trade") == 0 && argc == 8)
		return cmd_trade(f, argv);
	if (strcmp(argv[0], "stream") == 0 && argc == 5)
		return cmd_stream(f, argv[1], argv[2], strtod(argv[3], NULL), strtod(argv[4], NULL));
	fprintf(stderr, "aggregator_feed: bad command: %s\n", argv[0]);
	return -EINVAL;
}

int main(int argc, char **argv)
{
	if (argc != 3 || strcmp(argv[1], "--config") != 0) {
		fprintf(stderr, "usage: aggregator_feed --config FILE < commands\n");
		return 2;
	}
	static char err[8192];
	struct feed f;
	memset(&f, 0, sizeof(f));
	f.cfg = config_new();
	if (!f.cfg || config_load(f.cfg, argv[2], NULL, err, sizeof(err)) != 0) {
		fprintf(stderr, "aggregator_feed: config: %s\n", err);
		return 1;
	}
	if (bus_attach(&f.bus, f.cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "aggregator_feed: bus: %s\n", err);
		return 1;
	}
	for (size_t i = 0; i < f.bus.ring_count; i++)
		ring_producer_open(f.bus.rings[i]);
	static char line[16384];
	int rc = 0;
	while (rc == 0 && fgets(line, sizeof(line), stdin)) {
		rc = run_line(&f, line);
		printf("ok %llu\n", (unsigned long long)f.published);
		fflush(stdout);
	}
	bus_close(&f.bus);
	config_free(f.cfg);
	return rc < 0 ? 1 : 0;
}
