/* The child runtime's contract: the command line's exit statuses (0 help,
 * 2 usage, 1 setup), the child's own options, config errors, and the two
 * ways a stop is requested (SIGTERM, the parent going away). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "shm/runtime.h"

static char dir[] = "/tmp/spreadbus-test-runtime-XXXXXX";
static char conf_path[256], bad_path[256];

static const char *exchange, *decode;
static const struct runtime_option options[] = {
	{"exchange", 'e', &exchange},
	{"decode", 0, &decode},
	{NULL, 0, NULL},
};
static const struct runtime_spec plain = {
	.program = "test-child",
	.process = "test",
	.usage = "usage: test-child --config FILE\n",
};
static const struct runtime_spec with_options = {
	.program = "test-child",
	.process = "test",
	.usage = "usage: test-child --exchange NAME [--decode FILE] [--config FILE]\n",
	.options = options,
	.config_optional = true,
};

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static int make_files(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	char text[1024];
	snprintf(conf_path, sizeof(conf_path), "%s/good.conf", dir);
	snprintf(bad_path, sizeof(bad_path), "%s/bad.conf", dir);
	snprintf(text, sizeof(text),
		 "[service]\ninstance = runtime-test\nruntime_dir = %s/run\nstate_dir = %s/state\n"
		 "log_level = err\n[exchange.binance]\nsymbols = BTC-USDT\n",
		 dir, dir);
	write_file(conf_path, text);
	write_file(bad_path, "[service]\nno_such_key = 1\n");
	return 0;
}

static int remove_files(void **state)
{
	(void)state;
	unlink(conf_path);
	unlink(bad_path);
	rmdir(dir);
	return 0;
}

/* Parses argv (NULL-terminated); returns the step's result and leaves the
 * exit status in *status. */
static int parse(struct runtime *rt, const struct runtime_spec *spec, int *status, ...)
{
	char *argv[16];
	int argc = 0;
	va_list ap;
	va_start(ap, status);
	argv[argc++] = "test-child";
	for (char *a; (a = va_arg(ap, char *)) != NULL;)
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	int rc = runtime_parse_args(rt, spec, argc, argv);
	*status = rt->exit_status;
	return rc;
}

static void test_exit_statuses_of_the_command_line(void **state)
{
	(void)state;
	struct runtime rt;
	int status;
	assert_int_equal(parse(&rt, &plain, &status, "--help", NULL), -1);
	assert_int_equal(status, RUNTIME_EXIT_OK);
	assert_int_equal(parse(&rt, &plain, &status, NULL), -1); /* --config is required */
	assert_int_equal(status, RUNTIME_EXIT_USAGE);
	assert_int_equal(parse(&rt, &plain, &status, "--config", conf_path, "extra", NULL), -1);
	assert_int_equal(status, RUNTIME_EXIT_USAGE);
	assert_int_equal(parse(&rt, &plain, &status, "--config", conf_path, "--exchange", "x", NULL), -1);
	assert_int_equal(status, RUNTIME_EXIT_USAGE);
	assert_int_equal(parse(&rt, &plain, &status, "--config", NULL), -1); /* missing argument */
	assert_int_equal(status, RUNTIME_EXIT_USAGE);
	assert_int_equal(parse(&rt, &plain, &status, "-c", conf_path, NULL), 0);
	assert_string_equal(rt.config_path, conf_path);
	assert_int_equal(status, RUNTIME_EXIT_SETUP); /* until the child says it stopped cleanly */
	assert_int_equal(runtime_end(&rt), RUNTIME_EXIT_SETUP);
}

static void test_child_options_long_and_short(void **state)
{
	(void)state;
	struct runtime rt;
	int status;
	exchange = decode = NULL;
	assert_int_equal(parse(&rt, &with_options, &status, "--exchange", "okx", "--decode", "f.txt", NULL), 0);
	assert_string_equal(exchange, "okx");
	assert_string_equal(decode, "f.txt");
	assert_null(rt.config_path); /* optional for this child */
	exchange = decode = NULL;
	assert_int_equal(parse(&rt, &with_options, &status, "-e", "bybit", "--config", conf_path, NULL), 0);
	assert_string_equal(exchange, "bybit");
	assert_null(decode);
	assert_int_equal(parse(&rt, &with_options, &status, "-d", "f.txt", NULL), -1); /* no short form */
	assert_int_equal(status, RUNTIME_EXIT_USAGE);
	assert_int_equal(runtime_usage_error(&rt, "bad exchange name '%s'", "A B"), -1);
	assert_int_equal(runtime_end(&rt), RUNTIME_EXIT_USAGE);
}

