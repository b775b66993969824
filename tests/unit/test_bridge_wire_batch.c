/* The bridge's batch message: what is encoded decodes to the same batch
 * (header with prev_seq, ticks byte for byte, each symbol id used listed
 * once with its name), its size is the documented layout's, and anything
 * cut, padded or forged is refused with -EBADMSG, never read past its end. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bridge/wire.h"

#define N 10

static const char *names[] = { "", "BTC-USDT", "ETH-USDT", "SOL-USDT" };

static const char *name_of(void *ctx, unsigned id)
{
	(void)ctx;
	return id < 4 ? names[id] : NULL;
}

static struct wire_encoder enc;
static unsigned char msg[WIRE_HEADER_BYTES + 4096 + N * 64];
static struct wire_symbols syms;

/* N ticks: symbols 1, 2, 1, 2, ... and one gap (symbol 0) at index 5. */
static size_t encode_sample(struct tick *t)
{
	memset(t, 0, N * sizeof(*t));
	for (int i = 0; i < N; i++) {
		t[i].symbol_id = (uint16_t)(i % 2 + 1);
		t[i].kind = TICK_QUOTE;
		t[i].ts_recv_ns = 1000 + i;
		t[i].u.quote.bid_px = 1.5 * i;
	}
	t[5].kind = TICK_GAP;
	t[5].symbol_id = 0;
	struct wire_batch b = { .first_seq = 4096, .prev_seq = 4000, .count = N, .ring_created_ns = 123456789,
				.exchange = "okx", .ticks = t };
	assert_true(sizeof(msg) >= wire_size_max(N, N));
	return wire_encode(&enc, &b, name_of, NULL, msg, sizeof(msg));
}

static void test_a_batch_decodes_to_what_was_encoded(void **state)
{
	(void)state;
	struct tick t[N];
	struct wire_batch b;
	char err[128];
	size_t len = encode_sample(t);

	/* 64-byte header, then (2 + 1 + 8) x 2 + (2 + 1 + 0) = 25 bytes of names padded to 32, then the ticks */
	assert_int_equal(len, 64 + 32 + N * 64);
	assert_int_equal(wire_decode(msg, len, &b, &syms, err, sizeof(err)), 0);
	assert_int_equal(b.first_seq, 4096);
	assert_int_equal(b.prev_seq, 4000);
	assert_int_equal(b.count, N);
	assert_int_equal(b.ring_created_ns, 123456789);
	assert_string_equal(b.exchange, "okx");
	assert_memory_equal(b.tick_bytes, t, sizeof(t));
	assert_int_equal(syms.count, 3);
	assert_int_equal(syms.ids[0], 1);
	assert_string_equal(syms.names[0], "BTC-USDT");
	assert_int_equal(syms.ids[1], 2);
	assert_string_equal(syms.names[1], "ETH-USDT");
	assert_int_equal(syms.ids[2], 0);
	assert_string_equal(syms.names[2], "");
}

static void test_every_batch_lists_its_own_symbols(void **state)
{
	(void)state;
	struct tick t[N];
	struct wire_batch b;
	char err[128];

	encode_sample(t); /* the encoder has seen 1, 2 and 0 ... */
	size_t len = encode_sample(t); /* ... and lists them again in the next batch */
	assert_int_equal(wire_decode(msg, len, &b, &syms, err, sizeof(err)), 0);
	assert_int_equal(syms.count, 3);
}

static void expect_refused(size_t len, const char *why)
{
	struct wire_batch b;
	char err[128] = "";
	/* a heap copy of exactly len bytes: reading past it is caught by ASan */
	unsigned char *copy = malloc(len ? len : 1);
	assert_non_null(copy);
	memcpy(copy, msg, len);
	assert_int_equal(wire_decode(copy, len, &b, &syms, err, sizeof(err)), -EBADMSG);
	assert_non_null(strstr(err, why));
	free(copy);
}

static void test_cut_or_forged_messages_are_refused(void **state)
{
	(void)state;
	struct tick t[N];
	size_t len = encode_sample(t);

	expect_refused(10, "shorter than");
	expect_refused(len - 1, "does not fit");
	msg[0] ^= 0xff;
	expect_refused(len, "not a spreadbus batch");
	msg[0] ^= 0xff;
	msg[4] = 9;
	expect_refused(len, "version 9");
	msg[4] = WIRE_VERSION;
	msg[16] = N + 1; /* count */
	expect_refused(len, "does not fit");
	msg[16] = N;
	msg[64 + 2] = 200; /* first name's length past the table */
	expect_refused(len, "overruns");
	msg[64 + 2] = 8;
	msg[56 + 2] = 1; /* prev_seq 4000 + 65536: after first_seq */
	expect_refused(len, "follows");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_batch_decodes_to_what_was_encoded),
		cmocka_unit_test(test_every_batch_lists_its_own_symbols),
		cmocka_unit_test(test_cut_or_forged_messages_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
