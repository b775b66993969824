/* Ring segments: a ring with another capacity, record size, layout version
 * or magic is refused with a message naming the segment; bad capacities and
 * names are refused. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "shm/ring.h"

static char ring_name[64];

static int setup(void **state)
{
	(void)state;
	snprintf(ring_name, sizeof(ring_name), "/spreadbus.ut%d.binance", (int)getpid());
	segment_unlink(ring_name);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	segment_unlink(ring_name);
	return 0;
}

/* Rewrites a header field of the segment as another program version would. */
static void poke_header(size_t offset, const void *value, size_t len)
{
	int fd = shm_open(ring_name, O_RDWR, 0);
	void *p;

	assert_true(fd >= 0);
	p = mmap(NULL, 64, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	assert_true(p != MAP_FAILED);
	memcpy((char *)p + offset, value, len);
	munmap(p, 64);
	close(fd);
}

static void test_create_then_attach_same_capacity_keeps_data(void **state)
{
	struct ring *a = NULL, *b = NULL;
	struct tick t;
	char err[256] = "";

	(void)state;
	memset(&t, 0, sizeof(t));
	assert_int_equal(ring_create_or_attach(&a, ring_name, "binance", 4096, 0600, err, sizeof(err)), 0);
	ring_publish(a, &t, 1);
	ring_publish(a, &t, 1);
	assert_int_equal(ring_create_or_attach(&b, ring_name, "binance", 4096, 0600, err, sizeof(err)), 0);
	assert_int_equal(ring_head(b), 2);
	/* A producer taking over continues after what is there. */
	assert_int_equal(ring_producer_open(b), 2);
	ring_close(a);
	ring_close(b);
}

static void test_create_with_other_capacity_is_refused(void **state)
{
	struct ring *a = NULL, *b = NULL;
	char err[256] = "";

	(void)state;
	assert_int_equal(ring_create_or_attach(&a, ring_name, "binance", 4096, 0600, err, sizeof(err)), 0);
	assert_int_equal(ring_create_or_attach(&b, ring_name, "binance", 8192, 0600, err, sizeof(err)), -EPROTO);
	assert_non_null(strstr(err, "capacity 4096, expected 8192"));
	assert_non_null(strstr(err, ring_name));
	ring_close(a);
}

static void test_attach_refuses_other_version(void **state)
{
	struct ring *a = NULL, *b = NULL;
	uint32_t v = RING_LAYOUT_VERSION + 1;
	char err[256] = "", want[160];

	(void)state;
	assert_int_equal(ring_create_or_attach(&a, ring_name, "binance", 1024, 0600, err, sizeof(err)), 0);
	poke_header(8, &v, sizeof(v));
	assert_int_equal(ring_attach(&b, ring_name, err, sizeof(err)), -EPROTO);
	snprintf(want, sizeof(want), "ring %s: layout version %u, expected %u", ring_name, v, RING_LAYOUT_VERSION);
	assert_string_equal(err, want);
	ring_close(a);
}

static void test_attach_refuses_other_magic_and_record_size(void **state)
{
	struct ring *a = NULL, *b = NULL;
	uint64_t magic = 0x5441545342445053ULL;
	uint32_t rs = 128;
	char err[256] = "";

	(void)state;
	assert_int_equal(ring_create_or_attach(&a, ring_name, "binance", 1024, 0600, err, sizeof(err)), 0);
	poke_header(12, &rs, sizeof(rs));
	assert_int_equal(ring_attach(&b, ring_name, err, sizeof(err)), -EPROTO);
	assert_non_null(strstr(err, "record size 128, expected 64"));
	poke_header(0, &magic, sizeof(magic));
	assert_int_equal(ring_attach(&b, ring_name, err, sizeof(err)), -EPROTO);
	assert_non_null(strstr(err, "magic"));
	ring_close(a);
}

static void test_attach_refuses_inconsistent_capacity(void **state)
{
	struct ring *a = NULL, *b = NULL;
	uint64_t cap = 2048;
	char err[256] = "";

	(void)state;
	assert_int_equal(ring_create_or_attach(&a, ring_name, "binance", 1024, 0600, err, sizeof(err)), 0);
	poke_header(16, &cap, sizeof(cap));
	assert_int_equal(ring_attach(&b, ring_name, err, sizeof(err)), -EPROTO);
	assert_non_null(strstr(err, "not a valid ring"));
	ring_close(a);
}

static void test_missing_and_bad_capacity(void **state)
{
	struct ring *a = NULL;
	char err[256] = "";

	(void)state;
	assert_int_equal(ring_attach(&a, ring_name, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, ring_name));
	assert_int_equal(ring_create_or_attach(&a, ring_name, "x", 1000, 0600, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "power of two"));
	assert_int_equal(ring_create_or_attach(&a, ring_name, "x", 512, 0600, err, sizeof(err)), -EINVAL);
	assert_int_equal(ring_attach(&a, ring_name, err, sizeof(err)), -ENOENT);
}

/* The supervisor's create-or-attach over an existing ring of another record
 * size (a derived ring's layout changed) refuses it and leaves it alone. */
static void test_create_over_other_record_size_is_refused(void **state)
{
	struct ring *a = NULL, *b = NULL;
	char err[256] = "";

	(void)state;
	assert_int_equal(ring_create_or_attach_records(&a, ring_name, "x", 1024, 128, 0600, err, sizeof(err)), 0);
	assert_int_equal(ring_create_or_attach(&b, ring_name, "x", 1024, 0600, err, sizeof(err)), -EPROTO);
	assert_null(b);
	assert_non_null(strstr(err, "record size 128, expected 64"));
	assert_non_null(strstr(err, ring_name));
	assert_int_equal(ring_attach_records(&b, ring_name, 128, err, sizeof(err)), 0);
	assert_int_equal(ring_record_size(b), 128);
	ring_close(b);
	ring_close(a);
	assert_int_equal(ring_create_or_attach(&a, "/no/slash", "x", 1024, 0600, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "'/no/slash' is not a valid shared-memory name"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_then_attach_same_capacity_keeps_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_with_other_capacity_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attach_refuses_other_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attach_refuses_other_magic_and_record_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attach_refuses_inconsistent_capacity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_and_bad_capacity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_over_other_record_size_is_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
