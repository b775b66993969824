/* spreadbus-busctl: create, remove and inspect an instance's bus from its
 * config (for tests and operators): status blocks, rings, ticks as JSON. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/config.h"
#include "shm/bus.h"

#define EXIT_SETUP 1
#define EXIT_USAGE 2
#define DUMP_BATCH 256

static void usage(void)
{
	fprintf(stderr, "usage: spreadbus-busctl --config FILE create|unlink|status|rings\n"
			"       spreadbus-busctl --config FILE dump EXCHANGE [--from SEQ]\n");
}

/* Writes s as a JSON string literal. */
static void json_str(const char *s, size_t max)
{
	size_t i;

	putchar('"');
	for (i = 0; i < max && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/* Shortest decimal that reads back as the same double (the exchange's
 * "0.1" prints as 0.1, not 0.10000000000000001). */
static void json_double(double v)
{
	char buf[40];
	int prec;

	if (!isfinite(v)) {
		fputs("null", stdout);
		return;
	}
	for (prec = 15; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	fputs(buf, stdout);
}

static const char *role_name(uint32_t role)
{
	switch (role) {
	case ROLE_COLLECTOR: return "collector";
	case ROLE_AGGREGATOR: return "aggregator";
	case ROLE_WRITER: return "writer";
	default: return "unknown";
	}
}

static const char *state_name(uint32_t state)
{
	switch (state) {
	case CHILD_STARTING: return "starting";
	case CHILD_RUNNING: return "running";
	case CHILD_DEGRADED: return "degraded";
	case CHILD_STOPPING: return "stopping";
	case CHILD_EXITED: return "exited";
	default: return "none";
	}
}

static const char *conn_state_name(uint8_t state)
{
	switch (state) {
	case CONN_IDLE: return "idle";
	case CONN_CONNECTING: return "connecting";
	case CONN_SUBSCRIBING: return "subscribing";
	case CONN_STREAMING: return "streaming";
	case CONN_BACKOFF: return "backoff";
	default: return "unknown";
	}
}

static const char *gap_reason_name(uint32_t reason)
{
	switch (reason) {
	case GAP_DISCONNECT: return "disconnect";
	case GAP_STALL: return "stall";
	case GAP_SERVER_SHUTDOWN: return "server_shutdown";
	case GAP_COLLECTOR_START: return "collector_start";
	case GAP_READER_LAPPED: return "reader_lapped";
	case GAP_RECONNECT_PLANNED: return "reconnect_planned";
	default: return "unknown";
	}
}

static void print_block(const struct status_block *b)
{
	uint32_t conns = __atomic_load_n(&b->conn_count, __ATOMIC_ACQUIRE), i;
	char detail[STATUS_DETAIL_MAX];
	unsigned m;

	if (conns > STATUS_MAX_CONNS)
		conns = STATUS_MAX_CONNS;
	for (i = 0; i < STATUS_DETAIL_MAX; i++)
		detail[i] = __atomic_load_n(&b->detail[i], __ATOMIC_RELAXED);
	detail[STATUS_DETAIL_MAX - 1] = '\0';
	fputs("{\"name\":", stdout);
	json_str(b->name, STATUS_NAME_MAX);
	printf(",\"role\":\"%s\",\"state\":\"%s\",\"pid\":%" PRId32 ",\"started_ns\":%" PRId64
	       ",\"heartbeat_ns\":%" PRId64 ",\"conns\":[",
	       role_name(b->role), state_name(__atomic_load_n(&b->state, __ATOMIC_ACQUIRE)),
	       __atomic_load_n(&b->pid, __ATOMIC_RELAXED), __atomic_load_n(&b->started_ns, __ATOMIC_RELAXED),
	       __atomic_load_n(&b->heartbeat_ns, __ATOMIC_ACQUIRE));
	for (i = 0; i < conns; i++)
		printf("%s{\"state\":\"%s\",\"since_ns\":%" PRId64 "}", i ? "," : "",
		       conn_state_name(__atomic_load_n(&b->conns[i].state, __ATOMIC_ACQUIRE)),
		       __atomic_load_n(&b->conns[i].since_ns, __ATOMIC_RELAXED));
	fputs("],\"detail\":", stdout);
	json_str(detail, sizeof(detail));
	fputs(",\"metrics\":{", stdout);
	for (m = 0; m < SM_COUNT; m++)
		printf("%s\"%s\":%" PRIu64, m ? "," : "", status_metric_info((enum status_metric)m)->name,
		       status_get(b, (enum status_metric)m));
	fputs("}}\n", stdout);
}

static int cmd_status(struct bus *bus)
{
	struct status_block *b;
	unsigned i;

	for (i = 0; (b = status_table_at(bus->status, i)) != NULL; i++)
		if (b->name[0])
			print_block(b);
	return 0;
}

static int cmd_rings(struct bus *bus)
{
	struct ring_reader_info info[RING_MAX_READERS];
	size_t i, k, n;

	for (i = 0; i < bus->ring_count; i++) {
		struct ring *ring = bus->rings[i];
		fputs("{\"exchange\":", stdout);
		json_str(bus->ring_exchange[i], CONFIG_NAME_MAX);
		printf(",\"head\":%" PRIu64 ",\"capacity\":%" PRIu64 ",\"readers\":[", ring_head(ring),
		       ring_capacity(ring));
		n = ring_readers_info(ring, info, RING_MAX_READERS);
		for (k = 0; k < n; k++) {
			printf("%s{\"name\":", k ? "," : "");
			json_str(info[k].name, RING_READER_NAME_MAX);
			printf(",\"cursor\":%" PRIu64 ",\"lost_total\":%" PRIu64 ",\"pid\":%" PRId32 "}", info[k].cursor,
			       info[k].lost_total, info[k].pid);
		}
		fputs("]}\n", stdout);
	}
	return 0;
}

static void print_tick(const struct bus *bus, const char *exchange, uint64_t seq, const struct tick *t)
{
	const char *symbol = registry_symbol_name(bus->registry, t->symbol_id);
	const char *ex = registry_exchange_name(bus->registry, t->exchange_id);
	const char *kind = t->kind == TICK_QUOTE ? "quote" : tick_is_trade(t) ? "trade" : t->kind == TICK_GAP ? "gap"
														: "unknown";

	printf("{\"seq\":%" PRIu64 ",\"kind\":\"%s\",\"exchange\":", seq, kind);
	json_str(ex ? ex : exchange, REGISTRY_NAME_MAX);
	fputs(",\"symbol\":", stdout);
	json_str(symbol ? symbol : "", REGISTRY_NAME_MAX);
	printf(",\"ts_exchange_ns\":%" PRId64 ",\"ts_recv_ns\":%" PRId64, t->ts_exchange_ns, t->ts_recv_ns);
	if (t->kind == TICK_QUOTE) {
		printf(",\"update_id\":%" PRIu64 ",\"bid_px\":", t->update_id);
		json_double(t->u.quote.bid_px);
		fputs(",\"bid_qty\":", stdout);
		json_double(t->u.quote.bid_qty);
		fputs(",\"ask_px\":", stdout);
		json_double(t->u.quote.ask_px);
		fputs(",\"ask_qty\":", stdout);
		json_double(t->u.quote.ask_qty);
	} else if (tick_is_trade(t)) {
		fputs(",\"px\":", stdout);
		json_double(t->u.trade.px);
		fputs(",\"qty\":", stdout);
		json_double(t->u.trade.qty);
		printf(",\"side\":\"%s\",\"trade_id\":%" PRIu64,
		       t->kind == TICK_TRADE_BUY ? "buy" : t->kind == TICK_TRADE_SELL ? "sell" : "unknown", t->update_id);
	} else if (t->kind == TICK_GAP) {
		printf(",\"ts_start_ns\":%" PRId64 ",\"ts_end_ns\":%" PRId64 ",\"reason\":\"%s\",\"lost\":%" PRIu64,
		       t->u.gap.ts_start_ns, t->u.gap.ts_end_ns, gap_reason_name(t->u.gap.reason), t->update_id);
	}
	fputs("}\n", stdout);
}

/* Every tick from `from` (default: the oldest still held) to the head seen
 * at the start. A producer that laps the dump loses records: said on stderr. */
static int cmd_dump(struct bus *bus, const char *exchange, int have_from, uint64_t from)
{
	struct ring *ring = bus_ring(bus, exchange);
	struct ring_reader *r = NULL;
	struct tick batch[DUMP_BATCH];
	uint64_t head, first, lost;
	size_t n, i;
	int rc;

	if (!ring) {
		fprintf(stderr, "busctl: no ring for exchange '%s' in this config\n", exchange);
		return -ENOENT;
	}
	head = ring_head(ring);
	if (!have_from)
		from = head >= ring_capacity(ring) ? head - ring_capacity(ring) : 0;
	rc = ring_reader_open_private(&r, ring, from);
	if (rc < 0) {
		fprintf(stderr, "busctl: reader: %s\n", strerror(-rc));
		return rc;
	}
	while (ring_reader_position(r) < head) {
		size_t want = head - ring_reader_position(r) < DUMP_BATCH ? head - ring_reader_position(r) : DUMP_BATCH;
		n = ring_reader_read(r, batch, want, &first, &lost);
		if (lost)
			fprintf(stderr, "busctl: %" PRIu64 " records overwritten before they could be dumped\n", lost);
		for (i = 0; i < n; i++)
			print_tick(bus, exchange, first + i, &batch[i]);
		if (n == 0 && !lost)
			break;
	}
	ring_reader_close(r);
	return 0;
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!s || !*s || *s == '-')
		return -EINVAL;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno || *end ? -EINVAL : 0;
}

int main(int argc, char **argv)
{
	const char *config_path = NULL, *cmd = NULL, *exchange = NULL;
	struct config *cfg = NULL;
	char err[4096] = "";
	uint64_t from = 0;
	int have_from = 0, i, rc, status = EXIT_SETUP;
	struct bus bus;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			config_path = argv[++i];
		} else if (strcmp(argv[i], "--from") == 0 && i + 1 < argc) {
			if (parse_u64(argv[++i], &from) < 0) {
				fprintf(stderr, "busctl: --from wants a sequence number, got '%s'\n", argv[i]);
				return EXIT_USAGE;
			}
			have_from = 1;
		} else if (!cmd) {
			cmd = argv[i];
		} else if (!exchange) {
			exchange = argv[i];
		} else {
			usage();
			return EXIT_USAGE;
		}
	}
	if (!config_path || !cmd || (strcmp(cmd, "dump") == 0) != (exchange != NULL)) {
		usage();
		return EXIT_USAGE;
	}
	if (strcmp(cmd, "create") && strcmp(cmd, "unlink") && strcmp(cmd, "status") && strcmp(cmd, "rings") &&
	    strcmp(cmd, "dump")) {
		usage();
		return EXIT_USAGE;
	}
	cfg = config_new();
	if (!cfg) {
		fprintf(stderr, "busctl: out of memory\n");
		return EXIT_SETUP;
	}
	rc = config_load(cfg, config_path, NULL, err, sizeof(err));
	if (rc != 0) {
		fprintf(stderr, "%s%sbusctl: cannot load config %s\n", err, err[0] ? "\n" : "", config_path);
		goto out;
	}
	if (strcmp(cmd, "unlink") == 0) {
		rc = bus_unlink(cfg);
		if (rc < 0)
			fprintf(stderr, "busctl: unlink instance %s: %s\n", cfg->instance, strerror(-rc));
		status = rc < 0 ? EXIT_SETUP : 0;
		goto out;
	}
	rc = strcmp(cmd, "create") == 0 ? bus_create(&bus, cfg, err, sizeof(err))
					: bus_attach(&bus, cfg, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "busctl: %s\n", err);
		goto out;
	}
	if (strcmp(cmd, "status") == 0)
		rc = cmd_status(&bus);
	else if (strcmp(cmd, "rings") == 0)
		rc = cmd_rings(&bus);
	else if (strcmp(cmd, "dump") == 0)
		rc = cmd_dump(&bus, exchange, have_from, from);
	bus_close(&bus);
	if (fflush(stdout) != 0)
		rc = -errno;
	status = rc < 0 ? EXIT_SETUP : 0;
out:
	config_free(cfg);
	return status;
}
