/* Per-instrument validation (collector/validate.h): tick and lot sizes
 * decided exactly, against an oracle in integer arithmetic on the decimal
 * text; each rule's reject reason; the jump rule's window and reference;
 * metadata handed over from another thread while ticks are checked. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "collector/pipeline.h"
#include "collector/validate.h"
#include "tests/unit/test_common_rng.h"

#define NOW_NS 1700000000000000000LL
#define MS 1000000LL

static void test_step_from_size(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int64_t units;
		int scale;
	} cases[] = {
		{ "0.01", 1, 2 },        { "0.00000001", 1, 8 }, { "0.0025", 25, 4 }, { "0.5", 5, 1 },
		{ "10", 10, 0 },         { "1", 1, 0 },          { "0.1", 1, 1 },     { "0.00001000", 1, 5 },
		{ "2.5e-7", 25, 8 },     { "0.000000000000001", 1, 15 },             { "123.45", 12345, 2 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct validate_step s;
		assert_int_equal(validate_step_from_size(strtod(cases[i].text, NULL), &s), 0);
		assert_int_equal(s.units, cases[i].units);
		assert_int_equal(s.scale, cases[i].scale);
	}
	const double bad[] = { 0, -0.01, NAN, INFINITY, 1e-16, 1e300 };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct validate_step s = { 7, 7 };
		assert_int_equal(validate_step_from_size(bad[i], &s), -EINVAL);
		assert_int_equal(s.units, 0);
	}
}

/* The decimal mant * 10^-dec as an exchange writes it ("0.00120" keeps
 * trailing zeros when pad says so). */
static void decimal_text(char *out, size_t len, uint64_t mant, int dec, int pad)
{
	char digits[48];
	int n = snprintf(digits, sizeof(digits), "%0*" PRIu64, dec + 1, mant);
	assert_true(n > 0 && (size_t)n < sizeof(digits));
	snprintf(out, len, "%.*s.%s%.*s", n - dec, digits, digits + n - dec, pad, "000000");
}

/* Oracle: is mant * 10^-dec a multiple of units * 10^-scale? In integers:
 * mant * 10^scale == k * units * 10^dec for some k. */
static bool oracle_multiple(uint64_t mant, int dec, int64_t units, int scale)
{
	unsigned __int128 a = mant, b = (unsigned __int128)units;
	for (int i = 0; i < scale; i++)
		a *= 10;
	for (int i = 0; i < dec; i++)
		b *= 10;
	return a % b == 0;
}

/* Oracle: is mant * 10^(scale - dec) at least 2^50? */
static bool oracle_too_big(uint64_t mant, int dec, int scale)
{
	unsigned __int128 a = mant, limit = (unsigned __int128)1 << 50;
	for (int i = 0; i < scale; i++)
		a *= 10;
	for (int i = 0; i < dec; i++)
		limit *= 10;
	return a >= limit;
}

/* Random prices and sizes of up to 15 significant digits, half of them
 * built on the step: validate_on_step agrees with the integer oracle on
 * every one. */
static void test_on_step_matches_integer_oracle(void **state)
{
	(void)state;
	uint64_t rng = 0x5eed0017;
	static const char *const steps[] = { "0.01", "0.1", "1", "10", "0.00000001", "0.0025", "0.5", "0.05", "0.00001",
					     "0.000001", "0.25", "5", "0.0001", "0.001", "0.02", "0.00005", "0.0000001" };
	size_t on = 0, off = 0;
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		struct validate_step s;
		assert_int_equal(validate_step_from_size(strtod(steps[i], NULL), &s), 0);
		for (int k = 0; k < 40000; k++) {
			int digits = 1 + (int)(test_rng_next(&rng) % 15);
			int dec = (int)(test_rng_next(&rng) % 13);
			uint64_t limit = 1;
			for (int d = 0; d < digits; d++)
				limit *= 10;
			uint64_t mant = 1 + test_rng_next(&rng) % (limit - 1);
			if (k % 2 == 0 && dec >= s.scale) {
				/* on the step: a multiple of units * 10^(dec - scale) */
				uint64_t unit = (uint64_t)s.units;
				for (int d = s.scale; d < dec && unit < limit; d++)
					unit *= 10;
				if (unit < limit)
					mant = (1 + test_rng_next(&rng) % ((limit - 1) / unit)) * unit;
			}
			char text[64];
			decimal_text(text, sizeof(text), mant, dec, (int)(test_rng_next(&rng) % 4));
			double v = strtod(text, NULL);
			/* x = v * 10^scale of 2^50 or more is not judged */
			bool want = oracle_multiple(mant, dec, s.units, s.scale) || oracle_too_big(mant, dec, s.scale);
			if (validate_on_step(v, &s) != want)
				fail_msg("%s on step %s: got %d, want %d", text, steps[i], !want, want);
			on += want;
			off += !want;
		}
	}
	/* both outcomes were tried many times */
	assert_true(on > 100000 && off > 100000);
}

