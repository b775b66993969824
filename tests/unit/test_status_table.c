/* Status table: claim and find by name, child-side updates seen through a
 * second mapping, metric names fit Prometheus conventions. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "shm/segment.h"
#include "shm/status.h"

static char table_name[64];

static int setup(void **state)
{
	struct status_table *t = NULL;
	char err[256] = "";

	snprintf(table_name, sizeof(table_name), "/spreadbus.ut%d._status", (int)getpid());
	segment_unlink(table_name);
	assert_int_equal(status_table_create_or_attach(&t, table_name, 0600, err, sizeof(err)), 0);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	status_table_close(*state);
	segment_unlink(table_name);
	return 0;
}

static void test_claim_and_find(void **state)
{
	struct status_table *t = *state, *again = NULL;
	struct status_block *a, *w;
	char err[256] = "";

	assert_null(status_table_find(t, "binance"));
	a = status_table_claim(t, "binance", ROLE_COLLECTOR);
	w = status_table_claim(t, "writer", ROLE_WRITER);
	assert_non_null(a);
	assert_non_null(w);
	assert_ptr_not_equal(a, w);
	assert_int_equal((uintptr_t)a % 64, 0);
	assert_int_equal((uintptr_t)w % 64, 0);
	assert_ptr_equal(status_table_claim(t, "binance", ROLE_COLLECTOR), a);
	assert_ptr_equal(status_table_find(t, "writer"), w);
	assert_string_equal(a->name, "binance");
	assert_int_equal(a->role, ROLE_COLLECTOR);
	assert_null(status_table_find(t, ""));
	assert_null(status_table_claim(t, "", ROLE_WRITER));

	/* A child's view: another mapping, via create_or_attach and attach. */
	assert_int_equal(status_table_create_or_attach(&again, table_name, 0600, err, sizeof(err)), 0);
	assert_non_null(status_table_find(again, "binance"));
	status_table_close(again);
	assert_int_equal(status_table_attach(&again, table_name, err, sizeof(err)), 0);
	a = status_table_find(again, "binance");
	assert_non_null(a);
	assert_int_equal(a->role, ROLE_COLLECTOR);
	status_heartbeat(a, 123456789);
	status_set_state(a, CHILD_RUNNING);
	status_add(a, SM_MESSAGES, 3);
	status_add(a, SM_MESSAGES, 4);
	status_set(a, SM_HEALTH_SCORE, 90);
	status_set_conn(a, 2, CONN_STREAMING, 555);
	status_set_conn(a, STATUS_MAX_CONNS, CONN_STREAMING, 555);
	status_set_detail(a, "connect failed: ECONNREFUSED");
	status_table_close(again);

	a = status_table_find(t, "binance");
	assert_int_equal(a->heartbeat_ns, 123456789);
	assert_int_equal(a->state, CHILD_RUNNING);
	assert_int_equal(status_get(a, SM_MESSAGES), 7);
	assert_int_equal(status_get(a, SM_HEALTH_SCORE), 90);
	assert_int_equal(status_get(a, SM_COUNT), 0);
	assert_int_equal(a->conn_count, 3);
	assert_int_equal(a->conns[2].state, CONN_STREAMING);
	assert_int_equal(a->conns[2].since_ns, 555);
	assert_string_equal(a->detail, "connect failed: ECONNREFUSED");
	status_set_detail(a, "ok");
	assert_string_equal(a->detail, "ok");
}

static void test_table_fills_up(void **state)
{
	struct status_table *t = *state;
	char name[STATUS_NAME_MAX + 4];
	unsigned i;

	for (i = 0; i < STATUS_MAX_CHILDREN; i++) {
		snprintf(name, sizeof(name), "child%u", i);
		assert_non_null(status_table_claim(t, name, ROLE_COLLECTOR));
	}
	assert_null(status_table_claim(t, "one-more", ROLE_COLLECTOR));
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	assert_null(status_table_claim(t, name, ROLE_COLLECTOR));
}

