/* Control protocol requests: valid commands parse, and every malformed or
 * unknown request is refused with a reason instead of being guessed at. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "supervisor/control_request.h"

static int parse(const char *line, struct control_request *req, char *err, size_t err_len)
{
	return control_request_parse(line, strlen(line), req, err, err_len);
}

static void test_valid_requests(void **state)
{
	(void)state;
	struct control_request req;
	char err[256];
	assert_int_equal(parse("{\"cmd\":\"status\"}", &req, err, sizeof(err)), 0);
	assert_int_equal(req.cmd, CONTROL_STATUS);
	assert_int_equal(parse("{ \"name\" : \"binance\", \"cmd\" : \"restart\" }", &req, err, sizeof(err)), 0);
	assert_int_equal(req.cmd, CONTROL_RESTART);
	assert_string_equal(req.name, "binance");
	assert_int_equal(parse("{\"cmd\":\"stop\",\"name\":\"writer\"}", &req, err, sizeof(err)), 0);
	assert_int_equal(req.cmd, CONTROL_STOP);
	assert_int_equal(parse("{\"cmd\":\"start\",\"name\":\"aggregator\"}", &req, err, sizeof(err)), 0);
	assert_int_equal(req.cmd, CONTROL_START);
	assert_int_equal(parse("{\"cmd\":\"reload\"}", &req, err, sizeof(err)), 0);
	assert_int_equal(req.cmd, CONTROL_RELOAD);
}

static void expect_refused(const char *line, const char *reason_part)
{
	struct control_request req;
	char err[256] = "";
	assert_int_equal(parse(line, &req, err, sizeof(err)), -EINVAL);
	if (!strstr(err, reason_part))
		fail_msg("request %s: error \"%s\" lacks \"%s\"", line, err, reason_part);
}

static void test_malformed_requests(void **state)
{
	(void)state;
	expect_refused("", "malformed");
	expect_refused("status", "malformed");
	expect_refused("[\"status\"]", "malformed");
	expect_refused("{\"cmd\":\"status\"", "malformed");
	expect_refused("{\"cmd\":1}", "strings");
	expect_refused("{\"cmd\":{\"x\":1}}", "nested");
	expect_refused("{\"cmd\":\"status\",\"extra\":\"x\"}", "unknown key");
	expect_refused("{\"name\":\"binance\"}", "missing");
	expect_refused("{\"cmd\":\"status\"} {\"cmd\":\"reload\"}", "nested");
}

static void test_unknown_and_incomplete_commands(void **state)
{
	(void)state;
	expect_refused("{\"cmd\":\"explode\"}", "unknown command");
	expect_refused("{\"cmd\":\"restart\"}", "needs a \"name\"");
	expect_refused("{\"cmd\":\"status\",\"name\":\"binance\"}", "takes no");
	expect_refused("{\"cmd\":\"stop\",\"name\":\"\"}", "bad name");
	expect_refused("{\"cmd\":\"stop\",\"name\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}", "bad name");
	expect_refused("{\"cmd\":\"stop\",\"name\":\"a\\\"b\"}", "bad name");
}

static void test_many_tokens_refused(void **state)
{
	(void)state;
	char line[CONTROL_REQUEST_MAX];
	size_t n = 0;
	n += (size_t)snprintf(line + n, sizeof(line) - n, "{\"cmd\":\"status\"");
	for (int i = 0; i < 50; i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, ",\"k%d\":\"v\"", i);
	snprintf(line + n, sizeof(line) - n, "}");
	expect_refused(line, "malformed");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_requests),
		cmocka_unit_test(test_malformed_requests),
		cmocka_unit_test(test_unknown_and_incomplete_commands),
		cmocka_unit_test(test_many_tokens_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