/* Values that binary floating point gets wrong with fmod or a plain
 * division: each is on its step exactly. */
static void test_on_step_float_traps(void **state)
{
	(void)state;
	static const struct {
		const char *v, *step;
		bool on;
	} cases[] = {
		{ "0.3", "0.1", true },         { "0.7", "0.1", true },           { "4.35", "0.05", true },
		{ "1.1", "0.1", true },         { "65000.1", "0.1", true },       { "0.00000003", "0.00000001", true },
		{ "99999.99", "0.01", true },   { "0.29", "0.01", true },         { "123456789.12", "0.01", true },
		{ "0.0075", "0.0025", true },   { "0.0076", "0.0025", false },    { "65000.15", "0.1", false },
		{ "0.30000001", "0.1", false }, { "1.000000000000001", "1", false }, { "0.05", "0.1", false },
		{ "999999999999999", "1", true }, { "99999999999999.9", "0.1", true }, { "9999999999999.99", "0.02", false },
		{ "59060130605.675", "0.0025", true }, { "59060130605.676", "0.0025", false },
		{ "590601306056.82", "0.0025", true /* x = 5.9e15: not judged */ },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct validate_step s;
		assert_int_equal(validate_step_from_size(strtod(cases[i].step, NULL), &s), 0);
		if (validate_on_step(strtod(cases[i].v, NULL), &s) != cases[i].on)
			fail_msg("%s on step %s: want %d", cases[i].v, cases[i].step, cases[i].on);
	}
	/* 2^50 units and more: not judged */
	struct validate_step s;
	assert_int_equal(validate_step_from_size(0.00000001, &s), 0);
	assert_true(validate_on_step(123456789.123456789, &s));
	/* no rule */
	assert_true(validate_on_step(0.123456, &(struct validate_step){ 0, 0 }));
}

/* A symbol map, a pipeline and a validator over it, as the collector has. */
struct fx {
	struct symmap m;
	struct pipeline p;
};

static struct fx *make(double jump_pct)
{
	static const char *const syms[] = { "BTC-USDT", "ETH-USDT" };
	struct fx *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	assert_int_equal(symmap_init(&f->m, adapter_find("binance"), 8, false), 0);
	for (size_t i = 0; i < 2; i++)
		assert_int_equal(symmap_add(&f->m, syms[i], (uint16_t)(i + 1)), 0);
	pipeline_init(&f->p, adapter_find("binance"), &f->m, 3, 65536, 0);
	f->p.validate = validate_new(jump_pct);
	assert_non_null(f->p.validate);
	return f;
}

static void drop(struct fx *f)
{
	validate_free(f->p.validate);
	symmap_free(&f->m);
	free(f);
}

static void add_instrument(struct instrument_set *set, const char *canonical, double tick, double lot)
{
	struct instrument *in = instrument_set_add(set);
	assert_non_null(in);
	snprintf(in->canonical, sizeof(in->canonical), "%s", canonical);
	in->tick_size = tick;
	in->lot_size = lot;
}

/* BTC-USDT: tick 0.01, lot 0.00001 (Binance's); ETH-USDT not listed. */
static void offer_btc(struct validate *v)
{
	struct instrument_set set = { 0 };
	add_instrument(&set, "SOL-USDT", 0.01, 0.001);
	add_instrument(&set, "BTC-USDT", 0.01, 0.00001);
	assert_int_equal(validate_offer(v, &set), 0);
	instrument_set_free(&set);
}

static enum reject_reason frame(struct fx *f, int64_t now_ns, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	assert_int_equal(pipeline_frame(&f->p, buf, strlen(buf), false, now_ns), FRAME_DATA);
	assert_int_equal(f->p.out.n, 1);
	return (enum reject_reason)f->p.verdict[0];
}

static unsigned update_id = 100;
#define QUOTE(f, t, sym, b, bq, a, aq) \
	frame(f, t, "{\"u\":%u,\"s\":\"%s\",\"b\":\"%s\",\"B\":\"%s\",\"a\":\"%s\",\"A\":\"%s\"}", ++update_id, sym, b, bq, a, aq)
#define TRADE(f, t, sym, p, q) \
	frame(f, t, "{\"e\":\"trade\",\"E\":1,\"s\":\"%s\",\"t\":%u,\"p\":\"%s\",\"q\":\"%s\",\"T\":1,\"m\":true}", sym, ++update_id, p, q)

