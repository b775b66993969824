/* The bus from a config: create makes every segment, registers ids in
 * config order and claims status blocks, or keeps what a previous
 * supervisor made and refuses what it did not; attach finds them or names
 * what is missing; unlink removes them all. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "shm/bus.h"
#include "shm/segment.h"

static void add_exchange(struct config *c, const char *name, int enabled, const char *s1, const char *s2)
{
	struct config_exchange *ex = &c->exchanges[c->exchange_count++];

	snprintf(ex->name, sizeof(ex->name), "%s", name);
	snprintf(ex->adapter, sizeof(ex->adapter), "%s", name);
	ex->enabled = enabled;
	snprintf(ex->symbols[ex->symbol_count++], CONFIG_NAME_MAX, "%s", s1);
	snprintf(ex->symbols[ex->symbol_count++], CONFIG_NAME_MAX, "%s", s2);
}

static int setup(void **state)
{
	struct config *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	snprintf(c->instance, sizeof(c->instance), "ut%d", (int)getpid());
	c->ring_capacity = 2048;
	c->shm_mode = 0600;
	add_exchange(c, "binance", 1, "BTC-USDT", "ETH-USDT");
	add_exchange(c, "bybit", 0, "SOL-USDT", "BTC-USDT");
	add_exchange(c, "okx", 1, "ETH-USDT", "XRP-USDT");
	bus_unlink(c);
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	bus_unlink(*state);
	free(*state);
	return 0;
}

static int shm_exists(const struct config *c, const char *what)
{
	char path[160];
	struct stat st;

	snprintf(path, sizeof(path), "/dev/shm/spreadbus.%s.%s", c->instance, what);
	return stat(path, &st) == 0;
}

static void test_create_attach_unlink(void **state)
{
	struct config *c = *state;
	struct bus sup, child;
	struct ring_reader *r = NULL;
	struct tick t, out;
	uint64_t first, lost;
	char err[256] = "";

	assert_int_equal(bus_create(&sup, c, err, sizeof(err)), 0);
	assert_int_equal(sup.ring_count, 2);
	assert_true(shm_exists(c, "binance"));
	assert_false(shm_exists(c, "bybit"));
	assert_true(shm_exists(c, "okx"));
	assert_true(shm_exists(c, "_status"));
	assert_true(shm_exists(c, "_registry"));
	/* Ids follow config order: every exchange, then every symbol. */
	assert_int_equal(registry_exchange_id(sup.registry, "binance"), 1);
	assert_int_equal(registry_exchange_id(sup.registry, "bybit"), 2);
	assert_int_equal(registry_exchange_id(sup.registry, "okx"), 3);
	assert_int_equal(registry_symbol_id(sup.registry, "BTC-USDT"), 1);
	assert_int_equal(registry_symbol_id(sup.registry, "ETH-USDT"), 2);
	assert_int_equal(registry_symbol_id(sup.registry, "SOL-USDT"), 3);
	assert_int_equal(registry_symbol_id(sup.registry, "XRP-USDT"), 4);
	assert_int_equal(status_table_find(sup.status, "binance")->role, ROLE_COLLECTOR);
	assert_null(status_table_find(sup.status, "bybit"));
	assert_int_equal(status_table_find(sup.status, "aggregator")->role, ROLE_AGGREGATOR);
	assert_int_equal(status_table_find(sup.status, "writer")->role, ROLE_WRITER);
	assert_string_equal(ring_label(bus_ring(&sup, "okx")), "okx");
	assert_int_equal(ring_capacity(bus_ring(&sup, "okx")), 2048);
	assert_null(bus_ring(&sup, "bybit"));

	assert_int_equal(bus_attach(&child, c, err, sizeof(err)), 0);
	assert_int_equal(child.ring_count, 2);
	assert_string_equal(child.ring_exchange[0], "binance");
	assert_string_equal(child.ring_exchange[1], "okx");
	memset(&t, 0, sizeof(t));
	t.update_id = 42;
	assert_int_equal(ring_reader_open(&r, bus_ring(&sup, "binance"), "writer"), 0);
	ring_publish(bus_ring(&child, "binance"), &t, 1);
	assert_int_equal(ring_reader_read(r, &out, 1, &first, &lost), 1);
	assert_int_equal(out.update_id, 42);
	ring_reader_close(r);
	bus_close(&child);

	/* A supervisor restart keeps what is there. */
	status_set(status_table_find(sup.status, "writer"), SM_ROWS_WRITTEN, 77);
	bus_close(&sup);
	assert_int_equal(bus_create(&sup, c, err, sizeof(err)), 0);
	assert_int_equal(ring_head(bus_ring(&sup, "binance")), 1);
	assert_int_equal(registry_symbol_count(sup.registry), 4);
	assert_int_equal(status_get(status_table_find(sup.status, "writer"), SM_ROWS_WRITTEN), 77);
	bus_close(&sup);

	assert_int_equal(bus_unlink(c), 0);
	assert_false(shm_exists(c, "binance"));
	assert_false(shm_exists(c, "okx"));
	assert_false(shm_exists(c, "_status"));
	assert_false(shm_exists(c, "_registry"));
	assert_int_equal(bus_unlink(c), 0);
}

