/* HTTP request heads: complete requests give method and path, partial ones
 * ask for more, and malformed ones are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "supervisor/http_request.h"

static enum http_parse_result parse(const char *in, struct http_request *req)
{
	return http_request_parse(in, strlen(in), req);
}

static void test_complete_requests(void **state)
{
	(void)state;
	struct http_request req;
	assert_int_equal(parse("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", &req), HTTP_PARSE_OK);
	assert_string_equal(req.method, "GET");
	assert_string_equal(req.path, "/metrics");
	assert_int_equal(parse("HEAD /ping?x=1 HTTP/1.0\n\n", &req), HTTP_PARSE_OK);
	assert_string_equal(req.method, "HEAD");
	assert_string_equal(req.path, "/ping");
	assert_int_equal(parse("POST /health HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc", &req), HTTP_PARSE_OK);
	assert_string_equal(req.method, "POST");
}

static void test_incomplete_requests(void **state)
{
	(void)state;
	struct http_request req;
	assert_int_equal(parse("", &req), HTTP_PARSE_INCOMPLETE);
	assert_int_equal(parse("GET /ping HTTP/1.1\r\n", &req), HTTP_PARSE_INCOMPLETE);
	assert_int_equal(parse("GET /ping HTTP/1.1\r\nHost: x\r\n\r", &req), HTTP_PARSE_INCOMPLETE);
	assert_int_equal(parse("GET /ping HTTP/1.1\r\nX-Slow: a", &req), HTTP_PARSE_INCOMPLETE);
}

static void test_malformed_requests(void **state)
{
	(void)state;
	struct http_request req;
	assert_int_equal(parse("GET\r\n\r\n", &req), HTTP_PARSE_BAD);
	assert_int_equal(parse("GET /ping\r\n\r\n", &req), HTTP_PARSE_BAD);
	assert_int_equal(parse("GET /ping HTTP/2.0\r\n\r\n", &req), HTTP_PARSE_BAD);
	assert_int_equal(parse("get /ping HTTP/1.1\r\n\r\n", &req), HTTP_PARSE_BAD);
	assert_int_equal(parse("GET ping HTTP/1.1\r\n\r\n", &req), HTTP_PARSE_BAD);
	assert_int_equal(parse("VERYLONGMETHOD /ping HTTP/1.1\r\n\r\n", &req), HTTP_PARSE_BAD);
	assert_int_equal(parse(" /ping HTTP/1.1\r\n\r\n", &req), HTTP_PARSE_BAD);
	char line[600];
	memset(line, 'a', sizeof(line));
	memcpy(line, "GET /", 5);
	memcpy(line + 500, " HTTP/1.1\r\n\r\n", sizeof(" HTTP/1.1\r\n\r\n"));
	assert_int_equal(parse(line, &req), HTTP_PARSE_TOO_LONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_complete_requests),
		cmocka_unit_test(test_incomplete_requests),
		cmocka_unit_test(test_malformed_requests),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
