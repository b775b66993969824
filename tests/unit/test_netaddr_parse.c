/* netaddr: WebSocket URLs and listen addresses, good and bad. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>

#include <cmocka.h>

#include "common/netaddr.h"

static void test_urls(void **state)
{
	(void)state;
	struct netaddr_url u;
	char msg[128];
	assert_int_equal(netaddr_url_parse("wss://stream.binance.com:9443/stream?streams=a", &u, msg, sizeof(msg)), 0);
	assert_true(u.tls && u.has_port);
	assert_string_equal(u.host, "stream.binance.com");
	assert_int_equal(u.port, 9443);
	assert_string_equal(u.path, "/stream?streams=a");

	assert_int_equal(netaddr_url_parse("ws://127.0.0.1:9001", &u, msg, sizeof(msg)), 0);
	assert_false(u.tls);
	assert_int_equal(u.port, 9001);
	assert_string_equal(u.path, "");

	assert_int_equal(netaddr_url_parse("wss://ws.okx.com/ws/v5/public", &u, msg, sizeof(msg)), 0);
	assert_int_equal(u.port, 443);
	assert_false(u.has_port);

	assert_int_equal(netaddr_url_parse("ws://[::1]:8080/x", &u, msg, sizeof(msg)), 0);
	assert_string_equal(u.host, "::1");
	assert_int_equal(u.port, 8080);

	const char *bad[] = { "http://a", "ws://", "ws://:80", "ws://a:0", "ws://a:65536", "ws://a:80x", "ws://a b",
			      "ws://[::1", "ws://[zz]:1", "ws://a:/x", "wss://a/b c", "ftp://x" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (netaddr_url_parse(bad[i], &u, msg, sizeof(msg)) == 0)
			fail_msg("'%s' accepted", bad[i]);
}

static void test_listen_addresses(void **state)
{
	(void)state;
	char host[64], msg[128];
	uint16_t port;
	assert_int_equal(netaddr_listen_parse("127.0.0.1:9280", host, sizeof(host), &port, msg, sizeof(msg)), 0);
	assert_string_equal(host, "127.0.0.1");
	assert_int_equal(port, 9280);
	assert_int_equal(netaddr_listen_parse("0.0.0.0:1", host, sizeof(host), &port, msg, sizeof(msg)), 0);
	assert_string_equal(host, "0.0.0.0");
	assert_int_equal(netaddr_listen_parse("localhost:65535", NULL, 0, &port, msg, sizeof(msg)), 0);
	assert_int_equal(port, 65535);
	const char *bad[] = { "127.0.0.1", "127.0.0.1:", ":80", "example.com:80", "1.2.3.4:99999", "300.1.1.1:80",
			      "[::1]80", "1.2.3.4:-1", "[::1]:80" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (netaddr_listen_parse(bad[i], host, sizeof(host), &port, msg, sizeof(msg)) == 0)
			fail_msg("'%s' accepted", bad[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_urls),
		cmocka_unit_test(test_listen_addresses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