static void test_config_errors_are_setup_errors(void **state)
{
	(void)state;
	struct runtime rt;
	int status;
	char missing[300];
	snprintf(missing, sizeof(missing), "%s/none.conf", dir);
	assert_int_equal(parse(&rt, &plain, &status, "--config", missing, NULL), 0);
	assert_int_equal(runtime_load_config(&rt), -1);
	assert_int_equal(runtime_end(&rt), RUNTIME_EXIT_SETUP);
	assert_int_equal(parse(&rt, &plain, &status, "--config", bad_path, NULL), 0);
	assert_int_equal(runtime_load_config(&rt), -1);
	assert_int_equal(runtime_end(&rt), RUNTIME_EXIT_SETUP);
	assert_int_equal(parse(&rt, &plain, &status, "--config", conf_path, NULL), 0);
	assert_int_equal(runtime_load_config(&rt), 0);
	assert_non_null(rt.cfg);
	assert_string_equal(rt.cfg->instance, "runtime-test");
	rt.exit_status = RUNTIME_EXIT_OK;
	assert_int_equal(runtime_end(&rt), RUNTIME_EXIT_OK);
	assert_null(rt.cfg);
}

/* In a forked child: the runtime up to its signal handlers, or exit 3. */
static void init_in_child(struct runtime *rt)
{
	char *argv[] = {"test-child", "--config", conf_path, NULL};
	if (runtime_parse_args(rt, &plain, 3, argv) < 0 || runtime_load_config(rt) < 0 ||
	    runtime_init_process(rt, NULL) < 0)
		_exit(3);
}

/* In a child process: set up the runtime, write this pid to ready_fd, and
 * wait at most 5 s for the runtime to say stop. Exits 0 if it did. */
static void child_wait_for_stop(int ready_fd)
{
	struct runtime rt;
	init_in_child(&rt);
	if (runtime_should_stop(&rt))
		_exit(5); /* no stop before the event */
	pid_t self = getpid();
	if (write(ready_fd, &self, sizeof(self)) != (ssize_t)sizeof(self))
		_exit(6);
	close(ready_fd);
	struct timespec start, now, nap = {0, 10000000};
	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		if (runtime_should_stop(&rt)) {
			runtime_end(&rt);
			_exit(0);
		}
		nanosleep(&nap, NULL);
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (now.tv_sec - start.tv_sec < 5);
	_exit(4);
}

static pid_t read_pid(int fd)
{
	pid_t pid = -1;
	if (read(fd, &pid, sizeof(pid)) != (ssize_t)sizeof(pid))
		return -1;
	return pid;
}

static void test_sigterm_requests_a_stop(void **state)
{
	(void)state;
	int ready[2];
	assert_int_equal(pipe(ready), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(ready[0]);
		child_wait_for_stop(ready[1]);
	}
	close(ready[1]);
	assert_int_equal(read_pid(ready[0]), pid); /* its handlers are installed */
	close(ready[0]);
	assert_int_equal(kill(pid, SIGTERM), 0);
	int ws;
	assert_int_equal(waitpid(pid, &ws, 0), pid);
	assert_true(WIFEXITED(ws)); /* the handler caught it: not killed by it */
	assert_int_equal(WEXITSTATUS(ws), 0);
}

static void test_sigpipe_and_sigxfsz_are_ignored(void **state)
{
	(void)state;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct runtime rt;
		init_in_child(&rt);
		raise(SIGPIPE);
		raise(SIGXFSZ);
		_exit(0);
	}
	int ws;
	assert_int_equal(waitpid(pid, &ws, 0), pid);
	assert_true(WIFEXITED(ws));
	assert_int_equal(WEXITSTATUS(ws), 0);
}

/* The parent of the runtime's process exits; the runtime notices within
 * its parent check period. This process is a subreaper so that the orphan
 * comes back to it and its exit status can be read. */
static void test_parent_going_away_requests_a_stop(void **state)
{
	(void)state;
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	int to_test[2];
	assert_int_equal(pipe(to_test), 0);
	pid_t middle = fork();
	assert_true(middle >= 0);
	if (middle == 0) {
		close(to_test[0]);
		int ready[2];
		if (pipe(ready) < 0)
			_exit(1);
		pid_t grandchild = fork();
		if (grandchild < 0)
			_exit(1);
		if (grandchild == 0) {
			close(ready[0]);
			close(to_test[1]);
			child_wait_for_stop(ready[1]);
		}
		close(ready[1]);
		/* exit only once the grandchild noted this process as its parent */
		pid_t pid = read_pid(ready[0]);
		if (pid != grandchild || write(to_test[1], &pid, sizeof(pid)) != (ssize_t)sizeof(pid))
			_exit(1);
		_exit(0);
	}
	close(to_test[1]);
	pid_t grandchild = read_pid(to_test[0]);
	close(to_test[0]);
	assert_true(grandchild > 0);
	int ws;
	assert_int_equal(waitpid(middle, &ws, 0), middle);
	assert_true(WIFEXITED(ws));
	assert_int_equal(WEXITSTATUS(ws), 0);
	assert_int_equal(waitpid(grandchild, &ws, 0), grandchild);
	assert_true(WIFEXITED(ws));
	assert_int_equal(WEXITSTATUS(ws), 0);
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_statuses_of_the_command_line),
		cmocka_unit_test(test_child_options_long_and_short),
		cmocka_unit_test(test_config_errors_are_setup_errors),
		cmocka_unit_test(test_sigterm_requests_a_stop),
		cmocka_unit_test(test_sigpipe_and_sigxfsz_are_ignored),
		cmocka_unit_test(test_parent_going_away_requests_a_stop),
	};
	return cmocka_run_group_tests(tests, make_files, remove_files);
}
