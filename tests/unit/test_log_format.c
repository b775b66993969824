/* Log lines on stderr: the text form with its syslog priority prefix, JSON
 * lines, level filtering, truncation and rate limiting, with JOURNAL_STREAM
 * unset or naming another stream (the journal form is
 * test_log_journal_fields.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/log.h"

static int saved_stderr = -1;
static int pipe_rd = -1;

/* stderr goes to a pipe for each test; read_lines() takes what was logged. */
static int capture(void **state)
{
	(void)state;
	int p[2];
	unsetenv("JOURNAL_STREAM");
	if (pipe2(p, O_NONBLOCK) != 0)
		return -1;
	fcntl(p[0], F_SETPIPE_SZ, 1 << 20);
	saved_stderr = dup(STDERR_FILENO);
	dup2(p[1], STDERR_FILENO);
	close(p[1]);
	pipe_rd = p[0];
	return 0;
}

static int release(void **state)
{
	(void)state;
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	close(pipe_rd);
	return 0;
}

static char captured[1 << 16];

static const char *read_all(void)
{
	ssize_t n = read(pipe_rd, captured, sizeof(captured) - 1);
	captured[n > 0 ? n : 0] = '\0';
	return captured;
}

static int count_lines(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void test_text_lines(void **state)
{
	(void)state;
	log_init("collector", "binance", LOG_LVL_INFO, 0);
	log_err("connect failed: %s", "refused");
	log_warn("w");
	log_info("subscribed %d symbols", 3);
	log_debug("not shown at info");
	assert_string_equal(read_all(), "<3>spreadbus-collector[binance]: connect failed: refused\n"
					"<4>spreadbus-collector[binance]: w\n"
					"<6>spreadbus-collector[binance]: subscribed 3 symbols\n");
	log_init("spreadbus", NULL, LOG_LVL_DEBUG, 0);
	log_debug("d");
	log_msg(LOG_LVL_NOTICE, "n");
	assert_string_equal(read_all(), "<7>spreadbus: d\n<5>spreadbus: n\n");
}

static void test_json_lines(void **state)
{
	(void)state;
	log_init("collector", "okx", LOG_LVL_INFO, 1);
	log_warn("quote \"x\"\tdone");
	const char *out = read_all();
	assert_int_equal(count_lines(out), 1);
	assert_memory_equal(out, "{\"ts\":\"", 7);
	/* 2026-11-23T19:47:43.123456Z */
	assert_int_equal(strlen(out + 7) > 27, 1);
	assert_int_equal(out[7 + 10], 'T');
	assert_memory_equal(out + 7 + 26, "Z\",", 3);
	assert_string_equal(out + 7 + 29,
			    "\"level\":\"warning\",\"process\":\"collector\",\"exchange\":\"okx\","
			    "\"msg\":\"quote \\\"x\\\"\\tdone\"}\n");
	log_init("aggregator", NULL, LOG_LVL_INFO, 1);
	log_info("x");
	out = read_all();
	assert_non_null(strstr(out, "\"process\":\"aggregator\",\"exchange\":null,\"msg\":\"x\"}\n"));
}

static void test_long_message_is_cut(void **state)
{
	(void)state;
	static char big[4 * LOG_MSG_MAX];
	memset(big, 'a', sizeof(big) - 1);
	log_init("writer", NULL, LOG_LVL_INFO, 0);
	log_info("%s", big);
	const char *out = read_all();
	size_t prefix = strlen("<6>spreadbus-writer: ");
	assert_int_equal(strlen(out), prefix + LOG_MSG_MAX - 1 + 1);
	assert_memory_equal(out + strlen(out) - 4, "...\n", 4);
}

static void test_rate_limit_counts_suppressed(void **state)
{
	(void)state;
	struct log_limit lim = { 0 };
	log_init("collector", "bybit", LOG_LVL_INFO, 0);
	for (int i = 0; i < 20; i++)
		log_limited(&lim, LOG_LVL_WARNING, "lapped %d", i);
	const char *out = read_all();
	assert_int_equal(count_lines(out), LOG_LIMIT_BURST);
	assert_non_null(strstr(out, "lapped 4\n"));
	assert_null(strstr(out, "lapped 5\n"));
	assert_int_equal(lim.suppressed, 20 - LOG_LIMIT_BURST);

	/* After the interval, the next message carries the count. */
	lim.window_start_ns -= LOG_LIMIT_INTERVAL_NS;
	log_limited(&lim, LOG_LVL_WARNING, "lapped %d", 20);
	assert_string_equal(read_all(), "<4>spreadbus-collector[bybit]: lapped 20 (15 similar messages suppressed)\n");
	assert_int_equal(lim.suppressed, 0);

	/* Below the level nothing is counted. */
	log_limited(&lim, LOG_LVL_DEBUG, "quiet");
	assert_string_equal(read_all(), "");
	assert_int_equal(lim.in_window, 1);
}

static void test_errno_is_kept(void **state)
{
	(void)state;
	log_init("spreadbus", NULL, LOG_LVL_INFO, 0);
	errno = EAGAIN;
	log_info("x");
	assert_int_equal(errno, EAGAIN);
	read_all();
}

/* A JOURNAL_STREAM inherited by a process whose stderr was redirected names
 * another stream: the lines must still go to stderr. */
static void test_foreign_journal_stream_is_ignored(void **state)
{
	(void)state;
	struct stat st;
	char v[64];
	assert_int_equal(fstat(STDERR_FILENO, &st), 0);
	snprintf(v, sizeof(v), "%llu:%llu", (unsigned long long)st.st_dev, (unsigned long long)st.st_ino + 1);
	setenv("JOURNAL_STREAM", v, 1);
	log_init("collector", "okx", LOG_LVL_INFO, 0);
	log_info("hello");
	unsetenv("JOURNAL_STREAM");
	assert_string_equal(read_all(), "<6>spreadbus-collector[okx]: hello\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_text_lines, capture, release),
		cmocka_unit_test_setup_teardown(test_json_lines, capture, release),
		cmocka_unit_test_setup_teardown(test_long_message_is_cut, capture, release),
		cmocka_unit_test_setup_teardown(test_rate_limit_counts_suppressed, capture, release),
		cmocka_unit_test_setup_teardown(test_errno_is_kept, capture, release),
		cmocka_unit_test_setup_teardown(test_foreign_journal_stream_is_ignored, capture, release),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