static void test_tick_and_lot_rules(void **state)
{
	(void)state;
	struct fx *f = make(0);
	/* no metadata yet: nothing is judged */
	assert_int_equal(QUOTE(f, NOW_NS, "BTCUSDT", "65000.123", "1", "65000.2", "1"), REJECT_NONE);
	assert_false(validate_poll(f->p.validate));
	offer_btc(f->p.validate);
	/* offered, not yet taken: still nothing judged */
	assert_int_equal(QUOTE(f, NOW_NS, "BTCUSDT", "65000.123", "1", "65000.2", "1"), REJECT_NONE);
	assert_true(validate_poll(f->p.validate));
	assert_false(validate_poll(f->p.validate));
	assert_int_equal(QUOTE(f, NOW_NS, "BTCUSDT", "65000.12", "0.00001", "65000.20000000", "1.50000000"), REJECT_NONE);
	assert_int_equal(QUOTE(f, NOW_NS, "BTCUSDT", "65000.123", "1", "65000.2", "1"), REJECT_OFF_TICK);
	assert_int_equal(QUOTE(f, NOW_NS, "BTCUSDT", "65000.1", "1", "65000.205", "1"), REJECT_OFF_TICK);
	assert_int_equal(QUOTE(f, NOW_NS, "BTCUSDT", "65000.1", "0.000001", "65000.2", "1"), REJECT_OFF_LOT);
	assert_int_equal(QUOTE(f, NOW_NS, "BTCUSDT", "65000.1", "1", "65000.2", "1.000005"), REJECT_OFF_LOT);
	/* a price off its tick is told first */
	assert_int_equal(QUOTE(f, NOW_NS, "BTCUSDT", "65000.001", "0.000001", "65000.2", "1"), REJECT_OFF_TICK);
	assert_int_equal(TRADE(f, NOW_NS, "BTCUSDT", "65000.01", "0.12345"), REJECT_NONE);
	assert_int_equal(TRADE(f, NOW_NS, "BTCUSDT", "65000.015", "0.12345"), REJECT_OFF_TICK);
	assert_int_equal(TRADE(f, NOW_NS, "BTCUSDT", "65000.01", "0.123456"), REJECT_OFF_LOT);
	/* a symbol the metadata does not list is not judged */
	assert_int_equal(QUOTE(f, NOW_NS, "ETHUSDT", "3000.123456", "0.1234567", "3000.2", "1"), REJECT_NONE);
	/* a rejected tick is not a duplicate of the next good one */
	assert_int_equal(QUOTE(f, NOW_NS, "BTCUSDT", "65000.1", "1", "65000.2", "1"), REJECT_NONE);
	drop(f);
}

/* New metadata (a coarser tick) applies to a symbol seen before. */
static void test_metadata_refresh(void **state)
{
	(void)state;
	struct fx *f = make(0);
	offer_btc(f->p.validate);
	validate_poll(f->p.validate);
	assert_int_equal(QUOTE(f, NOW_NS, "BTCUSDT", "65000.1", "1", "65000.2", "1"), REJECT_NONE);
	struct instrument_set set = { 0 };
	add_instrument(&set, "BTC-USDT", 0.5, 0.00001);
	add_instrument(&set, "ETH-USDT", 0.01, 0.0001);
	assert_int_equal(validate_offer(f->p.validate, &set), 0);
	/* a second offer before the loop took the first: the newest wins */
	set.items[0].tick_size = 0.25;
	assert_int_equal(validate_offer(f->p.validate, &set), 0);
	instrument_set_free(&set);
	assert_true(validate_poll(f->p.validate));
	assert_int_equal(QUOTE(f, NOW_NS, "BTCUSDT", "65000.5", "1", "65000.75", "1"), REJECT_NONE);
	assert_int_equal(QUOTE(f, NOW_NS, "BTCUSDT", "65000.5", "1", "65000.8", "1"), REJECT_OFF_TICK);
	assert_int_equal(QUOTE(f, NOW_NS, "ETHUSDT", "3000.12", "0.12345", "3000.2", "1"), REJECT_OFF_LOT);
	drop(f);
}

