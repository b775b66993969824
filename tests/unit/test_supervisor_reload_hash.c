/* Which config changes restart which child on reload: a child's hash
 * covers its own section and the shared keys it reads, nothing else. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/config.h"
#include "supervisor/reload.h"

static char dir[64];

static const char *base_conf = "[service]\nruntime_dir = %s/run\nstate_dir = %s/state\nlog_level = info\n"
			       "[redis]\nport = 6379\n[restart]\nhold_ms = 60000\n"
			       "[aggregator]\nwindow_s = 900\n[writer]\nrotate_s = 3600\n"
			       "[exchange.binance]\nsymbols = BTC-USDT\n[exchange.okx]\nsymbols = BTC-USDT\n%s";

/* Load base_conf with the key `from` (a whole line) replaced by `to`. */
static struct config *load_with(const char *from, const char *to)
{
	char text[2048], path[128], errs[4096] = "";
	snprintf(text, sizeof(text), base_conf, dir, dir, "");
	char *at = from ? strstr(text, from) : NULL;
	if (from) {
		assert_non_null(at);
		char rest[2048];
		snprintf(rest, sizeof(rest), "%s", at + strlen(from));
		snprintf(at, sizeof(text) - (size_t)(at - text), "%s%s", to, rest);
	}
	snprintf(path, sizeof(path), "%s/c.conf", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	struct config *c = config_new();
	assert_non_null(c);
	if (config_load(c, path, (char *const[]){ NULL }, errs, sizeof(errs)) != 0)
		fail_msg("config: %s", errs);
	return c;
}

struct hashes {
	uint64_t binance, okx, aggregator, writer;
};

static struct hashes hashes_of(const char *from, const char *to)
{
	struct config *c = load_with(from, to);
	struct hashes h = {
		reload_child_hash(c, ROLE_COLLECTOR, "binance"),
		reload_child_hash(c, ROLE_COLLECTOR, "okx"),
		reload_child_hash(c, ROLE_AGGREGATOR, "aggregator"),
		reload_child_hash(c, ROLE_WRITER, "writer"),
	};
	config_free(c);
	return h;
}

static void expect_changed(const char *from, const char *to, int binance, int okx, int aggregator, int writer)
{
	struct hashes a = hashes_of(NULL, NULL), b = hashes_of(from, to);
	if ((a.binance != b.binance) != binance || (a.okx != b.okx) != okx ||
	    (a.aggregator != b.aggregator) != aggregator || (a.writer != b.writer) != writer)
		fail_msg("'%s' -> '%s': changed binance=%d okx=%d aggregator=%d writer=%d", from, to,
			 a.binance != b.binance, a.okx != b.okx, a.aggregator != b.aggregator, a.writer != b.writer);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/spreadbus-ut-hash.%d", (int)getpid());
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/run %s/state", dir, dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_same_config_same_hashes(void **state)
{
	(void)state;
	expect_changed("port = 6379", "port = 6379", 0, 0, 0, 0);
}

static void test_exchange_section_restarts_only_that_collector(void **state)
{
	(void)state;
	expect_changed("[exchange.okx]\nsymbols = BTC-USDT", "[exchange.okx]\nsymbols = BTC-USDT, ETH-USDT", 0, 1, 0, 0);
}

/* The aggregator takes symbols live (SIGHUP), not a fee: its spreads are
 * net of the fees it read at start. */
static void test_fee_restarts_the_aggregator_symbols_do_not(void **state)
{
	(void)state;
	expect_changed("[exchange.okx]\nsymbols = BTC-USDT", "[exchange.okx]\nsymbols = BTC-USDT\ntaker_fee_bps = 7", 0, 1, 1,
		       0);
	expect_changed("[exchange.binance]\nsymbols = BTC-USDT", "[exchange.binance]\nsymbols = ETH-USDT", 1, 0, 0, 0);
}

static void test_redis_restarts_only_the_aggregator(void **state)
{
	(void)state;
	expect_changed("port = 6379", "port = 6380", 0, 0, 1, 0);
}

static void test_own_sections(void **state)
{
	(void)state;
	expect_changed("window_s = 900", "window_s = 600", 0, 0, 1, 0);
	expect_changed("rotate_s = 3600", "rotate_s = 60", 0, 0, 0, 1);
}

static void test_restart_section_restarts_nobody(void **state)
{
	(void)state;
	expect_changed("hold_ms = 60000", "hold_ms = 1000", 0, 0, 0, 0);
}

static void test_logging_restarts_everybody(void **state)
{
	(void)state;
	expect_changed("log_level = info", "log_level = debug", 1, 1, 1, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_config_same_hashes),
		cmocka_unit_test(test_exchange_section_restarts_only_that_collector),
		cmocka_unit_test(test_fee_restarts_the_aggregator_symbols_do_not),
		cmocka_unit_test(test_redis_restarts_only_the_aggregator),
		cmocka_unit_test(test_own_sections),
		cmocka_unit_test(test_restart_section_restarts_nobody),
		cmocka_unit_test(test_logging_restarts_everybody),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
