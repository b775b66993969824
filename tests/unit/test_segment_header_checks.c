/* Segments: create-or-attach, attach, unlink; an existing segment is kept
 * as it is, never initialised again; a header that differs in magic,
 * version, record size or capacity is refused with a message naming it. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "shm/segment.h"

static char seg_name[64];

static const struct segment_spec base_spec = {
	.magic = 0x1122334455667788ULL,
	.layout_version = 1,
	.record_size = 64,
	.capacity = 16,
	.total_size = 64 + 16 * 64,
	.label = "unit",
	.kind = "ring",
};

static int setup(void **state)
{
	struct segment *seg = test_malloc(sizeof(*seg));

	snprintf(seg_name, sizeof(seg_name), "/spreadbus.ut%d.seg", (int)getpid());
	segment_unlink(seg_name);
	assert_int_equal(segment_create_or_attach(seg, seg_name, &base_spec, 0640, NULL, 0), 0);
	*state = seg;
	return 0;
}

static int teardown(void **state)
{
	segment_detach(*state);
	test_free(*state);
	segment_unlink(seg_name);
	return 0;
}

static void test_created_segment_has_header_and_mode(void **state)
{
	struct segment *seg = *state;
	const struct segment_header *h = seg->base;
	char path[128];
	struct stat st;

	assert_int_equal(h->magic, base_spec.magic);
	assert_int_equal(h->layout_version, 1);
	assert_int_equal(h->record_size, 64);
	assert_int_equal(h->capacity, 16);
	assert_int_equal(h->total_size, base_spec.total_size);
	assert_string_equal(h->label, "unit");
	assert_true(h->created_ns > 0);
	assert_int_equal(seg->size, base_spec.total_size);
	snprintf(path, sizeof(path), "/dev/shm%s", seg_name);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
}

static int init_calls;

static void count_init(void *base, const struct segment_spec *spec)
{
	(void)base;
	(void)spec;
	init_calls++;
}

static void test_existing_segment_is_attached_not_reinitialised(void **state)
{
	struct segment *seg = *state;
	struct segment_spec s = base_spec;
	struct segment again;
	char err[256] = "", path[128];
	struct stat st;

	s.init = count_init;
	((unsigned char *)seg->base)[64] = 0x5a;
	int64_t created_ns = ((const struct segment_header *)seg->base)->created_ns;
	init_calls = 0;
	assert_int_equal(segment_create_or_attach(&again, seg_name, &s, 0600, err, sizeof(err)), 0);
	assert_int_equal(init_calls, 0);
	assert_int_equal(again.size, base_spec.total_size);
	assert_int_equal(((unsigned char *)again.base)[64], 0x5a);
	assert_int_equal(((const struct segment_header *)again.base)->created_ns, created_ns);
	snprintf(path, sizeof(path), "/dev/shm%s", seg_name);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640); /* the creator's mode stays */
	segment_detach(&again);
}

static void test_existing_segment_with_other_header_is_refused(void **state)
{
	struct segment_spec s = base_spec;
	struct segment a;
	char err[256] = "";

	(void)state;
	s.capacity = 32;
	s.total_size = 64 + 32 * 64;
	assert_int_equal(segment_create_or_attach(&a, seg_name, &s, 0600, err, sizeof(err)), -EPROTO);
	assert_null(a.base);
	assert_non_null(strstr(err, "capacity 16, expected 32"));
	assert_non_null(strstr(err, seg_name));
	/* left as it was */
	assert_int_equal(segment_attach(&a, seg_name, &base_spec, err, sizeof(err)), 0);
	segment_detach(&a);
}

static void test_mode_holds_whatever_the_umask(void **state)
{
	struct segment a;
	char name[80], path[128];
	struct stat st;

	(void)state;
	snprintf(name, sizeof(name), "%s-mode", seg_name);
	segment_unlink(name);
	mode_t old = umask(077);
	int rc = segment_create_or_attach(&a, name, &base_spec, 0644, NULL, 0);
	umask(old);
	assert_int_equal(rc, 0);
	snprintf(path, sizeof(path), "/dev/shm%s", name);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	segment_detach(&a);
	assert_int_equal(segment_unlink(name), 0);
}

static void test_attach_accepts_matching_header(void **state)
{
	struct segment a;
	struct segment_spec any = base_spec;
	char err[256] = "";

	(void)state;
	assert_int_equal(segment_attach(&a, seg_name, &base_spec, err, sizeof(err)), 0);
	assert_int_equal(a.size, base_spec.total_size);
	segment_detach(&a);
	any.capacity = 0;
	any.total_size = 0;
	assert_int_equal(segment_attach(&a, seg_name, &any, err, sizeof(err)), 0);
	segment_detach(&a);
}

static void expect_refused(const struct segment_spec *spec, const char *what)
{
	struct segment a;
	char err[256] = "";

	assert_int_equal(segment_attach(&a, seg_name, spec, err, sizeof(err)), -EPROTO);
	assert_null(a.base);
	assert_non_null(strstr(err, what));
	assert_non_null(strstr(err, seg_name));
	assert_non_null(strstr(err, "ring "));
}

static void test_attach_refuses_wrong_magic(void **state)
{
	struct segment_spec s = base_spec;

	(void)state;
	s.magic = 42;
	expect_refused(&s, "magic");
}