static void test_price_jump(void **state)
{
	(void)state;
	struct fx *f = make(5);
	/* the jump rule needs no metadata */
	assert_int_equal(QUOTE(f, NOW_NS, "BTCUSDT", "99", "1", "101", "1"), REJECT_NONE); /* mid 100 */
	/* exactly 5% is within the limit */
	assert_int_equal(QUOTE(f, NOW_NS + 100 * MS, "BTCUSDT", "104", "1", "106", "1"), REJECT_NONE); /* 105 */
	assert_int_equal(QUOTE(f, NOW_NS + 200 * MS, "BTCUSDT", "110.5", "1", "112.5", "1"), REJECT_PRICE_JUMP); /* +6.2% */
	/* the rejected quote never became the reference: -4.3% from 105
	 * passes, though it is -9.9% from the rejected 111.5 */
	assert_int_equal(QUOTE(f, NOW_NS + 300 * MS, "BTCUSDT", "99.5", "1", "101.5", "1"), REJECT_NONE); /* 100.5 */
	assert_int_equal(QUOTE(f, NOW_NS + 300 * MS, "BTCUSDT", "94", "1", "96", "1"), REJECT_PRICE_JUMP); /* -5.5% */
	/* another symbol has its own reference */
	assert_int_equal(QUOTE(f, NOW_NS + 300 * MS, "ETHUSDT", "3000", "1", "3001", "1"), REJECT_NONE);
	/* trades are not judged by it */
	assert_int_equal(TRADE(f, NOW_NS + 300 * MS, "BTCUSDT", "200", "1"), REJECT_NONE);
	/* within one second of the last accepted mid (100.5 at +300 ms) ... */
	assert_int_equal(QUOTE(f, NOW_NS + 1300 * MS, "BTCUSDT", "109", "1", "111", "1"), REJECT_PRICE_JUMP);
	/* ... and not after it: a new level is taken */
	assert_int_equal(QUOTE(f, NOW_NS + 1301 * MS, "BTCUSDT", "109", "1", "111", "1"), REJECT_NONE); /* 110 */
	assert_int_equal(QUOTE(f, NOW_NS + 1400 * MS, "BTCUSDT", "112", "1", "114", "1"), REJECT_NONE); /* +2.7% */
	drop(f);

	/* 0 = off */
	f = make(0);
	assert_int_equal(QUOTE(f, NOW_NS, "BTCUSDT", "99", "1", "101", "1"), REJECT_NONE);
	assert_int_equal(QUOTE(f, NOW_NS + MS, "BTCUSDT", "990", "1", "1010", "1"), REJECT_NONE);
	drop(f);
}

/* Rejections counted per reason by the pipeline's caller see the same
 * verdicts as the reasons' names say. */
static void test_reason_names(void **state)
{
	(void)state;
	assert_string_equal(adapter_reject_reason_name(REJECT_OFF_TICK), "off_tick");
	assert_string_equal(adapter_reject_reason_name(REJECT_OFF_LOT), "off_lot");
	assert_string_equal(adapter_reject_reason_name(REJECT_PRICE_JUMP), "price_jump");
}

/* The discovery thread offers snapshots (ticks 0.01 and 0.5 in turn)
 * while the loop polls and checks: every verdict matches one of the two
 * snapshots, and under ASan nothing is used after it was freed. */
struct offerer {
	struct validate *v;
	int rounds;
};

static void *offer_loop(void *arg)
{
	struct offerer *o = arg;
	struct instrument_set set = { 0 };
	for (int i = 0; i < 40; i++)
		add_instrument(&set, i == 17 ? "BTC-USDT" : "ZZZ-USDT", 0.01, 0.00001);
	for (int i = 0; i < o->rounds; i++) {
		for (size_t k = 0; k < set.count; k++)
			set.items[k].tick_size = i % 2 ? 0.5 : 0.01;
		assert_int_equal(validate_offer(o->v, &set), 0);
	}
	instrument_set_free(&set);
	return NULL;
}

static void test_handover_between_threads(void **state)
{
	(void)state;
	struct fx *f = make(0);
	struct offerer o = { f->p.validate, 20000 };
	pthread_t th;
	unsigned installs = 0, coarse = 0;
	assert_int_equal(pthread_create(&th, NULL, offer_loop, &o), 0);
	for (int i = 0; i < 200000; i++) {
		installs += validate_poll(f->p.validate);
		/* on 0.5 and 0.01: always good; on 0.01 only: rejected under 0.5 */
		assert_int_equal(QUOTE(f, NOW_NS, "BTCUSDT", "65000.5", "1", "65001", "1"), REJECT_NONE);
		enum reject_reason r = QUOTE(f, NOW_NS, "BTCUSDT", "65000.01", "1", "65001", "1");
		assert_true(r == REJECT_NONE || r == REJECT_OFF_TICK);
		coarse += r == REJECT_OFF_TICK;
	}
	pthread_join(th, NULL);
	installs += validate_poll(f->p.validate);
	assert_true(installs >= 1);
	/* the last offer (0.5) is the one in force */
	assert_int_equal(QUOTE(f, NOW_NS, "BTCUSDT", "65000.01", "1", "65001", "1"), REJECT_OFF_TICK);
	print_message("%u installs, %u quotes checked under the 0.5 tick\n", installs, coarse);
	drop(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_step_from_size),
		cmocka_unit_test(test_on_step_matches_integer_oracle),
		cmocka_unit_test(test_on_step_float_traps),
		cmocka_unit_test(test_tick_and_lot_rules),
		cmocka_unit_test(test_metadata_refresh),
		cmocka_unit_test(test_price_jump),
		cmocka_unit_test(test_reason_names),
		cmocka_unit_test(test_handover_between_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
