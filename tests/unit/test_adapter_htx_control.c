/* htx control frames: HTX's documented ping, subscribe answer and error
 * (no HTX capture is in tests/fixtures; provenance in docs/collector.md),
 * the pong text each ping asks for, and the gzip framing every HTX frame
 * has: a member inflates into the frame, anything else is refused. */
#include <libdeflate.h>

#include "tests/unit/adapter_control.h"

static void test_documented_control_frames(void **state)
{
	(void)state;
	static const struct control_case cases[] = {
		/* the pong repeats the ping's number as sent */
		CONTROL_TEXT("{\"ping\":18212558000}", CONTROL_REPLY, "{\"pong\":18212558000}"),
		CONTROL_TEXT("{\"ping\":1492420473027}", CONTROL_REPLY, "{\"pong\":1492420473027}"),
		CONTROL_TEXT("{\"id\":\"id1\",\"status\":\"ok\",\"subbed\":\"market.btcusdt.bbo\",\"ts\":1489474081631}",
			     CONTROL_SUBSCRIBED, NULL),
		CONTROL_TEXT("{\"id\":\"id1\",\"status\":\"ok\",\"unsubbed\":\"market.btcusdt.bbo\",\"ts\":1494326028889}",
			     CONTROL_NOTICE, "unsubbed"),
		CONTROL_TEXT("{\"ts\":1492420473027,\"status\":\"error\",\"err-code\":\"bad-request\",\"err-msg\":\"invalid ping\"}",
			     CONTROL_ERROR, "invalid ping"),
		CONTROL_TEXT("{\"id\":\"id2\",\"status\":\"error\",\"err-code\":\"bad-request\","
			     "\"err-msg\":\"invalid topic market.nope.bbo\",\"ts\":1494301904959}",
			     CONTROL_ERROR, "invalid topic market.nope.bbo"),
		CONTROL_TEXT("{\"ch\":\"market.btcusdt.detail\",\"ts\":1630998026649,\"tick\":{\"id\":273956868110,\"low\":51000}}",
			     CONTROL_UNSUPPORTED, "market.btcusdt.detail"),
		REJECT_TEXT("{\"ping\":\"1492420473027\"}", REJECT_NON_NUMERIC),
		REJECT_TEXT("{\"ch\":\"market.btcusdt.bbo\",\"ts\":1489474082831}", REJECT_MISSING_FIELD),
		REJECT_TEXT("{\"ch\":\"market.btcusdt.bbo\",\"ts\":1,\"tick\":{\"quoteTime\":1489474082811,\"bid\":1,\"bidSize\":1,"
			    "\"ask\":2,\"askSize\":1}}",
			    REJECT_MISSING_FIELD),
		REJECT_TEXT("{\"ch\":\"market.btcusdt.trade.detail\",\"ts\":1,\"tick\":{\"id\":1,\"ts\":1}}", REJECT_MISSING_FIELD),
		REJECT_TEXT("{\"ping\":1", REJECT_JSON),
	};
	control_check("htx", "htx", cases, sizeof(cases) / sizeof(cases[0]));
}

/* text as one gzip member, as HTX sends it */
static size_t gzip_text(const char *text, unsigned char *out, size_t cap)
{
	struct libdeflate_compressor *c = libdeflate_alloc_compressor(6);
	assert_non_null(c);
	size_t n = libdeflate_gzip_compress(c, text, strlen(text), out, cap);
	libdeflate_free_compressor(c);
	assert_true(n > 0);
	return n;
}

static void test_gzip_frames(void **state)
{
	(void)state;
	static struct pipeline p;
	static unsigned char gz[4096], two[8192];
	static char big[70000];
	struct symmap m;
	const struct adapter *a = adapter_find("htx");
	const char *bbo = "{\"ch\":\"market.btcusdt.bbo\",\"ts\":1630994555540,\"tick\":{\"seqId\":137005210233,"
			  "\"ask\":52665.02,\"askSize\":1.502181,\"bid\":52665.01,\"bidSize\":0.178567,"
			  "\"quoteTime\":1630994555539,\"symbol\":\"btcusdt\"}}";
	assert_int_equal(symmap_init(&m, a, 8, true), 0);
	pipeline_init(&p, a, &m, 1, 65536, 0);
	size_t n = gzip_text(bbo, gz, sizeof(gz));
	assert_int_equal(pipeline_frame(&p, (const char *)gz, n, true, 0), FRAME_DATA);
	assert_int_equal(p.accepted, 1);
	assert_true(p.ticks[0].u.quote.ask_qty == 1.502181);
	assert_true(p.ticks[0].update_id == 137005210233ULL);
	assert_string_equal(symmap_by_id(&m, p.ticks[0].symbol_id)->canonical, "BTC-USDT");
	/* the ping inside gzip asks for its pong */
	n = gzip_text("{\"ping\":1492420473027}", gz, sizeof(gz));
	assert_int_equal(pipeline_frame(&p, (const char *)gz, n, true, 0), FRAME_CONTROL);
	assert_string_equal(p.out.detail, "{\"pong\":1492420473027}");
	/* cut short, corrupted, two members in one frame, not gzip: malformed */
	n = gzip_text(bbo, gz, sizeof(gz));
	assert_int_equal(pipeline_frame(&p, (const char *)gz, n - 4, true, 0), FRAME_REJECT);
	assert_int_equal(p.out.reject, REJECT_JSON);
	memcpy(two, gz, n);
	memcpy(two + n, gz, n);
	assert_int_equal(pipeline_frame(&p, (const char *)two, 2 * n, true, 0), FRAME_REJECT);
	assert_int_equal(p.out.reject, REJECT_JSON);
	gz[n / 2] ^= 0x55;
	assert_int_equal(pipeline_frame(&p, (const char *)gz, n, true, 0), FRAME_REJECT);
	assert_int_equal(p.out.reject, REJECT_JSON);
	assert_int_equal(pipeline_frame(&p, bbo, strlen(bbo), true, 0), FRAME_REJECT);
	assert_int_equal(p.out.reject, REJECT_JSON);
	/* small on the wire, too big inflated: oversize */
	memset(big, ' ', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[0] = '{';
	big[sizeof(big) - 2] = '}';
	n = gzip_text(big, two, sizeof(two));
	assert_int_equal(pipeline_frame(&p, (const char *)two, n, true, 0), FRAME_REJECT);
	assert_int_equal(p.out.reject, REJECT_OVERSIZE);
	/* and the stream recovers for the next frame */
	n = gzip_text(bbo, gz, sizeof(gz));
	assert_int_equal(pipeline_frame(&p, (const char *)gz, n, true, 0), FRAME_DATA);
	/* a binary frame on an adapter without gzip_frames stays refused */
	static struct pipeline q;
	struct symmap mq;
	assert_int_equal(symmap_init(&mq, adapter_find("okx"), 8, true), 0);
	pipeline_init(&q, adapter_find("okx"), &mq, 1, 65536, 0);
	assert_int_equal(pipeline_frame(&q, (const char *)gz, n, true, 0), FRAME_REJECT);
	assert_int_equal(q.out.reject, REJECT_BINARY);
	symmap_free(&mq);
	symmap_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_documented_control_frames),
		cmocka_unit_test(test_gzip_frames),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
