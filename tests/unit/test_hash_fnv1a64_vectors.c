/* FNV-1a 64, which the config fingerprints and non-numeric trade ids rely
 * on: the reference test vectors, and a hash built piece by piece equals
 * the one-shot hash wherever the input is split. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/hash.h"

static void test_reference_vectors(void **state)
{
	(void)state;
	/* From the FNV reference test suite. */
	assert_true(hash_fnv1a64("", 0) == 0xcbf29ce484222325ULL);
	assert_true(hash_fnv1a64("a", 1) == 0xaf63dc4c8601ec8cULL);
	assert_true(hash_fnv1a64("foobar", 6) == 0x85944171f73967e8ULL);
	assert_true(HASH_FNV1A64_INIT == 0xcbf29ce484222325ULL);
}

static void test_split_anywhere_equals_one_shot(void **state)
{
	(void)state;
	const char *s = "foobar";
	for (size_t cut = 0; cut <= strlen(s); cut++) {
		uint64_t h = hash_fnv1a64_update(HASH_FNV1A64_INIT, s, cut);
		h = hash_fnv1a64_update(h, s + cut, strlen(s) - cut);
		assert_true(h == 0x85944171f73967e8ULL);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference_vectors),
		cmocka_unit_test(test_split_anywhere_equals_one_shot),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
