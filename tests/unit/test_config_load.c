/* Good configurations load with the right values: every default, every key
 * set, environment overrides, continued lists, CRLF and BOM, the shipped
 * example, and hashes that change only with their own section. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/config.h"
#include "common/log.h"

static char dir[] = "/tmp/spreadbus-test-config-load-XXXXXX";
static char errbuf[65536];

static int make_dir(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
	(void)state;
	char path[256];
	snprintf(path, sizeof(path), "%s/t.conf", dir);
	unlink(path);
	rmdir(dir);
	return 0;
}

/* Writes text to <dir>/t.conf and loads it with envp (plus runtime and
 * state dirs under <dir> unless the text names them). */
static int load(struct config *c, const char *text, const char **extra_env)
{
	char path[256], run[300], st[300];
	snprintf(path, sizeof(path), "%s/t.conf", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	char *envp[32];
	int n = 0;
	snprintf(run, sizeof(run), "SPREADBUS_SERVICE_RUNTIME_DIR=%s/run", dir);
	snprintf(st, sizeof(st), "SPREADBUS_SERVICE_STATE_DIR=%s/state", dir);
	if (!strstr(text, "runtime_dir"))
		envp[n++] = run;
	if (!strstr(text, "state_dir"))
		envp[n++] = st;
	for (; extra_env && *extra_env; extra_env++)
		envp[n++] = (char *)*extra_env;
	envp[n] = NULL;
	return config_load(c, path, envp, errbuf, sizeof(errbuf));
}

static struct config *load_ok(const char *text, const char **extra_env)
{
	struct config *c = config_new();
	assert_non_null(c);
	int rc = load(c, text, extra_env);
	if (rc != 0)
		fail_msg("load failed (%d):\n%s", rc, errbuf);
	return c;
}

static void test_defaults(void **state)
{
	(void)state;
	struct config *c = load_ok("[exchange.binance]\nsymbols = BTC-USDT\n", NULL);
	char want[300];
	assert_string_equal(c->instance, "spreadbus");
	snprintf(want, sizeof(want), "%s/state", dir);
	assert_string_equal(c->state_dir, want);
	snprintf(want, sizeof(want), "%s/state/data", dir);
	assert_string_equal(c->writer.data_dir, want);
	snprintf(want, sizeof(want), "%s/state/journal", dir);
	assert_string_equal(c->writer.journal_dir, want);
	assert_string_equal(c->bin_dir, "");
	assert_int_equal(c->ring_capacity, 1048576);
	assert_int_equal(c->shm_mode, 0600);
	assert_string_equal(c->log_format, "text");
	assert_int_equal(c->log_level, LOG_LVL_INFO);
	assert_string_equal(c->http_listen, "127.0.0.1:9280");
	assert_int_equal(c->restart.backoff_initial_ms, 500);
	assert_int_equal(c->restart.backoff_max_ms, 30000);
	assert_int_equal(c->restart.burst_count, 5);
	assert_int_equal(c->restart.burst_window_s, 60);
	assert_int_equal(c->restart.hold_ms, 60000);
	assert_int_equal(c->restart.hold_max_ms, 600000);
	assert_int_equal(c->restart.stop_timeout_ms, 3000);
	assert_true(c->redis.enabled);
	assert_string_equal(c->redis.host, "127.0.0.1");
	assert_int_equal(c->redis.port, 6379);
	assert_string_equal(c->redis.unix_socket, "");
	assert_string_equal(c->redis.password, "");
	assert_int_equal(c->redis.db, 0);
	assert_int_equal(c->redis.stream_maxlen, 100000);
	assert_int_equal(c->redis.connect_timeout_ms, 1000);
	assert_int_equal(c->redis.breaker_min_ms, 200);
	assert_int_equal(c->redis.breaker_max_ms, 5000);
	assert_int_equal(c->redis.max_pending, 10000);
	assert_int_equal(c->aggregator.window_s, 900);
	assert_int_equal(c->aggregator.stale_quote_ms, 5000);
	assert_int_equal(c->aggregator.window_buckets, 60);
	assert_int_equal(c->aggregator.max_window_memory_mb, 256);
	assert_int_equal(c->aggregator.publish_interval_ms, 0);
	assert_int_equal(c->aggregator.heartbeat_timeout_ms, 5000);
	assert_true(c->writer.enabled);
	assert_int_equal(c->writer.row_group_rows, 65536);
	assert_int_equal(c->writer.rotate_s, 3600);
	assert_int_equal(c->writer.rotate_bytes, 268435456);
	assert_int_equal(c->writer.journal_fsync_ms, 200);
	assert_int_equal(c->writer.compression_level, 3);
	assert_int_equal(c->writer.heartbeat_timeout_ms, 10000);
	assert_int_equal(c->exchange_count, 1);
	const struct config_exchange *ex = &c->exchanges[0];
	assert_string_equal(ex->name, "binance");
	assert_string_equal(ex->adapter, "binance");
	assert_true(ex->enabled && ex->quotes && ex->trades && ex->tls_verify);
	assert_int_equal(ex->symbol_count, 1);
	assert_string_equal(ex->symbols[0], "BTC-USDT");
	assert_string_equal(ex->url, "");
	assert_int_equal(ex->ping_interval_ms, 0);
	assert_int_equal(ex->dead_peer_timeout_ms, 60000);
	assert_int_equal(ex->no_data_timeout_ms, 30000);
	assert_int_equal(ex->reconnect_min_ms, 100);
	assert_int_equal(ex->reconnect_max_ms, 30000);
	assert_int_equal(ex->max_symbols_per_conn, 0);
	assert_int_equal(ex->max_frame_bytes, 65536);
	assert_int_equal(ex->max_clock_skew_ms, 300000);
	assert_int_equal(ex->connection_lifetime_s, 0);
	assert_int_equal(ex->heartbeat_timeout_ms, 5000);
	assert_ptr_equal(config_exchange_find(c, "binance"), ex);
	assert_null(config_exchange_find(c, "okx"));
	config_free(c);
}

static const char every_key[] = "[service]\n"
				"instance = prod-1\n"
				"bin_dir = /opt/spreadbus/bin\n"
				"ring_capacity = 4096\n"
				"shm_mode = 0660\n"
				"log_format = json\n"
				"log_level = debug\n"
				"[http]\n"
				"listen = localhost:9999\n"
				"[restart]\n"
				"backoff_initial_ms = 1\nbackoff_max_ms = 2\nburst_count = 3\nburst_window_s = 4\n"
				"hold_ms = 5\nhold_max_ms = 6\nstop_timeout_ms = 7\n"
				"[redis]\n"
				"enabled = off\nhost = redis.local\nport = 6380\nunix_socket = /run/redis.sock\n"
				"password = \"p w\"\ndb = 2\nstream_maxlen = 10\nconnect_timeout_ms = 11\n"
				"breaker_min_ms = 12\nbreaker_max_ms = 13\nmax_pending = 14\n"
				"[aggregator]\n"
				"window_s = 60\nstale_quote_ms = 61\nwindow_buckets = 62\npublish_interval_ms = 63\n"
				"heartbeat_timeout_ms = 164\n"
				"[writer]\n"
				"enabled = no\ndata_dir = /srv/ticks\njournal_dir = /srv/journal\nrow_group_rows = 70\n"
				"rotate_s = 71\nrotate_bytes = 72\njournal_fsync_ms = 73\ncompression_level = 19\n"
				"heartbeat_timeout_ms = 175\n"
				"[exchange.fast-okx]\n"
				"adapter = okx\nenabled = false\nsymbols = BTC-USDT,ETH-USDT , SOL-USDT\nquotes = 0\n"
				"trades = 1\nurl = wss://127.0.0.1:9443/ws/v5/public\ntls_verify = off\n"
				"ping_interval_ms = 80\ndead_peer_timeout_ms = 81\nno_data_timeout_ms = 82\n"
				"reconnect_min_ms = 83\nreconnect_max_ms = 84\nmax_symbols_per_conn = 85\n"
				"max_frame_bytes = 1086\nmax_clock_skew_ms = 87\nconnection_lifetime_s = 88\n"
				"heartbeat_timeout_ms = 189\n";

static void test_every_key_set(void **state)
{
	(void)state;
	struct config *c = load_ok(every_key, NULL);
	assert_string_equal(c->instance, "prod-1");
	assert_string_equal(c->bin_dir, "/opt/spreadbus/bin");
	assert_int_equal(c->ring_capacity, 4096);
	assert_int_equal(c->shm_mode, 0660);
	assert_string_equal(c->log_format, "json");
	assert_int_equal(c->log_level, LOG_LVL_DEBUG);
	assert_string_equal(c->http_listen, "localhost:9999");
	const struct config_restart *r = &c->restart;
	assert_int_equal(r->backoff_initial_ms + r->backoff_max_ms * 10 + r->burst_count * 100 +
				 r->burst_window_s * 1000 + r->hold_ms * 10000 + r->hold_max_ms * 100000 +
				 r->stop_timeout_ms * 1000000,
			 7654321);
	assert_false(c->redis.enabled);
	assert_string_equal(c->redis.host, "redis.local");
	assert_int_equal(c->redis.port, 6380);
	assert_string_equal(c->redis.unix_socket, "/run/redis.sock");
	assert_string_equal(c->redis.password, "p w");
	assert_int_equal(c->redis.db, 2);
	assert_int_equal(c->redis.stream_maxlen, 10);
	assert_int_equal(c->redis.connect_timeout_ms, 11);
	assert_int_equal(c->redis.breaker_min_ms, 12);
	assert_int_equal(c->redis.breaker_max_ms, 13);
	assert_int_equal(c->redis.max_pending, 14);
	assert_int_equal(c->aggregator.window_s, 60);
	assert_int_equal(c->aggregator.stale_quote_ms, 61);
	assert_int_equal(c->aggregator.window_buckets, 62);
	assert_int_equal(c->aggregator.publish_interval_ms, 63);
	assert_int_equal(c->aggregator.heartbeat_timeout_ms, 164);
	assert_false(c->writer.enabled);
	assert_string_equal(c->writer.data_dir, "/srv/ticks");
	assert_string_equal(c->writer.journal_dir, "/srv/journal");
	assert_int_equal(c->writer.row_group_rows, 70);
	assert_int_equal(c->writer.rotate_s, 71);
	assert_int_equal(c->writer.rotate_bytes, 72);
	assert_int_equal(c->writer.journal_fsync_ms, 73);
	assert_int_equal(c->writer.compression_level, 19);
	assert_int_equal(c->writer.heartbeat_timeout_ms, 175);
	const struct config_exchange *ex = config_exchange_find(c, "fast-okx");
	assert_non_null(ex);
	assert_string_equal(ex->adapter, "okx");
	assert_false(ex->enabled);
	assert_int_equal(ex->symbol_count, 3);
	assert_string_equal(ex->symbols[0], "BTC-USDT");
	assert_string_equal(ex->symbols[1], "ETH-USDT");
	assert_string_equal(ex->symbols[2], "SOL-USDT");
	assert_false(ex->quotes);
	assert_true(ex->trades);
	assert_string_equal(ex->url, "wss://127.0.0.1:9443/ws/v5/public");
	assert_false(ex->tls_verify);
	assert_int_equal(ex->ping_interval_ms, 80);
	assert_int_equal(ex->dead_peer_timeout_ms, 81);
	assert_int_equal(ex->no_data_timeout_ms, 82);
	assert_int_equal(ex->reconnect_min_ms, 83);
	assert_int_equal(ex->reconnect_max_ms, 84);
	assert_int_equal(ex->max_symbols_per_conn, 85);
	assert_int_equal(ex->max_frame_bytes, 1086);
	assert_int_equal(ex->max_clock_skew_ms, 87);
	assert_int_equal(ex->connection_lifetime_s, 88);
	assert_int_equal(ex->heartbeat_timeout_ms, 189);
	config_free(c);
}

static void test_environment_overrides(void **state)
{
	(void)state;
	const char *env[] = { "SPREADBUS_REDIS_PORT=6380",
			      "SPREADBUS_EXCHANGE_BINANCE_URL=ws://127.0.0.1:9001",
			      "SPREADBUS_SERVICE_INSTANCE=t1",
			      "SPREADBUS_EXCHANGE_BINANCE_USDM_SYMBOLS=ETH-USDT,BTC-USDT",
			      "SPREADBUS_EXCHANGE_BINANCE_USDM_ENABLED=no",
			      "SPREADBUS_HTTP_LISTEN=",
			      "SPREADBUS_WRITER_ENABLED=false",
			      "SPREADBUS_BIN=/somewhere/else",
			      "SPREADBUS_SRC=/elsewhere",
			      NULL };
	struct config *c = load_ok("[service]\ninstance = from-file\n[redis]\nport = 1\n"
				   "[exchange.binance]\nsymbols = BTC-USDT\nurl = ws://127.0.0.1:1\n"
				   "[exchange.binance-usdm]\nadapter = binance\nsymbols = SOL-USDT\n",
				   env);
	assert_int_equal(c->redis.port, 6380);
	assert_string_equal(c->instance, "t1");
	assert_string_equal(c->http_listen, "");
	assert_false(c->writer.enabled);
	const struct config_exchange *b = config_exchange_find(c, "binance");
	const struct config_exchange *u = config_exchange_find(c, "binance-usdm");
	assert_string_equal(b->url, "ws://127.0.0.1:9001");
	assert_int_equal(b->symbol_count, 1);
	assert_true(b->enabled);
	/* The longer name wins: BINANCE_USDM_SYMBOLS is not binance's "usdm_symbols". */
	assert_int_equal(u->symbol_count, 2);
	assert_string_equal(u->symbols[0], "ETH-USDT");
	assert_false(u->enabled);
	config_free(c);
}

/* [bridge.NAME] and [alert.NAME] take overrides like [exchange.NAME]: a
 * bridge's token or an alert's threshold set from the environment, and a
 * variable naming a section the file lacks is an error. */
static void test_named_section_overrides(void **state)
{
	(void)state;
	static const char text[] = "[exchange.binance]\nsymbols = BTC-USDT\n"
				   "[bridge.out]\nmode = export\n"
				   "[bridge.out-b]\nmode = export\n"
				   "[alert.wide]\nmin_net_bps = 5\n";
	const char *env[] = { "SPREADBUS_BRIDGE_OUT_TOKEN=from-env", "SPREADBUS_BRIDGE_OUT_B_REPLICAS=3",
			      "SPREADBUS_ALERT_WIDE_MIN_NET_BPS=12.5", NULL };
	struct config *c = load_ok(text, env);
	const struct config_bridge *out = config_bridge_find(c, "out"), *out_b = config_bridge_find(c, "out-b");
	assert_string_equal(out->token, "from-env");
	assert_int_equal(out->replicas, 1);
	assert_int_equal(out_b->replicas, 3); /* the longer name wins */
	assert_true(c->alerts[0].min_net_bps == 12.5);
	config_free(c);

	const char *unknown[] = { "SPREADBUS_ALERT_NARROW_MIN_NET_BPS=1", NULL };
	c = config_new();
	assert_int_not_equal(load(c, text, unknown), 0);
	assert_non_null(strstr(errbuf, "SPREADBUS_ALERT_NARROW_MIN_NET_BPS"));
	assert_non_null(strstr(errbuf, "no [alert.NAME] section"));
	config_free(c);
}

static void test_file_forms(void **state)
{
	(void)state;
	/* BOM, CRLF, indented keys, inline comments, quotes, continued lists. */
	struct config *c = load_ok("\xEF\xBB\xBF; comment\r\n"
				   "# another\r\n"
				   "[ exchange.bybit ]\r\n"
				   "  symbols = BTC-USDT, ; inline comment\r\n"
				   "      ETH-USDT,\r\n"
				   "\r\n"
				   "      SOL-USDT\r\n"
				   "\turl = \"ws://127.0.0.1:9002\"   ; test server\r\n"
				   "[redis]\n"
				   "enabled: no\n",
				   NULL);
	const struct config_exchange *ex = config_exchange_find(c, "bybit");
	assert_non_null(ex);
	assert_int_equal(ex->symbol_count, 3);
	assert_string_equal(ex->symbols[2], "SOL-USDT");
	assert_string_equal(ex->url, "ws://127.0.0.1:9002");
	assert_false(c->redis.enabled);
	config_free(c);
}

static void test_symbol_limit(void **state)
{
	(void)state;
	static char text[CONFIG_MAX_SYMBOLS * 16 + 256];
	size_t n = (size_t)snprintf(text, sizeof(text), "[exchange.okx]\nsymbols = A0-USDT");
	for (int i = 1; i < CONFIG_MAX_SYMBOLS; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, ",%s  A%d-USDT", i % 8 == 0 ? "\n" : "", i);
	snprintf(text + n, sizeof(text) - n, "\n");
	struct config *c = load_ok(text, NULL);
	assert_int_equal(c->exchanges[0].symbol_count, CONFIG_MAX_SYMBOLS);
	assert_string_equal(c->exchanges[0].symbols[CONFIG_MAX_SYMBOLS - 1], "A1023-USDT");

	snprintf(text + n, sizeof(text) - n, ",\n  TOO-MANY\n");
	assert_int_equal(load(c, text, NULL), 1);
	assert_non_null(strstr(errbuf, "[exchange.okx] symbols: more than 1024 symbols"));
	config_free(c);
}

static void test_hashes_follow_their_section(void **state)
{
	(void)state;
	const char *base = "[exchange.binance]\nsymbols = BTC-USDT\n[exchange.okx]\nsymbols = BTC-USDT\n"
			   "[aggregator]\nwindow_s = 900\n";
	struct config *a = load_ok(base, NULL);
	struct config *b = load_ok(base, NULL);
	assert_true(a->exchanges[0].config_hash == b->exchanges[0].config_hash);
	assert_true(a->exchanges[0].config_hash != a->exchanges[1].config_hash);
	assert_true(a->aggregator.config_hash == b->aggregator.config_hash);
	assert_true(a->writer.config_hash == b->writer.config_hash);
	config_free(b);

	const char *env_url[] = { "SPREADBUS_EXCHANGE_BINANCE_URL=ws://127.0.0.1:1", NULL };
	b = load_ok(base, env_url);
	assert_true(a->exchanges[0].config_hash != b->exchanges[0].config_hash);
	assert_true(a->exchanges[1].config_hash == b->exchanges[1].config_hash);
	assert_true(a->aggregator.config_hash == b->aggregator.config_hash);
	assert_true(a->writer.config_hash == b->writer.config_hash);
	config_free(b);

	const char *env_agg[] = { "SPREADBUS_AGGREGATOR_WINDOW_S=60", NULL };
	b = load_ok(base, env_agg);
	assert_true(a->aggregator.config_hash != b->aggregator.config_hash);
	assert_true(a->exchanges[0].config_hash == b->exchanges[0].config_hash);
	config_free(b);

	/* The default data_dir follows state_dir: the writer's effective values change. */
	char st[300];
	snprintf(st, sizeof(st), "SPREADBUS_SERVICE_STATE_DIR=%s/other", dir);
	const char *env_state[] = { st, NULL };
	b = load_ok(base, env_state);
	assert_true(a->writer.config_hash != b->writer.config_hash);
	assert_true(a->aggregator.config_hash == b->aggregator.config_hash);
	config_free(b);

	/* Symbol order is part of an exchange's identity (symbol ids). */
	b = load_ok("[exchange.binance]\nsymbols = BTC-USDT, ETH-USDT\n", NULL);
	struct config *d = load_ok("[exchange.binance]\nsymbols = ETH-USDT, BTC-USDT\n", NULL);
	assert_true(b->exchanges[0].config_hash != d->exchanges[0].config_hash);
	config_free(b);
	config_free(d);
	config_free(a);
}

static void test_unreadable_file(void **state)
{
	(void)state;
	struct config *c = config_new();
	char path[300];
	snprintf(path, sizeof(path), "%s/missing.conf", dir);
	assert_int_equal(config_load(c, path, NULL, errbuf, sizeof(errbuf)), -ENOENT);
	assert_non_null(strstr(errbuf, "missing.conf: cannot read: No such file or directory"));
	config_free(c);
}

/* A short errbuf keeps whole lines only, and every error is still counted. */
static void test_small_error_buffer(void **state)
{
	(void)state;
	struct config *c = config_new();
	char path[256];
	snprintf(path, sizeof(path), "%s/t.conf", dir);
	FILE *f = fopen(path, "w");
	fputs("[redis]\nport = a\ndb = b\nmax_pending = c\n[exchange.okx]\nsymbols = BTC-USDT\n", f);
	fclose(f);
	char small[80];
	int rc = config_load(c, path, NULL, small, sizeof(small));
	assert_true(rc >= 3);
	size_t len = strlen(small);
	assert_true(len < sizeof(small));
	assert_true(len == 0 || small[len - 1] == '\n');
	config_free(c);
}

static void test_shipped_example_is_valid(void **state)
{
	(void)state;
	const char *src = getenv("SPREADBUS_SRC");
	char path[512], run[300], st[300];
	snprintf(path, sizeof(path), "%s/deploy/spreadbus.conf.example", src ? src : ".");
	snprintf(run, sizeof(run), "%s/run", dir);
	snprintf(st, sizeof(st), "%s/state", dir);
	/* config_check_file reads the real environment, as --check-config does. */
	setenv("SPREADBUS_SERVICE_RUNTIME_DIR", run, 1);
	setenv("SPREADBUS_SERVICE_STATE_DIR", st, 1);
	char *out = NULL;
	size_t out_len = 0;
	FILE *f = open_memstream(&out, &out_len);
	int rc = config_check_file(path, f);
	fclose(f);
	unsetenv("SPREADBUS_SERVICE_RUNTIME_DIR");
	unsetenv("SPREADBUS_SERVICE_STATE_DIR");
	if (rc != 0)
		fail_msg("%s", out);
	assert_non_null(strstr(out, "ok (3 exchanges)"));
	free(out);

	struct config *c = config_new();
	char *envp[] = { NULL };
	assert_true(config_load(c, path, envp, errbuf, sizeof(errbuf)) >= 0);
	assert_int_equal(c->exchange_count, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(c->exchanges[i].symbol_count, 3);
		assert_string_equal(c->exchanges[i].symbols[2], "SOL-USDT");
	}
	assert_string_equal(c->exchanges[2].adapter, "okx");
	config_free(c);
}

/* config_dump writes INI that loads back to the same values. */
static void test_dump_loads_back(void **state)
{
	(void)state;
	struct config *a = load_ok(every_key, NULL);
	char *out = NULL;
	size_t out_len = 0;
	FILE *f = open_memstream(&out, &out_len);
	assert_int_equal(config_dump(a, f), 0);
	fclose(f);
	struct config *b = load_ok(out, NULL);
	assert_true(a->exchanges[0].config_hash == b->exchanges[0].config_hash);
	assert_true(a->aggregator.config_hash == b->aggregator.config_hash);
	assert_true(a->writer.config_hash == b->writer.config_hash);
	assert_int_equal(b->redis.port, 6380);
	free(out);
	config_free(a);
	config_free(b);

	/* A long symbol list comes out on continuation lines. */
	a = load_ok("[exchange.okx]\nsymbols = AAAAAAAAAAAAAAAAAAAA-B0, AAAAAAAAAAAAAAAAAAAA-B1, AAAAAAAAAAAAAAAAAAAA-B2,\n"
		    "  AAAAAAAAAAAAAAAAAAAA-B3, AAAAAAAAAAAAAAAAAAAA-B4, AAAAAAAAAAAAAAAAAAAA-B5,\n"
		    "  AAAAAAAAAAAAAAAAAAAA-B6, AAAAAAAAAAAAAAAAAAAA-B7, AAAAAAAAAAAAAAAAAAAA-B8\n",
		    NULL);
	f = open_memstream(&out, &out_len);
	assert_int_equal(config_dump(a, f), 0);
	fclose(f);
	b = load_ok(out, NULL);
	assert_int_equal(b->exchanges[0].symbol_count, 9);
	assert_true(a->exchanges[0].config_hash == b->exchanges[0].config_hash);
	free(out);
	config_free(a);
	config_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_key_set),
		cmocka_unit_test(test_environment_overrides),
		cmocka_unit_test(test_named_section_overrides),
		cmocka_unit_test(test_file_forms),
		cmocka_unit_test(test_symbol_limit),
		cmocka_unit_test(test_hashes_follow_their_section),
		cmocka_unit_test(test_unreadable_file),
		cmocka_unit_test(test_small_error_buffer),
		cmocka_unit_test(test_shipped_example_is_valid),
		cmocka_unit_test(test_dump_loads_back),
	};
	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