static void test_attach_refuses_wrong_version(void **state)
{
	struct segment_spec s = base_spec;
	struct segment a;

	(void)state;
	s.layout_version = 2;
	expect_refused(&s, "layout version 1, expected 2");
	/* err may be NULL. */
	assert_int_equal(segment_attach(&a, seg_name, &s, NULL, 0), -EPROTO);
}

static void test_attach_refuses_wrong_record_size(void **state)
{
	struct segment_spec s = base_spec;

	(void)state;
	s.record_size = 32;
	expect_refused(&s, "record size 64, expected 32");
}

static void test_attach_refuses_wrong_capacity(void **state)
{
	struct segment_spec s = base_spec;

	(void)state;
	s.capacity = 32;
	expect_refused(&s, "capacity 16, expected 32");
}

static void test_attach_refuses_truncated_segment(void **state)
{
	struct segment_spec any = base_spec;
	struct segment a;
	char err[256] = "";
	char path[128];

	(void)state;
	snprintf(path, sizeof(path), "/dev/shm%s", seg_name);
	assert_int_equal(truncate(path, 128), 0);
	any.capacity = 0;
	any.total_size = 0;
	assert_int_equal(segment_attach(&a, seg_name, &any, err, sizeof(err)), -EPROTO);
	assert_non_null(strstr(err, "the segment has 128"));
	assert_int_equal(truncate(path, 10), 0);
	assert_int_equal(segment_attach(&a, seg_name, &any, err, sizeof(err)), -EPROTO);
	assert_non_null(strstr(err, "smaller than a segment header"));
}

static void test_attach_missing_names_it(void **state)
{
	struct segment a;
	char err[256] = "";

	(void)state;
	assert_int_equal(segment_unlink(seg_name), 0);
	assert_int_equal(segment_unlink(seg_name), -ENOENT);
	assert_int_equal(segment_attach(&a, seg_name, &base_spec, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, seg_name));
	assert_non_null(strstr(err, "does not exist"));
}

static uint64_t magic_seen_by_init = 1;

static void init_records(void *base, const struct segment_spec *spec)
{
	const struct segment_header *h = base;

	magic_seen_by_init = h->magic;
	memset((char *)base + 64, 0xab, spec->total_size - 64);
}

static void test_init_runs_before_the_magic(void **state)
{
	struct segment_spec s = base_spec;
	struct segment a;
	char name[80];

	(void)state;
	snprintf(name, sizeof(name), "%s-init", seg_name);
	segment_unlink(name);
	s.init = init_records;
	assert_int_equal(segment_create_or_attach(&a, name, &s, 0600, NULL, 0), 0);
	assert_int_equal(magic_seen_by_init, 0);
	assert_int_equal(((unsigned char *)a.base)[64], 0xab);
	assert_int_equal(((unsigned char *)a.base)[a.size - 1], 0xab);
	assert_int_equal(((struct segment_header *)a.base)->magic, base_spec.magic);
	segment_detach(&a);
	assert_int_equal(segment_unlink(name), 0);
}

static void test_names_are_validated(void **state)
{
	char out[SEGMENT_NAME_MAX];
	char longname[200];
	struct segment a;

	(void)state;
	assert_int_equal(segment_name(out, sizeof(out), "prod", "binance"), 0);
	assert_string_equal(out, "/spreadbus.prod.binance");
	assert_int_equal(segment_name(out, sizeof(out), "t-1", "_status"), 0);
	assert_string_equal(out, "/spreadbus.t-1._status");
	assert_int_equal(segment_name(out, sizeof(out), "a/b", "x"), -EINVAL);
	assert_int_equal(segment_name(out, sizeof(out), "a.b", "x"), -EINVAL);
	assert_int_equal(segment_name(out, sizeof(out), "", "x"), -EINVAL);
	assert_int_equal(segment_name(out, sizeof(out), "a", ""), -EINVAL);
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(segment_name(out, sizeof(out), longname, "x"), -ENAMETOOLONG);
	assert_int_equal(segment_name(out, 10, "abc", "defgh"), -ENAMETOOLONG);
	char err[256] = "";
	struct segment_spec tiny = base_spec;
	assert_int_equal(segment_create_or_attach(&a, "no-slash", &base_spec, 0600, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "'no-slash' is not a valid shared-memory name"));
	assert_int_equal(segment_create_or_attach(&a, "/a/b", &base_spec, 0600, NULL, 0), -EINVAL);
	tiny.total_size = 10;
	assert_int_equal(segment_create_or_attach(&a, "/spreadbus.ut.tiny", &tiny, 0600, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "cannot hold a segment header"));
	assert_int_equal(segment_unlink("/a/b"), -EINVAL);
	assert_int_equal(segment_attach(&a, "/a/b", &base_spec, NULL, 0), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_created_segment_has_header_and_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_existing_segment_is_attached_not_reinitialised, setup, teardown),
		cmocka_unit_test_setup_teardown(test_existing_segment_with_other_header_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mode_holds_whatever_the_umask, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attach_accepts_matching_header, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attach_refuses_wrong_magic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attach_refuses_wrong_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attach_refuses_wrong_record_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attach_refuses_wrong_capacity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attach_refuses_truncated_segment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attach_missing_names_it, setup, teardown),
		cmocka_unit_test_setup_teardown(test_names_are_validated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_init_runs_before_the_magic, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