static void test_attach_names_missing_segment(void **state)
{
	struct config *c = *state;
	struct bus b;
	char err[256] = "", seg[SEGMENT_NAME_MAX];

	assert_int_equal(bus_attach(&b, c, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "_registry"));
	assert_int_equal(bus_create(&b, c, err, sizeof(err)), 0);
	bus_close(&b);
	assert_int_equal(segment_name(seg, sizeof(seg), c->instance, "okx"), 0);
	assert_int_equal(segment_unlink(seg), 0);
	assert_int_equal(bus_attach(&b, c, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, seg));
	assert_int_equal(b.ring_count, 0);
	assert_null(b.registry);
}

static void test_capacity_change_is_refused(void **state)
{
	struct config *c = *state;
	struct bus b;
	char err[256] = "";

	assert_int_equal(bus_create(&b, c, err, sizeof(err)), 0);
	bus_close(&b);
	c->ring_capacity = 4096;
	assert_int_equal(bus_create(&b, c, err, sizeof(err)), -EPROTO);
	assert_non_null(strstr(err, "capacity 2048, expected 4096"));
	/* Children accept whatever capacity the ring has. */
	assert_int_equal(bus_attach(&b, c, err, sizeof(err)), 0);
	assert_int_equal(ring_capacity(b.rings[0]), 2048);
	bus_close(&b);
}

/* A segment of the bus's name that is not what the bus wants there (here a
 * ring where the status table goes) is refused, named, and left alone. */
static void test_foreign_segment_is_refused(void **state)
{
	struct config *c = *state;
	struct bus b;
	struct ring *foreign;
	char err[256] = "", seg[SEGMENT_NAME_MAX];

	assert_int_equal(segment_name(seg, sizeof(seg), c->instance, "_status"), 0);
	assert_int_equal(ring_create_or_attach(&foreign, seg, "x", 1024, 0600, err, sizeof(err)), 0);
	ring_close(foreign);
	assert_int_equal(bus_create(&b, c, err, sizeof(err)), -EPROTO);
	assert_non_null(strstr(err, "status table"));
	assert_non_null(strstr(err, seg));
	assert_non_null(strstr(err, "magic"));
	assert_int_equal(ring_attach(&foreign, seg, err, sizeof(err)), 0);
	ring_close(foreign);
}

static void test_invalid_instance_is_refused(void **state)
{
	struct config *c = *state;
	struct bus b;
	char err[256] = "";

	snprintf(c->instance, sizeof(c->instance), "a/b");
	assert_int_equal(bus_create(&b, c, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "a/b"));
	assert_int_equal(bus_unlink(c), -EINVAL);
	snprintf(c->instance, sizeof(c->instance), "ut%d", (int)getpid());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_attach_unlink, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attach_names_missing_segment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_capacity_change_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_segment_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_instance_is_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
