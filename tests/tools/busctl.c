/* spreadbus-busctl: create, remove and inspect an instance's bus from its
 * config (for tests and operators): status blocks, rings, ticks as JSON. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "common/config.h"
#include "common/jsonw.h"
#include "shm/bus.h"
#include "shm/tick_json.h"
#include "tests/tools/tool_args.h"

#define EXIT_SETUP 1
#define EXIT_USAGE 2
#define DUMP_BATCH 256
#define LINE_MAX_BYTES 8192

static void usage(void)
{
	fprintf(stderr, "usage: spreadbus-busctl --config FILE create|unlink|status|rings\n"
			"       spreadbus-busctl --config FILE dump EXCHANGE [--from SEQ]\n");
}

/* Prints the finished document w as one line. */
static int emit(struct jsonw *w)
{
	size_t len;
	int rc = jsonw_finish(w, &len);

	if (rc < 0) {
		fprintf(stderr, "busctl: JSON line did not fit: %s\n", strerror(-rc));
		return rc;
	}
	fwrite(w->buf, 1, len, stdout);
	putchar('\n');
	return 0;
}

static int print_block(const struct status_block *b)
{
	uint32_t conns = __atomic_load_n(&b->conn_count, __ATOMIC_ACQUIRE), i;
	char buf[LINE_MAX_BYTES], detail[STATUS_DETAIL_MAX];
	struct jsonw w;
	unsigned m;

	if (conns > STATUS_MAX_CONNS)
		conns = STATUS_MAX_CONNS;
	for (i = 0; i < STATUS_DETAIL_MAX; i++)
		detail[i] = __atomic_load_n(&b->detail[i], __ATOMIC_RELAXED);
	detail[STATUS_DETAIL_MAX - 1] = '\0';
	jsonw_init(&w, buf, sizeof(buf));
	jsonw_object_begin(&w);
	jsonw_key(&w, "name");
	jsonw_string_n(&w, b->name, strnlen(b->name, STATUS_NAME_MAX));
	jsonw_kv_string(&w, "role", status_role_name(b->role));
	jsonw_kv_string(&w, "state", status_child_state_name(__atomic_load_n(&b->state, __ATOMIC_ACQUIRE)));
	jsonw_kv_int64(&w, "pid", __atomic_load_n(&b->pid, __ATOMIC_RELAXED));
	jsonw_kv_int64(&w, "started_ns", __atomic_load_n(&b->started_ns, __ATOMIC_RELAXED));
	jsonw_kv_int64(&w, "heartbeat_ns", __atomic_load_n(&b->heartbeat_ns, __ATOMIC_ACQUIRE));
	jsonw_key(&w, "conns");
	jsonw_array_begin(&w);
	for (i = 0; i < conns; i++) {
		jsonw_object_begin(&w);
		jsonw_kv_string(&w, "state", status_conn_state_name(__atomic_load_n(&b->conns[i].state, __ATOMIC_ACQUIRE)));
		jsonw_kv_int64(&w, "since_ns", __atomic_load_n(&b->conns[i].since_ns, __ATOMIC_RELAXED));
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);
	jsonw_kv_string(&w, "detail", detail);
	jsonw_key(&w, "metrics");
	jsonw_object_begin(&w);
	for (m = 0; m < SM_COUNT; m++)
		jsonw_kv_uint64(&w, status_metric_info((enum status_metric)m)->name, status_get(b, (enum status_metric)m));
	jsonw_object_end(&w);
	jsonw_key(&w, "connection_errors");
	jsonw_object_begin(&w);
	for (m = 0; m < CONN_ERR_COUNT; m++)
		jsonw_kv_uint64(&w, status_conn_error_name((enum conn_error)m), status_conn_errors(b, (enum conn_error)m));
	jsonw_object_end(&w);
	jsonw_object_end(&w);
	return emit(&w);
}

static int cmd_status(struct bus *bus)
{
	struct status_block *b;
	unsigned i;
	int rc = 0;

	for (i = 0; rc == 0 && (b = status_table_at(bus->status, i)) != NULL; i++)
		if (__atomic_load_n(&b->name[0], __ATOMIC_ACQUIRE))
			rc = print_block(b);
	return rc;
}

static int cmd_rings(struct bus *bus)
{
	struct ring_reader_info info[RING_MAX_READERS];
	char buf[LINE_MAX_BYTES];
	struct jsonw w;
	size_t i, k, n;
	int rc = 0;

	for (i = 0; rc == 0 && i < bus->ring_count; i++) {
		struct ring *ring = bus->rings[i];
		jsonw_init(&w, buf, sizeof(buf));
		jsonw_object_begin(&w);
		jsonw_kv_string(&w, "exchange", bus->ring_exchange[i]);
		jsonw_kv_uint64(&w, "head", ring_head(ring));
		jsonw_kv_uint64(&w, "capacity", ring_capacity(ring));
		jsonw_key(&w, "readers");
		jsonw_array_begin(&w);
		n = ring_readers_info(ring, info, RING_MAX_READERS);
		for (k = 0; k < n; k++) {
			jsonw_object_begin(&w);
			jsonw_kv_string(&w, "name", info[k].name);
			jsonw_kv_uint64(&w, "cursor", info[k].cursor);
			jsonw_kv_uint64(&w, "lost_total", info[k].lost_total);
			jsonw_kv_int64(&w, "pid", info[k].pid);
			jsonw_object_end(&w);
		}
		jsonw_array_end(&w);
		jsonw_object_end(&w);
		rc = emit(&w);
	}
	return rc;
}

static int print_tick(const struct bus *bus, const char *exchange, uint64_t seq, const struct tick *t)
{
	const char *symbol = registry_symbol_name(bus->registry, t->symbol_id);
	const char *ex = registry_exchange_name(bus->registry, t->exchange_id);
	char buf[LINE_MAX_BYTES];
	struct jsonw w;

	jsonw_init(&w, buf, sizeof(buf));
	jsonw_object_begin(&w);
	jsonw_kv_uint64(&w, "seq", seq);
	jsonw_kv_string(&w, "kind", tick_kind_name(t));
	jsonw_kv_string(&w, "exchange", ex ? ex : exchange);
	jsonw_kv_string(&w, "symbol", symbol ? symbol : "");
	jsonw_kv_int64(&w, "ts_exchange_ns", t->ts_exchange_ns);
	jsonw_kv_int64(&w, "ts_recv_ns", t->ts_recv_ns);
	tick_json_fields(&w, t);
	jsonw_object_end(&w);
	return emit(&w);
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
	while (rc == 0 && ring_reader_position(r) < head) {
		size_t want = head - ring_reader_position(r) < DUMP_BATCH ? head - ring_reader_position(r) : DUMP_BATCH;
		n = ring_reader_read(r, batch, want, &first, &lost);
		if (lost)
			fprintf(stderr, "busctl: %" PRIu64 " records overwritten before they could be dumped\n", lost);
		for (i = 0; i < n && rc == 0; i++)
			rc = print_tick(bus, exchange, first + i, &batch[i]);
		if (n == 0 && !lost)
			break;
	}
	ring_reader_close(r);
	return rc;
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
			if (tool_args_parse_u64(argv[++i], &from) < 0) {
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