static void test_blocks_can_be_listed(void **state)
{
	struct status_table *t = *state;
	struct status_block *b;
	unsigned i, named = 0;

	assert_non_null(status_table_claim(t, "aggregator", ROLE_AGGREGATOR));
	assert_non_null(status_table_claim(t, "okx", ROLE_COLLECTOR));
	for (i = 0; (b = status_table_at(t, i)) != NULL; i++)
		if (b->name[0])
			named++;
	assert_int_equal(i, STATUS_MAX_CHILDREN);
	assert_int_equal(named, 2);
	assert_ptr_equal(status_table_at(t, 0), status_table_find(t, "aggregator"));
	assert_null(status_table_at(t, STATUS_MAX_CHILDREN));
}

static void test_names_of_roles_and_states(void **state)
{
	(void)state;
	assert_string_equal(status_role_name(ROLE_COLLECTOR), "collector");
	assert_string_equal(status_role_name(ROLE_AGGREGATOR), "aggregator");
	assert_string_equal(status_role_name(ROLE_WRITER), "writer");
	assert_string_equal(status_role_name(0), "unknown");
	assert_string_equal(status_child_state_name(CHILD_STARTING), "starting");
	assert_string_equal(status_child_state_name(CHILD_RUNNING), "running");
	assert_string_equal(status_child_state_name(CHILD_DEGRADED), "degraded");
	assert_string_equal(status_child_state_name(CHILD_STOPPING), "stopping");
	assert_string_equal(status_child_state_name(CHILD_EXITED), "exited");
	assert_string_equal(status_child_state_name(99), "unknown");
	assert_string_equal(status_conn_state_name(CONN_IDLE), "idle");
	assert_string_equal(status_conn_state_name(CONN_CONNECTING), "connecting");
	assert_string_equal(status_conn_state_name(CONN_SUBSCRIBING), "subscribing");
	assert_string_equal(status_conn_state_name(CONN_STREAMING), "streaming");
	assert_string_equal(status_conn_state_name(CONN_BACKOFF), "backoff");
	assert_string_equal(status_conn_state_name(7), "unknown");
}

static void test_attach_missing_is_refused(void **state)
{
	struct status_table *t = NULL;
	char err[256] = "", other[80];

	(void)state;
	snprintf(other, sizeof(other), "%s-none", table_name);
	assert_int_equal(status_table_attach(&t, other, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "status table"));
	assert_non_null(strstr(err, other));
}

static void test_every_metric_has_a_prometheus_name(void **state)
{
	unsigned m, k;

	(void)state;
	for (m = 0; m < SM_COUNT; m++) {
		const struct status_metric_info *mi = status_metric_info((enum status_metric)m);
		size_t len;

		assert_non_null(mi);
		assert_non_null(mi->name);
		assert_non_null(mi->help);
		assert_true(strlen(mi->help) > 10);
		assert_true(mi->scale > 0);
		len = strlen(mi->name);
		assert_true(len > 0);
		assert_true(strspn(mi->name, "abcdefghijklmnopqrstuvwxyz_") == len);
		if (mi->type == SMT_COUNTER)
			assert_true(len > 6 && strcmp(mi->name + len - 6, "_total") == 0);
		else
			assert_false(len > 6 && strcmp(mi->name + len - 6, "_total") == 0);
		for (k = 0; k < m; k++)
			assert_string_not_equal(status_metric_info((enum status_metric)k)->name, mi->name);
	}
	assert_null(status_metric_info(SM_COUNT));
	assert_true(status_metric_info(SM_LAST_MESSAGE_NS)->scale < 1e-8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_claim_and_find, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table_fills_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attach_missing_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blocks_can_be_listed, setup, teardown),
		cmocka_unit_test(test_names_of_roles_and_states),
		cmocka_unit_test(test_every_metric_has_a_prometheus_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
